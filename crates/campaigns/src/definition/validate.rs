//! Checking a definition against the tenant's schema, collecting every problem rather than stopping at the first:
//! an author fixing a file wants the whole list.

use super::compiled::{Compiled, CompiledVariant, Expiry};
use super::{CampaignDefinition, Media, Problem, RcsCard, Variant};
use crate::compliance::{SendWindow, window_on};
use crate::ports::{CompiledRule, FrequencyCap};
use crate::text::MessageTemplate;
use canvass_audience::phone::parse_phone;
use canvass_audience::segment::{Schema, SegmentError, compile};
use canvass_types::{Channel, Msisdn};
use jiff::civil::Time;
use jiff::{SignedDuration, Span, SpanRelativeTo, Timestamp};
use std::collections::{BTreeMap, BTreeSet};

const DAY_MS: i64 = 86_400_000;

/// RBM limits on rich cards: longer fields are refused by the platform.
const CARD_TITLE_MAX: usize = 200;
const CARD_DESCRIPTION_MAX: usize = 2000;
const CARD_REPLIES_MAX: usize = 11;
const CARD_REPLY_MAX: usize = 25;

/// Collects problems; each check records what it found and yields what it could compile.
#[derive(Default)]
struct Problems(Vec<Problem>);

impl Problems {
    fn add(&mut self, path: impl Into<String>, message: impl Into<String>) {
        self.0.push(Problem {
            path: path.into(),
            message: message.into(),
        });
    }

    fn ok<T, E: std::fmt::Display>(&mut self, path: &str, result: Result<T, E>) -> Option<T> {
        result.map_err(|e| self.add(path, e.to_string())).ok()
    }
}

fn segment_message(e: SegmentError) -> String {
    format!("{}:{}: {}", e.line, e.column, e.message)
}

impl CampaignDefinition {
    /// Every problem with the definition; empty when it compiles.
    pub fn validate(&self, schema: &Schema) -> Vec<Problem> {
        self.compile(schema).err().unwrap_or_default()
    }

    /// Checks everything against `schema` (the tenant's region kinds and ZIP centroids) and compiles it; on failure,
    /// every problem found.
    pub fn compile(&self, schema: &Schema) -> Result<Compiled, Vec<Problem>> {
        let mut p = Problems::default();
        let segment = match self.segment.as_deref().map(str::trim) {
            None => None,
            Some("") => {
                p.add("segment", "is empty; leave it out to reach every contact");
                None
            }
            Some(src) => p.ok("segment", compile(src, schema).map_err(segment_message)),
        };
        let variants = compile_variants(&self.variants, &mut p);
        let names: BTreeSet<&str> = self.variants.iter().map(|v| v.name.as_str()).collect();
        let mut rules = Vec::new();
        for (i, rule) in self.rules.iter().enumerate() {
            if !names.contains(rule.variant.as_str()) {
                p.add(
                    format!("rules[{i}].variant"),
                    format!("no variant is called {:?}", rule.variant),
                );
            }
            let path = format!("rules[{i}].when");
            if let Some(when) = p.ok(&path, compile(&rule.when, schema).map_err(segment_message)) {
                rules.push(CompiledRule {
                    when,
                    variant: rule.variant.clone(),
                });
            }
        }
        let default_variant = match (&self.default_variant, self.variants.first()) {
            (Some(name), _) if !names.contains(name.as_str()) => {
                p.add("default_variant", format!("no variant is called {name:?}"));
                String::new()
            }
            (Some(name), _) => name.clone(),
            (None, Some(first)) => first.name.clone(),
            (None, None) => String::new(),
        };
        check_channels(&self.channels, &mut p);
        let senders = check_senders(&self.sender.numbers(), &mut p);
        let start_at = self
            .schedule
            .start
            .as_deref()
            .and_then(|s| instant(s, "schedule.start", &mut p));
        let window = self.schedule.window.as_ref().and_then(|w| {
            let start = p.ok("schedule.window.start", time_of_day(&w.start));
            let end = p.ok("schedule.window.end", time_of_day(&w.end));
            let (start, end) = (start?, end?);
            check_window(SendWindow { start, end }, &mut p)
        });
        let pace = self.pace.filter(|&pace| {
            let fine = pace.is_finite() && pace > 0.0;
            if !fine {
                p.add(
                    "pace",
                    format!("{pace} is not a positive number of messages per second"),
                );
            }
            fine
        });
        let frequency_cap = self.frequency_cap.and_then(|cap| {
            if cap.max == 0 || cap.within_days == 0 {
                p.add(
                    "frequency_cap",
                    "max and within_days must both be at least 1",
                );
                return None;
            }
            Some(FrequencyCap {
                max: cap.max,
                within_ms: i64::from(cap.within_days) * DAY_MS,
            })
        });
        let expiry = match (&self.expire_after, &self.expire_at) {
            (Some(_), Some(_)) => {
                p.add("expire_at", "give expire_after or expire_at, not both");
                None
            }
            (Some(after), None) => p.ok("expire_after", duration_ms(after)).map(Expiry::After),
            (None, Some(at)) => instant(at, "expire_at", &mut p).map(Expiry::At),
            (None, None) => None,
        };
        if let (Some(start), Some(Expiry::At(at))) = (start_at, expiry)
            && at <= start
        {
            p.add("expire_at", "is not after schedule.start");
        }
        let tags = check_tags(&self.tags, &mut p);
        if let Some(link) = &self.link
            && let Err(why) = check_link(link)
        {
            p.add("link", why);
        }
        let proof = check_proof(&self.proof, &mut p);
        if !p.0.is_empty() {
            return Err(p.0);
        }
        Ok(Compiled {
            segment,
            rules,
            default_variant,
            variants,
            channels: self.channels.clone(),
            senders,
            start_at,
            window,
            pace,
            frequency_cap,
            expiry,
            tags,
            link: self.link.clone(),
            proof,
        })
    }
}

