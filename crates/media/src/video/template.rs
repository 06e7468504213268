//! Video templates: a personalised intro of about two seconds stitched to a body that is encoded once per variant.
//!
//! [`prepare`] encodes the body with two passes at the bitrate that fits the whole message (intro included).
//! [`render`] then costs, per recipient, one short intro encode with the very same encoder settings (x264's
//! `stitchable=1` keeps the headers identical) and a concat-demuxer join by stream copy — instead of a full
//! re-encode of the whole video. Intros are cached by a content key, so recipients who share the same text share
//! one intro. The intro is either a card (a colour with the text) or the text drawn over the body's first seconds.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::adapt::{describe, encode_two_pass, extension, inspect, plan_for};
use super::plan::{EncodePlan, MIN_VIDEO_KBPS};
use super::verify::verify;
use super::{VideoFacts, VideoTarget};
use crate::ffmpeg::Ffmpeg;
use crate::{Error, Result};

pub use super::template_cache::{DirIntroCache, IntroCache, NoIntroCache};
pub use super::template_render::{RenderedVideo, render};
pub use super::template_text::{MAX_INTRO_CHARS, fill};

/// The font used when a template names none (Debian's fonts-dejavu-core).
pub const DEFAULT_FONT: &str = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf";

/// A video template: the body video and how to draw the personalised intro.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VideoTemplate {
    /// Name, for errors and logs.
    pub name: String,
    /// The body's source video (any format [`super::adapt`] reads).
    pub body: PathBuf,
    /// The personalised intro.
    pub intro: Intro,
}

/// The personalised intro.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Intro {
    /// Text with `{{field}}` placeholders, e.g. `Hi {{first_name}}!`; line breaks allowed.
    pub text: String,
    /// Length in seconds.
    #[serde(default = "default_intro_seconds")]
    pub duration_s: f64,
    /// A card before the body, or text over the body's first seconds.
    #[serde(default)]
    pub style: IntroStyle,
    /// Text colour, RGB.
    #[serde(default = "white")]
    pub text_colour: [u8; 3],
    /// Text height as a share of the frame height.
    #[serde(default = "default_text_scale")]
    pub text_scale: f64,
    /// TrueType font file; [`DEFAULT_FONT`] when absent.
    #[serde(default)]
    pub font: Option<PathBuf>,
}

/// Where the intro's text goes.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", tag = "kind")]
pub enum IntroStyle {
    /// A card of one colour (RGB) played before the whole body; the audio is silent during it.
    Card {
        /// Background colour, RGB.
        background: [u8; 3],
    },
    /// The text over the body's first seconds (with a translucent box); the body then starts after them.
    OverBody,
}

impl Default for IntroStyle {
    fn default() -> Self {
        IntroStyle::Card {
            background: [0x1f, 0x3a, 0x68],
        }
    }
}

fn default_intro_seconds() -> f64 {
    2.0
}

fn white() -> [u8; 3] {
    [255, 255, 255]
}

fn default_text_scale() -> f64 {
    0.09
}

/// A template's body, encoded once for one target, ready for any number of [`render`] calls.
#[derive(Debug, Clone)]
pub struct PreparedBody {
    /// The template.
    pub template: VideoTemplate,
    /// The target it was encoded for.
    pub target: VideoTarget,
    /// The encoded body file.
    pub path: PathBuf,
    /// What ffprobe verified about the body.
    pub facts: VideoFacts,
    /// Content key of the body source, the intro's timing and the target; intro keys extend it.
    pub key: String,
    /// The steps taken, for people.
    pub steps: Vec<String>,
    pub(crate) plan: EncodePlan,
    pub(crate) intro_s: f64,
    pub(crate) intro_frames: u64,
}

impl PreparedBody {
    /// The ffmpeg encoder arguments (video then audio) that the body and every intro share, at the body's bitrate:
    /// for logs, and for benchmarks that compare against a full re-encode with the same settings.
    pub fn encoder_args(&self) -> Vec<String> {
        let mut args = self.plan.video_args(self.plan.video_kbps);
        args.extend(self.plan.audio_args());
        args
    }

    /// The filter chain that turns source frames into the body's size, rate and pixel format.
    pub fn scale_filter(&self) -> String {
        self.plan.scale_filter()
    }
}

