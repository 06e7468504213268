//! One input file, of any supported type, adapted to one carrier profile.
//!
//! Dispatch: pictures go to `picture::adapt`; an animated GIF the profile cannot take as a GIF becomes a video
//! when the profile takes video (a still would lose the point of it); video to `video::adapt`, sound to
//! `audio::adapt`; vCard and iCal files pass unchanged when the profile accepts their type, and are refused
//! otherwise (there is nothing to convert them to).

use std::path::Path;

use canvass_media::ffmpeg::Ffmpeg;
use canvass_media::picture::PictureTarget;
use canvass_media::{CarrierProfile, Error, Result, audio, picture, video};
use serde::Serialize;

use super::sniff::{Sniffed, sniff};

/// An adapted file and the facts a caller reports.
#[derive(Debug, Clone, Serialize)]
pub struct AdaptedFile {
    /// The output's MIME type.
    #[serde(rename = "type")]
    pub mime: String,
    /// The output's size.
    pub bytes: u64,
    /// Width in pixels (pictures and video).
    pub width: Option<u32>,
    /// Height in pixels (pictures and video).
    pub height: Option<u32>,
    /// Duration in seconds (video and sound).
    pub duration_s: Option<f64>,
    /// JPEG quality, when a JPEG was encoded.
    pub quality: Option<u8>,
    /// Average bitrate, bits per second (video and sound).
    pub bitrate_bps: Option<u64>,
    /// Frames (pictures: 1 for a still; video: counted).
    pub frames: Option<u64>,
    /// Codecs as ffprobe names them (video, then sound).
    pub codecs: Vec<String>,
    /// Every step taken, in order.
    pub steps: Vec<String>,
    /// The file itself.
    #[serde(skip)]
    pub content: Vec<u8>,
}

/// Adapts the file at `path` to `profile`, in at most `budget` bytes. Blocking (decoders, ffmpeg): call it from a
/// blocking thread. Every error names the file.
pub fn adapt_file(path: &Path, profile: &CarrierProfile, budget: u64) -> Result<AdaptedFile> {
    let what = path.display().to_string();
    let bytes = std::fs::read(path).map_err(|source| Error::Io {
        path: path.to_owned(),
        source,
    })?;
    // ffmpeg runs in a working folder of its own, so it is given the absolute path.
    let absolute = std::path::absolute(path).map_err(|source| Error::Io {
        path: path.to_owned(),
        source,
    })?;
    let path = absolute.as_path();
    let ff = Ffmpeg::default();
    let kind = sniff(&bytes, path, &ff)?;
    match kind {
        Sniffed::Picture(format) => {
            let target = PictureTarget::from_profile(profile, budget);
            let adapted = picture::adapt(&bytes, &what, &target)?;
            let mut steps = vec![format!("input {}", format.mime())];
            steps.extend(adapted.steps);
            if adapted.animation_lost && profile.video.is_some() {
                let mut video_steps = steps.clone();
                video_steps
                    .push("the animation cannot go as a GIF: made a video instead".to_owned());
                // The still is kept as the fallback: a clip too short or too tight for video still gets sent.
                match from_video(path, profile, budget, video_steps) {
                    Ok(video) => return Ok(video),
                    Err(e) => steps.push(format!("as a video: {e}; the still is sent")),
                }
            }
            Ok(AdaptedFile {
                mime: adapted.mime.to_owned(),
                bytes: adapted.bytes.len() as u64,
                width: Some(adapted.width),
                height: Some(adapted.height),
                duration_s: None,
                quality: adapted.jpeg_quality,
                bitrate_bps: None,
                frames: Some(u64::from(adapted.frames)),
                codecs: Vec::new(),
                steps,
                content: adapted.bytes,
            })
        }
        Sniffed::Video => from_video(path, profile, budget, vec!["input video".to_owned()]),
        Sniffed::Audio => {
            if !profile.accepts("audio/mp4") {
                return Err(Error::Unsupported {
                    what,
                    reason: format!(
                        "profile {} takes no audio/mp4 (AAC), the only sound format the engine writes",
                        profile.name
                    ),
                });
            }
            let target = audio::AudioTarget::from_profile(profile, Some(budget));
            let adapted = audio::adapt(path, &target)?;
            let mut steps = vec!["input sound".to_owned()];
            steps.extend(adapted.steps);
            Ok(AdaptedFile {
                mime: adapted.facts.mime.to_owned(),
                bytes: adapted.facts.bytes,
                width: None,
                height: None,
                duration_s: Some(adapted.facts.duration_s),
                quality: None,
                bitrate_bps: Some(adapted.facts.bitrate_bps),
                frames: None,
                codecs: vec!["aac".to_owned()],
                steps,
                content: adapted.bytes,
            })
        }
        Sniffed::VCard { legacy } => {
            let preferred = if legacy {
                ["text/x-vcard", "text/vcard"]
            } else {
                ["text/vcard", "text/x-vcard"]
            };
            pass_through(&what, bytes, profile, budget, &preferred, "END:VCARD")
        }
        Sniffed::Calendar => pass_through(
            &what,
            bytes,
            profile,
            budget,
            &["text/calendar"],
            "END:VCALENDAR",
        ),
    }
}

