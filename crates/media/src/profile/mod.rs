//! Carrier profiles: what a destination accepts (types, picture dimensions, bytes per message, video limits), and
//! how a handset's own reported capabilities tighten them.
//!
//! The profiles live in the database (seeded with [`defaults`], whose figures and sources `docs/carriers.md`
//! documents) so operators can edit them; this module owns their shape and their validation.
//!
//! Dimension limits are boxes that apply in either orientation: a 640×480 limit admits a 480×640 portrait picture.
//! Carriers and aggregators publish one pair of numbers and handsets rotate what they show, so reading the pair
//! as "long side × short side" is what keeps portrait campaign art from being shrunk for no reason.

pub mod defaults;
pub mod uaprof;

use serde::{Deserialize, Serialize};

use crate::{Error, Result};

/// The limits one destination imposes on a message.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CarrierProfile {
    /// Stable name, e.g. `att-long-code` or `generic-600k`.
    pub name: String,
    /// One line for people: which carrier and sender type, and where the figures come from.
    #[serde(default)]
    pub description: String,
    /// MIME types the destination accepts, lower case (`image/jpeg`, `video/mp4`, `text/vcard`, …).
    pub accepted_types: Vec<String>,
    /// Largest whole message in bytes (all parts, SMIL and text included).
    pub max_message_bytes: u64,
    /// Largest picture width in pixels (the box applies in either orientation: see the module docs).
    pub max_image_width: u32,
    /// Largest picture height in pixels (the box applies in either orientation).
    pub max_image_height: u32,
    /// Video limits; `None` when the destination takes no video.
    #[serde(default)]
    pub video: Option<VideoLimits>,
}

/// What a destination accepts as video.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VideoLimits {
    /// Container and codecs.
    pub format: VideoFormat,
    /// Largest frame width in pixels (the box applies in either orientation).
    pub max_width: u32,
    /// Largest frame height in pixels (the box applies in either orientation).
    pub max_height: u32,
    /// Highest frame rate.
    pub max_fps: u32,
    /// Longest duration in seconds.
    pub max_duration_s: u32,
}

/// Container and codec pair for video output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum VideoFormat {
    /// MP4, H.264 Constrained Baseline, AAC-LC.
    Mp4H264Baseline,
    /// MP4, H.264 Main, AAC-LC.
    Mp4H264Main,
    /// 3GP, H.263 (sizes 128×96, 176×144, 352×288), AAC-LC: for legacy handsets.
    ThreeGpH263,
}

impl VideoFormat {
    /// The MIME type of files in this format.
    pub fn mime(self) -> &'static str {
        match self {
            VideoFormat::Mp4H264Baseline | VideoFormat::Mp4H264Main => "video/mp4",
            VideoFormat::ThreeGpH263 => "video/3gpp",
        }
    }
}

/// What a handset reported about itself (MM7 UACapabilities, or a UAProf document). Every field is optional:
/// a handset tightens only the limits it states.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct HandsetCapabilities {
    /// Largest message it accepts, in bytes (UAProf `MmsMaxMessageSize`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_message_bytes: Option<u64>,
    /// Largest picture it displays, `(width, height)` (UAProf `MmsMaxImageResolution`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_image: Option<(u32, u32)>,
    /// Content types it accepts (UAProf `MmsCcppAccept`), lower case; `None` when not stated. Entries may be
    /// wildcards (`image/*`); a handset that states `*/*` is recorded as `None`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub accepted_types: Option<Vec<String>>,
}

impl HandsetCapabilities {
    /// Whether the handset stated nothing at all (there is nothing worth remembering).
    pub fn is_empty(&self) -> bool {
        self.max_message_bytes.is_none()
            && self.max_image.is_none()
            && self.accepted_types.is_none()
    }
}

/// A dimension box as (long side, short side), so boxes compare whatever their orientation.
fn long_short(width: u32, height: u32) -> (u32, u32) {
    (width.max(height), width.min(height))
}

/// The tighter of two boxes, side by side after putting each in (long, short) order.
fn tighter_box(a: (u32, u32), b: (u32, u32)) -> (u32, u32) {
    let (a_long, a_short) = long_short(a.0, a.1);
    let (b_long, b_short) = long_short(b.0, b.1);
    (a_long.min(b_long), a_short.min(b_short))
}

/// Whether `width`×`height` fits the box `limit` in either orientation.
pub fn fits_box(width: u32, height: u32, limit: (u32, u32)) -> bool {
    let (long, short) = long_short(width, height);
    let (limit_long, limit_short) = long_short(limit.0, limit.1);
    long <= limit_long && short <= limit_short
}

