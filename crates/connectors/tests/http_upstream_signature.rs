//! `X-Twilio-Signature` on status callbacks and inbound messages: genuine posts are taken, forged or tampered
//! ones refused with 403; and our signature agrees with the official `twilio` Python package's validator.

#[path = "support/sim.rs"]
mod sim;

#[path = "../../mms/tests/support/tools.rs"]
mod tools;

use canvass_connectors::{ConnectorEvent, DeliveryState, http};

fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
    list.iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect()
}

async fn post(url: &str, params: &[(String, String)], signature: &str) -> u16 {
    {
        // reqwest has TLS without a default provider in this workspace.
        canvass_connectors::tls::install_default_crypto_provider();
        reqwest::Client::new()
    }
    .post(url)
    .header("X-Twilio-Signature", signature)
    .form(params)
    .send()
    .await
    .expect("the receiver answers")
    .status()
    .as_u16()
}

#[tokio::test]
async fn status_callbacks_are_taken_only_with_a_valid_signature() {
    let (rig, mut built) = sim::upstream_rig().await;
    let token = rig.upstream.auth_token();
    let url = rig.status_url();
    let status = |sid: &str, status: &str| {
        pairs(&[
            ("MessageSid", sid),
            ("MessageStatus", status),
            ("To", "+12025550261"),
            ("ErrorCode", ""),
        ])
    };
    let forged = status("SMforged", "delivered");
    let wrong_token = http::twilio_signature("not-the-token", &url, &forged);
    assert_eq!(post(&url, &forged, &wrong_token).await, 403);
    let signed_for_other = http::twilio_signature(&token, &url, &status("SMforged", "undelivered"));
    assert_eq!(
        post(&url, &forged, &signed_for_other).await,
        403,
        "tampered status"
    );
    let other_url = format!("{url}?x=1");
    let signed_other_url = http::twilio_signature(&token, &other_url, &forged);
    assert_eq!(
        post(&url, &forged, &signed_other_url).await,
        403,
        "other URL"
    );
    assert_eq!(post(&url, &forged, "").await, 403, "unsigned");

    let genuine = status("SMgenuine", "read");
    let signature = http::twilio_signature(&token, &url, &genuine);
    assert!((200..300).contains(&post(&url, &genuine, &signature).await));
    let receipt = sim::next_matching(&mut built.events, |event| match event {
        ConnectorEvent::Receipt(r) => Some(r.clone()),
        _ => None,
    })
    .await
    .expect("the genuine receipt");
    assert_eq!(
        receipt.carrier_id, "SMgenuine",
        "forged receipts were dropped"
    );
    assert_eq!(receipt.state, DeliveryState::Read);
    assert_eq!(receipt.error_code, None);
    built.connector.shutdown().await;
}

#[tokio::test]
async fn inbound_messages_are_taken_only_with_a_valid_signature() {
    let (rig, mut built) = sim::upstream_rig().await;
    let url = rig.inbound_url();
    let message = pairs(&[
        ("From", "+12025550262"),
        ("To", "+12025550100"),
        ("Body", "STOP"),
        ("NumMedia", "1"),
        ("MediaUrl0", "https://media.example/1.jpg"),
        ("MediaContentType0", "image/jpeg"),
    ]);
    let wrong = http::twilio_signature("not-the-token", &url, &message);
    assert_eq!(post(&url, &message, &wrong).await, 403);
    let signature = http::twilio_signature(&rig.upstream.auth_token(), &url, &message);
    assert_eq!(post(&url, &message, &signature).await, 200);
    let inbound = sim::next_matching(&mut built.events, |event| match event {
        ConnectorEvent::Inbound(m) => Some(m.clone()),
        _ => None,
    })
    .await
    .expect("the inbound message");
    assert_eq!(inbound.from, "+12025550262");
    assert_eq!(inbound.text.as_deref(), Some("STOP"));
    assert_eq!(inbound.media.len(), 1);
    assert_eq!(inbound.media[0].name, "https://media.example/1.jpg");
    assert_eq!(inbound.media[0].content_type, "image/jpeg");
    built.connector.shutdown().await;
}

/// The twilio package's RequestValidator, in its own venv.
fn twilio_python() -> Option<std::path::PathBuf> {
    tools::venv_python("twilio", "twilio==9.*")
}

#[test]
fn our_signature_matches_the_official_twilio_validator() {
    let Some(python) = twilio_python() else {
        return;
    };
    let url = "https://canvass.example/twilio/status?route=a%20b";
    let params = pairs(&[
        ("MessageSid", "SM0123"),
        ("MessageStatus", "undelivered"),
        ("ErrorCode", "30006"),
        ("Body", "Héllo & goodbye = ünïcode"),
        ("MediaUrl", "https://b.example/2.jpg"),
        ("MediaUrl", "https://a.example/1.jpg"),
    ]);
    let token = "12345abcde";
    let ours = http::twilio_signature(token, url, &params);
    let script = r#"
import json, sys
from twilio.request_validator import RequestValidator
token, url, params, signature = json.load(sys.stdin)
from collections import defaultdict
multi = defaultdict(list)
for k, v in params:
    multi[k].append(v)
class Multi(dict):
    def getlist(self, k): return multi[k]
v = RequestValidator(token)
print(v.compute_signature(url, Multi({k: vs[0] for k, vs in multi.items()})))
print(v.validate(url, Multi({k: vs[0] for k, vs in multi.items()}), signature))
"#;
    let input = serde_json::json!([token, url, params, ours]).to_string();
    let mut child = std::process::Command::new(python)
        .args(["-c", script])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("run python");
    {
        use std::io::Write;
        child
            .stdin
            .take()
            .expect("stdin")
            .write_all(input.as_bytes())
            .expect("write the case");
    }
    let output = child.wait_with_output().expect("python finishes");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(
        lines,
        [ours.as_str(), "True"],
        "stderr: {}",
        String::from_utf8_lossy(&output.stderr)
    );
}
