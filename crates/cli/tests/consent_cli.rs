//! `canvass consent import|export`: bad ledger rows are refused by line with the reason, the good rows around
//! them are kept, and a second import of the same file adds nothing.

mod support;

use support::{canvass_in, path};

#[test]
fn consent_import_keeps_good_rows_and_names_bad_ones() {
    let dir = tempfile::tempdir().expect("tempdir");
    let data = dir.path().join("data");
    let file = dir.path().join("ledger.csv");
    std::fs::write(
        &file,
        "phone,kind,source,evidence,at\n\
         (215) 555-0188,opt_out,sms_keyword,STOP to +12025550100,2026-11-01T15:00:00Z\n\
         not a phone,opt_out,sms_keyword,,2026-11-01T15:00:00Z\n\
         +12155550189,maybe,import,,2026-11-01T15:00:00Z\n\
         +12155550190,opt_in,web-form,signup,yesterday\n\
         +12155550191,opt_in,web-form,signup,2026-11-02T10:00:00Z\n",
    )
    .expect("ledger file");

    let out = canvass_in(&data)
        .args(["consent", "import", path(&file)])
        .output()
        .expect("runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        out.status.code(),
        Some(2),
        "bad rows make the exit status 2: {stderr}"
    );
    for (line, words) in [(3, "phone"), (4, "kind \"maybe\""), (5, "at \"yesterday\"")] {
        assert!(
            stderr.contains(&format!("line {line}: {words}")),
            "line {line} in {stderr}"
        );
    }
    assert!(stdout.starts_with("2 ledger rows added"), "{stdout}");

    let again = canvass_in(&data)
        .args(["consent", "import", path(&file)])
        .output()
        .expect("runs");
    assert!(String::from_utf8_lossy(&again.stdout).starts_with("0 ledger rows added"));

    let export = canvass_in(&data)
        .args(["consent", "export"])
        .output()
        .expect("runs");
    assert!(export.status.success());
    let csv = String::from_utf8_lossy(&export.stdout);
    let rows: Vec<&str> = csv.lines().skip(1).collect();
    assert_eq!(rows.len(), 2, "{csv}");
    assert!(
        rows.iter()
            .any(|r| r.starts_with("+12155550188,opt_out,sms_keyword,STOP to +12025550100,")),
        "{csv}"
    );
    assert!(
        rows.iter()
            .any(|r| r.starts_with("+12155550191,opt_in,web-form,signup,")),
        "{csv}"
    );
}
