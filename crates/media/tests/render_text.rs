//! The fast path's text: drawn only inside its box, long names shrink to fit, other scripts render real glyphs.

mod render_support;

use canvass_media::render::Template;
use render_support::*;

fn greeting(dir: &std::path::Path) -> Template {
    Template::load(&json_template(dir, "{{name}}", "DejaVu Sans")).unwrap()
}

#[test]
fn name_changes_pixels_inside_the_box_and_nowhere_else() {
    let dir = tempfile::tempdir().unwrap();
    let template = greeting(dir.path());
    assert_eq!(template.fields(), ["name"]);
    let blank = rgb(&template, "");
    let named = rgb(&template, "Ada");
    let (bbox, count) = changed_box(&blank, &named).expect("the name drew something");
    assert!(
        inside(bbox, NAME_BOX),
        "text {bbox:?} escapes its box {NAME_BOX:?}"
    );
    assert!(count > 500, "only {count} pixels changed");
    // The encoded picture differs from the name-less one only in the MCU rows around the box.
    let a = image::load_from_memory(&template.render(&[("name", "")]).unwrap().bytes)
        .unwrap()
        .to_rgb8();
    let b = image::load_from_memory(&template.render(&[("name", "Ada")]).unwrap().bytes)
        .unwrap()
        .to_rgb8();
    let (jbox, _) = changed_box(a.as_raw(), b.as_raw()).expect("JPEGs differ");
    assert!(
        jbox.1 >= NAME_BOX.y / 16 * 16 && jbox.3 <= (NAME_BOX.y + NAME_BOX.h).div_ceil(16) * 16,
        "{jbox:?}"
    );
}

#[test]
fn long_names_shrink_to_fit_their_box() {
    let dir = tempfile::tempdir().unwrap();
    let template = greeting(dir.path());
    let blank = rgb(&template, "");
    let (short, _) = changed_box(&blank, &rgb(&template, "Al")).unwrap();
    let long_name = "Bartholomew-Maximilian Wolfeschlegelsteinhausenbergerdorff";
    let (long, _) = changed_box(&blank, &rgb(&template, long_name)).unwrap();
    assert!(
        inside(long, NAME_BOX),
        "long name {long:?} escapes {NAME_BOX:?}"
    );
    assert!(
        long.2 - long.0 > NAME_BOX.w * 8 / 10,
        "long name fills most of the width: {long:?}"
    );
    let (short_h, long_h) = (short.3 - short.1, long.3 - long.1);
    assert!(
        long_h * 2 < short_h,
        "long name drawn smaller: heights {long_h} vs {short_h}"
    );
}

#[test]
fn non_latin_names_render_glyphs_not_tofu() {
    let dir = tempfile::tempdir().unwrap();
    let template = greeting(dir.path());
    let blank = rgb(&template, "");
    // Private-use characters no installed font has: what tofu (.notdef boxes) looks like at that length.
    for name in [
        "Анастасия",
        "Αλέξανδρος",
        "محمد",
        "אברהם",
        "अर्जुन",
        "ประเสริฐ",
        "王秀英",
        "さくら",
        "김민준",
    ] {
        let drawn = ink(&blank, &rgb(&template, name));
        let tofu_text: String = (0..name.chars().count())
            .map(|i| char::from_u32(0xE000 + i as u32).unwrap())
            .collect();
        let tofu = ink(&blank, &rgb(&template, &tofu_text));
        let inked = drawn.iter().filter(|&&d| d).count();
        assert!(inked > 300, "{name}: blank ({inked} pixels)");
        let differing = drawn.iter().zip(&tofu).filter(|(a, b)| a != b).count();
        assert!(
            differing * 3 > inked,
            "{name}: looks like .notdef boxes ({differing} of {inked} pixels differ)"
        );
    }
}

#[test]
fn missing_font_and_field_are_template_errors() {
    let dir = tempfile::tempdir().unwrap();
    let err = Template::load(&json_template(
        dir.path(),
        "{{name}}",
        "No Such Font Family",
    ))
    .err()
    .unwrap();
    let text = err.to_string();
    assert!(
        text.contains("greeting") && text.contains("No Such Font Family"),
        "{text}"
    );
    let template = greeting(dir.path());
    let err = template.render(&[("first_name", "Ada")]).unwrap_err();
    assert!(
        matches!(&err, canvass_media::Error::Template { template, reason } if template == "greeting" && reason.contains("`name`")),
        "{err}"
    );
}
