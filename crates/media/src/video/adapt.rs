//! `adapt`: probe the input, refuse what cannot work, plan the encode, run two passes, verify, retry smaller.

use std::ffi::OsString;
use std::path::Path;

use super::plan::{
    EncodePlan, MIN_VIDEO_KBPS, audio_for, container_overhead, frame_size, video_kbps_for,
};
use super::verify::{duration_tolerance, verify_info};
use super::{Adapted, VideoTarget};
use crate::ffmpeg::{Count, Ffmpeg, MediaInfo, Tool, file_url};
use crate::profile::VideoFormat;
use crate::{Error, Result};

/// Encodes tried before giving up on the budget.
const MAX_ATTEMPTS: u32 = 4;
/// Largest input frame accepted (pixels): past it the decode alone is a resource risk.
const MAX_INPUT_PIXELS: u64 = 8192 * 8192;
/// Slack on the profile's maximum duration, for containers that round up.
const DURATION_SLACK_S: f64 = 0.5;

/// What the engine needs to know about an input, from ffprobe.
#[derive(Debug, Clone)]
pub(crate) struct Source {
    pub info: MediaInfo,
    pub video_index: u32,
    pub audio_index: Option<u32>,
    /// Display size (after rotation).
    pub size: (u32, u32),
    pub fps: f64,
    pub duration_s: f64,
}

/// Adapts `input` to `target` with the default runner ([`Ffmpeg::default`]).
pub fn adapt(input: &Path, target: &VideoTarget) -> Result<Adapted> {
    adapt_with(&Ffmpeg::default(), input, target)
}

/// Adapts `input` to `target` with the given runner: MP4 (H.264 + AAC) or 3GP (H.263 + AAC) inside
/// `target.budget_bytes`, verified by ffprobe. Inputs longer than the target allows are refused before encoding;
/// undecodable or truncated inputs are [`Error::Corrupt`] naming the file.
pub fn adapt_with(ff: &Ffmpeg, input: &Path, target: &VideoTarget) -> Result<Adapted> {
    // ffmpeg runs inside its own temporary folder, so a relative path must be made absolute first.
    let input = &std::path::absolute(input).map_err(|source| Error::Io {
        path: input.to_path_buf(),
        source,
    })?;
    let what = input.display().to_string();
    let source = inspect(ff, input, target)?;
    let mut steps = vec![format!(
        "probe: {} {}x{} {:.2} fps {:.3} s{}",
        source.info.format_name,
        source.size.0,
        source.size.1,
        source.fps,
        source.duration_s,
        source
            .info
            .audio()
            .map(|a| format!(", audio {}", a.codec))
            .unwrap_or_else(|| ", no audio".into())
    )];
    let mut plan = plan_for(target, &source, source.duration_s, &what)?;
    steps.push(describe(&plan));
    let work = workdir()?;
    for attempt in 1..=MAX_ATTEMPTS {
        let out = work
            .path()
            .join(format!("out{attempt}.{}", extension(target.format)));
        encode_two_pass(ff, input, &source, &plan, None, &out, work.path(), &what)?;
        let info = ff.probe(&out, Count::Packets)?;
        let got = info.best_duration().unwrap_or(0.0);
        if got
            < source.duration_s
                - duration_tolerance(source.duration_s, plan.fps).max(source.duration_s * 0.1)
        {
            return Err(Error::Corrupt {
                what,
                reason: format!(
                    "decodes to {got:.2} s of the {:.2} s its header states (truncated?)",
                    source.duration_s
                ),
            });
        }
        let facts = verify_info(&info, &plan, source.duration_s, &what)?;
        if facts.bytes <= target.budget_bytes {
            steps.push(format!(
                "encode {attempt}: {} bytes, within {}",
                facts.bytes, target.budget_bytes
            ));
            let bytes = std::fs::read(&out).map_err(|source| Error::Io {
                path: out.clone(),
                source,
            })?;
            return Ok(Adapted {
                bytes,
                facts,
                steps,
            });
        }
        steps.push(format!(
            "encode {attempt}: {} bytes, over the {} budget",
            facts.bytes, target.budget_bytes
        ));
        plan.video_kbps = shrink(&plan, source.duration_s, facts.bytes, target.budget_bytes);
        if plan.video_kbps < MIN_VIDEO_KBPS {
            break;
        }
        steps.push(format!("retry at {:.0} kbit/s", plan.video_kbps));
    }
    Err(Error::OverBudget {
        what,
        budget: target.budget_bytes,
        reason: format!("still over after: {}", steps[2..].join("; ")),
    })
}

/// Probes `input` and refuses what cannot be adapted: no video, absurd frame size, unknown or excessive duration.
pub(crate) fn inspect(ff: &Ffmpeg, input: &Path, target: &VideoTarget) -> Result<Source> {
    let what = input.display().to_string();
    let info = ff.probe(input, Count::Nothing)?;
    let Some(video) = info.video() else {
        let found: Vec<&str> = info.streams.iter().map(|s| s.codec.as_str()).collect();
        return Err(Error::Unsupported {
            what,
            reason: format!("no video stream (streams: {found:?})"),
        });
    };
    let (Some(w), Some(h)) = (video.width, video.height) else {
        return Err(Error::Corrupt {
            what,
            reason: "the video stream has no frame size".into(),
        });
    };
    if u64::from(w) * u64::from(h) > MAX_INPUT_PIXELS {
        return Err(Error::TooLarge {
            what,
            reason: format!("frames of {w}x{h} exceed {MAX_INPUT_PIXELS} pixels"),
        });
    }
    let Some(duration_s) = info.best_duration() else {
        return Err(Error::Corrupt {
            what,
            reason: "no duration in the container or streams".into(),
        });
    };
    if duration_s > f64::from(target.max_duration_s) + DURATION_SLACK_S {
        return Err(Error::TooLarge {
            what,
            reason: format!(
                "lasts {duration_s:.1} s; the profile allows at most {} s",
                target.max_duration_s
            ),
        });
    }
    let size = if video.rotation.rem_euclid(180) == 90 {
        (h, w)
    } else {
        (w, h)
    };
    Ok(Source {
        video_index: video.index,
        audio_index: info.audio().map(|a| a.index),
        size,
        fps: video.frame_rate.unwrap_or(25.0),
        duration_s,
        info: info.clone(),
    })
}

