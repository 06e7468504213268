//! Rich cards, carousels and suggestions as the RBM endpoint receives them, and the content RBM would refuse,
//! refused before it is sent.

#[path = "support/sim.rs"]
mod sim;

use std::time::Duration;

use canvass_connectors::{
    CardMedia, Content, MediaPart, MmsContent, OutboundMessage, RcsContent, RichCard,
    SubmitOutcome, Suggestion,
};
use serde_json::json;

fn card(title: &str) -> RichCard {
    RichCard {
        title: Some(title.into()),
        description: Some(format!("About {title}")),
        media: Some(CardMedia {
            file_url: format!("https://cdn.example/{title}.jpg"),
            thumbnail_url: Some(format!("https://cdn.example/{title}-thumb.jpg")),
            height: "MEDIUM".into(),
        }),
        suggestions: vec![Suggestion::OpenUrl {
            text: "Details".into(),
            postback: format!("open:{title}"),
            url: format!("https://example.org/{title}"),
        }],
    }
}

fn message(id: &str, to: &str, rcs: RcsContent) -> OutboundMessage {
    let mut message = OutboundMessage::text(id, sim::AGENT_ID, to, "");
    message.content = Content::Rcs(rcs);
    message
}

#[tokio::test]
async fn a_standalone_card_with_suggestions_and_ttl_has_rbms_json_shape() {
    let (rig, built) = sim::rcs_rig().await;
    let rcs = RcsContent {
        card: Some(card("rally")),
        suggestions: vec![
            Suggestion::Reply {
                text: "Count me in".into(),
                postback: "rsvp:yes".into(),
            },
            Suggestion::Dial {
                text: "Call us".into(),
                postback: "dial".into(),
                phone_number: "+12025550123".into(),
            },
        ],
        ttl: Some(Duration::from_secs(3600)),
        ..RcsContent::default()
    };
    let outcome = built
        .connector
        .submit(&message("card-1", "+12025550231", rcs))
        .await;
    assert_eq!(outcome.carrier_id(), Some("card-1"), "{outcome:?}");
    let received = rig.rbm.received();
    assert_eq!(received.len(), 1);
    assert_eq!(received[0].message_id, "card-1");
    assert_eq!(received[0].msisdn, "+12025550231");
    assert_eq!(
        received[0].body,
        json!({
            "contentMessage": {
                "richCard": { "standaloneCard": {
                    "cardOrientation": "VERTICAL",
                    "cardContent": {
                        "title": "rally",
                        "description": "About rally",
                        "media": { "height": "MEDIUM", "contentInfo": {
                            "fileUrl": "https://cdn.example/rally.jpg",
                            "thumbnailUrl": "https://cdn.example/rally-thumb.jpg"
                        }},
                        "suggestions": [{ "action": {
                            "text": "Details", "postbackData": "open:rally",
                            "openUrlAction": { "url": "https://example.org/rally" }
                        }}]
                    }
                }},
                "suggestions": [
                    { "reply": { "text": "Count me in", "postbackData": "rsvp:yes" } },
                    { "action": { "text": "Call us", "postbackData": "dial",
                                  "dialAction": { "phoneNumber": "+12025550123" } } }
                ]
            },
            "ttl": "3600s"
        })
    );
    built.connector.shutdown().await;
}

#[tokio::test]
async fn a_carousel_goes_out_as_a_carousel_card() {
    let (rig, built) = sim::rcs_rig().await;
    let rcs = RcsContent {
        carousel: vec![card("one"), card("two"), card("three")],
        ..RcsContent::default()
    };
    let outcome = built
        .connector
        .submit(&message("carousel-1", "+12025550232", rcs))
        .await;
    assert!(outcome.is_accepted(), "{outcome:?}");
    let body = &rig.rbm.received()[0].body;
    let carousel = &body["contentMessage"]["richCard"]["carouselCard"];
    assert_eq!(carousel["cardWidth"], "MEDIUM");
    let titles: Vec<&str> = carousel["cardContents"]
        .as_array()
        .expect("cardContents is an array")
        .iter()
        .filter_map(|c| c["title"].as_str())
        .collect();
    assert_eq!(titles, ["one", "two", "three"]);
    assert!(body.get("ttl").is_none(), "no ttl was asked for");
    built.connector.shutdown().await;
}

fn invalid_contents() -> Vec<(&'static str, Content)> {
    let reply = |n: usize| Suggestion::Reply {
        text: format!("chip {n}"),
        postback: format!("p{n}"),
    };
    let text = |rcs: RcsContent| Content::Rcs(rcs);
    vec![
        (
            "one-card carousel",
            text(RcsContent {
                carousel: vec![card("a")],
                ..RcsContent::default()
            }),
        ),
        (
            "eleven-card carousel",
            text(RcsContent {
                carousel: (0..11).map(|n| card(&format!("c{n}"))).collect(),
                ..RcsContent::default()
            }),
        ),
        (
            "long title",
            text(RcsContent {
                card: Some(card(&"t".repeat(201))),
                ..RcsContent::default()
            }),
        ),
        (
            "long description",
            text(RcsContent {
                card: Some(RichCard {
                    description: Some("d".repeat(2001)),
                    ..card("desc")
                }),
                ..RcsContent::default()
            }),
        ),
        (
            "long chip text",
            text(RcsContent {
                text: Some("hi".into()),
                suggestions: vec![Suggestion::Reply {
                    text: "x".repeat(26),
                    postback: "p".into(),
                }],
                ..RcsContent::default()
            }),
        ),
        (
            "twelve suggestions",
            text(RcsContent {
                text: Some("hi".into()),
                suggestions: (0..12).map(reply).collect(),
                ..RcsContent::default()
            }),
        ),
        (
            "five card suggestions",
            text(RcsContent {
                card: Some(RichCard {
                    suggestions: (0..5).map(reply).collect(),
                    ..card("chips")
                }),
                ..RcsContent::default()
            }),
        ),
        ("empty", text(RcsContent::default())),
        (
            "text and card",
            text(RcsContent {
                text: Some("hi".into()),
                card: Some(card("both")),
                ..RcsContent::default()
            }),
        ),
        (
            "an MMS",
            Content::Mms(MmsContent {
                subject: None,
                parts: vec![MediaPart {
                    content_type: "image/jpeg".into(),
                    name: "a.jpg".into(),
                    data: bytes::Bytes::from_static(b"\xff\xd8"),
                }],
            }),
        ),
    ]
}

#[tokio::test]
async fn content_rbm_would_refuse_is_refused_before_sending() {
    let (rig, built) = sim::rcs_rig().await;
    for (n, (what, content)) in invalid_contents().into_iter().enumerate() {
        let mut message = OutboundMessage::text(format!("bad-{n}"), "agent", "+12025550233", "");
        message.content = content;
        match built.connector.submit(&message).await {
            SubmitOutcome::PermanentFailure { code, reason } => {
                assert_eq!(code, "invalid_content", "{what}");
                assert!(!reason.is_empty(), "{what}: a reason is given");
            }
            other => panic!("{what}: expected a refusal, got {other:?}"),
        }
    }
    assert!(rig.rbm.received().is_empty(), "nothing reached RBM");
    assert_eq!(rig.stats.accepted_for("+12025550233"), 0);
    built.connector.shutdown().await;
}
