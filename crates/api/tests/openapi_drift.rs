//! The committed OpenAPI document (docs/openapi.json) is exactly what the handlers generate: a change to the
//! native API shows up in review as a change to the document.

#[test]
fn the_committed_openapi_document_is_the_generated_one() {
    let generated = canvass_api::native::openapi()
        .to_pretty_json()
        .expect("the document serialises");
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../docs/openapi.json");
    let committed = std::fs::read_to_string(path).expect("docs/openapi.json exists");
    assert!(
        committed.trim_end() == generated.trim_end(),
        "docs/openapi.json is stale: run `canvass openapi > docs/openapi.json` and commit it"
    );
    let doc: serde_json::Value = serde_json::from_str(&generated).expect("JSON");
    assert_eq!(doc["openapi"], "3.1.0");
}
