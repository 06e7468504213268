//! The ffmpeg runner's limits with the real programs: a run past its timeout is killed, and a run that writes
//! past the file-size limit is stopped by the kernel; both are clear `Tool` errors naming the input.

mod video_support;

use std::time::Duration;

use canvass_media::Error;
use canvass_media::ffmpeg::Ffmpeg;
use canvass_media::profile::VideoFormat;
use canvass_media::video::adapt_with;
use video_support::{clip, target};

#[test]
fn a_run_past_its_timeout_is_killed() {
    let dir = tempfile::tempdir().unwrap();
    let input = clip(
        dir.path(),
        "in.mp4",
        "320x240",
        2,
        &["-c:v", "libx264", "-c:a", "aac"],
    );
    let ff = Ffmpeg {
        timeout: Duration::from_millis(1),
        ..Ffmpeg::default()
    };
    let err = adapt_with(&ff, &input, &target(VideoFormat::Mp4H264Main, 60_000)).unwrap_err();
    let Error::Tool { what, reason, .. } = &err else {
        panic!("expected a Tool error, got {err}")
    };
    assert!(
        what.ends_with("in.mp4") && reason.contains("timed out"),
        "{err}"
    );
}

#[test]
fn a_file_past_the_size_limit_stops_the_writer() {
    let dir = tempfile::tempdir().unwrap();
    let input = clip(
        dir.path(),
        "in.mp4",
        "320x240",
        2,
        &["-c:v", "libx264", "-c:a", "aac"],
    );
    let ff = Ffmpeg {
        max_file_bytes: 2048,
        ..Ffmpeg::default()
    };
    assert!(
        ff.prlimit.is_some(),
        "util-linux prlimit is installed by scripts/setup/system.sh"
    );
    let err = adapt_with(&ff, &input, &target(VideoFormat::Mp4H264Main, 60_000)).unwrap_err();
    let Error::Tool {
        tool: "ffmpeg",
        reason,
        ..
    } = &err
    else {
        panic!("expected an ffmpeg error, got {err}")
    };
    assert!(reason.contains("2048 byte limit"), "{err}");
}