fn compile_variants(variants: &[Variant], p: &mut Problems) -> Vec<CompiledVariant> {
    if variants.is_empty() {
        p.add("variants", "a campaign needs at least one variant");
    }
    let mut seen = BTreeSet::new();
    let mut compiled = Vec::new();
    for (i, v) in variants.iter().enumerate() {
        let at = |field: &str| format!("variants[{i}].{field}");
        if v.name.is_empty()
            || !v
                .name
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
        {
            p.add(
                at("name"),
                format!("{:?}: use letters, digits, '_' and '-'", v.name),
            );
        } else if !seen.insert(v.name.as_str()) {
            p.add(
                at("name"),
                format!("{:?} is used by an earlier variant", v.name),
            );
        }
        if v.text.trim().is_empty() {
            p.add(at("text"), "is empty");
        }
        let text = p.ok(&at("text"), MessageTemplate::compile(&v.text));
        let subject = v
            .subject
            .as_ref()
            .map(|s| p.ok(&at("subject"), MessageTemplate::compile(s)));
        let mut media_vars = BTreeMap::new();
        match &v.media {
            Some(Media::Picture { path, vars }) => {
                check_path(path, &at("media.path"), p);
                for (name, source) in vars {
                    if let Some(t) = p.ok(
                        &at(&format!("media.vars.{name}")),
                        MessageTemplate::compile(source),
                    ) {
                        media_vars.insert(name.clone(), t);
                    }
                }
            }
            Some(Media::Video { path } | Media::File { path }) => {
                check_path(path, &at("media.path"), p)
            }
            None => {}
        }
        if let Some(card) = &v.card {
            check_card(card, &at("card"), p);
        }
        if let (Some(text), Some(subject)) = (text, subject.map_or(Some(None), |s| s.map(Some))) {
            compiled.push(CompiledVariant {
                name: v.name.clone(),
                text,
                subject,
                media: v.media.clone(),
                media_vars,
                card: v.card.clone(),
            });
        }
    }
    compiled
}

fn check_path(path: &str, at: &str, p: &mut Problems) {
    if path.trim().is_empty() {
        p.add(at, "is empty");
    }
}

fn check_card(card: &RcsCard, at: &str, p: &mut Problems) {
    let too_long =
        |s: &Option<String>, max: usize| s.as_ref().is_some_and(|s| s.chars().count() > max);
    if too_long(&card.title, CARD_TITLE_MAX) {
        p.add(
            format!("{at}.title"),
            format!("RCS titles hold at most {CARD_TITLE_MAX} characters"),
        );
    }
    if too_long(&card.description, CARD_DESCRIPTION_MAX) {
        p.add(
            format!("{at}.description"),
            format!("RCS descriptions hold at most {CARD_DESCRIPTION_MAX} characters"),
        );
    }
    if card.replies.len() > CARD_REPLIES_MAX {
        p.add(
            format!("{at}.replies"),
            format!("RCS allows at most {CARD_REPLIES_MAX} suggested replies"),
        );
    }
    for (i, reply) in card.replies.iter().enumerate() {
        let n = reply.chars().count();
        if n == 0 || n > CARD_REPLY_MAX {
            p.add(
                format!("{at}.replies[{i}]"),
                format!("a suggested reply has 1 to {CARD_REPLY_MAX} characters"),
            );
        }
    }
}

