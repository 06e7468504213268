//! The demo's creative, made here and now: a personalised picture template per issue (SVG with the recipient's
//! name and state) and a short video per issue from ffmpeg's test sources. Nothing is downloaded.

use anyhow::{Context, bail};
use std::path::Path;
use std::process::Command;

/// The issues with their own creative, and their colours; everyone else gets the default flyer.
pub const ISSUES: [(&str, &str); 5] = [
    ("healthcare", "#1f6f8b"),
    ("economy", "#2d6a4f"),
    ("climate", "#386641"),
    ("education", "#7b2cbf"),
    ("social security", "#9d0208"),
];

/// File-name form of an issue.
pub fn slug(issue: &str) -> String {
    issue.replace(' ', "-")
}

fn title(issue: &str) -> String {
    let mut chars = issue.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().collect::<String>() + chars.as_str())
        .unwrap_or_default()
}

fn flyer_svg(headline: &str, colour: &str) -> String {
    format!(
        r##"<svg xmlns="http://www.w3.org/2000/svg" width="640" height="480" viewBox="0 0 640 480">
  <rect width="640" height="480" fill="{colour}"/>
  <rect x="24" y="24" width="592" height="432" fill="none" stroke="#ffffff" stroke-width="4"/>
  <text id="name" x="320" y="150" font-family="DejaVu Sans" font-weight="bold" font-size="48" fill="#ffffff" text-anchor="middle" data-fit-width="560">{{{{first_name}}}},</text>
  <text x="320" y="240" font-family="DejaVu Sans" font-size="40" fill="#ffffff" text-anchor="middle">{headline}</text>
  <text id="state" x="320" y="320" font-family="DejaVu Sans" font-size="30" fill="#ffffff" text-anchor="middle" data-fit-width="560">Your vote in {{{{state}}}} decides it.</text>
  <text x="320" y="410" font-family="DejaVu Sans" font-size="24" fill="#ffffff" text-anchor="middle">Polls open 7am to 8pm on Tuesday</text>
</svg>
"##
    )
}

/// Writes the flyers and videos into `dir` (videos only when missing: ffmpeg takes a moment each).
pub fn write(dir: &Path) -> anyhow::Result<()> {
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    std::fs::write(
        dir.join("flyer-default.svg"),
        flyer_svg("Tuesday is election day.", "#264653"),
    )?;
    for (issue, colour) in ISSUES {
        let name = slug(issue);
        std::fs::write(
            dir.join(format!("flyer-{name}.svg")),
            flyer_svg(&format!("{} is on the ballot.", title(issue)), colour),
        )?;
        let video = dir.join(format!("clip-{name}.mp4"));
        if !video.exists() {
            make_video(&video, &title(issue))?;
        }
    }
    Ok(())
}

/// Four seconds of ffmpeg's test pattern and a tone, with the issue written on it: small enough for MMS.
fn make_video(out: &Path, caption: &str) -> anyhow::Result<()> {
    let font = [
        "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",
        "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    ]
    .into_iter()
    .find(|f| Path::new(f).exists());
    let mut filter = String::from("format=yuv420p");
    if let Some(font) = font {
        filter = format!(
            "drawtext=fontfile={font}:text='{}':fontsize=28:fontcolor=white:box=1:boxcolor=black@0.6:x=(w-tw)/2:y=h-50,{filter}",
            caption.replace('\'', "")
        );
    }
    let status = Command::new("ffmpeg")
        .args(["-hide_banner", "-loglevel", "error", "-y"])
        .args([
            "-f",
            "lavfi",
            "-i",
            "testsrc2=size=320x240:rate=15:duration=4",
        ])
        .args(["-f", "lavfi", "-i", "sine=frequency=440:duration=4"])
        .args(["-vf", &filter])
        .args([
            "-c:v",
            "libx264",
            "-preset",
            "veryfast",
            "-b:v",
            "120k",
            "-profile:v",
            "baseline",
        ])
        .args([
            "-c:a",
            "aac",
            "-b:a",
            "32k",
            "-shortest",
            "-movflags",
            "+faststart",
        ])
        .arg(out)
        .status()
        .context("cannot run ffmpeg (scripts/setup/system.sh installs it)")?;
    if !status.success() {
        bail!("ffmpeg could not make {}", out.display());
    }
    Ok(())
}

/// The demo campaign: a rule per issue (video for the first two issues, a flyer for the rest), then a default.
pub fn campaign_toml() -> String {
    let mut rules = String::new();
    let mut variants = String::from(
        r#"[[variants]]
name = "default"
text = "{{ first_name|default('Hi') }}, Tuesday is election day in {{ state }}. Polls are open 7am-8pm. Find yours: {{ link }}"
subject = "Tuesday is election day"
media = { kind = "picture", path = "flyer-default.svg" }
card = { title = "Tuesday is election day", replies = ["Where do I vote?"] }
"#,
    );
    for (i, (issue, _)) in ISSUES.iter().enumerate() {
        let name = slug(issue);
        rules.push_str(&format!(
            "[[rules]]\nwhen = '\"{issue}\" in issues'\nvariant = \"{name}\"\n\n"
        ));
        let media = if i < 2 {
            format!(r#"{{ kind = "video", path = "clip-{name}.mp4" }}"#)
        } else {
            format!(r#"{{ kind = "picture", path = "flyer-{name}.svg" }}"#)
        };
        variants.push_str(&format!(
            r#"
[[variants]]
name = "{name}"
text = "{{{{ first_name|default('Hi') }}}}, {issue} is on the ballot in {{{{ state }}}} on Tuesday. Make a plan: {{{{ link }}}}"
subject = "{t} is on the ballot"
media = {media}
card = {{ title = "{t} is on the ballot", replies = ["Where do I vote?"] }}
"#,
            t = title(issue)
        ));
    }
    format!(
        r#"# The demo's campaign: every contact, a variant per issue, RCS first, then MMS, then SMS with a link.
channels = ["rcs", "mms", "sms"]
sender = ["+12025550100", "+13125550100", "+14155550100", "+12155550100"]
link = "https://example.org/vote"
expire_after = "48h"
tags = ["demo"]
default_variant = "default"

{rules}{variants}"#
    )
}
