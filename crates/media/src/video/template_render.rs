//! `render`: one recipient's video from a prepared body — fill the intro text, take the intro from the cache or
//! encode it (about two seconds, the body's encoder settings), join intro and body with the concat demuxer by
//! stream copy, and verify the result (streams, size, duration, every frame present).

use std::ffi::OsString;
use std::path::Path;

use super::VideoFacts;
use super::adapt::{extension, input_args};
use super::plan::MIN_VIDEO_KBPS;
use super::template::{DEFAULT_FONT, IntroCache, IntroStyle, PreparedBody, Vars, fill, intro_key};
use super::verify::verify;
use crate::ffmpeg::{Ffmpeg, Tool, file_url};
use crate::{Error, Result};

/// Intro encodes tried before giving up on the budget.
const MAX_INTRO_ATTEMPTS: u32 = 3;

/// One recipient's video.
#[derive(Debug, Clone)]
pub struct RenderedVideo {
    /// The video file.
    pub bytes: Vec<u8>,
    /// What ffprobe verified about it.
    pub facts: VideoFacts,
    /// The intro's content key.
    pub intro_key: String,
    /// Whether the intro came from the cache.
    pub intro_cached: bool,
}

/// Renders the video for one recipient with variables `vars`. Intros are looked up in and stored to `cache`.
pub fn render(
    ff: &Ffmpeg,
    prepared: &PreparedBody,
    vars: &Vars,
    cache: &dyn IntroCache,
) -> Result<RenderedVideo> {
    let template = &prepared.template;
    let text = fill(&template.name, &template.intro.text, vars)?;
    let work = super::workdir()?;
    let ext = extension(prepared.target.format);
    let intro_path = work.path().join(format!("intro.{ext}"));
    let body_link = work.path().join(format!("body.{ext}"));
    let canonical = prepared.path.canonicalize().map_err(|source| Error::Io {
        path: prepared.path.clone(),
        source,
    })?;
    std::os::unix::fs::symlink(&canonical, &body_link).map_err(|source| Error::Io {
        path: body_link.clone(),
        source,
    })?;
    let list = work.path().join("list.txt");
    write(
        &list,
        format!("file 'intro.{ext}'\nfile 'body.{ext}'\n").as_bytes(),
    )?;
    let expected_s = prepared.intro_s + prepared.facts.duration_s;
    let expected_frames = prepared.intro_frames + prepared.facts.frames;
    let mut kbps = prepared.plan.video_kbps;
    let mut last = String::new();
    for attempt in 1..=MAX_INTRO_ATTEMPTS {
        let key = intro_key(prepared, &text, kbps);
        let cached = cache.get(&key)?;
        let intro_cached = cached.is_some();
        match cached {
            Some(bytes) => write(&intro_path, &bytes)?,
            None => {
                encode_intro(ff, prepared, &text, kbps, work.path())?;
            }
        }
        let out = work.path().join(format!("out{attempt}.{ext}"));
        concat(ff, &list, &out, work.path(), &template.name)?;
        let facts = verify(ff, &out, &prepared.plan, expected_s, &template.name)?;
        if facts.frames != expected_frames {
            return Err(Error::Tool {
                what: template.name.clone(),
                tool: "ffprobe",
                reason: format!(
                    "the stitched video has {} frames, expected {expected_frames}",
                    facts.frames
                ),
            });
        }
        if !intro_cached {
            let bytes = std::fs::read(&intro_path).map_err(|source| Error::Io {
                path: intro_path.clone(),
                source,
            })?;
            cache.put(&key, &bytes)?;
        }
        if facts.bytes <= prepared.target.budget_bytes {
            let bytes = std::fs::read(&out).map_err(|source| Error::Io {
                path: out.clone(),
                source,
            })?;
            return Ok(RenderedVideo {
                bytes,
                facts,
                intro_key: key,
                intro_cached,
            });
        }
        last = format!("{} bytes with the intro at {kbps:.0} kbit/s", facts.bytes);
        let spare = prepared
            .target
            .budget_bytes
            .saturating_sub(prepared.facts.bytes) as f64;
        let intro_bytes = facts.bytes.saturating_sub(prepared.facts.bytes).max(1) as f64;
        kbps *= (spare / intro_bytes * 0.9).min(0.8);
        if kbps < MIN_VIDEO_KBPS {
            break;
        }
    }
    Err(Error::OverBudget {
        what: template.name.clone(),
        budget: prepared.target.budget_bytes,
        reason: last,
    })
}

