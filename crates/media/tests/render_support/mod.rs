//! Fixtures shared by the render tests: a background picture, templates written into a temporary folder, and
//! pixel comparisons.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

use canvass_media::render::{PixelBox, Template};

/// Picture size of the fixtures.
pub const W: u32 = 480;
pub const H: u32 = 320;
/// The name box of the fixtures.
pub const NAME_BOX: PixelBox = PixelBox {
    x: 40,
    y: 200,
    w: 400,
    h: 80,
};

/// Writes a smooth gradient background (so that any drawn text stands out) as PNG.
pub fn write_background(dir: &Path) -> PathBuf {
    let path = dir.join("background.png");
    let img = image::RgbImage::from_fn(W, H, |x, y| {
        image::Rgb([
            (x * 255 / W) as u8 / 2 + 60,
            (y * 255 / H) as u8 / 2 + 60,
            140,
        ])
    });
    img.save(&path).unwrap();
    path
}

/// A JSON layer template with one text layer `text` in [`NAME_BOX`]; `font` is a family name.
pub fn json_template(dir: &Path, text: &str, font: &str) -> PathBuf {
    write_background(dir);
    let spec = serde_json::json!({
        "name": "greeting",
        "background": "background.png",
        "quality": 90,
        "layers": [{
            "type": "text", "text": text, "font": font, "weight": 700, "size": 64, "min_size": 8,
            "color": "#ffffff", "stroke": { "width": 2, "color": "#000000" },
            "box": [NAME_BOX.x, NAME_BOX.y, NAME_BOX.w, NAME_BOX.h]
        }]
    });
    let path = dir.join("greeting.json");
    std::fs::write(&path, serde_json::to_string_pretty(&spec).unwrap()).unwrap();
    path
}

/// Bounding box `(x0, y0, x1, y1)` (exclusive ends) of the pixels that differ between two RGB pictures of
/// [`W`]×[`H`], and how many differ; `None` when none do.
pub fn changed_box(a: &[u8], b: &[u8]) -> Option<((u32, u32, u32, u32), usize)> {
    assert_eq!(a.len(), b.len());
    let mut bbox: Option<(u32, u32, u32, u32)> = None;
    let mut count = 0;
    for (i, (pa, pb)) in a.chunks_exact(3).zip(b.chunks_exact(3)).enumerate() {
        if pa != pb {
            count += 1;
            let (x, y) = (i as u32 % W, i as u32 / W);
            bbox = Some(match bbox {
                None => (x, y, x + 1, y + 1),
                Some((x0, y0, x1, y1)) => (x0.min(x), y0.min(y), x1.max(x + 1), y1.max(y + 1)),
            });
        }
    }
    bbox.map(|b| (b, count))
}

/// Whether a box lies inside another.
pub fn inside(b: (u32, u32, u32, u32), outer: PixelBox) -> bool {
    b.0 >= outer.x && b.1 >= outer.y && b.2 <= outer.x + outer.w && b.3 <= outer.y + outer.h
}

/// Per-pixel "was drawn on" mask against the background.
pub fn ink(background: &[u8], picture: &[u8]) -> Vec<bool> {
    background
        .chunks_exact(3)
        .zip(picture.chunks_exact(3))
        .map(|(a, b)| a != b)
        .collect()
}

/// Renders the picture for a single field `name`.
pub fn rgb(template: &Template, name: &str) -> Vec<u8> {
    template.render_rgb(&[("name", name)]).unwrap()
}
