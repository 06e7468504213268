//! Video adaptation through the ffmpeg program: any common input (MP4, MOV, WebM, AVI, MKV, GIF, …) to what a
//! carrier profile accepts — MP4 with H.264 (Baseline or Main, level from size and rate) and AAC, or 3GP with
//! H.263 and AAC for legacy handsets — inside a byte budget.
//!
//! The budget is met by a two-pass average bitrate computed from the duration, the audio bitrate and the
//! container's overhead, retried smaller when the result is still over; never by `-fs`, which truncates the clip.
//! Every output is checked with ffprobe before it is returned. Templates (a personalised intro stitched to a body
//! encoded once) are in [`template`].

mod adapt;
mod plan;
pub mod template;
mod template_cache;
mod template_render;
mod template_text;
mod verify;

pub(crate) use adapt::workdir;
pub use adapt::{adapt, adapt_with};

use serde::Serialize;

use crate::profile::{CarrierProfile, VideoFormat};
use crate::{Error, Result};

/// Bytes of a message left for the SMIL, the text part and the MMS headers when the budget comes from the
/// profile's message size.
pub const MESSAGE_ALLOWANCE_BYTES: u64 = 6 * 1024;

/// What an adapted video must be: format, limits and byte budget.
#[derive(Debug, Clone, PartialEq)]
pub struct VideoTarget {
    /// Container and codecs.
    pub format: VideoFormat,
    /// Largest frame width in pixels.
    pub max_width: u32,
    /// Largest frame height in pixels.
    pub max_height: u32,
    /// Highest frame rate.
    pub max_fps: u32,
    /// Longest input accepted, in seconds: longer inputs are refused before any encoding.
    pub max_duration_s: u32,
    /// Largest output file in bytes.
    pub budget_bytes: u64,
    /// The x264 preset (`ultrafast` … `veryslow`); speed against size. Ignored for H.263.
    pub preset: &'static str,
}

impl VideoTarget {
    /// The target a profile implies. `budget_bytes` defaults to the profile's message size less
    /// [`MESSAGE_ALLOWANCE_BYTES`]; a given budget is capped by the message size.
    pub fn from_profile(profile: &CarrierProfile, budget_bytes: Option<u64>) -> Result<Self> {
        let limits = profile.video.as_ref().ok_or_else(|| Error::Profile {
            name: profile.name.clone(),
            reason: "the profile takes no video".into(),
        })?;
        let default_budget = profile
            .max_message_bytes
            .saturating_sub(MESSAGE_ALLOWANCE_BYTES);
        Ok(VideoTarget {
            format: limits.format,
            max_width: limits.max_width,
            max_height: limits.max_height,
            max_fps: limits.max_fps,
            max_duration_s: limits.max_duration_s,
            budget_bytes: budget_bytes.map_or(default_budget, |b| b.min(profile.max_message_bytes)),
            preset: "fast",
        })
    }
}

/// Facts about an output file, as ffprobe verified them.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct VideoFacts {
    /// MIME type (`video/mp4`, `video/3gpp`).
    pub mime: &'static str,
    /// File size in bytes.
    pub bytes: u64,
    /// Frame width in pixels.
    pub width: u32,
    /// Frame height in pixels.
    pub height: u32,
    /// Frames per second.
    pub fps: u32,
    /// Duration in seconds.
    pub duration_s: f64,
    /// Average bitrate of the whole file, bits per second.
    pub bitrate_bps: u64,
    /// Video codec and profile as ffprobe names them (`h264 Constrained Baseline`, `h263`).
    pub video_codec: String,
    /// Audio codec (`aac`), `None` when the output has no sound.
    pub audio_codec: Option<String>,
    /// Video frames in the file (counted packets).
    pub frames: u64,
}

/// An adapted video: the file's bytes, its verified facts, and what was done to get there.
#[derive(Debug, Clone)]
pub struct Adapted {
    /// The output file.
    pub bytes: Vec<u8>,
    /// What ffprobe verified about it.
    pub facts: VideoFacts,
    /// The steps taken, for people (`probe: …`, `encode 1: 2-pass 212 kbit/s → 598,112 bytes`, …).
    pub steps: Vec<String>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::profile::VideoLimits;

    fn profile(video: Option<VideoLimits>) -> CarrierProfile {
        CarrierProfile {
            name: "p".into(),
            description: String::new(),
            accepted_types: vec!["video/mp4".into()],
            max_message_bytes: 600 * 1024,
            max_image_width: 640,
            max_image_height: 480,
            video,
        }
    }

    #[test]
    fn target_budget_leaves_room_for_the_rest_of_the_message_and_never_exceeds_it() {
        let limits = VideoLimits {
            format: VideoFormat::Mp4H264Baseline,
            max_width: 640,
            max_height: 480,
            max_fps: 30,
            max_duration_s: 60,
        };
        let with_video = profile(Some(limits));
        let target = VideoTarget::from_profile(&with_video, None).unwrap();
        assert_eq!(target.budget_bytes, 600 * 1024 - MESSAGE_ALLOWANCE_BYTES);
        assert_eq!((target.max_width, target.max_duration_s), (640, 60));
        let capped = VideoTarget::from_profile(&with_video, Some(10_000_000)).unwrap();
        assert_eq!(capped.budget_bytes, 600 * 1024);
        assert!(matches!(
            VideoTarget::from_profile(&profile(None), None),
            Err(Error::Profile { .. })
        ));
    }
}
