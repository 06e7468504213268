//! Decodes every PDU of the shared real-world corpus (../shared/mms-vectors, or $CANVASS_MMS_VECTORS) and
//! checks message type, version and part count against its expected.tsv.

use std::path::PathBuf;

fn vectors_dir() -> PathBuf {
    match std::env::var_os("CANVASS_MMS_VECTORS") {
        Some(dir) => PathBuf::from(dir),
        None => PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/mms-vectors"),
    }
}

#[test]
fn every_vector_decodes_as_expected() {
    let dir = vectors_dir();
    let expected = match std::fs::read_to_string(dir.join("expected.tsv")) {
        Ok(text) => text,
        Err(e) if std::env::var_os("CI").is_none() => {
            println!("skip: no MMS vectors at {} ({e})", dir.display());
            return;
        }
        Err(e) => panic!("MMS vectors missing at {}: {e}", dir.display()),
    };
    let mut failures = Vec::new();
    let mut checked = 0;
    for line in expected.lines().skip(1).filter(|l| !l.trim().is_empty()) {
        let cols: Vec<&str> = line.split('\t').collect();
        let [file, message_type, version, parts] = cols[..] else {
            panic!("bad expected.tsv line: {line}");
        };
        let data = std::fs::read(dir.join(file)).unwrap();
        checked += 1;
        match canvass_mms::decode(&data) {
            Err(e) => failures.push(format!("{file}: {e}")),
            Ok(pdu) => {
                let got = (
                    pdu.message_type().map(|t| t.name()).unwrap_or("?"),
                    pdu.version()
                        .map(|(a, b)| format!("{a}.{b}"))
                        .unwrap_or_default(),
                    pdu.parts().len(),
                );
                let want = (
                    message_type,
                    version.to_owned(),
                    parts.parse::<usize>().unwrap(),
                );
                if got != want {
                    failures.push(format!("{file}: got {got:?}, expected {want:?}"));
                }
                for (i, part) in pdu.parts().iter().enumerate() {
                    if part.content_type.media_type().is_empty() {
                        failures.push(format!("{file}: part {i} has no content type"));
                    }
                }
                // The description must cover every header and part.
                let d = canvass_mms::describe(&pdu);
                assert_eq!(d.headers.len(), pdu.headers.len());
                assert_eq!(d.parts.len(), pdu.parts().len());
            }
        }
    }
    assert!(checked >= 29, "only {checked} vectors listed");
    assert!(
        failures.is_empty(),
        "{} of {checked} failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
