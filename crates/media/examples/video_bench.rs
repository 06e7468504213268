//! Benchmark: a personalised 25 s video at 360p, per recipient, against one full ffmpeg re-encode with drawtext.
//!
//! Cost is CPU seconds of child processes (user + sys, from `/proc/self/stat` cutime/cstime, which count every
//! ffmpeg/ffprobe this process waited for). Ours per recipient: the intro render, the concat by stream copy and
//! the ffprobe verification. The body is encoded once per variant and reported both on its own and amortised.
//! The peers encode the same 25 s source with the same encoder settings and the text drawn over its first 2 s:
//! in one pass (the cheapest full re-encode), and in two passes (what hitting a byte budget reliably takes).
//!
//! Usage: video_bench [RUNS] [RECIPIENTS_FOR_AMORTISING]   (defaults 5 and 1000)

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

use canvass_media::CarrierProfile;
use canvass_media::ffmpeg::Ffmpeg;
use canvass_media::profile::{VideoFormat, VideoLimits};
use canvass_media::video::VideoTarget;
use canvass_media::video::template::{
    Intro, IntroStyle, NoIntroCache, PreparedBody, VideoTemplate, prepare, render,
};

const SECONDS: u32 = 25;
const INTRO_S: f64 = 2.0;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let runs: usize = args.get(1).and_then(|a| a.parse().ok()).unwrap_or(5);
    let recipients: f64 = args.get(2).and_then(|a| a.parse().ok()).unwrap_or(1000.0);
    let ticks = clock_ticks();
    let work = tempfile::tempdir().expect("temp dir");
    let dir = work.path();
    let full = source(dir, "full.mp4", f64::from(SECONDS));
    let short = source(dir, "short.mp4", f64::from(SECONDS) - INTRO_S);
    let profile = CarrierProfile {
        name: "bench-1m".into(),
        description: "1 MB MMS, MP4 H.264 Main up to 640x360".into(),
        accepted_types: vec!["video/mp4".into()],
        max_message_bytes: 1024 * 1024,
        max_image_width: 1280,
        max_image_height: 1280,
        video: Some(VideoLimits {
            format: VideoFormat::Mp4H264Main,
            max_width: 640,
            max_height: 360,
            max_fps: 25,
            max_duration_s: 60,
        }),
    };
    let target = VideoTarget::from_profile(&profile, None).expect("profile has video");
    let ff = Ffmpeg::default();
    println!(
        "personalised {SECONDS} s video at 640x360, budget {} bytes, {runs} runs, {ticks} clock ticks/s",
        target.budget_bytes
    );

    let styles = [
        ("card intro + 23 s body", IntroStyle::default(), short),
        (
            "text over the first 2 s",
            IntroStyle::OverBody,
            full.clone(),
        ),
    ];
    let peer_text = dir.join("peer.txt");
    std::fs::write(&peer_text, "Hi Ann!\nPolls open at 7").expect("write");
    let mut prepared_any = None;
    for (label, style, body) in styles {
        let template = VideoTemplate {
            name: "bench".into(),
            body,
            intro: Intro {
                text: "Hi {{first_name}}!\nPolls open at 7".into(),
                duration_s: INTRO_S,
                style,
                text_colour: [255, 255, 255],
                text_scale: 0.09,
                font: None,
            },
        };
        let before = child_cpu(ticks);
        let prepared = prepare(&ff, &template, &target, &dir.join("bodies")).expect("prepare");
        let body_cpu = child_cpu(ticks) - before;
        let mut per_recipient = Vec::new();
        let mut last = None;
        for run in 0..runs {
            let vars: BTreeMap<String, String> =
                [("first_name".to_owned(), format!("Recipient {run}"))]
                    .into_iter()
                    .collect();
            let before = child_cpu(ticks);
            let video = render(&ff, &prepared, &vars, &NoIntroCache).expect("render");
            per_recipient.push(child_cpu(ticks) - before);
            assert!(
                video.facts.bytes <= target.budget_bytes,
                "over budget: {:?}",
                video.facts
            );
            last = Some(video.facts);
        }
        let facts = last.expect("at least one run");
        let ours = median(&mut per_recipient);
        println!(
            "ours, {label}: body once {body_cpu:.2} CPU-s; per recipient {ours:.3} CPU-s (median); amortised over {recipients} recipients {:.3} CPU-s; output {}x{} {:.2} s {} bytes, {} frames",
            ours + body_cpu / recipients,
            facts.width,
            facts.height,
            facts.duration_s,
            facts.bytes,
            facts.frames
        );
        prepared_any
            .get_or_insert_with(Vec::new)
            .push((label, ours, body_cpu, prepared));
    }

    let entries = prepared_any.expect("prepared");
    let reference = &entries[0].3;
    let one_pass = peer_runs(&ff, reference, &full, dir, &peer_text, runs, false, ticks);
    let two_pass = peer_runs(
        &ff,
        reference,
        &full,
        dir,
        &peer_text,
        runs.div_ceil(2),
        true,
        ticks,
    );
    println!(
        "peer, full re-encode with drawtext, 1 pass: {one_pass:.3} CPU-s (median); 2 passes: {two_pass:.3} CPU-s"
    );
    for (label, ours, body_cpu, _) in &entries {
        let amortised = ours + body_cpu / recipients;
        println!(
            "ratio, {label}: per recipient {:.1}x fewer CPU-s than 1-pass re-encode ({:.1}x vs 2-pass); amortised {:.1}x ({:.1}x)",
            one_pass / ours,
            two_pass / ours,
            one_pass / amortised,
            two_pass / amortised
        );
    }
}

