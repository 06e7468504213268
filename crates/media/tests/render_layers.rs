//! Picture and QR layers: a photo chosen per recipient, a QR code for a tracked link, errors that name the file.

mod render_support;

use canvass_media::render::Template;
use render_support::*;

fn write_photo(dir: &std::path::Path, name: &str, color: [u8; 3]) {
    std::fs::create_dir_all(dir.join("photos")).unwrap();
    image::RgbImage::from_pixel(60, 90, image::Rgb(color))
        .save(dir.join("photos").join(name))
        .unwrap();
}

fn template(dir: &std::path::Path) -> Template {
    write_background(dir);
    write_photo(dir, "PA-7.png", [200, 20, 20]);
    write_photo(dir, "OH-3.png", [20, 20, 200]);
    let spec = serde_json::json!({
        "name": "flyer", "background": "background.png",
        "layers": [
            { "type": "image", "src": "photos/{{district}}.png", "box": [20, 20, 100, 100], "fit": "cover" },
            { "type": "qr", "data": "https://example.org/r/{{link}}", "box": [340, 20, 120, 120] }
        ]
    });
    let path = dir.join("flyer.json");
    std::fs::write(&path, spec.to_string()).unwrap();
    Template::load(&path).unwrap()
}

fn pixel(rgb: &[u8], x: u32, y: u32) -> [u8; 3] {
    let i = ((y * W + x) * 3) as usize;
    [rgb[i], rgb[i + 1], rgb[i + 2]]
}

#[test]
fn photo_follows_the_recipients_district() {
    let dir = tempfile::tempdir().unwrap();
    let template = template(dir.path());
    assert_eq!(template.fields(), ["district", "link"]);
    let pa = template
        .render_rgb(&[("district", "PA-7"), ("link", "a1")])
        .unwrap();
    let oh = template
        .render_rgb(&[("district", "OH-3"), ("link", "a1")])
        .unwrap();
    assert_eq!(pixel(&pa, 70, 70), [200, 20, 20]);
    assert_eq!(pixel(&oh, 70, 70), [20, 20, 200]);
    let err = template
        .render(&[("district", "TX-1"), ("link", "a1")])
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("flyer") && err.contains("photos/TX-1.png"),
        "{err}"
    );
}

#[test]
fn qr_code_is_drawn_and_depends_on_the_link() {
    let dir = tempfile::tempdir().unwrap();
    let template = template(dir.path());
    let a = template
        .render_rgb(&[("district", "PA-7"), ("link", "a1")])
        .unwrap();
    let b = template
        .render_rgb(&[("district", "PA-7"), ("link", "zz9")])
        .unwrap();
    let region: Vec<[u8; 3]> = (20..140)
        .flat_map(|y| (340..460).map(move |x| (x, y)))
        .map(|(x, y)| pixel(&a, x, y))
        .collect();
    let dark = region.iter().filter(|p| **p == [0, 0, 0]).count();
    let light = region.iter().filter(|p| **p == [255, 255, 255]).count();
    assert_eq!(dark + light, region.len(), "only QR colours in the box");
    assert!(
        dark > region.len() / 5 && light > region.len() / 5,
        "{dark} dark, {light} light"
    );
    let (changed, _) = changed_box(&a, &b).unwrap();
    assert!(
        inside(
            changed,
            canvass_media::render::PixelBox {
                x: 340,
                y: 20,
                w: 120,
                h: 120
            }
        ),
        "{changed:?}"
    );
}

#[test]
fn static_layers_are_baked_in_and_assets_feed_the_key() {
    let dir = tempfile::tempdir().unwrap();
    write_background(dir.path());
    write_photo(dir.path(), "logo.png", [10, 200, 10]);
    let spec = serde_json::json!({
        "name": "flyer", "background": "background.png",
        "layers": [
            { "type": "image", "src": "photos/logo.png", "box": [20, 20, 60, 90], "fit": "contain" },
            { "type": "text", "text": "{{name}}", "font": "DejaVu Sans", "size": 40, "box": [20, 200, 400, 80] }
        ]
    });
    let path = dir.path().join("flyer.json");
    std::fs::write(&path, spec.to_string()).unwrap();
    let template = Template::load(&path).unwrap();
    assert_eq!(template.fields(), ["name"], "the static logo adds no field");
    let rgb = template.render_rgb(&[("name", "")]).unwrap();
    assert_eq!(
        pixel(&rgb, 50, 60),
        [10, 200, 10],
        "logo painted into the base"
    );
    let key = template.key(&[("name", "Ada")]).unwrap();
    // Same spec, different logo file: a different template as far as the cache is concerned.
    write_photo(dir.path(), "logo.png", [10, 10, 200]);
    let changed = Template::load(&path).unwrap();
    assert_ne!(changed.key(&[("name", "Ada")]).unwrap(), key);
}
