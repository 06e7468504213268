//! Audio adaptation with the real ffmpeg: to AAC in M4A under a budget, from a sound file or a video's sound.

mod video_support;

use canvass_media::Error;
use canvass_media::audio::{AudioTarget, adapt};
use video_support::{clip, decode_errors, generate, probe_field, write};

#[test]
fn sound_files_and_video_sound_become_aac_in_budget() {
    let dir = tempfile::tempdir().unwrap();
    let wav = generate(
        dir.path(),
        "tone.wav",
        &["-f", "lavfi", "-i", "sine=f=330:d=5"],
    );
    let mp3 = generate(
        dir.path(),
        "tone.mp3",
        &["-f", "lavfi", "-i", "sine=f=550:d=5", "-c:a", "libmp3lame"],
    );
    let video = clip(
        dir.path(),
        "clip.mkv",
        "160x120",
        5,
        &["-c:v", "libx264", "-c:a", "libopus"],
    );
    for (input, budget) in [(&wav, 40_000), (&mp3, 12_000), (&video, 30_000)] {
        let adapted = adapt(
            input,
            &AudioTarget {
                budget_bytes: budget,
                max_duration_s: 60,
            },
        )
        .unwrap();
        assert!(
            adapted.facts.bytes <= budget,
            "{}: {:?}",
            input.display(),
            adapted.steps
        );
        assert_eq!(adapted.facts.mime, "audio/mp4");
        let out = write(dir.path(), "out.m4a", &adapted.bytes);
        assert_eq!(probe_field(&out, "a", "codec_name"), "aac");
        assert_eq!(
            probe_field(&out, "v", "codec_name"),
            "",
            "no video stream in the M4A"
        );
        assert!(
            (adapted.facts.duration_s - 5.0).abs() < 0.2,
            "{:?}",
            adapted.facts
        );
        assert_eq!(decode_errors(&out), "");
    }
}

#[test]
fn silence_long_sound_and_garbage_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let silent_video = generate(
        dir.path(),
        "mute.mp4",
        &[
            "-f",
            "lavfi",
            "-i",
            "testsrc2=s=64x64:d=1",
            "-c:v",
            "libx264",
        ],
    );
    let target = AudioTarget {
        budget_bytes: 50_000,
        max_duration_s: 10,
    };
    assert!(matches!(
        adapt(&silent_video, &target),
        Err(Error::Unsupported { .. })
    ));
    let long = generate(
        dir.path(),
        "long.wav",
        &["-f", "lavfi", "-i", "anullsrc=r=8000:cl=mono", "-t", "20"],
    );
    assert!(matches!(adapt(&long, &target), Err(Error::TooLarge { .. })));
    let junk = write(dir.path(), "junk.m4a", b"\0\0\0\x08nothing here");
    assert!(
        matches!(adapt(&junk, &target), Err(Error::Corrupt { what, .. }) if what.ends_with("junk.m4a"))
    );
}

#[test]
fn a_relative_input_path_works() {
    // ffmpeg runs in a temporary folder of its own; a path relative to ours must still find the file.
    let dir = tempfile::tempdir_in(".").unwrap();
    let cwd = std::env::current_dir().unwrap();
    let relative = dir.path().strip_prefix(&cwd).unwrap_or(dir.path());
    assert!(relative.is_relative(), "{}", relative.display());
    let wav = generate(
        relative,
        "tone.wav",
        &["-f", "lavfi", "-i", "sine=f=330:d=2"],
    );
    let adapted = adapt(
        &wav,
        &AudioTarget {
            budget_bytes: 40_000,
            max_duration_s: 60,
        },
    )
    .unwrap();
    assert!(adapted.facts.bytes <= 40_000);
}