/// A 640x360 test clip with a tone (not timed).
fn source(dir: &Path, name: &str, seconds: f64) -> std::path::PathBuf {
    let out = dir.join(name);
    let status = Command::new("ffmpeg")
        .args(["-nostdin", "-v", "error", "-y", "-f", "lavfi", "-i"])
        .arg(format!("testsrc2=s=640x360:r=25:d={seconds}"))
        .args(["-f", "lavfi", "-i"])
        .arg(format!("sine=f=440:d={seconds}"))
        .args([
            "-c:v", "libx264", "-crf", "16", "-c:a", "aac", "-b:a", "128k",
        ])
        .arg(&out)
        .status()
        .expect("ffmpeg runs");
    assert!(status.success());
    out
}

/// The peer: the whole source re-encoded with the same encoder settings and the text drawn for 2 s.
#[allow(clippy::too_many_arguments)]
fn peer_runs(
    ff: &Ffmpeg,
    prepared: &PreparedBody,
    input: &Path,
    dir: &Path,
    text: &Path,
    runs: usize,
    two_pass: bool,
    ticks: f64,
) -> f64 {
    let font = canvass_media::video::template::DEFAULT_FONT;
    let filter = format!(
        "{},drawtext=fontfile={font}:textfile={}:expansion=none:fontsize=32:fontcolor=white:x=(w-text_w)/2:y=(h-text_h)/2:enable='lt(t,2)'",
        prepared.scale_filter(),
        text.display()
    );
    let mut costs = Vec::new();
    for _ in 0..runs {
        let before = child_cpu(ticks);
        let passes: &[&str] = if two_pass { &["1", "2"] } else { &["0"] };
        for pass in passes {
            let mut cmd = Command::new(&ff.ffmpeg);
            cmd.current_dir(dir)
                .args(["-nostdin", "-v", "error", "-y", "-i"])
                .arg(input)
                .args(["-vf", &filter]);
            cmd.args(prepared.encoder_args());
            match *pass {
                "1" => cmd.args([
                    "-pass",
                    "1",
                    "-passlogfile",
                    "peerpass",
                    "-an",
                    "-f",
                    "null",
                    "-",
                ]),
                "2" => cmd.args([
                    "-pass",
                    "2",
                    "-passlogfile",
                    "peerpass",
                    "-movflags",
                    "+faststart",
                    "peer.mp4",
                ]),
                _ => cmd.args(["-movflags", "+faststart", "peer.mp4"]),
            };
            let status = cmd.status().expect("ffmpeg runs");
            assert!(status.success(), "peer encode failed");
        }
        costs.push(child_cpu(ticks) - before);
    }
    median(&mut costs)
}

/// User + system CPU seconds of every waited-for child so far.
fn child_cpu(ticks: f64) -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").expect("/proc/self/stat");
    // Fields after the command name (which is in parentheses and may hold spaces): cutime and cstime are 16 and 17.
    let rest = &stat[stat.rfind(')').expect("stat format") + 2..];
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let parse = |i: usize| fields[i - 3].parse::<f64>().expect("number");
    (parse(16) + parse(17)) / ticks
}

fn clock_ticks() -> f64 {
    let out = Command::new("getconf")
        .arg("CLK_TCK")
        .output()
        .expect("getconf");
    String::from_utf8_lossy(&out.stdout)
        .trim()
        .parse()
        .unwrap_or(100.0)
}

fn median(values: &mut [f64]) -> f64 {
    values.sort_by(|a, b| a.total_cmp(b));
    values[values.len() / 2]
}
