//! The fields a message template sees for one recipient: `first_name`, `last_name`, `phone`, `zip`, `state`,
//! `county`, `issues`, every region layer by its kind (e.g. `district`), `attr.<name>` for imported attributes,
//! and `link` (the recipient's tracked link) when the campaign has one.

use canvass_dispatch::ports::Claimed;
use serde_json::{Map, Value};

/// The template context for `message`, with its tracked link if any.
pub fn template_context(message: &Claimed, link: Option<&str>) -> Value {
    let mut map = Map::new();
    map.insert("phone".into(), Value::String(message.phone.clone()));
    if let Some(c) = &message.contact {
        let mut put = |key: &str, value: &Option<String>| {
            if let Some(v) = value {
                map.insert(key.into(), Value::String(v.clone()));
            }
        };
        put("first_name", &c.given_name);
        put("last_name", &c.family_name);
        put("zip", &c.zip);
        put("state", &c.state);
        put("county", &c.county);
        map.insert(
            "issues".into(),
            Value::Array(c.issues.iter().cloned().map(Value::String).collect()),
        );
        for (kind, name) in &c.regions {
            // A region kind never shadows a contact field of the same name.
            map.entry(kind.clone())
                .or_insert_with(|| Value::String(name.clone()));
        }
        map.insert("attr".into(), c.attrs.clone());
    }
    if let Some(link) = link {
        map.insert("link".into(), Value::String(link.to_owned()));
    }
    Value::Object(map)
}

#[cfg(test)]
mod tests {
    use super::*;
    use canvass_dispatch::ports::ContactFields;
    use canvass_types::{MessageId, TenantId};

    #[test]
    fn contact_fields_regions_and_link_are_visible() {
        let message = Claimed {
            id: MessageId(7),
            tenant: TenantId::DEFAULT,
            campaign: None,
            phone: "+12155550100".into(),
            variant: "default".into(),
            channel: None,
            sender: None,
            attempts: 1,
            expires_at: None,
            opted_out: false,
            contact: Some(ContactFields {
                given_name: Some("Ana".into()),
                state: Some("PA".into()),
                issues: vec!["healthcare".into()],
                regions: vec![
                    ("district".into(), "PA-03".into()),
                    ("state".into(), "shadow".into()),
                ],
                attrs: serde_json::json!({"age": 34}),
                ..ContactFields::default()
            }),
        };
        let ctx = template_context(&message, Some("https://c.example/r/abc"));
        assert_eq!(ctx["first_name"], "Ana");
        assert_eq!(ctx["district"], "PA-03");
        assert_eq!(
            ctx["state"], "PA",
            "a region kind must not shadow a contact field"
        );
        assert_eq!(ctx["attr"]["age"], 34);
        assert_eq!(ctx["link"], "https://c.example/r/abc");
        assert_eq!(ctx["issues"][0], "healthcare");
        assert!(ctx.get("last_name").is_none());
    }
}
