//! Video adaptation end to end with the real ffmpeg: inputs in several containers adapted to every video format
//! under a budget and checked independently with ffprobe and a full decode; bad inputs give the right errors.

mod video_support;

use canvass_media::Error;
use canvass_media::profile::VideoFormat;
use canvass_media::video::adapt;
use video_support::{clip, decode_errors, generate, probe_field, target, write};

#[test]
fn common_containers_adapt_to_mp4_main_within_budget() {
    let dir = tempfile::tempdir().unwrap();
    let inputs = [
        clip(
            dir.path(),
            "in.mov",
            "480x270",
            2,
            &["-c:v", "libx264", "-c:a", "aac"],
        ),
        clip(
            dir.path(),
            "in.webm",
            "320x240",
            2,
            &["-c:v", "libvpx", "-c:a", "libvorbis"],
        ),
        clip(
            dir.path(),
            "in.avi",
            "352x288",
            2,
            &["-c:v", "mpeg4", "-c:a", "libmp3lame"],
        ),
        clip(
            dir.path(),
            "in.mkv",
            "640x480",
            2,
            &["-c:v", "libx264", "-c:a", "libopus"],
        ),
    ];
    let budget = 60_000;
    for input in &inputs {
        let adapted = adapt(input, &target(VideoFormat::Mp4H264Main, budget)).unwrap();
        let out = write(dir.path(), "out.mp4", &adapted.bytes);
        let facts = &adapted.facts;
        assert!(
            adapted.bytes.len() as u64 <= budget,
            "{}: {} bytes",
            input.display(),
            adapted.bytes.len()
        );
        assert_eq!(
            (facts.mime, facts.bytes),
            ("video/mp4", adapted.bytes.len() as u64)
        );
        assert!(facts.width <= 320 && facts.height <= 240, "{facts:?}");
        assert_eq!(probe_field(&out, "v", "codec_name"), "h264");
        assert_eq!(probe_field(&out, "v", "profile"), "Main");
        assert_eq!(probe_field(&out, "a", "codec_name"), "aac");
        assert_eq!(probe_field(&out, "v", "width"), facts.width.to_string());
        assert!(
            (facts.duration_s - 2.0).abs() < 0.2,
            "{}: {facts:?}",
            input.display()
        );
        assert_eq!(decode_errors(&out), "", "{}", input.display());
        assert_eq!(&adapted.bytes[4..8], b"ftyp");
        // +faststart: the index (moov) comes before the media data (mdat).
        let moov = adapted.bytes.windows(4).position(|w| w == b"moov").unwrap();
        let mdat = adapted.bytes.windows(4).position(|w| w == b"mdat").unwrap();
        assert!(moov < mdat, "{}: moov after mdat", input.display());
    }
}

#[test]
fn aspect_is_kept_when_scaling_down() {
    let dir = tempfile::tempdir().unwrap();
    let input = clip(
        dir.path(),
        "wide.mkv",
        "640x360",
        1,
        &["-c:v", "libx264", "-c:a", "aac"],
    );
    let adapted = adapt(&input, &target(VideoFormat::Mp4H264Main, 60_000)).unwrap();
    assert_eq!((adapted.facts.width, adapted.facts.height), (320, 180));
}

#[test]
fn baseline_and_3gp_and_gif_inputs() {
    let dir = tempfile::tempdir().unwrap();
    let input = clip(
        dir.path(),
        "in.mov",
        "320x240",
        2,
        &["-c:v", "libx264", "-c:a", "aac"],
    );

    let baseline = adapt(&input, &target(VideoFormat::Mp4H264Baseline, 50_000)).unwrap();
    let out = write(dir.path(), "baseline.mp4", &baseline.bytes);
    assert_eq!(probe_field(&out, "v", "profile"), "Constrained Baseline");
    assert!(baseline.facts.bytes <= 50_000);

    let legacy = adapt(&input, &target(VideoFormat::ThreeGpH263, 40_000)).unwrap();
    let out = write(dir.path(), "legacy.3gp", &legacy.bytes);
    assert_eq!(legacy.facts.mime, "video/3gpp");
    assert_eq!(probe_field(&out, "v", "codec_name"), "h263");
    assert_eq!(probe_field(&out, "a", "codec_name"), "aac");
    assert_eq!(
        (
            probe_field(&out, "v", "width"),
            probe_field(&out, "v", "height")
        ),
        ("176".into(), "144".into())
    );
    assert!(legacy.facts.bytes <= 40_000);
    assert_eq!(decode_errors(&out), "");

    let gif = generate(
        dir.path(),
        "in.gif",
        &["-f", "lavfi", "-i", "testsrc2=s=200x150:r=10:d=2"],
    );
    let from_gif = adapt(&gif, &target(VideoFormat::Mp4H264Baseline, 30_000)).unwrap();
    let out = write(dir.path(), "gif.mp4", &from_gif.bytes);
    assert_eq!(
        from_gif.facts.audio_codec, None,
        "a GIF has no sound, and none is invented"
    );
    assert_eq!(probe_field(&out, "v", "codec_name"), "h264");
    assert!(
        (from_gif.facts.duration_s - 2.0).abs() < 0.25,
        "{:?}",
        from_gif.facts
    );
}

