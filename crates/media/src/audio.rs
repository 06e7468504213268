//! Audio adaptation: any input ffmpeg reads (MP3, WAV, OGG, AMR, the sound of a video, …) to AAC-LC in an M4A
//! file inside a byte budget. One pass is enough: AAC's average bitrate lands close to the request, and the result
//! is retried smaller when it is over.

use std::ffi::OsString;
use std::path::Path;

use serde::Serialize;

use crate::ffmpeg::{Count, Ffmpeg, Tool, file_url};
use crate::video::MESSAGE_ALLOWANCE_BYTES;
use crate::{CarrierProfile, Error, Result};

/// Lowest AAC bitrate worth sending, kbit/s.
const MIN_KBPS: f64 = 12.0;
/// Highest AAC bitrate the engine spends, kbit/s.
const MAX_KBPS: f64 = 128.0;
/// Encodes tried before giving up on the budget.
const MAX_ATTEMPTS: u32 = 3;

/// What an adapted sound file must be.
#[derive(Debug, Clone, PartialEq)]
pub struct AudioTarget {
    /// Largest output file in bytes.
    pub budget_bytes: u64,
    /// Longest input accepted, in seconds.
    pub max_duration_s: u32,
}

impl AudioTarget {
    /// The target a profile implies: its message size less [`MESSAGE_ALLOWANCE_BYTES`] (or `budget_bytes`, capped
    /// by the message size), and its video duration limit (three minutes when the profile takes no video).
    pub fn from_profile(profile: &CarrierProfile, budget_bytes: Option<u64>) -> Self {
        let default_budget = profile
            .max_message_bytes
            .saturating_sub(MESSAGE_ALLOWANCE_BYTES);
        AudioTarget {
            budget_bytes: budget_bytes.map_or(default_budget, |b| b.min(profile.max_message_bytes)),
            max_duration_s: profile.video.as_ref().map_or(180, |v| v.max_duration_s),
        }
    }
}

/// Facts about an adapted sound file, as ffprobe verified them.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AudioFacts {
    /// MIME type (`audio/mp4`).
    pub mime: &'static str,
    /// File size in bytes.
    pub bytes: u64,
    /// Duration in seconds.
    pub duration_s: f64,
    /// Average bitrate of the whole file, bits per second.
    pub bitrate_bps: u64,
    /// Sample rate in Hz.
    pub sample_rate: u32,
    /// Channels.
    pub channels: u32,
}

/// An adapted sound file.
#[derive(Debug, Clone)]
pub struct AdaptedAudio {
    /// The M4A file.
    pub bytes: Vec<u8>,
    /// What ffprobe verified about it.
    pub facts: AudioFacts,
    /// The steps taken, for people.
    pub steps: Vec<String>,
}

/// Adapts `input` to AAC/M4A inside `target` with the default runner.
pub fn adapt(input: &Path, target: &AudioTarget) -> Result<AdaptedAudio> {
    adapt_with(&Ffmpeg::default(), input, target)
}

