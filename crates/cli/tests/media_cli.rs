//! `canvass media adapt` and `canvass media render` end to end: the real binary on inputs made here (the image
//! crate and ffmpeg), with the outputs decoded or probed to check them.

mod support;

use std::path::Path;
use std::process::{Command, Output};
use support::{canvass_in as canvass, facts};

fn run(cmd: &mut Command) -> Output {
    cmd.output().expect("the canvass binary runs")
}

/// A 2400×1800 photo-like PNG (gradients with fine texture), several megabytes.
fn big_png(path: &Path) {
    let mut seed = 0x2545_f491_u32;
    let image = image::RgbImage::from_fn(2400, 1800, |x, y| {
        seed ^= seed << 13;
        seed ^= seed >> 17;
        seed ^= seed << 5;
        let noise = (seed % 48) as u8;
        image::Rgb([
            ((x * 255 / 2400) as u8).saturating_add(noise),
            ((y * 255 / 1800) as u8).saturating_add(noise / 2),
            (((x + y) % 256) as u8) / 2 + noise,
        ])
    });
    image.save(path).expect("write PNG");
}

fn ffmpeg(args: &[&str]) {
    let status = Command::new("ffmpeg")
        .args(["-hide_banner", "-loglevel", "error", "-y"])
        .args(args)
        .status()
        .expect("ffmpeg runs");
    assert!(status.success(), "ffmpeg {args:?}");
}

fn ffprobe_video_codec(path: &Path) -> String {
    let out = Command::new("ffprobe")
        .args(["-v", "error", "-select_streams", "v:0"])
        .args(["-show_entries", "stream=codec_name", "-of", "csv=p=0"])
        .arg(path)
        .output()
        .expect("ffprobe runs");
    String::from_utf8_lossy(&out.stdout).trim().to_owned()
}

#[test]
fn big_png_becomes_a_jpeg_within_generic_300k() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("photo.png");
    big_png(&input);
    assert!(std::fs::metadata(&input).unwrap().len() > 1_000_000);
    let out = dir.path().join("photo.jpg");
    let json = facts(
        canvass(&dir.path().join("data"))
            .args(["media", "adapt"])
            .arg(&input)
            .args(["--profile", "generic-300k", "-o"])
            .arg(&out),
    );
    assert_eq!(json["type"], "image/jpeg");
    assert_eq!(json["profile"]["name"], "generic-300k");
    let bytes = std::fs::read(&out).unwrap();
    assert!(bytes.len() < 300_000, "{} bytes", bytes.len());
    assert_eq!(json["bytes"], bytes.len());
    assert!(json["steps"].as_array().is_some_and(|s| !s.is_empty()));
    let decoded = image::load_from_memory(&bytes).expect("a JPEG that decodes");
    assert_eq!(
        image::guess_format(&bytes).unwrap(),
        image::ImageFormat::Jpeg
    );
    let (w, h) = (decoded.width(), decoded.height());
    assert!(w.max(h) <= 640 && w.min(h) <= 480, "{w}x{h}");
    assert_eq!(
        (json["width"].clone(), json["height"].clone()),
        (w.into(), h.into())
    );
}

#[test]
fn max_bytes_alone_sets_the_budget() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("photo.png");
    big_png(&input);
    let out = dir.path().join("small.jpg");
    let json = facts(
        canvass(&dir.path().join("data"))
            .args(["media", "adapt"])
            .arg(&input)
            .args(["--max-bytes", "40000", "-o"])
            .arg(&out),
    );
    let size = std::fs::metadata(&out).unwrap().len();
    assert!(size <= 40_000, "{size} bytes");
    assert_eq!(json["profile"]["name"], "max-bytes-40000");
    assert_eq!(json["budget_bytes"], 40_000);
    assert!(json["quality"].as_u64().is_some());
}

#[test]
fn short_video_becomes_h263_for_legacy_3gp() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("clip.mp4");
    ffmpeg(&[
        "-f",
        "lavfi",
        "-i",
        "testsrc=size=320x240:rate=15:duration=1",
        "-f",
        "lavfi",
        "-i",
        "sine=frequency=440:duration=1",
        "-c:v",
        "libx264",
        "-pix_fmt",
        "yuv420p",
        "-c:a",
        "aac",
        "-shortest",
        input.to_str().unwrap(),
    ]);
    let out = dir.path().join("clip.3gp");
    // A path relative to the working folder, as people type them.
    let json = facts(
        canvass(&dir.path().join("data"))
            .current_dir(dir.path())
            .args(["media", "adapt", "clip.mp4"])
            .args(["--profile", "legacy-3gp", "-o"])
            .arg(&out),
    );
    assert_eq!(json["type"], "video/3gpp");
    assert_eq!(ffprobe_video_codec(&out), "h263");
    assert!(json["width"].as_u64().unwrap() <= 176);
    assert!(json["duration_s"].as_f64().unwrap() > 0.5);
    assert!(std::fs::metadata(&out).unwrap().len() <= 300_000);
}

