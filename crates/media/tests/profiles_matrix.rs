//! Every default carrier profile adapts every input type: JPEG, PNG, GIF (animated), WebP and BMP pictures, a
//! video, and a sound file where the profile takes one. Each output is checked by a decoder that is not ours to
//! trust blindly: the `image` crate decodes pictures again, ffprobe reads video and audio.

mod picture_support;
mod video_support;

use canvass_media::audio::{self, AudioTarget};
use canvass_media::picture::{self, PictureTarget};
use canvass_media::profile::VideoFormat;
use canvass_media::profile::defaults::default_profiles;
use canvass_media::video::{self, MESSAGE_ALLOWANCE_BYTES, VideoTarget};
use image::{DynamicImage, ImageFormat};

/// Whether the destination accepts `mime`, honouring `type/*` wildcards.
fn accepts(types: &[String], mime: &str) -> bool {
    types.iter().any(|t| {
        t.eq_ignore_ascii_case(mime)
            || t.strip_suffix("/*")
                .is_some_and(|top| mime.split('/').next() == Some(top))
    })
}

#[test]
fn every_profile_adapts_every_picture_type() {
    let photo = DynamicImage::ImageRgb8(picture_support::photo_like(1000, 750, 5));
    let inputs = [
        (
            "photo.jpg",
            picture_support::encode(&photo, ImageFormat::Jpeg),
        ),
        (
            "photo.png",
            picture_support::encode(&photo, ImageFormat::Png),
        ),
        (
            "photo.webp",
            picture_support::encode(&photo, ImageFormat::WebP),
        ),
        (
            "photo.bmp",
            picture_support::encode(&photo, ImageFormat::Bmp),
        ),
        (
            "moving.gif",
            picture_support::animated_gif(720, 540, 6, true),
        ),
    ];
    let profiles = default_profiles().expect("defaults");
    assert_eq!(profiles.len(), 12);
    // Adaptation depends only on the picture target, and several profiles share one (same box, budget and types):
    // each distinct target runs once, and covers every profile that has it.
    let mut done: Vec<PictureTarget> = Vec::new();
    for profile in &profiles {
        let budget = profile.max_message_bytes - MESSAGE_ALLOWANCE_BYTES;
        let target = PictureTarget::from_profile(profile, budget);
        if done.contains(&target) {
            continue;
        }
        done.push(target.clone());
        for (name, bytes) in &inputs {
            let out = picture::adapt(bytes, name, &target)
                .unwrap_or_else(|e| panic!("{} / {name}: {e}", profile.name));
            let what = format!(
                "{} / {name} → {} {}×{}",
                profile.name, out.mime, out.width, out.height
            );
            assert!(
                accepts(&profile.accepted_types, out.mime),
                "{what}: type not accepted"
            );
            assert!(
                out.bytes.len() as u64 <= budget,
                "{what}: {} bytes > {budget}",
                out.bytes.len()
            );
            let decoded =
                image::load_from_memory(&out.bytes).unwrap_or_else(|e| panic!("{what}: {e}"));
            assert_eq!(
                (decoded.width(), decoded.height()),
                (out.width, out.height),
                "{what}"
            );
            let (long, short) = (out.width.max(out.height), out.width.min(out.height));
            let box_long = profile.max_image_width.max(profile.max_image_height);
            let box_short = profile.max_image_width.min(profile.max_image_height);
            assert!(
                long <= box_long && short <= box_short,
                "{what}: outside the profile's box"
            );
        }
    }
}

#[test]
fn every_profile_adapts_video_and_sound() {
    let dir = tempfile::tempdir().expect("tempdir");
    let clip = video_support::clip(
        dir.path(),
        "in.mov",
        "640x360",
        2,
        &["-c:v", "mjpeg", "-c:a", "pcm_s16le"],
    );
    let tone = video_support::generate(
        dir.path(),
        "in.wav",
        &["-f", "lavfi", "-i", "sine=f=330:sample_rate=44100:d=3"],
    );
    for profile in default_profiles().expect("defaults") {
        let Some(limits) = &profile.video else {
            continue;
        };
        let target = VideoTarget::from_profile(&profile, None).expect("video target");
        let out = video::adapt(&clip, &target).unwrap_or_else(|e| panic!("{}: {e}", profile.name));
        let what = format!(
            "{} → {} {}×{}",
            profile.name, out.facts.mime, out.facts.width, out.facts.height
        );
        assert!(
            accepts(&profile.accepted_types, out.facts.mime),
            "{what}: type not accepted"
        );
        assert!(
            out.bytes.len() as u64 <= target.budget_bytes,
            "{what}: over budget"
        );
        let path = video_support::write(dir.path(), &format!("{}.out", profile.name), &out.bytes);
        let codec = video_support::probe_field(&path, "v", "codec_name");
        let expected = match limits.format {
            VideoFormat::ThreeGpH263 => "h263",
            VideoFormat::Mp4H264Baseline | VideoFormat::Mp4H264Main => "h264",
        };
        assert_eq!(codec, expected, "{what}");
        let width: u32 = video_support::probe_field(&path, "v", "width")
            .parse()
            .expect("width");
        let height: u32 = video_support::probe_field(&path, "v", "height")
            .parse()
            .expect("height");
        assert!(
            width <= limits.max_width.max(limits.max_height),
            "{what}: width {width}"
        );
        assert!(
            height <= limits.max_width.max(limits.max_height),
            "{what}: height {height}"
        );
        assert_eq!(
            video_support::probe_field(&path, "a", "codec_name"),
            "aac",
            "{what}"
        );
        assert_eq!(
            video_support::decode_errors(&path),
            "",
            "{what}: decode errors"
        );

        if accepts(&profile.accepted_types, "audio/mp4") {
            let sound = audio::adapt(&tone, &AudioTarget::from_profile(&profile, None))
                .unwrap_or_else(|e| panic!("{} audio: {e}", profile.name));
            assert!(
                sound.bytes.len() as u64 <= profile.max_message_bytes,
                "{}: audio over budget",
                profile.name
            );
            let path =
                video_support::write(dir.path(), &format!("{}.m4a", profile.name), &sound.bytes);
            assert_eq!(
                video_support::probe_field(&path, "a", "codec_name"),
                "aac",
                "{}",
                profile.name
            );
        } else {
            // Only AMR is left for such a profile, and Debian's ffmpeg has no AMR encoder: the CLI refuses audio.
            assert_eq!(
                profile.name, "legacy-3gp",
                "which profiles take no AAC audio"
            );
        }
    }
}
