//! Shared by the video tests: inputs generated at test time with the real ffmpeg, and independent checks of
//! outputs with ffprobe and a full decode.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;

use canvass_media::profile::VideoFormat;
use canvass_media::video::VideoTarget;

/// Runs ffmpeg to write `dir/name` from lavfi test sources, panicking with its stderr on failure.
pub fn generate(dir: &Path, name: &str, args: &[&str]) -> PathBuf {
    let out = dir.join(name);
    let result = Command::new("ffmpeg")
        .args(["-nostdin", "-hide_banner", "-v", "error", "-y"])
        .args(args)
        .arg(&out)
        .output()
        .expect("ffmpeg runs");
    assert!(
        result.status.success(),
        "generating {name}: {}",
        String::from_utf8_lossy(&result.stderr)
    );
    out
}

/// A clip of `seconds` at `size` with a test pattern and a 440 Hz tone, encoded with `codec_args`.
pub fn clip(dir: &Path, name: &str, size: &str, seconds: u32, codec_args: &[&str]) -> PathBuf {
    let video = format!("testsrc2=s={size}:r=25:d={seconds}");
    let audio = format!("sine=f=440:sample_rate=44100:d={seconds}");
    let mut args = vec!["-f", "lavfi", "-i", &video, "-f", "lavfi", "-i", &audio];
    args.extend_from_slice(codec_args);
    generate(dir, name, &args)
}

/// Writes `bytes` to a file and returns its path.
pub fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    path
}

/// ffprobe's view of one stream field for the first stream of `kind` (`v` or `a`).
pub fn probe_field(path: &Path, kind: &str, field: &str) -> String {
    let out = Command::new("ffprobe")
        .args([
            "-v",
            "error",
            "-select_streams",
            &format!("{kind}:0"),
            "-show_entries",
            &format!("stream={field}"),
        ])
        .args(["-of", "default=noprint_wrappers=1:nokey=1"])
        .arg(path)
        .output()
        .unwrap();
    String::from_utf8_lossy(&out.stdout).trim().to_owned()
}

/// Frames a full decode of the first video stream yields (ffprobe `-count_frames`).
pub fn decoded_frames(path: &Path) -> u64 {
    let out = Command::new("ffprobe")
        .args([
            "-v",
            "error",
            "-count_frames",
            "-select_streams",
            "v:0",
            "-show_entries",
            "stream=nb_read_frames",
        ])
        .args(["-of", "default=noprint_wrappers=1:nokey=1"])
        .arg(path)
        .output()
        .unwrap();
    String::from_utf8_lossy(&out.stdout).trim().parse().unwrap()
}

/// What a full decode of every stream prints at level `error` (empty when clean).
pub fn decode_errors(path: &Path) -> String {
    let out = Command::new("ffmpeg")
        .args(["-nostdin", "-v", "error", "-i"])
        .arg(path)
        .args(["-f", "null", "-"])
        .output()
        .unwrap();
    assert!(out.status.success(), "decoding {}", path.display());
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// A target with test-friendly limits.
pub fn target(format: VideoFormat, budget_bytes: u64) -> VideoTarget {
    VideoTarget {
        format,
        max_width: 320,
        max_height: 240,
        max_fps: 25,
        max_duration_s: 30,
        budget_bytes,
        preset: "veryfast",
    }
}