fn check_channels(channels: &[Channel], p: &mut Problems) {
    if channels.is_empty() {
        p.add("channels", "name at least one of rcs, mms, sms");
    }
    let mut seen = BTreeSet::new();
    for (i, c) in channels.iter().enumerate() {
        if !seen.insert(c) {
            p.add(format!("channels[{i}]"), format!("{c} is listed twice"));
        }
    }
}

/// Numbers as E.164 (national US formats accepted) or 5–6 digit short codes.
fn check_senders(numbers: &[&str], p: &mut Problems) -> Vec<String> {
    if numbers.is_empty() {
        p.add("sender", "name at least one number");
    }
    let mut out = Vec::new();
    for (i, raw) in numbers.iter().enumerate() {
        let at = if numbers.len() == 1 {
            "sender".to_owned()
        } else {
            format!("sender[{i}]")
        };
        let short_code = (5..=6).contains(&raw.len()) && raw.bytes().all(|b| b.is_ascii_digit());
        let number = if short_code {
            Some(raw.to_string())
        } else {
            p.ok(&at, parse_phone(raw))
                .map(|parsed| parsed.msisdn.as_str().to_owned())
        };
        if let Some(n) = number {
            if out.contains(&n) {
                p.add(at, format!("{n} is listed twice"));
            } else {
                out.push(n);
            }
        }
    }
    out
}

fn check_proof(numbers: &[String], p: &mut Problems) -> Vec<Msisdn> {
    let mut out: Vec<Msisdn> = Vec::new();
    for (i, raw) in numbers.iter().enumerate() {
        let at = format!("proof[{i}]");
        if let Some(parsed) = p.ok(&at, parse_phone(raw)) {
            if out.contains(&parsed.msisdn) {
                p.add(at, format!("{} is listed twice", parsed.msisdn));
            } else {
                out.push(parsed.msisdn);
            }
        }
    }
    out
}

fn check_tags(tags: &[String], p: &mut Problems) -> Vec<String> {
    let mut seen = BTreeSet::new();
    for (i, tag) in tags.iter().enumerate() {
        if tag.trim().is_empty() {
            p.add(format!("tags[{i}]"), "is empty");
        } else if !seen.insert(tag.as_str()) {
            p.add(format!("tags[{i}]"), format!("{tag:?} is listed twice"));
        }
    }
    tags.to_vec()
}

fn check_link(link: &str) -> Result<(), String> {
    let rest = link
        .strip_prefix("https://")
        .or_else(|| link.strip_prefix("http://"))
        .ok_or("must start with https:// or http://")?;
    if link.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err("must not contain spaces or control characters".into());
    }
    let host = rest.split(['/', '?', '#']).next().unwrap_or_default();
    if host.is_empty() {
        return Err("has no host".into());
    }
    Ok(())
}

fn instant(text: &str, at: &str, p: &mut Problems) -> Option<i64> {
    let parsed = text.parse::<Timestamp>().map_err(|e| {
        format!("{text:?} is not an instant with an offset, like 2026-11-30T14:00:00Z ({e})")
    });
    p.ok(at, parsed).map(|ts| ts.as_millisecond())
}

fn time_of_day(text: &str) -> Result<Time, String> {
    text.parse::<Time>()
        .map_err(|_| format!("{text:?} is not a time of day like 10:00"))
}

fn check_window(window: SendWindow, p: &mut Problems) -> Option<SendWindow> {
    if window.start >= window.end {
        p.add(
            "schedule.window",
            "start must come before end (windows do not run past midnight)",
        );
        return None;
    }
    // Federal hours do not depend on the day; a window disjoint from them would never send.
    let any_day = jiff::civil::date(2026, 1, 7);
    if window_on(any_day, None, Some(window)).is_none() {
        p.add(
            "schedule.window",
            "lies wholly outside the lawful sending hours, so nothing would be sent",
        );
        return None;
    }
    Some(window)
}

/// Milliseconds in a duration like `48h`, `2d` or `1d 12h`; days are 24 hours, months and years are refused.
fn duration_ms(text: &str) -> Result<i64, String> {
    let span: Span = text
        .parse()
        .map_err(|_| format!("{text:?} is not a duration like 48h, 2d or 1d 12h"))?;
    let duration: SignedDuration = span
        .to_duration(SpanRelativeTo::days_are_24_hours())
        .map_err(|_| format!("{text:?}: use hours, days or weeks, not months or years"))?;
    let ms = duration.as_millis();
    if ms <= 0 {
        return Err(format!("{text:?} is not a positive duration"));
    }
    i64::try_from(ms).map_err(|_| format!("{text:?} is too long"))
}
