//! The in-process half of `scripts/bench/media-picture.sh` (which drives ImageMagick for the other half and
//! prints the comparison). Each mode prints one JSON line.
//!
//! ```text
//! picture_bench resize INPUT OUTPUT RUNS        decode (DCT-scaled), resize to 640 wide, JPEG q=85 (fast)
//! picture_bench adapt INPUT OUTPUT BUDGET SIDE  picture::adapt to a SIDE×SIDE box under BUDGET bytes
//! picture_bench bomb                            refuse a 100-megapixel PNG header; time and peak memory
//! ```

use std::time::Instant;

use canvass_media::picture::{self, DecodeLimits, PictureTarget};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args
        .iter()
        .map(String::as_str)
        .collect::<Vec<_>>()
        .as_slice()
    {
        ["resize", input, output, runs] => resize(input, output, runs.parse().unwrap_or(15)),
        ["adapt", input, output, budget, side] => adapt(
            input,
            output,
            budget.parse().unwrap_or(614_400),
            side.parse().unwrap_or(1600),
        ),
        ["bomb"] => bomb(),
        _ => Err(
            "usage: picture_bench resize IN OUT RUNS | adapt IN OUT BUDGET SIDE | bomb".to_owned(),
        ),
    };
    if let Err(message) = result {
        eprintln!("picture_bench: {message}");
        std::process::exit(1);
    }
}

/// Per image: read the file, decode (DCT-scaled where it helps), resize to 640 wide (Lanczos3), encode at q=85
/// with the fast encoder (what ImageMagick's libjpeg-turbo writes), write the file.
fn resize(input: &str, output: &str, runs: usize) -> Result<(), String> {
    let mut times = Vec::with_capacity(runs);
    // One untimed image first: a long-running sender is warm (allocator, page cache, CPU feature detection).
    for run in 0..=runs {
        let start = Instant::now();
        let bytes = std::fs::read(input).map_err(|e| e.to_string())?;
        let decoded = picture::decode_for_box(&bytes, input, &DecodeLimits::default(), 640, 640)
            .map_err(|e| e.to_string())?;
        let rgb = decoded.image.into_rgb8();
        let height = (u64::from(rgb.height()) * 640 / u64::from(rgb.width())).max(1) as u32;
        let small = picture::resize_to(&rgb, 640, height).map_err(|e| e.to_string())?;
        let jpeg = picture::encode_jpeg(&small, 85).map_err(|e| e.to_string())?;
        std::fs::write(output, &jpeg).map_err(|e| e.to_string())?;
        if run > 0 {
            times.push(start.elapsed().as_secs_f64() * 1000.0);
        }
    }
    println!("{{\"mode\":\"resize\",\"times_ms\":{:?}}}", times);
    Ok(())
}

fn adapt(input: &str, output: &str, budget: u64, side: u32) -> Result<(), String> {
    let bytes = std::fs::read(input).map_err(|e| e.to_string())?;
    let target = PictureTarget {
        max_width: side,
        max_height: side,
        max_bytes: budget,
        accepted_types: vec!["image/jpeg".to_owned()],
        limits: DecodeLimits::default(),
    };
    let start = Instant::now();
    let adapted = picture::adapt(&bytes, input, &target).map_err(|e| e.to_string())?;
    let ms = start.elapsed().as_secs_f64() * 1000.0;
    std::fs::write(output, &adapted.bytes).map_err(|e| e.to_string())?;
    println!(
        "{{\"mode\":\"adapt\",\"ms\":{ms:.1},\"width\":{},\"height\":{},\"bytes\":{},\"quality\":{},\"steps\":{:?}}}",
        adapted.width,
        adapted.height,
        adapted.byte_len(),
        adapted.jpeg_quality.unwrap_or(0),
        adapted.steps
    );
    Ok(())
}

/// A real 32×32 PNG whose header claims 10,000 × 10,000: the refusal must cost a header read.
fn bomb() -> Result<(), String> {
    let mut png = Vec::new();
    image::DynamicImage::ImageRgb8(image::RgbImage::new(32, 32))
        .write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png)
        .map_err(|e| e.to_string())?;
    png[16..20].copy_from_slice(&10_000u32.to_be_bytes());
    png[20..24].copy_from_slice(&10_000u32.to_be_bytes());
    let crc = crc32(&png[12..29]);
    png[29..33].copy_from_slice(&crc.to_be_bytes());
    let before_kb = peak_rss_kb();
    let target = PictureTarget {
        max_width: 1280,
        max_height: 1280,
        max_bytes: 600_000,
        accepted_types: vec!["image/jpeg".to_owned()],
        limits: DecodeLimits::default(),
    };
    let start = Instant::now();
    let outcome = picture::adapt(&png, "bomb.png", &target);
    let ms = start.elapsed().as_secs_f64() * 1000.0;
    let grew_kb = peak_rss_kb().saturating_sub(before_kb);
    let error = match outcome {
        Ok(_) => return Err("the bomb was decoded".to_owned()),
        Err(e) => e.to_string(),
    };
    println!(
        "{{\"mode\":\"bomb\",\"ms\":{ms:.3},\"peak_rss_growth_kb\":{grew_kb},\"error\":{error:?}}}"
    );
    Ok(())
}

/// Peak resident set size of this process (VmHWM), in KiB.
fn peak_rss_kb() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix("VmHWM:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        })
        .unwrap_or(0)
}

fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = 0xFFFF_FFFFu32;
    for &byte in bytes {
        crc ^= u32::from(byte);
        for _ in 0..8 {
            crc = if crc & 1 != 0 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}
