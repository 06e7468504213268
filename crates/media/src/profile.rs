//! Carrier profiles: what a destination accepts (types, picture dimensions, bytes per message, video limits), and
//! how a handset's own reported capabilities tighten them.
//!
//! The profiles live in the database (seeded with the defaults that `docs/carriers.md` documents) so operators can edit them; this module owns their
//! shape and their validation. Figures and sources for the defaults: `docs/carriers.md`.

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
    /// Largest picture width in pixels.
    pub max_image_width: u32,
    /// Largest picture height in pixels.
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
    /// Largest frame width in pixels.
    pub max_width: u32,
    /// Largest frame height in pixels.
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
    /// Content types it accepts (UAProf `MmsCcppAccept`); `None` when not stated.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub accepted_types: Option<Vec<String>>,
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
        let bare = mime.split(';').next().unwrap_or_default().trim();
        self.accepted_types
            .iter()
            .any(|t| t.eq_ignore_ascii_case(bare))
    }

    /// The profile narrowed to the tighter of its own and the handset's limits.
    pub fn tightened(&self, handset: &HandsetCapabilities) -> CarrierProfile {
        let mut out = self.clone();
        if let Some(max) = handset.max_message_bytes {
            out.max_message_bytes = out.max_message_bytes.min(max);
        }
        if let Some((w, h)) = handset.max_image {
            out.max_image_width = out.max_image_width.min(w);
            out.max_image_height = out.max_image_height.min(h);
            if let Some(video) = &mut out.video {
                video.max_width = video.max_width.min(w);
                video.max_height = video.max_height.min(h);
            }
        }
        if let Some(types) = &handset.accepted_types {
            out.accepted_types
                .retain(|t| types.iter().any(|h| h.eq_ignore_ascii_case(t)));
            if let Some(video) = &out.video {
                if !out.accepts(video.format.mime()) {
                    out.video = None;
                }
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
}