/// A video (or an animation that must become one) through `video::adapt`.
fn from_video(
    path: &Path,
    profile: &CarrierProfile,
    budget: u64,
    mut steps: Vec<String>,
) -> Result<AdaptedFile> {
    let target = video::VideoTarget::from_profile(profile, Some(budget)).map_err(|_| {
        Error::Unsupported {
            what: path.display().to_string(),
            reason: format!("profile {} takes no video", profile.name),
        }
    })?;
    let adapted = video::adapt(path, &target)?;
    steps.extend(adapted.steps);
    let facts = adapted.facts;
    let mut codecs = vec![facts.video_codec];
    codecs.extend(facts.audio_codec);
    Ok(AdaptedFile {
        mime: facts.mime.to_owned(),
        bytes: facts.bytes,
        width: Some(facts.width),
        height: Some(facts.height),
        duration_s: Some(facts.duration_s),
        quality: None,
        bitrate_bps: Some(facts.bitrate_bps),
        frames: Some(facts.frames),
        codecs,
        steps,
        content: adapted.bytes,
    })
}

/// A text part sent as it is, under the first of `types` the profile accepts. It must be complete (`end` marks
/// its last line) and inside the budget; there is no smaller form to make of it.
fn pass_through(
    what: &str,
    bytes: Vec<u8>,
    profile: &CarrierProfile,
    budget: u64,
    types: &[&str],
    end: &str,
) -> Result<AdaptedFile> {
    let Some(mime) = types.iter().find(|t| profile.accepts(t)) else {
        return Err(Error::Unsupported {
            what: what.to_owned(),
            reason: format!(
                "profile {} accepts none of {}",
                profile.name,
                types.join(", ")
            ),
        });
    };
    let text = String::from_utf8_lossy(&bytes).to_ascii_uppercase();
    if !text.contains(end) {
        return Err(Error::Corrupt {
            what: what.to_owned(),
            reason: format!("no {end} line: the file is truncated"),
        });
    }
    let size = bytes.len() as u64;
    if size > budget {
        return Err(Error::OverBudget {
            what: what.to_owned(),
            budget,
            reason: format!("{size} bytes, and a {mime} part is sent unchanged"),
        });
    }
    Ok(AdaptedFile {
        mime: (*mime).to_owned(),
        bytes: size,
        width: None,
        height: None,
        duration_s: None,
        quality: None,
        bitrate_bps: None,
        frames: None,
        codecs: Vec::new(),
        steps: vec![format!("keep as {mime} ({size} B): accepted unchanged")],
        content: bytes,
    })
}