#[test]
fn vcard_passes_through_unchanged() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("contact.vcf");
    let card = "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ada Lovelace\r\nTEL:+15555550100\r\nEND:VCARD\r\n";
    std::fs::write(&input, card).unwrap();
    let out = dir.path().join("out.vcf");
    let json = facts(
        canvass(&dir.path().join("data"))
            .args(["media", "adapt"])
            .arg(&input)
            .args(["--profile", "generic-600k", "-o"])
            .arg(&out),
    );
    assert_eq!(json["type"], "text/vcard");
    assert_eq!(std::fs::read_to_string(&out).unwrap(), card);
}

#[test]
fn calendar_is_refused_by_a_profile_without_text_calendar() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("rally.ics");
    std::fs::write(
        &input,
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nEND:VCALENDAR\r\n",
    )
    .unwrap();
    let out = run(canvass(&dir.path().join("data"))
        .args(["media", "adapt"])
        .arg(&input)
        .args(["--profile", "generic-600k", "-o"])
        .arg(dir.path().join("out.ics")));
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("rally.ics") && stderr.contains("text/calendar"),
        "{stderr}"
    );
}

#[test]
fn corrupt_picture_fails_naming_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("broken-photo.png");
    big_png(&input);
    let bytes = std::fs::read(&input).unwrap();
    std::fs::write(&input, &bytes[..bytes.len() / 3]).unwrap();
    let out = run(canvass(&dir.path().join("data"))
        .args(["media", "adapt"])
        .arg(&input)
        .args(["--profile", "generic-600k", "-o"])
        .arg(dir.path().join("out.jpg")));
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("broken-photo.png"), "{stderr}");
    assert!(!dir.path().join("out.jpg").exists());
}

#[test]
fn unknown_content_fails_naming_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("mystery.bin");
    std::fs::write(&input, b"\x00\x11\x22 not any media at all").unwrap();
    let out = run(canvass(&dir.path().join("data"))
        .args(["media", "adapt"])
        .arg(&input)
        .args(["--max-bytes", "100000", "-o"])
        .arg(dir.path().join("out")));
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("mystery.bin") && stderr.contains("unrecognised"),
        "{stderr}"
    );
}

fn picture_template(dir: &Path) -> std::path::PathBuf {
    let path = dir.join("invite.json");
    let spec = serde_json::json!({
        "name": "invite",
        "background": "#204060",
        "width": 480,
        "height": 320,
        "layers": [{
            "type": "text", "text": "Hello {{first_name}}!", "font": "DejaVu Sans",
            "size": 48, "color": "#ffffff", "box": [20, 120, 440, 80]
        }]
    });
    std::fs::write(&path, spec.to_string()).unwrap();
    path
}

#[test]
fn second_identical_render_is_a_cache_hit_with_identical_bytes() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let template = picture_template(dir.path());
    let render = |out: &Path| {
        facts(
            canvass(&data)
                .args(["media", "render"])
                .arg(&template)
                .args(["--var", "first_name=Grace", "-o"])
                .arg(out),
        )
    };
    let (first_out, second_out) = (dir.path().join("a.jpg"), dir.path().join("b.jpg"));
    let first = render(&first_out);
    let second = render(&second_out);
    assert_eq!(first["cached"], false);
    assert_eq!(second["cached"], true);
    assert_eq!(first["key"], second["key"]);
    let (a, b) = (
        std::fs::read(&first_out).unwrap(),
        std::fs::read(&second_out).unwrap(),
    );
    assert_eq!(a, b);
    let decoded = image::load_from_memory(&a).expect("a JPEG");
    assert_eq!((decoded.width(), decoded.height()), (480, 320));
    // The blob store holds it under its own hash.
    let blob = first["blob"].as_str().expect("a blob key");
    assert_eq!(
        std::fs::read(data.join("blobs").join(&blob[..2]).join(blob)).unwrap(),
        a
    );
    let other = render_with(
        &data,
        &template,
        "first_name=Alan",
        &dir.path().join("c.jpg"),
    );
    assert_eq!(other["cached"], false);
    assert_ne!(other["key"], first["key"]);
}

