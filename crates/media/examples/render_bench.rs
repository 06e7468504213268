//! Benchmark of personalised picture rendering (driven by `scripts/bench/media-render.sh`, which runs Pillow on
//! the same template in the same run and prints the ratios).
//!
//! Usage: `render_bench DIR [UNIQUE] [RECIPIENTS] [RUNS]`. Writes into DIR the shared fixture (a 1080×1080 JPEG
//! background, the JSON template, `unique.txt` and `zipf.txt` name lists, `setup.json` with the font path, box
//! and quality for the peer), then measures, single-threaded:
//! - `unique`: UNIQUE renders of distinct names, milliseconds per render, median over RUNS;
//! - `zipf`: RECIPIENTS recipients whose first names follow a Zipf law over the `fake` crate's first names,
//!   through the deduplicating batch renderer with a fresh in-memory cache, seconds per batch, median over RUNS.
//!
//! Prints one JSON object.

use std::path::{Path, PathBuf};
use std::time::Instant;

use canvass_media::render::{BatchRenderer, MemoryRenderCache, Template};
use fake::locales::{Data, EN};

const SIZE: u32 = 1080;
const FONT: &str = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf";
const NAME_BOX: [u32; 4] = [90, 820, 900, 140];
const FONT_SIZE: f32 = 96.0;
const QUALITY: u8 = 85;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let Some(dir) = args.get(1).map(PathBuf::from) else {
        eprintln!("usage: render_bench DIR [UNIQUE] [RECIPIENTS] [RUNS]");
        std::process::exit(2);
    };
    let number =
        |i: usize, default: usize| args.get(i).and_then(|a| a.parse().ok()).unwrap_or(default);
    let (unique, recipients, runs) = (number(2, 300), number(3, 100_000), number(4, 5));
    std::fs::create_dir_all(&dir).expect("create the bench folder");
    let template_path = write_fixture(&dir);
    let template = Template::load(&template_path).expect("load the template");

    let names = unique_names(unique);
    let zipf = zipf_first_names(recipients, 1.0, 7);
    std::fs::write(dir.join("unique.txt"), names.join("\n")).expect("write unique.txt");
    std::fs::write(dir.join("zipf.txt"), zipf.join("\n")).expect("write zipf.txt");

    let mut unique_ms = Vec::new();
    let mut bytes = 0;
    for _ in 0..runs {
        let started = Instant::now();
        for name in &names {
            bytes += template
                .render(&[("name", name.as_str())])
                .expect("render")
                .bytes
                .len();
        }
        unique_ms.push(started.elapsed().as_secs_f64() * 1000.0 / names.len() as f64);
    }

    let mut zipf_s = Vec::new();
    let mut distinct = 0;
    for _ in 0..runs.min(3) {
        let cache = MemoryRenderCache::new();
        let mut batch = BatchRenderer::new(&template, &cache);
        let started = Instant::now();
        for name in &zipf {
            batch.render(&[("name", name.as_str())]).expect("render");
        }
        zipf_s.push(started.elapsed().as_secs_f64());
        distinct = batch.stats().rendered;
    }
    println!(
        "{}",
        serde_json::json!({
            "unique_ms_per_render": median(&mut unique_ms),
            "unique_runs_ms": unique_ms,
            "mean_jpeg_bytes": bytes / (runs * names.len()).max(1),
            "zipf_recipients": zipf.len(),
            "zipf_distinct_names": distinct,
            "zipf_total_s": median(&mut zipf_s),
            "zipf_runs_s": zipf_s,
        })
    );
}

/// Background (a photo-like pattern, saved as JPEG so both sides decode the same file), template and peer setup.
fn write_fixture(dir: &Path) -> PathBuf {
    let background = image::RgbImage::from_fn(SIZE, SIZE, |x, y| {
        let (fx, fy) = (x as f32 / SIZE as f32, y as f32 / SIZE as f32);
        let wave = ((fx * 23.0).sin() * (fy * 17.0).cos() * 40.0) as i32;
        let grain = ((x.wrapping_mul(2_654_435_761) ^ y.wrapping_mul(40_503)) >> 27) as i32;
        let c = |base: f32, slope: f32| (base + slope * (fx + fy) * 60.0) as i32 + wave + grain;
        image::Rgb([
            c(40.0, 1.0).clamp(0, 255) as u8,
            c(70.0, 0.6).clamp(0, 255) as u8,
            c(120.0, 0.3).clamp(0, 255) as u8,
        ])
    });
    background
        .save_with_format(dir.join("background.jpg"), image::ImageFormat::Jpeg)
        .expect("write background.jpg");
    let spec = serde_json::json!({
        "name": "bench-greeting", "background": "background.jpg", "quality": QUALITY,
        "layers": [{ "type": "text", "text": "{{name}}", "font": FONT, "size": FONT_SIZE, "min_size": 12,
                     "color": "#ffffff", "align": "center", "valign": "middle", "box": NAME_BOX }]
    });
    let path = dir.join("template.json");
    std::fs::write(&path, spec.to_string()).expect("write template.json");
    let setup = serde_json::json!({ "font": FONT, "size": FONT_SIZE, "box": NAME_BOX, "quality": QUALITY, "color": [255, 255, 255] });
    std::fs::write(dir.join("setup.json"), setup.to_string()).expect("write setup.json");
    path
}

/// Distinct "First Last" names.
fn unique_names(count: usize) -> Vec<String> {
    let (first, last) = (EN::NAME_FIRST_NAME, EN::NAME_LAST_NAME);
    (0..count)
        .map(|i| {
            format!(
                "{} {}",
                first[(i * 7) % first.len()],
                last[(i * 13) % last.len()]
            )
        })
        .collect()
}

/// `count` first names drawn from a Zipf law with exponent `s` over the first-name list (ranks in a fixed
/// shuffled order), with a small deterministic generator so that both sides see the same sequence.
fn zipf_first_names(count: usize, s: f64, seed: u64) -> Vec<String> {
    let mut state = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    let mut names: Vec<&str> = EN::NAME_FIRST_NAME.to_vec();
    for i in (1..names.len()).rev() {
        names.swap(i, (next() % (i as u64 + 1)) as usize);
    }
    let mut cumulative = Vec::with_capacity(names.len());
    let mut total = 0.0;
    for rank in 1..=names.len() {
        total += 1.0 / (rank as f64).powf(s);
        cumulative.push(total);
    }
    (0..count)
        .map(|_| {
            let u = (next() >> 11) as f64 / (1u64 << 53) as f64 * total;
            names[cumulative.partition_point(|&c| c < u).min(names.len() - 1)].to_owned()
        })
        .collect()
}

fn median(values: &mut [f64]) -> f64 {
    values.sort_by(f64::total_cmp);
    values.get(values.len() / 2).copied().unwrap_or(f64::NAN)
}