/// The largest size with the aspect ratio of `width`×`height` that fits the box `limit` in either orientation,
/// never enlarged and never below 1×1. Rounds down, so the result always fits.
pub fn fit_within(width: u32, height: u32, limit: (u32, u32)) -> (u32, u32) {
    if width == 0 || height == 0 || fits_box(width, height, limit) {
        return (width, height);
    }
    let (long, short) = (u64::from(width.max(height)), u64::from(width.min(height)));
    let (limit_long, limit_short) = long_short(limit.0, limit.1);
    let (limit_long, limit_short) = (u64::from(limit_long), u64::from(limit_short));
    // Whichever side binds first sets the scale; integer arithmetic rounds the other side down, so it still fits.
    let (new_long, new_short) = if limit_long * short <= limit_short * long {
        (limit_long, (short * limit_long / long).max(1))
    } else {
        ((long * limit_short / short).max(1), limit_short)
    };
    let (new_long, new_short) = (new_long as u32, new_short as u32);
    if width >= height {
        (new_long, new_short)
    } else {
        (new_short, new_long)
    }
}

/// The types both lists accept: a carrier type the handset covers is kept as it is, and where the carrier states a
/// wildcard (`image/*`) the handset's narrower types under it are taken instead.
fn intersect_types(carrier: &[String], handset: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for carrier_type in carrier {
        if handset.iter().any(|h| mime_matches(h, carrier_type)) {
            out.push(carrier_type.clone());
        } else {
            out.extend(
                handset
                    .iter()
                    .filter(|h| mime_matches(carrier_type, h))
                    .map(|h| h.to_ascii_lowercase()),
            );
        }
    }
    let mut seen = std::collections::HashSet::new();
    out.retain(|t| seen.insert(t.clone()));
    out
}

/// Whether a MIME type matches a pattern that may be a wildcard (`image/*`, `*/*`); case-insensitive, parameters
/// ignored.
pub fn mime_matches(pattern: &str, mime: &str) -> bool {
    let bare = |s: &str| {
        s.split(';')
            .next()
            .unwrap_or_default()
            .trim()
            .to_ascii_lowercase()
    };
    let (pattern, mime) = (bare(pattern), bare(mime));
    match pattern.split_once('/') {
        Some(("*", "*")) => true,
        Some((top, "*")) => mime
            .split_once('/')
            .is_some_and(|(mime_top, _)| mime_top == top),
        _ => pattern == mime,
    }
}

impl CarrierProfile {
    /// Checks the profile for values no adapter could honour. Returns every problem, one per line.
    pub fn validate(&self) -> Result<()> {
        let mut problems = Vec::new();
        if self.name.trim().is_empty() {
            problems.push("name is empty".to_owned());
        }
        if self.accepted_types.is_empty() {
            problems.push("accepted_types is empty".to_owned());
        }
        for mime in &self.accepted_types {
            let well_formed = mime
                .split_once('/')
                .is_some_and(|(top, sub)| !top.is_empty() && !sub.is_empty());
            if !well_formed || mime.trim() != mime || mime.to_ascii_lowercase() != *mime {
                problems.push(format!(
                    "accepted type {mime:?} is not a lower-case type/subtype"
                ));
            }
        }
        if self.max_message_bytes < 1024 {
            problems.push(format!(
                "max_message_bytes {} is below 1 KB",
                self.max_message_bytes
            ));
        }
        if self.max_image_width < 16 || self.max_image_height < 16 {
            problems.push("max image dimensions are below 16 pixels".to_owned());
        }
        if let Some(video) = &self.video {
            if video.max_width < 16
                || video.max_height < 16
                || video.max_fps == 0
                || video.max_duration_s == 0
            {
                problems.push(
                    "video limits must all be positive (sizes at least 16 pixels)".to_owned(),
                );
            }
            if !self.accepts(video.format.mime()) {
                problems.push(format!(
                    "video format needs {} in accepted_types",
                    video.format.mime()
                ));
            }
        }
        if problems.is_empty() {
            Ok(())
        } else {
            Err(Error::Profile {
                name: self.name.clone(),
                reason: problems.join("; "),
            })
        }
    }

    /// Whether the destination accepts this MIME type (case-insensitive; parameters ignored).
    pub fn accepts(&self, mime: &str) -> bool {
        self.accepted_types.iter().any(|t| mime_matches(t, mime))
    }

    /// The picture box as (width, height); it applies in either orientation.
    pub fn image_box(&self) -> (u32, u32) {
        (self.max_image_width, self.max_image_height)
    }