fn render_with(data: &Path, template: &Path, var: &str, out: &Path) -> serde_json::Value {
    facts(
        canvass(data)
            .args(["media", "render"])
            .arg(template)
            .args(["--var", var, "-o"])
            .arg(out),
    )
}

#[test]
fn missing_var_is_a_clear_error_naming_the_field() {
    let dir = tempfile::tempdir().unwrap();
    let template = picture_template(dir.path());
    let out = run(canvass(&dir.path().join("data"))
        .args(["media", "render"])
        .arg(&template)
        .args(["--var", "last_name=Hopper", "-o"])
        .arg(dir.path().join("out.jpg")));
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("first_name"), "{stderr}");
}

/// Stores what a handset reported, as an MM7 delivery report would, in the data dir's database.
fn record_handset(data: &Path, phone: &str, capabilities: serde_json::Value) {
    assert!(run(canvass(data).arg("migrate")).status.success());
    let url = format!("sqlite://{}", data.join("canvass.db").display());
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let store = canvass_store::Store::open(&url).await.unwrap();
        store
            .record_handset_capabilities(
                canvass_types::TenantId(1),
                &canvass_types::Msisdn::new(phone).unwrap(),
                &capabilities,
                canvass_store::CapabilitySource::Mm7,
                None,
            )
            .await
            .unwrap();
        store.close().await;
    });
}

#[test]
fn handset_without_gif_gets_an_animation_as_video() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    record_handset(
        &data,
        "+15555550123",
        serde_json::json!({
            "max_message_bytes": 200000,
            "max_image": [320, 240],
            "accepted_types": ["image/jpeg", "video/mp4", "audio/mp4"]
        }),
    );
    let input = dir.path().join("wave.gif");
    ffmpeg(&[
        "-f",
        "lavfi",
        "-i",
        "testsrc=size=200x150:rate=10:duration=1",
        input.to_str().unwrap(),
    ]);
    let out = dir.path().join("wave.mp4");
    let json = facts(
        canvass(&data)
            .args(["media", "adapt"])
            .arg(&input)
            .args([
                "--profile",
                "generic-600k",
                "--handset",
                "+15555550123",
                "-o",
            ])
            .arg(&out),
    );
    assert_eq!(json["type"], "video/mp4", "{json}");
    assert_eq!(ffprobe_video_codec(&out), "h264");
    assert_eq!(json["handset"]["max_message_bytes"], 200_000);
    assert_eq!(json["profile"]["max_message_bytes"], 200_000);
    assert!(std::fs::metadata(&out).unwrap().len() <= 200_000);
    let steps = json["steps"].to_string();
    assert!(
        steps.contains("handset +15555550123") && steps.contains("video"),
        "{steps}"
    );
}

#[test]
fn video_template_renders_and_reuses_its_intro_from_the_blob_store() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let body = dir.path().join("body.mp4");
    ffmpeg(&[
        "-f",
        "lavfi",
        "-i",
        "testsrc=size=320x240:rate=15:duration=1",
        "-f",
        "lavfi",
        "-i",
        "sine=duration=1",
        "-c:v",
        "libx264",
        "-pix_fmt",
        "yuv420p",
        "-c:a",
        "aac",
        "-shortest",
        body.to_str().unwrap(),
    ]);
    let template = dir.path().join("rally.json");
    let spec = serde_json::json!({
        "name": "rally", "body": "body.mp4", "intro": { "text": "Hi {{first_name}}!", "duration_s": 1.0 }
    });
    std::fs::write(&template, spec.to_string()).unwrap();
    let render = |out: &Path| {
        facts(
            canvass(&data)
                .args(["media", "render"])
                .arg(&template)
                .args(["--var", "first_name=Ann", "--profile", "generic-300k", "-o"])
                .arg(out),
        )
    };
    let (a, b) = (dir.path().join("a.mp4"), dir.path().join("b.mp4"));
    let first = render(&a);
    let second = render(&b);
    assert_eq!(first["kind"], "video");
    assert_eq!(
        (first["cached"].clone(), second["cached"].clone()),
        (false.into(), true.into())
    );
    assert!(
        second["steps"].to_string().contains("body reused"),
        "{second}"
    );
    assert_eq!(std::fs::read(&a).unwrap(), std::fs::read(&b).unwrap());
    assert_eq!(ffprobe_video_codec(&a), "h264");
    assert!(
        first["duration_s"].as_f64().unwrap() > 1.5,
        "intro plus body"
    );
    assert!(std::fs::metadata(&a).unwrap().len() <= 300_000);
}
