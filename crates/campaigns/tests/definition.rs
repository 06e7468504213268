//! Campaign definitions: the documented example, round trips, every problem reported with its path, and previews.

use canvass_audience::segment::Schema;
use canvass_campaigns::definition::{CampaignDefinition, DefinitionError, Expiry, Media};
use canvass_campaigns::preview::{PreviewError, render_preview};
use canvass_campaigns::sms_cost::Encoding;
use canvass_types::{CampaignId, Channel, TenantId};
use serde_json::json;
use std::path::PathBuf;

fn centroid(zip: &str) -> Option<(f64, f64)> {
    (zip == "43215").then_some((39.96, -83.0))
}

fn schema() -> Schema<'static> {
    Schema {
        region_kinds: vec!["congressional_district".to_owned()],
        zip_centroid: &centroid,
    }
}

fn example_path() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../docs/examples/campaign.toml")
}

const MINIMAL: &str = r#"
channels = ["sms"]
sender = "+12155550100"
[[variants]]
name = "default"
text = "Hi {{ first_name|default('friend') }}, vote Tuesday: {{ link }}"
"#;

fn problems(toml: &str) -> Vec<String> {
    let definition = CampaignDefinition::from_toml_str(toml).expect("parses");
    definition
        .validate(&schema())
        .iter()
        .map(ToString::to_string)
        .collect()
}

#[test]
fn the_documented_example_parses_and_compiles() {
    let definition = CampaignDefinition::from_path(&example_path()).expect("example parses");
    let compiled = definition
        .compile(&schema())
        .unwrap_or_else(|p| panic!("{p:?}"));
    assert_eq!(
        compiled.channels,
        [Channel::Rcs, Channel::Mms, Channel::Sms]
    );
    assert_eq!(compiled.rules.len(), 2);
    assert_eq!(compiled.rules[0].variant, "healthcare");
    assert_eq!(compiled.default_variant, "default");
    assert!(compiled.segment.is_some());
    assert_eq!(compiled.senders.len(), 3);
    assert_eq!(compiled.proof[1].as_str(), "+16145550199");
    let window = compiled.window.expect("window");
    assert_eq!((window.start.hour(), window.end.hour()), (10, 19));
    let cap = compiled.frequency_cap.expect("cap");
    assert_eq!((cap.max, cap.within_ms), (2, 7 * 86_400_000));
    assert_eq!(compiled.expiry, Some(Expiry::After(48 * 3_600_000)));
    assert_eq!(compiled.start_at, Some(1_796_047_200_000));
    assert_eq!(compiled.pace, Some(20.0));
    let healthcare = compiled.variant("healthcare").expect("variant");
    assert!(healthcare.subject.is_some());
    assert!(healthcare.media_vars.contains_key("name"));
    assert!(matches!(
        compiled.variant("pa").and_then(|v| v.media.clone()),
        Some(Media::Video { .. })
    ));
}

#[test]
fn the_stored_json_reads_back_the_same() {
    let definition = CampaignDefinition::from_path(&example_path()).expect("example parses");
    let json = definition.to_json();
    assert_eq!(
        CampaignDefinition::from_json_str(&json).expect("reads back"),
        definition
    );
}

#[test]
fn toml_date_times_may_be_bare() {
    let toml = format!(
        "expire_at = 2026-12-01T02:00:00Z\n{MINIMAL}\n[schedule]\nstart = 2026-11-30T09:00:00-05:00\n"
    );
    let compiled = CampaignDefinition::from_toml_str(&toml)
        .expect("parses")
        .compile(&schema())
        .expect("compiles");
    assert_eq!(compiled.start_at, Some(1_796_047_200_000));
    assert_eq!(compiled.expiry, Some(Expiry::At(1_796_090_400_000)));
    let plan = compiled.expansion_plan(CampaignId(1), TenantId(1), 1_000);
    assert_eq!(plan.due_at, 1_796_047_200_000);
    assert_eq!(plan.expires_at, Some(1_796_090_400_000));
}

#[test]
fn the_plan_is_due_now_once_the_start_has_passed_and_expiry_counts_from_then() {
    let toml = format!("expire_after = \"2d\"\n{MINIMAL}");
    let compiled = CampaignDefinition::from_toml_str(&toml)
        .expect("parses")
        .compile(&schema())
        .expect("compiles");
    let plan = compiled.expansion_plan(CampaignId(3), TenantId(2), 5_000);
    assert_eq!((plan.due_at, plan.now), (5_000, 5_000));
    assert_eq!(plan.expires_at, Some(5_000 + 2 * 86_400_000));
    assert_eq!(plan.default_variant, "default");
    assert!(plan.segment.is_none() && plan.frequency_cap.is_none());
}

#[test]
fn unknown_keys_and_wrong_types_are_refused_with_their_place() {
    let typo = format!("colour = \"red\"\n{MINIMAL}");
    let error = CampaignDefinition::from_toml_str(&typo).expect_err("unknown key");
    assert!(error.to_string().contains("colour"), "{error}");
    let nested = MINIMAL.replace("name = \"default\"", "name = \"default\"\nsubjet = \"x\"");
    let error = CampaignDefinition::from_toml_str(&nested).expect_err("unknown variant key");
    assert!(error.to_string().contains("subjet"), "{error}");
    let error = CampaignDefinition::from_json_str(
        r#"{"variants": [], "channels": ["fax"], "sender": "1"}"#,
    )
    .expect_err("unknown channel");
    assert!(
        matches!(error, DefinitionError::Json(ref m) if m.contains("fax")),
        "{error}"
    );
    let error =
        CampaignDefinition::from_path(&PathBuf::from("campaign.yaml")).expect_err("extension");
    assert!(matches!(error, DefinitionError::Extension(_)), "{error}");
}