/// Adapts `input` to AAC/M4A inside `target`. Inputs without sound are [`Error::Unsupported`]; inputs longer than
/// the target allows are [`Error::TooLarge`], refused before encoding.
pub fn adapt_with(ff: &Ffmpeg, input: &Path, target: &AudioTarget) -> Result<AdaptedAudio> {
    // ffmpeg runs inside its own temporary folder, so a relative path must be made absolute first.
    let input = &std::path::absolute(input).map_err(|source| Error::Io {
        path: input.to_path_buf(),
        source,
    })?;
    let what = input.display().to_string();
    let info = ff.probe(input, Count::Nothing)?;
    let Some(audio) = info.audio() else {
        return Err(Error::Unsupported {
            what,
            reason: "no audio stream".into(),
        });
    };
    let Some(duration_s) = info.best_duration() else {
        return Err(Error::Corrupt {
            what,
            reason: "no duration in the container or streams".into(),
        });
    };
    if duration_s > f64::from(target.max_duration_s) + 0.5 {
        return Err(Error::TooLarge {
            what,
            reason: format!(
                "lasts {duration_s:.1} s; at most {} s is allowed",
                target.max_duration_s
            ),
        });
    }
    let index = audio.index;
    let mut steps = vec![format!(
        "probe: {} {} {duration_s:.3} s",
        info.format_name, audio.codec
    )];
    // Index entries (one per 1,024 samples) plus headers.
    let overhead = 1024.0 + duration_s * 44_100.0 / 1024.0 * 12.0;
    let mut kbps =
        ((target.budget_bytes as f64 - overhead) * 8.0 * 0.95 / duration_s / 1000.0).min(MAX_KBPS);
    let work = crate::video::workdir()?;
    for attempt in 1..=MAX_ATTEMPTS {
        if kbps < MIN_KBPS {
            break;
        }
        let (rate, channels) = match kbps {
            k if k >= 64.0 => (44_100, 2),
            k if k >= 32.0 => (44_100, 1),
            _ => (22_050, 1),
        };
        let out = work.path().join(format!("out{attempt}.m4a"));
        let mut args: Vec<OsString> = ["-nostdin", "-hide_banner", "-v", "error", "-y", "-i"]
            .map(Into::into)
            .to_vec();
        args.push(file_url(input));
        args.extend([
            "-map".into(),
            format!("0:{index}").into(),
            "-vn".into(),
            "-sn".into(),
            "-dn".into(),
        ]);
        args.extend(["-c:a", "aac", "-b:a"].map(OsString::from));
        args.push(format!("{}k", kbps.round()).into());
        args.extend([
            "-ar".into(),
            rate.to_string().into(),
            "-ac".into(),
            channels.to_string().into(),
        ]);
        args.extend(
            [
                "-map_metadata",
                "-1",
                "-movflags",
                "+faststart",
                "-f",
                "ipod",
            ]
            .map(OsString::from),
        );
        args.push(file_url(&out));
        ff.run(Tool::Ffmpeg, &args, work.path(), &what)?;
        let facts = verify(ff, &out, duration_s, &what)?;
        steps.push(format!(
            "encode {attempt}: aac {:.0} kbit/s {rate} Hz {channels} ch → {} bytes",
            kbps, facts.bytes
        ));
        if facts.bytes <= target.budget_bytes {
            let bytes = std::fs::read(&out).map_err(|source| Error::Io {
                path: out.clone(),
                source,
            })?;
            return Ok(AdaptedAudio {
                bytes,
                facts,
                steps,
            });
        }
        kbps *= (target.budget_bytes as f64 / facts.bytes as f64) * 0.93;
    }
    Err(Error::OverBudget {
        what,
        budget: target.budget_bytes,
        reason: steps.join("; "),
    })
}

fn verify(ff: &Ffmpeg, out: &Path, expected_s: f64, what: &str) -> Result<AudioFacts> {
    let info = ff.probe(out, Count::Nothing)?;
    let fail = |reason: String| Error::Tool {
        what: what.to_owned(),
        tool: "ffprobe",
        reason,
    };
    let Some(audio) = info.audio().filter(|a| a.codec == "aac") else {
        return Err(fail("the output has no AAC stream".into()));
    };
    if info.video().is_some() {
        return Err(fail("the output has a video stream".into()));
    }
    let duration_s = info.best_duration().unwrap_or(0.0);
    if (duration_s - expected_s).abs() > (expected_s * 0.02).max(0.2) {
        return Err(fail(format!(
            "the output lasts {duration_s:.3} s, expected {expected_s:.3} s"
        )));
    }
    let bytes = info.size.unwrap_or(0);
    Ok(AudioFacts {
        mime: "audio/mp4",
        bytes,
        duration_s,
        bitrate_bps: (bytes as f64 * 8.0 / duration_s.max(0.001)) as u64,
        sample_rate: audio.sample_rate.unwrap_or(0),
        channels: audio.channels.unwrap_or(0),
    })
}
