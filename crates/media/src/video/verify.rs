//! Checking an output with ffprobe before anyone sends it: codec and profile, frame size, every planned stream
//! present, duration, frame count. The byte budget is the caller's check, since it decides whether to retry.

use std::path::Path;

use super::VideoFacts;
use super::plan::EncodePlan;
use crate::ffmpeg::{Count, Ffmpeg, MediaInfo};
use crate::{Error, Result};

/// How far an output's duration may stray from the plan: a frame or two, and AAC's padding.
pub(crate) fn duration_tolerance(expected_s: f64, fps: u32) -> f64 {
    (3.0 / f64::from(fps.max(1)) + 0.15).max(expected_s * 0.02)
}

/// Probes `path` (counting packets) and checks it against `plan` and `expected_s`. Returns the facts, or
/// [`Error::Tool`] listing every mismatch.
pub(crate) fn verify(
    ff: &Ffmpeg,
    path: &Path,
    plan: &EncodePlan,
    expected_s: f64,
    what: &str,
) -> Result<VideoFacts> {
    let info = ff.probe(path, Count::Packets)?;
    verify_info(&info, plan, expected_s, what)
}

/// [`verify`] on an already probed output.
pub(crate) fn verify_info(
    info: &MediaInfo,
    plan: &EncodePlan,
    expected_s: f64,
    what: &str,
) -> Result<VideoFacts> {
    let (facts, problems) = check(info, plan, expected_s);
    match facts {
        Some(facts) if problems.is_empty() => Ok(facts),
        _ => Err(Error::Tool {
            what: what.to_owned(),
            tool: "ffprobe",
            reason: format!("the output does not verify: {}", problems.join("; ")),
        }),
    }
}

fn check(
    info: &MediaInfo,
    plan: &EncodePlan,
    expected_s: f64,
) -> (Option<VideoFacts>, Vec<String>) {
    let mut problems = Vec::new();
    let Some(video) = info.video() else {
        return (None, vec!["no video stream".into()]);
    };
    let (codec, profiles) = plan.expected_codec();
    let profile = video.profile.clone().unwrap_or_default();
    if video.codec != codec || (!profiles.is_empty() && !profiles.contains(&profile.as_str())) {
        problems.push(format!(
            "video is {} {profile}, expected {codec} {}",
            video.codec,
            profiles.join(" or ")
        ));
    }
    let (width, height) = (video.width.unwrap_or(0), video.height.unwrap_or(0));
    if (width, height) != (plan.width, plan.height) {
        problems.push(format!(
            "frames are {width}x{height}, expected {}x{}",
            plan.width, plan.height
        ));
    }
    let audio = info.audio();
    match (plan.audio, audio) {
        (Some(_), None) => problems.push("the audio stream is missing".into()),
        (None, Some(_)) => problems.push("an audio stream appeared that was not planned".into()),
        (Some(_), Some(a)) if a.codec != "aac" => {
            problems.push(format!("audio is {}, expected aac", a.codec))
        }
        _ => {}
    }
    let duration_s = info.best_duration().unwrap_or(0.0);
    if (duration_s - expected_s).abs() > duration_tolerance(expected_s, plan.fps) {
        problems.push(format!(
            "lasts {duration_s:.3} s, expected {expected_s:.3} s"
        ));
    }
    let frames = video.frames.unwrap_or(0);
    if frames == 0 {
        problems.push("no video frames".into());
    }
    let bytes = info.size.unwrap_or(0);
    let facts = VideoFacts {
        mime: plan.format.mime(),
        bytes,
        width,
        height,
        fps: plan.fps,
        duration_s,
        bitrate_bps: if duration_s > 0.0 {
            (bytes as f64 * 8.0 / duration_s) as u64
        } else {
            0
        },
        video_codec: if profile.is_empty() {
            video.codec.clone()
        } else {
            format!("{} {profile}", video.codec)
        },
        audio_codec: audio.map(|a| a.codec.clone()),
        frames,
    };
    (Some(facts), problems)
}
