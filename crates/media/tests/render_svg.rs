//! SVG templates: placeholders are XML-escaped, names draw inside their region, fit-width text shrinks, and
//! missing fonts, images and fields are named in the error.

mod render_support;

use std::path::Path;

use canvass_media::render::{PixelBox, Template};
use render_support::*;

fn svg(dir: &Path, body: &str) -> Template {
    write_background(dir);
    let text = format!(
        r#"<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="{W}" height="{H}">
  <image href="background.png" x="0" y="0" width="{W}" height="{H}"/>
  {body}
</svg>"#
    );
    let path = dir.join("poster.svg");
    std::fs::write(&path, text).unwrap();
    Template::load(&path).unwrap()
}

const NAME_TEXT: &str = r##"<text id="name" x="240" y="260" font-family="DejaVu Sans" font-size="48" text-anchor="middle" fill="#fff" data-fit-width="400">{{name}}</text>"##;

#[test]
fn placeholders_are_xml_escaped() {
    let dir = tempfile::tempdir().unwrap();
    let template = svg(
        dir.path(),
        &format!(r#"<g data-who="{{{{name}}}}">{NAME_TEXT}</g>"#),
    );
    let nasty = r#"Tom <b>&</b> "Q" 'R'"#;
    let filled = template.filled_svg(&[("name", nasty)]).unwrap().unwrap();
    assert!(
        filled.contains("Tom &lt;b&gt;&amp;&lt;/b&gt; &quot;Q&quot; &apos;R&apos;"),
        "{filled}"
    );
    assert!(!filled.contains("<b>"));
    // It parses and draws: the escaped name is text, not markup.
    let blank = template.render_rgb(&[("name", "")]).unwrap();
    let drawn = template.render_rgb(&[("name", nasty)]).unwrap();
    assert!(changed_box(&blank, &drawn).is_some());
    assert_eq!(
        template.render(&[("name", nasty)]).unwrap().mime,
        "image/jpeg"
    );
}

#[test]
fn name_draws_inside_its_region_and_long_names_shrink() {
    let dir = tempfile::tempdir().unwrap();
    let template = svg(dir.path(), NAME_TEXT);
    let region = PixelBox {
        x: 40,
        y: 200,
        w: 400,
        h: 80,
    };
    let blank = template.render_rgb(&[("name", "")]).unwrap();
    let (short, _) =
        changed_box(&blank, &template.render_rgb(&[("name", "Ada")]).unwrap()).unwrap();
    assert!(inside(short, region), "{short:?}");
    let long = "Bartholomew-Maximilian Wolfeschlegelsteinhausen";
    let (fitted, _) =
        changed_box(&blank, &template.render_rgb(&[("name", long)]).unwrap()).unwrap();
    assert!(
        inside(fitted, region),
        "long name {fitted:?} escapes {region:?}"
    );
    assert!(
        fitted.3 - fitted.1 < short.3 - short.1,
        "shrunk: {fitted:?} vs {short:?}"
    );
}

#[test]
fn arabic_and_devanagari_render_through_fallback() {
    let dir = tempfile::tempdir().unwrap();
    let template = svg(dir.path(), NAME_TEXT);
    let blank = template.render_rgb(&[("name", "")]).unwrap();
    for name in ["محمد", "अर्जुन", "Αλέξανδρος"] {
        let drawn = ink(&blank, &template.render_rgb(&[("name", name)]).unwrap());
        let tofu_text: String = (0..name.chars().count())
            .map(|i| char::from_u32(0xE000 + i as u32).unwrap())
            .collect();
        let tofu = ink(
            &blank,
            &template
                .render_rgb(&[("name", tofu_text.as_str())])
                .unwrap(),
        );
        let inked = drawn.iter().filter(|&&d| d).count();
        let differing = drawn.iter().zip(&tofu).filter(|(a, b)| a != b).count();
        assert!(
            inked > 200 && differing * 3 > inked,
            "{name}: {inked} inked, {differing} differ from tofu"
        );
    }
}

#[test]
fn missing_font_image_and_field_name_the_template() {
    let dir = tempfile::tempdir().unwrap();
    write_background(dir.path());
    let no_font = r#"<svg xmlns="http://www.w3.org/2000/svg" width="100" height="100"><text x="0" y="50" font-family="Nonexistent Sans">{{name}}</text></svg>"#;
    let err = Template::from_svg("poster.svg", no_font, dir.path())
        .err()
        .unwrap()
        .to_string();
    assert!(
        err.contains("poster.svg") && err.contains("Nonexistent Sans"),
        "{err}"
    );

    let photo = r#"<svg xmlns="http://www.w3.org/2000/svg" width="100" height="100"><image href="photos/{{district}}.png" width="50" height="50"/></svg>"#;
    let template = Template::from_svg("poster.svg", photo, dir.path()).unwrap();
    let err = template
        .render(&[("district", "PA-7")])
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("poster.svg") && err.contains("photos/PA-7.png"),
        "{err}"
    );

    let template = svg(dir.path(), NAME_TEXT);
    let err = template.render(&[("nom", "x")]).unwrap_err().to_string();
    assert!(
        err.contains("poster.svg") && err.contains("`name`"),
        "{err}"
    );
}