#[test]
fn a_tight_budget_is_met_by_bitrate_not_truncation() {
    let dir = tempfile::tempdir().unwrap();
    let input = clip(
        dir.path(),
        "busy.mp4",
        "320x240",
        4,
        &["-c:v", "libx264", "-crf", "10", "-c:a", "aac"],
    );
    let budget = 28_000;
    let adapted = adapt(&input, &target(VideoFormat::Mp4H264Baseline, budget)).unwrap();
    assert!(adapted.facts.bytes <= budget, "{:?}", adapted.steps);
    assert!(
        (adapted.facts.duration_s - 4.0).abs() < 0.2,
        "the whole clip is kept: {:?}",
        adapted.facts
    );
    let out = write(dir.path(), "tight.mp4", &adapted.bytes);
    assert_eq!(decode_errors(&out), "");
    assert!(
        adapted.steps.iter().any(|s| s.starts_with("plan:")),
        "{:?}",
        adapted.steps
    );
}

#[test]
fn impossible_budget_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let input = clip(
        dir.path(),
        "in.mp4",
        "320x240",
        4,
        &["-c:v", "libx264", "-c:a", "aac"],
    );
    let err = adapt(&input, &target(VideoFormat::Mp4H264Main, 6_000)).unwrap_err();
    assert!(
        matches!(err, Error::OverBudget { budget: 6_000, .. }),
        "{err}"
    );
}

#[test]
fn a_two_hour_video_is_refused_before_encoding() {
    let dir = tempfile::tempdir().unwrap();
    // Two hours at one frame a second of 16x16 pixels: a few KB, quick to make, and 7,200 s long.
    let long = generate(
        dir.path(),
        "long.mp4",
        &[
            "-f",
            "lavfi",
            "-i",
            "color=c=blue:s=16x16:r=1:d=7200",
            "-c:v",
            "libx264",
            "-preset",
            "ultrafast",
        ],
    );
    let err = adapt(&long, &target(VideoFormat::Mp4H264Main, 300_000)).unwrap_err();
    let Error::TooLarge { what, reason } = &err else {
        panic!("expected TooLarge, got {err}")
    };
    assert!(
        what.ends_with("long.mp4") && reason.contains("7200") && reason.contains("30 s"),
        "{err}"
    );
}

#[test]
fn corrupt_inputs_name_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let text = write(
        dir.path(),
        "notes.mp4",
        b"these are meeting notes, not a video\n",
    );
    let err = adapt(&text, &target(VideoFormat::Mp4H264Main, 60_000)).unwrap_err();
    assert!(
        matches!(&err, Error::Corrupt { what, .. } if what.ends_with("notes.mp4")),
        "{err}"
    );

    // Index at the end (no faststart): cut in half, the index is gone.
    let whole = clip(
        dir.path(),
        "whole.mp4",
        "320x240",
        2,
        &["-c:v", "libx264", "-c:a", "aac"],
    );
    let bytes = std::fs::read(&whole).unwrap();
    let cut = write(dir.path(), "cut.mp4", &bytes[..bytes.len() / 2]);
    let err = adapt(&cut, &target(VideoFormat::Mp4H264Main, 60_000)).unwrap_err();
    assert!(
        matches!(&err, Error::Corrupt { what, .. } if what.ends_with("cut.mp4")),
        "{err}"
    );

    // Index first (faststart): the header promises 4 s, the data stops after about one.
    let front = clip(
        dir.path(),
        "front.mp4",
        "320x240",
        4,
        &["-c:v", "libx264", "-c:a", "aac", "-movflags", "+faststart"],
    );
    let bytes = std::fs::read(&front).unwrap();
    let cut = write(dir.path(), "front-cut.mp4", &bytes[..bytes.len() / 4]);
    let err = adapt(&cut, &target(VideoFormat::Mp4H264Main, 60_000)).unwrap_err();
    assert!(
        matches!(&err, Error::Corrupt { what, .. } if what.ends_with("front-cut.mp4")),
        "{err}"
    );

    let missing = dir.path().join("absent.mp4");
    assert!(matches!(
        adapt(&missing, &target(VideoFormat::Mp4H264Main, 60_000)),
        Err(Error::Io { .. })
    ));
}
