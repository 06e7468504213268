//! Video templates end to end: a body encoded once, personalised intros stitched on by stream copy; the results
//! decode with no errors, hold every frame, stay in budget, and reuse cached intros.

mod video_support;

use std::collections::BTreeMap;

use canvass_media::Error;
use canvass_media::ffmpeg::Ffmpeg;
use canvass_media::profile::VideoFormat;
use canvass_media::video::template::{
    DirIntroCache, Intro, IntroStyle, NoIntroCache, VideoTemplate, prepare, render,
};
use video_support::{clip, decode_errors, decoded_frames, probe_field, target, write};

fn vars(name: &str) -> BTreeMap<String, String> {
    [("first_name".to_owned(), name.to_owned())]
        .into_iter()
        .collect()
}

fn template(body: std::path::PathBuf, style: IntroStyle) -> VideoTemplate {
    VideoTemplate {
        name: "get-out-the-vote".into(),
        body,
        intro: Intro {
            text: "Hi {{first_name}}!\nPolls open at 7".into(),
            duration_s: 2.0,
            style,
            text_colour: [255, 255, 255],
            text_scale: 0.09,
            font: None,
        },
    }
}

#[test]
fn card_intro_stitches_with_every_frame_and_a_clean_decode() {
    let dir = tempfile::tempdir().unwrap();
    let body = clip(
        dir.path(),
        "body.mov",
        "320x240",
        3,
        &["-c:v", "libx264", "-c:a", "aac"],
    );
    let ff = Ffmpeg::default();
    let budget = 80_000;
    let prepared = prepare(
        &ff,
        &template(body, IntroStyle::default()),
        &target(VideoFormat::Mp4H264Baseline, budget),
        &dir.path().join("bodies"),
    )
    .unwrap();
    assert_eq!(prepared.facts.frames, 75);
    let cache = DirIntroCache::new(dir.path().join("intros")).unwrap();

    let ann = render(&ff, &prepared, &vars("Ann"), &cache).unwrap();
    assert!(!ann.intro_cached);
    let out = write(dir.path(), "ann.mp4", &ann.bytes);
    assert!(ann.facts.bytes <= budget, "{:?}", ann.facts);
    assert_eq!(decode_errors(&out), "");
    assert_eq!(
        decoded_frames(&out),
        50 + 75,
        "2 s of intro and 3 s of body at 25 fps"
    );
    assert!((ann.facts.duration_s - 5.0).abs() < 0.2, "{:?}", ann.facts);
    assert_eq!(probe_field(&out, "v", "profile"), "Constrained Baseline");
    assert_eq!(probe_field(&out, "a", "codec_name"), "aac");

    let again = render(&ff, &prepared, &vars("Ann"), &cache).unwrap();
    assert!(again.intro_cached, "the same text reuses the cached intro");
    assert_eq!(again.intro_key, ann.intro_key);
    let bob = render(&ff, &prepared, &vars("Bob"), &cache).unwrap();
    assert!(!bob.intro_cached);
    assert_ne!(bob.intro_key, ann.intro_key);
    assert_ne!(bob.bytes, ann.bytes);

    // A second prepare of the same template and target reuses the body encoded the first time.
    let again = prepare(
        &ff,
        &prepared.template,
        &prepared.target,
        &dir.path().join("bodies"),
    )
    .unwrap();
    assert!(
        again.steps.iter().any(|s| s.starts_with("body reused")),
        "{:?}",
        again.steps
    );
    assert_eq!(
        (again.path.clone(), again.facts.frames),
        (prepared.path.clone(), 75)
    );
    let carol = render(&ff, &again, &vars("Carol"), &cache).unwrap();
    assert_eq!(
        decoded_frames(&write(dir.path(), "carol.mp4", &carol.bytes)),
        125
    );
}

#[test]
fn text_over_the_body_with_filter_syntax_in_the_name_decodes_cleanly() {
    let dir = tempfile::tempdir().unwrap();
    let body = clip(
        dir.path(),
        "body.mkv",
        "320x240",
        4,
        &["-c:v", "libx264", "-c:a", "libopus"],
    );
    let ff = Ffmpeg::default();
    let prepared = prepare(
        &ff,
        &template(body, IntroStyle::OverBody),
        &target(VideoFormat::Mp4H264Main, 90_000),
        dir.path(),
    )
    .unwrap();
    // Characters that would break (or inject into) a filter string, and drawtext's own expansion syntax.
    let video = render(
        &ff,
        &prepared,
        &vars("O'Brien: %{pts} ,drawbox [x];\\"),
        &NoIntroCache,
    )
    .unwrap();
    let out = write(dir.path(), "over.mp4", &video.bytes);
    assert_eq!(decode_errors(&out), "");
    assert_eq!(
        decoded_frames(&out),
        100,
        "the intro replaces the body's first 2 s: 4 s in all"
    );
    assert_eq!(probe_field(&out, "v", "profile"), "Main");
    assert!(video.facts.bytes <= 90_000);
}

#[test]
fn legacy_3gp_templates_stitch_too() {
    let dir = tempfile::tempdir().unwrap();
    let body = clip(
        dir.path(),
        "body.mp4",
        "320x240",
        2,
        &["-c:v", "libx264", "-c:a", "aac"],
    );
    let ff = Ffmpeg::default();
    let target = target(VideoFormat::ThreeGpH263, 60_000);
    let prepared = prepare(
        &ff,
        &template(body, IntroStyle::default()),
        &target,
        dir.path(),
    )
    .unwrap();
    let video = render(&ff, &prepared, &vars("Ann"), &NoIntroCache).unwrap();
    let out = write(dir.path(), "legacy.3gp", &video.bytes);
    assert_eq!(video.facts.mime, "video/3gpp");
    assert_eq!(probe_field(&out, "v", "codec_name"), "h263");
    assert_eq!(decode_errors(&out), "");
    assert_eq!(decoded_frames(&out), 100);
}

#[test]
fn a_missing_variable_is_a_template_error() {
    let dir = tempfile::tempdir().unwrap();
    let body = clip(
        dir.path(),
        "body.mp4",
        "160x120",
        1,
        &["-c:v", "libx264", "-c:a", "aac"],
    );
    let ff = Ffmpeg::default();
    let prepared = prepare(
        &ff,
        &template(body, IntroStyle::default()),
        &target(VideoFormat::Mp4H264Main, 60_000),
        dir.path(),
    )
    .unwrap();
    let err = render(&ff, &prepared, &BTreeMap::new(), &NoIntroCache).unwrap_err();
    assert!(
        matches!(&err, Error::Template { reason, .. } if reason.contains("first_name")),
        "{err}"
    );
}