/// Encodes `template`'s body for `target` into `out_dir` (named by its content key). The bitrate fits the whole
/// message (intro plus body) in the budget, with the body's share of the bytes as its own ceiling.
pub fn prepare(
    ff: &Ffmpeg,
    template: &VideoTemplate,
    target: &VideoTarget,
    out_dir: &Path,
) -> Result<PreparedBody> {
    // ffmpeg runs inside its own temporary folder, so a relative path must be made absolute first.
    let out_dir = &std::path::absolute(out_dir).map_err(|source| Error::Io {
        path: out_dir.to_path_buf(),
        source,
    })?;
    let fail = |reason: String| Error::Template {
        template: template.name.clone(),
        reason,
    };
    let intro = &template.intro;
    if !(0.5..=10.0).contains(&intro.duration_s) || !(0.02..=0.5).contains(&intro.text_scale) {
        return Err(fail(
            "intro duration must be 0.5–10 s and text_scale 0.02–0.5".into(),
        ));
    }
    let font = intro
        .font
        .clone()
        .unwrap_or_else(|| PathBuf::from(DEFAULT_FONT));
    if !font.is_file() {
        return Err(fail(format!(
            "font {} not found (install fonts-dejavu-core)",
            font.display()
        )));
    }
    let source = inspect(ff, &template.body, target)?;
    let (window, body_s, total_s) = match intro.style {
        IntroStyle::Card { .. } => (
            None,
            source.duration_s,
            source.duration_s + intro.duration_s,
        ),
        IntroStyle::OverBody if source.duration_s > intro.duration_s + 0.5 => (
            Some((intro.duration_s, None)),
            source.duration_s - intro.duration_s,
            source.duration_s,
        ),
        IntroStyle::OverBody => {
            return Err(fail(
                "the body is not longer than the intro drawn over it".into(),
            ));
        }
    };
    if total_s > f64::from(target.max_duration_s) + 0.5 {
        return Err(Error::TooLarge {
            what: template.body.display().to_string(),
            reason: format!(
                "intro and body last {total_s:.1} s; the profile allows {} s",
                target.max_duration_s
            ),
        });
    }
    let what = template.body.display().to_string();
    let mut plan = plan_for(target, &source, total_s, &what)?;
    let key = body_key(template, target)?;
    std::fs::create_dir_all(out_dir).map_err(|source| Error::Io {
        path: out_dir.to_owned(),
        source,
    })?;
    let path = out_dir.join(format!("{key}.body.{}", extension(target.format)));
    // The bitrate the body was finally encoded at, written last: its presence marks a finished body to reuse.
    let marker = out_dir.join(format!("{key}.body.kbps"));
    let body_budget = (target.budget_bytes as f64 * body_s / total_s) as u64;
    let intro_frames = (intro.duration_s * f64::from(plan.fps)).round() as u64;
    let finish = |plan: EncodePlan, facts: VideoFacts, steps: Vec<String>| PreparedBody {
        template: template.clone(),
        target: target.clone(),
        path: path.clone(),
        facts,
        key: key.clone(),
        steps,
        plan,
        intro_s: intro.duration_s,
        intro_frames,
    };
    if let Some(kbps) = std::fs::read_to_string(&marker)
        .ok()
        .and_then(|k| k.trim().parse::<f64>().ok())
    {
        plan.video_kbps = kbps;
        if let Ok(facts) = verify(ff, &path, &plan, body_s, &what) {
            let steps = vec![
                describe(&plan),
                format!("body reused from {}", path.display()),
            ];
            return Ok(finish(plan, facts, steps));
        }
    }
    let mut steps = vec![describe(&plan)];
    let work = super::workdir()?;
    let encoded = work
        .path()
        .join(format!("body.{}", extension(target.format)));
    loop {
        encode_two_pass(
            ff,
            &template.body,
            &source,
            &plan,
            window,
            &encoded,
            work.path(),
            &what,
        )?;
        let facts = verify(ff, &encoded, &plan, body_s, &what)?;
        steps.push(format!(
            "body at {:.0} kbit/s: {} bytes of its {body_budget} share",
            plan.video_kbps, facts.bytes
        ));
        if facts.bytes <= body_budget {
            let partial = out_dir.join(format!("{key}.body.partial"));
            std::fs::copy(&encoded, &partial).map_err(|source| Error::Io {
                path: partial.clone(),
                source,
            })?;
            std::fs::rename(&partial, &path).map_err(|source| Error::Io {
                path: path.clone(),
                source,
            })?;
            std::fs::write(&marker, format!("{}\n", plan.video_kbps)).map_err(|source| {
                Error::Io {
                    path: marker.clone(),
                    source,
                }
            })?;
            return Ok(finish(plan, facts, steps));
        }
        plan.video_kbps *= (body_budget as f64 / facts.bytes as f64) * 0.93;
        if plan.video_kbps < MIN_VIDEO_KBPS || steps.len() > 4 {
            return Err(Error::OverBudget {
                what,
                budget: target.budget_bytes,
                reason: steps.join("; "),
            });
        }
    }
}

/// The body's content key: what the encoded body depends on.
fn body_key(template: &VideoTemplate, target: &VideoTarget) -> Result<String> {
    let mut hash = Sha256::new();
    hash.update(b"canvass-video-body/1\0");
    // Only what shapes the body: whether the intro covers its start, how long the intro is (the bitrate is planned
    // for intro and body together), the target, and the source's bytes. The intro's text and looks are not in it.
    let covers = matches!(template.intro.style, IntroStyle::OverBody);
    hash.update(format!("{covers}\0{}\0{target:?}\0", template.intro.duration_s).as_bytes());
    let mut file = std::fs::File::open(&template.body).map_err(|source| Error::Io {
        path: template.body.clone(),
        source,
    })?;
    std::io::copy(&mut file, &mut hash).map_err(|source| Error::Io {
        path: template.body.clone(),
        source,
    })?;
    Ok(hex(&hash.finalize()))
}

/// The intro's cache key: the body's key, the intro's spec (text template, style, colours, font), the bitrate and
/// the filled text.
pub(crate) fn intro_key(prepared: &PreparedBody, text: &str, kbps: f64) -> String {
    let mut hash = Sha256::new();
    hash.update(b"canvass-video-intro/1\0");
    hash.update(prepared.key.as_bytes());
    hash.update(serde_json::to_vec(&prepared.template.intro).unwrap_or_default());
    hash.update(format!("\0{kbps:.0}\0").as_bytes());
    hash.update(text.as_bytes());
    hex(&hash.finalize())
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The variables of one recipient, by field name.
pub type Vars = BTreeMap<String, String>;