#[test]
fn every_problem_is_reported_with_its_path() {
    let toml = r#"
segment = "state = 5"
channels = ["sms", "mms", "sms"]
sender = ["+12155550100", "not a number"]
pace = 0
expire_after = "3 months"
tags = ["gotv", "gotv"]
link = "example.org"
proof = ["12"]
default_variant = "nope"
[schedule]
start = "2026-11-30 14:00"
window = { start = "19:00", end = "10:00" }
[frequency_cap]
max = 0
within_days = 7
[[rules]]
when = 'stat = "PA"'
variant = "pa"
[[variants]]
name = "default"
text = "fine"
[[variants]]
name = "bad name"
text = "Hello\n{{ first_name"
card = { replies = ["this reply is far too long for a chip"] }
"#;
    let found = problems(toml);
    let expected_paths = [
        "segment: 1:",
        "channels[2]: sms is listed twice",
        "sender[1]: ",
        "pace: ",
        "expire_after: ",
        "tags[1]: ",
        "link: must start with https:// or http://",
        "proof[0]: ",
        "default_variant: no variant is called \"nope\"",
        "schedule.start: ",
        "schedule.window: start must come before end",
        "frequency_cap: ",
        "rules[0].when: 1:1: unknown field `stat`",
        "rules[0].variant: no variant is called \"pa\"",
        "variants[1].name: ",
        "variants[1].text: line 2: ",
        "variants[1].card.replies[0]: ",
    ];
    for prefix in expected_paths {
        assert!(
            found.iter().any(|p| p.starts_with(prefix)),
            "no problem starting {prefix:?} in {found:#?}"
        );
    }
    assert_eq!(found.len(), expected_paths.len(), "{found:#?}");
}

#[test]
fn a_window_outside_the_law_and_conflicting_expiries_are_refused() {
    let toml = format!(
        "expire_after = \"1h\"\nexpire_at = \"2026-12-01T00:00:00Z\"\n{MINIMAL}\n[schedule]\nwindow = {{ start = \"22:00\", end = \"23:30\" }}\n"
    );
    let found = problems(&toml);
    assert!(
        found
            .iter()
            .any(|p| p.starts_with("schedule.window: lies wholly outside")),
        "{found:?}"
    );
    assert!(
        found
            .iter()
            .any(|p| p.starts_with("expire_at: give expire_after or expire_at")),
        "{found:?}"
    );
    let backwards = format!(
        "expire_at = \"2026-11-01T00:00:00Z\"\n{MINIMAL}\n[schedule]\nstart = \"2026-11-02T00:00:00Z\"\n"
    );
    assert_eq!(
        problems(&backwards),
        ["expire_at: is not after schedule.start"]
    );
    let empty = r#"channels = []
sender = []
variants = []"#;
    let found = problems(empty);
    assert_eq!(found.len(), 3, "{found:?}");
    assert!(found.iter().any(|p| p.starts_with("variants: ")));
    assert!(found.iter().any(|p| p.starts_with("channels: ")));
    assert!(found.iter().any(|p| p.starts_with("sender: ")));
}

#[test]
fn a_short_code_sender_is_accepted() {
    let toml = MINIMAL.replace("\"+12155550100\"", "\"12345\"");
    let compiled = CampaignDefinition::from_toml_str(&toml)
        .expect("parses")
        .compile(&schema())
        .expect("compiles");
    assert_eq!(compiled.senders, ["12345"]);
    assert_eq!(compiled.sender_pool().choose("+12155550199"), Some("12345"));
}

#[test]
fn a_preview_fills_the_text_and_counts_segments() {
    let definition = CampaignDefinition::from_path(&example_path()).expect("example parses");
    let compiled = definition.compile(&schema()).expect("compiles");
    let ada = json!({"first_name": "Ada", "district": "PA-07", "state": "PA"});
    let preview = render_preview(&compiled, "healthcare", &ada).expect("renders");
    assert_eq!(
        preview.text,
        "Ada, care costs are on the ballot in PA-07.\nVote Tuesday: https://example.org/vote"
    );
    assert_eq!(
        preview.subject.as_deref(),
        Some("Healthcare is on the ballot")
    );
    assert_eq!((preview.encoding, preview.segments), (Encoding::Gsm7, 1));
    assert_eq!(preview.chars, preview.text.chars().count());

    let short_link = json!({"first_name": "Zoë 🗳", "link": "https://c.example/t/AbCdEfGhIjKl"});
    let preview = render_preview(&compiled, "default", &short_link).expect("renders");
    assert!(
        preview.text.contains("https://c.example/t/AbCdEfGhIjKl"),
        "{}",
        preview.text
    );
    assert_eq!(preview.encoding, Encoding::Ucs2);
    assert_eq!(preview.segments, 2, "{} chars", preview.chars);

    assert_eq!(
        render_preview(&compiled, "nope", &ada),
        Err(PreviewError::UnknownVariant("nope".to_owned()))
    );
}
