//! Golden files: `tests/data/<case>.mm7` (or `.xml`) decodes to exactly `tests/data/<case>.json`, the JSON
//! that `canvass mm7 decode` prints. Regenerate with `MM7_WRITE_GOLDEN=1 cargo test -p canvass-mm7 --test golden`
//! and review the diff.

mod common;

use std::path::PathBuf;

use canvass_mm7::*;

fn data_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data")
}

#[test]
fn golden_descriptions() {
    let writing = std::env::var_os("MM7_WRITE_GOLDEN").is_some();
    if writing {
        let messages = common::every_message(&Namespace::Rel6(4));
        let entity = encode(&messages[0]).unwrap().to_mime_entity();
        std::fs::write(data_dir().join("submit-req-rel6.mm7"), entity).unwrap();
        let report = encode(&common::every_message(&Namespace::Rel5(2))[4]).unwrap();
        std::fs::write(data_dir().join("delivery-report-req-rel5.xml"), report.body).unwrap();
    }
    let mut cases = 0;
    for entry in std::fs::read_dir(data_dir()).unwrap() {
        let path = entry.unwrap().path();
        if path
            .extension()
            .is_some_and(|extension| extension == "json")
        {
            continue;
        }
        let envelope = decode(&std::fs::read(&path).unwrap()).unwrap();
        let json = serde_json::to_string_pretty(&describe(&envelope)).unwrap() + "\n";
        let golden = path.with_extension("json");
        if writing {
            std::fs::write(&golden, &json).unwrap();
        }
        let expected = std::fs::read_to_string(&golden).unwrap();
        assert_eq!(json, expected, "{path:?} no longer matches {golden:?}");
        cases += 1;
    }
    assert!(cases >= 3, "golden inputs are missing");
}