/// Encodes the intro into `work/intro.<ext>`: the card (or the body's first seconds) with the text drawn from
/// `work/intro.txt`, one pass at `kbps` with the body's encoder settings.
fn encode_intro(
    ff: &Ffmpeg,
    prepared: &PreparedBody,
    text: &str,
    kbps: f64,
    work: &Path,
) -> Result<()> {
    let template = &prepared.template;
    let plan = &prepared.plan;
    let intro = &template.intro;
    write(&work.join("intro.txt"), text.as_bytes())?;
    let font = intro.font.clone().unwrap_or_else(|| DEFAULT_FONT.into());
    let font_link = work.join("font.ttf");
    if !font_link.exists() {
        std::os::unix::fs::symlink(&font, &font_link).map_err(|source| Error::Io {
            path: font.clone(),
            source,
        })?;
    }
    let [r, g, b] = intro.text_colour;
    // drawtext does not wrap or shrink: the size comes down so that the longest line fits 90 % of the width
    // (DejaVu Sans Bold averages about 0.68 em per character).
    let longest = text
        .lines()
        .map(|l| l.chars().count())
        .max()
        .unwrap_or(1)
        .max(1) as f64;
    let fitting = f64::from(plan.width) * 0.9 / (0.68 * longest);
    let size = ((f64::from(plan.height) * intro.text_scale)
        .min(fitting)
        .round() as u32)
        .max(8);
    // Only our own numbers and file names go into the filter: the text is read from a file, unexpanded.
    let drawtext = format!(
        "drawtext=fontfile=font.ttf:textfile=intro.txt:expansion=none:fontsize={size}:fontcolor=0x{r:02x}{g:02x}{b:02x}:\
         line_spacing={}:x=(w-text_w)/2:y=(h-text_h)/2",
        size / 4
    );
    let seconds = format!("{:.3}", prepared.intro_s);
    let (w, h, fps) = (plan.width, plan.height, plan.fps);
    let mut args: Vec<OsString>;
    match intro.style {
        IntroStyle::Card {
            background: [br, bg, bb],
        } => {
            args = [
                "-nostdin",
                "-hide_banner",
                "-v",
                "error",
                "-y",
                "-f",
                "lavfi",
                "-i",
            ]
            .map(Into::into)
            .to_vec();
            args.push(
                format!("color=c=0x{br:02x}{bg:02x}{bb:02x}:s={w}x{h}:r={fps}:d={seconds}").into(),
            );
            if let Some(audio) = plan.audio {
                let layout = if audio.channels == 1 {
                    "mono"
                } else {
                    "stereo"
                };
                args.extend(["-f", "lavfi", "-i"].map(OsString::from));
                args.push(format!("anullsrc=r={}:cl={layout}", audio.sample_rate).into());
            }
            args.extend([
                "-t".into(),
                seconds.clone().into(),
                "-vf".into(),
                format!("{drawtext},format=yuv420p").into(),
            ]);
        }
        IntroStyle::OverBody => {
            args = input_args(&template.body, Some((0.0, Some(prepared.intro_s))));
            args.extend(["-map", "0:v:0"].map(OsString::from));
            if plan.audio.is_some() {
                args.extend(["-map", "0:a:0"].map(OsString::from));
            }
            let boxed = format!(
                "{drawtext}:box=1:boxcolor=black@0.45:boxborderw={}",
                size / 3
            );
            args.extend([
                "-vf".into(),
                format!("{},{boxed}", plan.scale_filter()).into(),
            ]);
        }
    }
    args.extend(plan.video_args(kbps).into_iter().map(OsString::from));
    args.extend(plan.audio_args().into_iter().map(OsString::from));
    args.extend(plan.muxer_args().into_iter().map(OsString::from));
    args.push(file_url(
        &work.join(format!("intro.{}", extension(plan.format))),
    ));
    ff.run(Tool::Ffmpeg, &args, work, &template.name)?;
    Ok(())
}

/// Joins the files listed in `list` by stream copy (concat demuxer, safe mode: the list names only our files).
fn concat(ff: &Ffmpeg, list: &Path, out: &Path, work: &Path, what: &str) -> Result<()> {
    let mut args: Vec<OsString> = [
        "-nostdin",
        "-hide_banner",
        "-v",
        "error",
        "-y",
        "-f",
        "concat",
        "-i",
    ]
    .map(Into::into)
    .to_vec();
    args.push(list.as_os_str().to_owned());
    args.extend(["-map", "0", "-c", "copy", "-movflags", "+faststart"].map(OsString::from));
    let muxer = if out.extension().is_some_and(|e| e == "3gp") {
        "3gp"
    } else {
        "mp4"
    };
    args.extend(["-f".into(), muxer.into(), file_url(out)]);
    ff.run(Tool::Ffmpeg, &args, work, what)?;
    Ok(())
}

fn write(path: &Path, bytes: &[u8]) -> Result<()> {
    std::fs::write(path, bytes).map_err(|source| Error::Io {
        path: path.to_owned(),
        source,
    })
}
