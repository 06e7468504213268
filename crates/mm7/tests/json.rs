//! The JSON of `describe` is stable and its `message` object reads back as a [`Body`], so that
//! `canvass mm7 encode` can take the same JSON that `canvass mm7 decode` prints.

mod common;

use canvass_mm7::*;

#[test]
fn message_json_reads_back_as_the_same_body() {
    for namespace in [Namespace::Rel5(0), Namespace::Rel6(4)] {
        for envelope in common::every_message(&namespace) {
            let json = serde_json::to_value(describe(&envelope)).unwrap();
            assert_eq!(json["namespace"], namespace.uri().as_str());
            let body: Body = serde_json::from_value(json["message"].clone()).unwrap();
            assert_eq!(body, envelope.body);
        }
    }
}

#[test]
fn minimal_json_fills_in_defaults() {
    let body: Body = serde_json::from_str(
        r#"{"type":"SubmitReq","recipients":{"to":[{"kind":"Number","value":"+15550001111"}]},
            "content":{"href":"cid:c"}}"#,
    )
    .unwrap();
    let Body::SubmitReq(submit) = &body else {
        panic!("wrong type");
    };
    assert_eq!(submit.recipients.to, vec![Address::number("+15550001111")]);
    assert_eq!(submit.content, Some(ContentRef::cid("c")));
    let status: Body =
        serde_json::from_str(r#"{"type":"CancelRsp","status":{"code":4006}}"#).unwrap();
    assert_eq!(
        status.status().unwrap().code,
        StatusCode::ServiceUnavailable
    );
    assert!(serde_json::from_str::<Body>(r#"{"type":"Nope"}"#).is_err());
}