    /// The profile narrowed to the tighter of its own and the handset's limits. Boxes are compared long side to
    /// long side, so a handset that reports a portrait screen does not halve a landscape limit.
    pub fn tightened(&self, handset: &HandsetCapabilities) -> CarrierProfile {
        let mut out = self.clone();
        if let Some(max) = handset.max_message_bytes {
            out.max_message_bytes = out.max_message_bytes.min(max);
        }
        if let Some(handset_box) = handset.max_image {
            (out.max_image_width, out.max_image_height) =
                tighter_box(self.image_box(), handset_box);
            if let Some(video) = &mut out.video {
                (video.max_width, video.max_height) =
                    tighter_box((video.max_width, video.max_height), handset_box);
            }
        }
        if let Some(types) = &handset.accepted_types {
            out.accepted_types = intersect_types(&self.accepted_types, types);
            if let Some(video) = &out.video
                && !out.accepts(video.format.mime())
            {
                out.video = None;
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> CarrierProfile {
        CarrierProfile {
            name: "sample".into(),
            description: String::new(),
            accepted_types: vec!["image/jpeg".into(), "image/gif".into(), "video/mp4".into()],
            max_message_bytes: 600 * 1024,
            max_image_width: 1280,
            max_image_height: 1280,
            video: Some(VideoLimits {
                format: VideoFormat::Mp4H264Baseline,
                max_width: 640,
                max_height: 480,
                max_fps: 30,
                max_duration_s: 60,
            }),
        }
    }

    #[test]
    fn handset_limits_tighten_but_never_loosen() {
        let handset = HandsetCapabilities {
            max_message_bytes: Some(300 * 1024),
            max_image: Some((2000, 480)),
            accepted_types: Some(vec!["IMAGE/JPEG".into(), "text/plain".into()]),
        };
        let tight = sample().tightened(&handset);
        assert_eq!(tight.max_message_bytes, 300 * 1024);
        assert_eq!((tight.max_image_width, tight.max_image_height), (1280, 480));
        assert_eq!(tight.accepted_types, vec!["image/jpeg".to_owned()]);
        assert!(
            tight.video.is_none(),
            "video dropped when the handset takes no video/mp4"
        );
    }

    #[test]
    fn validate_reports_every_problem() {
        let mut bad = sample();
        bad.accepted_types.clear();
        bad.max_message_bytes = 10;
        let Err(Error::Profile { reason, .. }) = bad.validate() else {
            panic!("expected a profile error")
        };
        assert!(
            reason.contains("accepted_types") && reason.contains("max_message_bytes"),
            "{reason}"
        );
    }

    #[test]
    fn accepts_ignores_case_and_parameters() {
        assert!(sample().accepts("Image/JPEG; name=a.jpg"));
        assert!(!sample().accepts("image/png"));
    }

    #[test]
    fn boxes_compare_whatever_their_orientation() {
        let mut carrier = sample();
        (carrier.max_image_width, carrier.max_image_height) = (640, 480);
        let portrait_handset = HandsetCapabilities {
            max_image: Some((480, 640)),
            ..Default::default()
        };
        let tight = carrier.tightened(&portrait_handset);
        assert_eq!(
            tight.image_box(),
            (640, 480),
            "a portrait screen must not halve a landscape limit"
        );
        let video = tight.video.expect("video kept");
        assert_eq!((video.max_width, video.max_height), (640, 480));

        let small_handset = HandsetCapabilities {
            max_image: Some((176, 208)),
            ..Default::default()
        };
        let tight = carrier.tightened(&small_handset);
        assert_eq!(tight.image_box(), (208, 176));
        assert!(fits_box(176, 208, tight.image_box()) && fits_box(208, 176, tight.image_box()));
        assert!(!fits_box(209, 100, tight.image_box()));
    }

    #[test]
    fn handset_wildcards_narrow_and_carrier_wildcards_take_the_handset_types() {
        let handset = HandsetCapabilities {
            accepted_types: Some(vec!["image/*".into(), "video/3gpp".into()]),
            ..Default::default()
        };
        let tight = sample().tightened(&handset);
        assert_eq!(
            tight.accepted_types,
            vec!["image/jpeg".to_owned(), "image/gif".to_owned()]
        );

        let mut open_carrier = sample();
        open_carrier.accepted_types = vec!["image/*".into(), "video/mp4".into()];
        let handset = HandsetCapabilities {
            accepted_types: Some(vec![
                "image/jpeg".into(),
                "image/png".into(),
                "audio/amr".into(),
            ]),
            ..Default::default()
        };
        let tight = open_carrier.tightened(&handset);
        assert_eq!(
            tight.accepted_types,
            vec!["image/jpeg".to_owned(), "image/png".to_owned()]
        );
        assert!(tight.video.is_none());
    }

    #[test]
    fn fit_within_keeps_the_aspect_ratio_and_never_enlarges() {
        assert_eq!(fit_within(4000, 3000, (640, 480)), (640, 480));
        assert_eq!(fit_within(3000, 4000, (640, 480)), (480, 640));
        assert_eq!(fit_within(1920, 1080, (640, 480)), (640, 360));
        assert_eq!(fit_within(300, 200, (640, 480)), (300, 200));
        assert_eq!(fit_within(10_000, 1, (640, 480)), (640, 1));
        let (w, h) = fit_within(1001, 999, (640, 480));
        assert!(fits_box(w, h, (640, 480)), "{w}x{h}");
    }

    #[test]
    fn mime_patterns() {
        assert!(mime_matches("image/*", "IMAGE/PNG"));
        assert!(mime_matches("*/*", "video/mp4"));
        assert!(!mime_matches("image/*", "video/mp4"));
        assert!(!mime_matches("image/jpeg", "image/*"));
    }

    #[test]
    fn validate_wants_the_video_type_accepted_and_types_lower_case() {
        let mut bad = sample();
        bad.accepted_types = vec!["Image/JPEG".into(), "jpeg".into()];
        let Err(Error::Profile { reason, .. }) = bad.validate() else {
            panic!("expected a profile error")
        };
        assert!(
            reason.contains("\"Image/JPEG\"") && reason.contains("\"jpeg\""),
            "{reason}"
        );
        assert!(reason.contains("video format needs video/mp4"), "{reason}");
    }
}
