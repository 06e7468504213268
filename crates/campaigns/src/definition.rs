//! A campaign as its author writes it: a TOML or JSON file naming who gets it (a segment), what they get (variants
//! and the rules that pick one), how (channels, sender numbers) and when (schedule, pace, caps, expiry). The store
//! keeps the JSON form. [`CampaignDefinition::compile`] checks everything at once against the tenant's schema and
//! reports every problem with its path, e.g. `variants[1].text: line 2: …`; `docs/examples/campaign.toml` shows
//! every field.
//!
//! Times are text: instants in RFC 3339 with an offset (`2026-11-30T14:00:00Z`), times of day as `HH:MM`, and
//! durations as `48h`, `2d` or `1d 12h`. TOML's own date-time values are accepted as well and kept as text.

use canvass_types::Channel;
use serde::{Deserialize, Deserializer, Serialize};
use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

mod compiled;
mod validate;

pub use compiled::{Compiled, CompiledVariant, Expiry};

/// A campaign definition, as written.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CampaignDefinition {
    /// Who gets it, in the segment language; absent means every contact.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub segment: Option<String>,
    /// The messages; at least one.
    pub variants: Vec<Variant>,
    /// Picks a variant per recipient: the first rule that holds wins.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rules: Vec<Rule>,
    /// The variant when no rule holds; absent means the first variant.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_variant: Option<String>,
    /// Channels to try, richest first, e.g. `["rcs", "mms", "sms"]`.
    pub channels: Vec<Channel>,
    /// The number, or pool of numbers, the messages come from.
    pub sender: Sender,
    /// When sending may start and the daily hours it may run in.
    #[serde(default, skip_serializing_if = "Schedule::is_unset")]
    pub schedule: Schedule,
    /// At most this many messages per second for the campaign.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pace: Option<f64>,
    /// At most so many messages to one contact within so many days, across campaigns.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub frequency_cap: Option<FrequencyCapDef>,
    /// Messages not sent this long after the campaign becomes due are expired, e.g. `48h`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expire_after: Option<String>,
    /// Messages not sent by this instant are expired.
    #[serde(
        default,
        deserialize_with = "optional_time_text",
        skip_serializing_if = "Option::is_none"
    )]
    pub expire_at: Option<String>,
    /// Labels for reports.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<String>,
    /// The destination behind the tracked link, `http(s)://…`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub link: Option<String>,
    /// Numbers that receive test sends.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub proof: Vec<String>,
}

/// One message version.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Variant {
    /// Its name, used by rules and reports: letters, digits, `_` and `-`.
    pub name: String,
    /// The text, a template (see [`crate::text`]).
    pub text: String,
    /// The MMS subject, a template.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subject: Option<String>,
    /// A picture, video or file sent with the text on MMS and RCS.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub media: Option<Media>,
    /// How the message shows as an RCS rich card.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub card: Option<RcsCard>,
}

/// Media attached to a variant. Paths are read by whoever sends (the CLI resolves them against the definition's
/// folder).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum Media {
    /// A picture template (SVG or raster), personalised with `vars`: name → message template.
    Picture {
        /// The template file.
        path: String,
        /// Values filled per recipient, each a template.
        #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
        vars: BTreeMap<String, String>,
    },
    /// A video, sent as is.
    Video {
        /// The file.
        path: String,
    },
    /// Any other file, sent as is.
    File {
        /// The file.
        path: String,
    },
}

/// RCS rich card fields; the card's media is the variant's.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RcsCard {
    /// Bold title.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// Body under the title.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Suggested replies shown as chips.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub replies: Vec<String>,
}

/// A variant rule: when `when` holds for a recipient, they get `variant`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rule {
    /// A segment-language condition, e.g. `"healthcare" in issues`.
    pub when: String,
    /// The variant's name.
    pub variant: String,
}

/// One sending number, or a pool (see [`crate::sender`]). Written as `"+1215…"` or `["+1215…", "+1614…"]`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(
    untagged,
    expecting = "a phone number or short code, or a list of them"
)]
pub enum Sender {
    /// One number.
    One(String),
    /// A pool.
    Pool(Vec<String>),
}

