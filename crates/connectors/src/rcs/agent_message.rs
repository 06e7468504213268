//! Content to RBM's `AgentMessage` JSON, checked against RBM's limits first so that a message RBM would refuse
//! is refused here, with a reason, without a round trip.

use std::time::Duration;

use serde_json::{Map, Value, json};

use crate::{CardMedia, Content, OutboundMessage, RcsContent, RichCard, Suggestion};

const MAX_TEXT: usize = 3072;
const MAX_TITLE: usize = 200;
const MAX_DESCRIPTION: usize = 2000;
const MAX_CHIP_TEXT: usize = 25;
const MAX_POSTBACK: usize = 2048;
const MAX_MESSAGE_SUGGESTIONS: usize = 11;
const MAX_CARD_SUGGESTIONS: usize = 4;
const CAROUSEL_CARDS: std::ops::RangeInclusive<usize> = 2..=10;

/// The AgentMessage JSON for `message`, or why it cannot be sent over RBM.
pub fn agent_message(message: &OutboundMessage) -> Result<Value, String> {
    let rcs = match &message.content {
        Content::Text(text) => RcsContent {
            text: Some(text.clone()),
            ..RcsContent::default()
        },
        Content::Rcs(rcs) => rcs.clone(),
        Content::Mms(_) => return Err("an MMS cannot be sent as an RBM agent message".into()),
    };
    let mut body = Map::new();
    body.insert("contentMessage".into(), content_message(&rcs)?);
    match expiry(message) {
        Some(Expiry::At(time)) => body.insert("expireTime".into(), json!(time.to_string())),
        Some(Expiry::After(ttl)) => {
            body.insert("ttl".into(), json!(format!("{}s", ttl.as_secs_f64())))
        }
        None => None,
    };
    Ok(Value::Object(body))
}

/// When a message expires: RBM takes one of `expireTime` and `ttl`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Expiry {
    /// At this instant (`expireTime`).
    At(jiff::Timestamp),
    /// This long after it is sent (`ttl`).
    After(Duration),
}

impl Expiry {
    /// How long from `now` until the message expires; zero once it has.
    pub fn remaining(self, now: jiff::Timestamp) -> Duration {
        match self {
            Self::After(ttl) => ttl,
            Self::At(time) => Duration::try_from(now.duration_until(time)).unwrap_or_default(),
        }
    }
}

/// The message's expiry: the RCS content's expire time, else its time to live, else the message validity.
pub fn expiry(message: &OutboundMessage) -> Option<Expiry> {
    match &message.content {
        Content::Rcs(rcs) => rcs
            .expire_time
            .map(Expiry::At)
            .or(rcs.ttl.map(Expiry::After))
            .or(message.validity.map(Expiry::After)),
        _ => message.validity.map(Expiry::After),
    }
}

fn content_message(rcs: &RcsContent) -> Result<Value, String> {
    let mut content = Map::new();
    let kinds = usize::from(rcs.text.is_some())
        + usize::from(rcs.card.is_some())
        + usize::from(!rcs.carousel.is_empty());
    if kinds != 1 {
        return Err(format!(
            "an RBM message has exactly one of text, card or carousel; this one has {kinds}"
        ));
    }
    if let Some(text) = &rcs.text {
        check_len("text", text, MAX_TEXT)?;
        content.insert("text".into(), json!(text));
    }
    if let Some(card) = &rcs.card {
        let standalone = json!({
            "cardOrientation": "VERTICAL",
            "cardContent": card_content(card)?,
        });
        content.insert("richCard".into(), json!({ "standaloneCard": standalone }));
    }
    if !rcs.carousel.is_empty() {
        if !CAROUSEL_CARDS.contains(&rcs.carousel.len()) {
            return Err(format!(
                "a carousel holds 2 to 10 cards, not {}",
                rcs.carousel.len()
            ));
        }
        let cards = rcs
            .carousel
            .iter()
            .map(card_content)
            .collect::<Result<Vec<_>, _>>()?;
        let carousel = json!({ "cardWidth": "MEDIUM", "cardContents": cards });
        content.insert("richCard".into(), json!({ "carouselCard": carousel }));
    }
    if !rcs.suggestions.is_empty() {
        content.insert(
            "suggestions".into(),
            suggestions(&rcs.suggestions, MAX_MESSAGE_SUGGESTIONS, "message")?,
        );
    }
    Ok(Value::Object(content))
}

fn check_len(what: &str, text: &str, max: usize) -> Result<(), String> {
    let chars = text.chars().count();
    if chars > max {
        Err(format!("{what} has {chars} characters; RBM allows {max}"))
    } else {
        Ok(())
    }
}