/// The plan for `duration_s` seconds of `source` inside `target`'s budget.
pub(crate) fn plan_for(
    target: &VideoTarget,
    source: &Source,
    duration_s: f64,
    what: &str,
) -> Result<EncodePlan> {
    let fps = (source.fps.round() as u32).clamp(1, target.max_fps.max(1));
    let total_kbps = target.budget_bytes as f64 * 8.0 / duration_s / 1000.0;
    let audio = source.audio_index.map(|_| audio_for(total_kbps));
    let video_kbps = video_kbps_for(target.budget_bytes, duration_s, fps, audio);
    if video_kbps < MIN_VIDEO_KBPS {
        return Err(Error::OverBudget {
            what: what.to_owned(),
            budget: target.budget_bytes,
            reason: format!(
                "{duration_s:.1} s leaves {video_kbps:.0} kbit/s for video after audio and container overhead; {MIN_VIDEO_KBPS} is the least"
            ),
        });
    }
    let (width, height) =
        frame_size(target, source.size, video_kbps, fps).ok_or_else(|| Error::Unsupported {
            what: what.to_owned(),
            reason: format!(
                "no H.263 frame size fits {}x{}",
                target.max_width, target.max_height
            ),
        })?;
    Ok(EncodePlan {
        format: target.format,
        width,
        height,
        fps,
        video_kbps,
        audio,
        preset: target.preset,
    })
}

/// The next, smaller video bitrate after an encode came out at `got` bytes against `budget`.
fn shrink(plan: &EncodePlan, duration_s: f64, got: u64, budget: u64) -> f64 {
    let overhead = container_overhead(duration_s, plan.fps, plan.audio);
    let ratio = ((budget as f64 - overhead) / (got as f64 - overhead).max(1.0)).clamp(0.1, 1.0);
    plan.video_kbps * ratio * 0.93
}

pub(crate) fn describe(plan: &EncodePlan) -> String {
    let audio = match plan.audio {
        Some(a) => format!(
            "aac {} kbit/s {} Hz {} ch",
            a.kbps, a.sample_rate, a.channels
        ),
        None => "no audio".into(),
    };
    format!(
        "plan: {:?} {}x{} {} fps, video {:.0} kbit/s, {audio}",
        plan.format, plan.width, plan.height, plan.fps, plan.video_kbps
    )
}

pub(crate) fn extension(format: VideoFormat) -> &'static str {
    if format == VideoFormat::ThreeGpH263 {
        "3gp"
    } else {
        "mp4"
    }
}

/// A private working directory, removed when dropped.
pub(crate) fn workdir() -> Result<tempfile::TempDir> {
    tempfile::Builder::new()
        .prefix("canvass-media-")
        .tempdir()
        .map_err(|source| Error::Io {
            path: std::env::temp_dir(),
            source,
        })
}

/// Input arguments: `[-ss start] [-t length] -i file:input`.
pub(crate) fn input_args(input: &Path, window: Option<(f64, Option<f64>)>) -> Vec<OsString> {
    let mut args: Vec<OsString> = ["-nostdin", "-hide_banner", "-v", "error", "-y"]
        .map(Into::into)
        .to_vec();
    if let Some((start, length)) = window {
        if start > 0.0 {
            args.extend(["-ss".into(), format!("{start:.3}").into()]);
        }
        if let Some(length) = length {
            args.extend(["-t".into(), format!("{length:.3}").into()]);
        }
    }
    args.extend(["-i".into(), file_url(input)]);
    args
}

/// Two passes of the plan over `input` (optionally a window of it) into `out`, the pass log kept in `work`.
#[allow(clippy::too_many_arguments)]
pub(crate) fn encode_two_pass(
    ff: &Ffmpeg,
    input: &Path,
    source: &Source,
    plan: &EncodePlan,
    window: Option<(f64, Option<f64>)>,
    out: &Path,
    work: &Path,
    what: &str,
) -> Result<()> {
    let video = |pass: &str| {
        let mut args = input_args(input, window);
        args.extend(["-map".into(), format!("0:{}", source.video_index).into()]);
        args.extend(["-vf".into(), plan.scale_filter().into()]);
        args.extend(
            plan.video_args(plan.video_kbps)
                .into_iter()
                .map(OsString::from),
        );
        args.extend(["-pass", pass, "-passlogfile", "pass"].map(OsString::from));
        args
    };
    let mut first = video("1");
    first.extend(["-an", "-f", "null", "-"].map(OsString::from));
    ff.run(Tool::Ffmpeg, &first, work, what)?;
    let mut second = video("2");
    if let Some(index) = source.audio_index.filter(|_| plan.audio.is_some()) {
        second.extend(["-map".into(), format!("0:{index}").into()]);
    }
    second.extend(plan.audio_args().into_iter().map(OsString::from));
    second.extend(plan.muxer_args().into_iter().map(OsString::from));
    second.push(file_url(out));
    ff.run(Tool::Ffmpeg, &second, work, what)?;
    Ok(())
}