impl Sender {
    /// The numbers as written.
    pub fn numbers(&self) -> Vec<&str> {
        match self {
            Sender::One(n) => vec![n.as_str()],
            Sender::Pool(ns) => ns.iter().map(String::as_str).collect(),
        }
    }
}

/// When the campaign may send.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Schedule {
    /// Not before this instant; absent means at launch.
    #[serde(
        default,
        deserialize_with = "optional_time_text",
        skip_serializing_if = "Option::is_none"
    )]
    pub start: Option<String>,
    /// Daily hours in each recipient's own time, narrowed further by the law (see [`crate::compliance`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub window: Option<WindowDef>,
}

impl Schedule {
    fn is_unset(&self) -> bool {
        self == &Schedule::default()
    }
}

/// A daily window `[start, end)`, local to the recipient.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WindowDef {
    /// First allowed time, `HH:MM`.
    #[serde(deserialize_with = "time_text")]
    pub start: String,
    /// First time no longer allowed, `HH:MM`.
    #[serde(deserialize_with = "time_text")]
    pub end: String,
}

/// A frequency cap as written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FrequencyCapDef {
    /// Messages allowed.
    pub max: u32,
    /// In this many days.
    pub within_days: u32,
}

/// A text that TOML may also write as a bare date-time; either way it is kept as text.
#[derive(Deserialize)]
#[serde(untagged, expecting = "a date-time or time as text")]
enum TimeText {
    Text(String),
    Toml(toml::value::Datetime),
}

fn time_text<'de, D: Deserializer<'de>>(deserializer: D) -> Result<String, D::Error> {
    Ok(match TimeText::deserialize(deserializer)? {
        TimeText::Text(text) => text,
        TimeText::Toml(datetime) => datetime.to_string(),
    })
}

fn optional_time_text<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<String>, D::Error> {
    time_text(deserializer).map(Some)
}

/// One thing wrong with a definition, and where.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Problem {
    /// Where, e.g. `rules[0].when`.
    pub path: String,
    /// What, e.g. `1:12: unknown field "stat"`.
    pub message: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.path, self.message)
    }
}

/// Why a definition could not be read at all.
#[derive(Debug, thiserror::Error)]
pub enum DefinitionError {
    /// Not valid TOML for a definition; the message says where.
    #[error("TOML: {0}")]
    Toml(String),
    /// Not valid JSON for a definition; the message says where.
    #[error("JSON: {0}")]
    Json(String),
    /// The file could not be read.
    #[error("reading {path}: {source}")]
    Read {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// The file's extension is neither `.toml` nor `.json`.
    #[error("{0}: campaign files end in .toml or .json")]
    Extension(PathBuf),
}

impl CampaignDefinition {
    /// Reads a TOML definition.
    pub fn from_toml_str(text: &str) -> Result<Self, DefinitionError> {
        toml::from_str(text).map_err(|e| DefinitionError::Toml(e.to_string()))
    }

    /// Reads a JSON definition (as the store keeps it).
    pub fn from_json_str(text: &str) -> Result<Self, DefinitionError> {
        serde_json::from_str(text).map_err(|e| DefinitionError::Json(e.to_string()))
    }

    /// Reads a `.toml` or `.json` file.
    pub fn from_path(path: &Path) -> Result<Self, DefinitionError> {
        let extension = path
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase);
        let parse = match extension.as_deref() {
            Some("toml") => Self::from_toml_str,
            Some("json") => Self::from_json_str,
            _ => return Err(DefinitionError::Extension(path.to_owned())),
        };
        let text = std::fs::read_to_string(path).map_err(|source| DefinitionError::Read {
            path: path.to_owned(),
            source,
        })?;
        parse(&text)
    }

    /// The JSON the store keeps.
    pub fn to_json(&self) -> String {
        // Every field is a string, number, list or string-keyed map: serialising cannot fail.
        serde_json::to_string(self).unwrap_or_else(|e| unreachable!("definition to JSON: {e}"))
    }
}