fn card_content(card: &RichCard) -> Result<Value, String> {
    if card.title.is_none() && card.description.is_none() && card.media.is_none() {
        return Err("a rich card needs a title, a description or media".into());
    }
    let mut content = Map::new();
    if let Some(title) = &card.title {
        check_len("card title", title, MAX_TITLE)?;
        content.insert("title".into(), json!(title));
    }
    if let Some(description) = &card.description {
        check_len("card description", description, MAX_DESCRIPTION)?;
        content.insert("description".into(), json!(description));
    }
    if let Some(media) = &card.media {
        content.insert("media".into(), card_media(media)?);
    }
    if !card.suggestions.is_empty() {
        content.insert(
            "suggestions".into(),
            suggestions(&card.suggestions, MAX_CARD_SUGGESTIONS, "card")?,
        );
    }
    Ok(Value::Object(content))
}

fn card_media(media: &CardMedia) -> Result<Value, String> {
    if !matches!(media.height.as_str(), "SHORT" | "MEDIUM" | "TALL") {
        return Err(format!(
            "card media height {:?} is not SHORT, MEDIUM or TALL",
            media.height
        ));
    }
    let mut info = Map::new();
    info.insert("fileUrl".into(), json!(media.file_url));
    if let Some(thumbnail) = &media.thumbnail_url {
        info.insert("thumbnailUrl".into(), json!(thumbnail));
    }
    Ok(json!({ "height": media.height, "contentInfo": info }))
}

fn suggestions(chips: &[Suggestion], max: usize, on: &str) -> Result<Value, String> {
    if chips.len() > max {
        return Err(format!(
            "a {on} has {} suggestions; RBM allows {max}",
            chips.len()
        ));
    }
    chips
        .iter()
        .map(suggestion)
        .collect::<Result<Vec<_>, _>>()
        .map(Value::Array)
}

fn suggestion(chip: &Suggestion) -> Result<Value, String> {
    let (text, postback) = match chip {
        Suggestion::Reply { text, postback }
        | Suggestion::OpenUrl { text, postback, .. }
        | Suggestion::Dial { text, postback, .. } => (text, postback),
    };
    check_len("suggestion text", text, MAX_CHIP_TEXT)?;
    check_len("suggestion postback data", postback, MAX_POSTBACK)?;
    Ok(match chip {
        Suggestion::Reply { .. } => json!({ "reply": { "text": text, "postbackData": postback } }),
        Suggestion::OpenUrl { url, .. } => json!({ "action": {
            "text": text, "postbackData": postback, "openUrlAction": { "url": url }
        }}),
        Suggestion::Dial { phone_number, .. } => json!({ "action": {
            "text": text, "postbackData": postback, "dialAction": { "phoneNumber": phone_number }
        }}),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rcs_message(rcs: RcsContent, validity: Option<Duration>) -> OutboundMessage {
        let mut message = OutboundMessage::text("x", "agent", "+12025550100", "");
        message.content = Content::Rcs(RcsContent {
            text: Some("hi".into()),
            ..rcs
        });
        message.validity = validity;
        message
    }

    #[test]
    fn an_expire_time_is_sent_instead_of_the_ttl_and_the_validity() {
        let at: jiff::Timestamp = "2026-11-25T18:00:00.5Z".parse().expect("timestamp");
        let rcs = RcsContent {
            ttl: Some(Duration::from_secs(60)),
            expire_time: Some(at),
            ..RcsContent::default()
        };
        let message = rcs_message(rcs, Some(Duration::from_secs(600)));
        let body = agent_message(&message).expect("valid");
        assert_eq!(body["expireTime"], "2026-11-25T18:00:00.5Z");
        assert!(body.get("ttl").is_none(), "{body}");
        let ttl_only = rcs_message(RcsContent::default(), Some(Duration::from_secs(90)));
        let body = agent_message(&ttl_only).expect("valid");
        assert_eq!(body["ttl"], "90s");
        assert!(body.get("expireTime").is_none(), "{body}");
    }

    #[test]
    fn the_time_left_counts_from_now_and_stops_at_zero() {
        let now: jiff::Timestamp = "2026-11-25T18:00:00Z".parse().expect("timestamp");
        let later = now + jiff::SignedDuration::from_millis(1500);
        assert_eq!(
            Expiry::At(later).remaining(now),
            Duration::from_millis(1500)
        );
        assert_eq!(Expiry::At(now).remaining(later), Duration::ZERO);
        assert_eq!(
            Expiry::After(Duration::from_secs(3)).remaining(later),
            Duration::from_secs(3)
        );
    }
}
