//! Picture adaptation end to end: inputs made with the `image` crate, outputs decoded again by real decoders and
//! checked for dimensions, size under budget, orientation and animation.

mod picture_support;

use std::io::Cursor;

use canvass_media::Error;
use canvass_media::picture::{self, DecodeLimits, JPEG_MIN_QUALITY, PictureTarget};
use image::{DynamicImage, GenericImageView, ImageFormat, Rgb, RgbImage, Rgba, RgbaImage};
use picture_support::*;

fn target(max_side: u32, max_bytes: u64, types: &[&str]) -> PictureTarget {
    PictureTarget {
        max_width: max_side,
        max_height: max_side,
        max_bytes,
        accepted_types: types.iter().map(|t| (*t).to_owned()).collect(),
        limits: DecodeLimits::default(),
    }
}

fn decode(bytes: &[u8]) -> DynamicImage {
    image::load_from_memory(bytes).expect("the output decodes")
}

#[test]
fn exif_orientation_6_is_applied() {
    // Stored 400×200, left half red and right half blue; orientation 6 shows it turned a quarter clockwise, so the
    // picture is 200×400 with red on top.
    let stored = RgbImage::from_fn(400, 200, |x, _| {
        if x < 200 {
            Rgb([230, 20, 20])
        } else {
            Rgb([20, 20, 230])
        }
    });
    let input = jpeg_with_orientation(&stored, 6);
    let probe = picture::probe(&input, "turned.jpg", &DecodeLimits::default()).unwrap();
    assert_eq!((probe.orientation, probe.displayed_size()), (6, (200, 400)));

    let adapted = picture::adapt(
        &input,
        "turned.jpg",
        &target(1280, 300_000, &["image/jpeg"]),
    )
    .unwrap();
    assert!(
        adapted.steps.iter().any(|s| s == "orient 6"),
        "{:?}",
        adapted.steps
    );
    let output = decode(&adapted.bytes).to_rgb8();
    assert_eq!(output.dimensions(), (200, 400));
    assert_eq!((adapted.width, adapted.height), (200, 400));
    assert!(
        distance(output.get_pixel(100, 60).0, [230, 20, 20]) < 20,
        "top is red: {:?}",
        output.get_pixel(100, 60)
    );
    assert!(
        distance(output.get_pixel(100, 340).0, [20, 20, 230]) < 20,
        "bottom is blue"
    );
}

#[test]
fn orientation_8_and_3_turn_the_right_way() {
    let stored = RgbImage::from_fn(300, 100, |x, _| {
        if x < 150 {
            Rgb([230, 20, 20])
        } else {
            Rgb([20, 20, 230])
        }
    });
    // 8: a quarter anticlockwise, so the stored left half (red) ends at the bottom.
    let turned = picture::decode_limited(
        &jpeg_with_orientation(&stored, 8),
        "8.jpg",
        &DecodeLimits::default(),
    )
    .unwrap()
    .image
    .to_rgb8();
    assert_eq!(turned.dimensions(), (100, 300));
    assert!(distance(turned.get_pixel(50, 250).0, [230, 20, 20]) < 20);
    // 3: half a turn, so red ends on the right.
    let upside = picture::decode_limited(
        &jpeg_with_orientation(&stored, 3),
        "3.jpg",
        &DecodeLimits::default(),
    )
    .unwrap()
    .image
    .to_rgb8();
    assert_eq!(upside.dimensions(), (300, 100));
    assert!(distance(upside.get_pixel(250, 50).0, [230, 20, 20]) < 20);
}

#[test]
fn a_large_photo_is_resized_and_fits_the_budget() {
    let input = encode(
        &DynamicImage::ImageRgb8(photo_like(2400, 1800, 1)),
        ImageFormat::Jpeg,
    );
    let budget = 150_000;
    let adapted = picture::adapt(
        &input,
        "big.jpg",
        &target(1280, budget, &["image/jpeg", "image/gif"]),
    )
    .unwrap();
    let output = decode(&adapted.bytes);
    assert_eq!(output.dimensions(), (1280, 960));
    assert_eq!(adapted.mime, "image/jpeg");
    assert!(
        adapted.byte_len() <= budget,
        "{} B over {budget}",
        adapted.byte_len()
    );
    let quality = adapted.jpeg_quality.unwrap();
    assert!(
        adapted
            .steps
            .iter()
            .any(|s| s == "resize 2400x1800→1280x960"),
        "{:?}",
        adapted.steps
    );
    assert!(
        adapted
            .steps
            .last()
            .unwrap()
            .starts_with(&format!("jpeg q={quality} → ")),
        "{:?}",
        adapted.steps
    );
    // Content survives: the middle of the output resembles the middle of the input.
    let expected = image::imageops::thumbnail(&photo_like(2400, 1800, 1), 1280, 960);
    let (a, b) = (
        output.to_rgb8().get_pixel(640, 480).0,
        expected.get_pixel(640, 480).0,
    );
    assert!(distance(a, b) < 40, "{a:?} vs {b:?}");
}

#[test]
fn a_tight_budget_lowers_quality_then_dimensions() {
    let input = encode(
        &DynamicImage::ImageRgb8(photo_like(1000, 750, 2)),
        ImageFormat::Png,
    );
    let budget = 15_000;
    let adapted =
        picture::adapt(&input, "tight.png", &target(1280, budget, &["image/jpeg"])).unwrap();
    assert!(adapted.byte_len() <= budget);
    assert!(
        adapted.width < 1000 && adapted.height < 750,
        "shrunk: {:?}",
        adapted
    );
    assert!(adapted.jpeg_quality.unwrap() >= JPEG_MIN_QUALITY);
    assert!(
        adapted.steps.iter().any(|s| s.ends_with("(budget)")),
        "{:?}",
        adapted.steps
    );
    let output = decode(&adapted.bytes);
    assert_eq!(output.dimensions(), (adapted.width, adapted.height));
    // The aspect ratio is kept to within a pixel.
    let ratio = f64::from(adapted.width) / f64::from(adapted.height);
    assert!((ratio - 4.0 / 3.0).abs() < 0.01, "{ratio}");
}

#[test]
fn a_transparent_png_becomes_a_jpeg_on_white() {
    let rgba = RgbaImage::from_fn(200, 100, |x, _| {
        if x < 100 {
            Rgba([0, 0, 0, 0])
        } else {
            Rgba([10, 10, 10, 255])
        }
    });
    let input = encode(&DynamicImage::ImageRgba8(rgba), ImageFormat::Png);
    let adapted = picture::adapt(
        &input,
        "logo.png",
        &target(640, 100_000, &["image/jpeg", "image/gif"]),
    )
    .unwrap();
    assert_eq!(adapted.mime, "image/jpeg");
    assert!(
        adapted
            .steps
            .iter()
            .any(|s| s.contains("transparency on white")),
        "{:?}",
        adapted.steps
    );
    let output = decode(&adapted.bytes).to_rgb8();
    assert!(
        distance(output.get_pixel(30, 50).0, [255, 255, 255]) < 8,
        "{:?}",
        output.get_pixel(30, 50)
    );
    assert!(distance(output.get_pixel(170, 50).0, [10, 10, 10]) < 8);
}

#[test]
fn a_fitting_picture_of_an_accepted_type_is_kept_as_is() {
    let gif = animated_gif(64, 48, 3, false);
    let adapted = picture::adapt(&gif, "small.gif", &target(640, 100_000, &["image/gif"])).unwrap();
    assert_eq!(adapted.bytes, gif);
    assert_eq!(
        (adapted.mime, adapted.frames, adapted.width),
        ("image/gif", 3, 64)
    );
    assert!(adapted.steps[0].starts_with("keep image/gif"));
}

#[test]
fn an_animated_gif_over_budget_is_reduced_and_stays_animated() {
    let gif = animated_gif(240, 180, 40, true);
    let budget = gif.len() as u64 / 3;
    let adapted = picture::adapt(
        &gif,
        "anim.gif",
        &target(640, budget, &["image/gif", "image/jpeg"]),
    )
    .unwrap();
    assert_eq!(adapted.mime, "image/gif");
    assert!(
        adapted.byte_len() <= budget,
        "{} over {budget}: {:?}",
        adapted.byte_len(),
        adapted.steps
    );
    assert!(!adapted.animation_lost);
    assert!(
        adapted
            .steps
            .iter()
            .any(|s| s.starts_with("reduce gif 40→")),
        "{:?}",
        adapted.steps
    );
    let frames = gif_frames(&adapted.bytes);
    assert_eq!(frames.len() as u32, adapted.frames);
    assert!(frames.len() > 1 && frames.len() <= 40);
    assert_eq!(
        frames[0].buffer().dimensions(),
        (adapted.width, adapted.height)
    );
    // The square moved: the animation still animates.
    assert_ne!(frames[0].buffer(), frames[frames.len() - 1].buffer());
}

#[test]
fn an_animated_gif_is_resized_to_the_target_in_every_frame() {
    let gif = animated_gif(400, 200, 6, false);
    let adapted =
        picture::adapt(&gif, "wide.gif", &target(200, 1_000_000, &["image/gif"])).unwrap();
    assert_eq!(
        (adapted.width, adapted.height, adapted.frames),
        (200, 100, 6)
    );
    let frames = gif_frames(&adapted.bytes);
    assert_eq!(frames.len(), 6);
    assert!(frames.iter().all(|f| f.buffer().dimensions() == (200, 100)));
    // Colours survive quantisation: the blue ground stays blue.
    let ground = frames[0].buffer().get_pixel(5, 5).0;
    assert!(
        distance([ground[0], ground[1], ground[2]], [20, 120, 220]) < 12,
        "{ground:?}"
    );
}

#[test]
fn an_animation_that_cannot_be_a_gif_becomes_a_still() {
    let gif = animated_gif(240, 180, 10, true);
    let adapted = picture::adapt(&gif, "anim.gif", &target(640, 100_000, &["image/jpeg"])).unwrap();
    assert_eq!((adapted.mime, adapted.frames), ("image/jpeg", 1));
    assert!(adapted.animation_lost);
    assert_eq!(decode(&adapted.bytes).dimensions(), (240, 180));
}

#[test]
fn webp_and_bmp_inputs_are_read() {
    let photo = DynamicImage::ImageRgb8(photo_like(900, 600, 3));
    for (format, name) in [(ImageFormat::WebP, "p.webp"), (ImageFormat::Bmp, "p.bmp")] {
        let input = encode(&photo, format);
        let adapted = picture::adapt(&input, name, &target(300, 60_000, &["image/jpeg"])).unwrap();
        assert_eq!(decode(&adapted.bytes).dimensions(), (300, 200), "{name}");
        assert_eq!(
            adapted.source.format.mime(),
            format.to_mime_type(),
            "{name}"
        );
    }
}

#[test]
fn png_only_destinations_get_a_png_within_budget() {
    let input = encode(
        &DynamicImage::ImageRgb8(photo_like(800, 600, 4)),
        ImageFormat::Jpeg,
    );
    let adapted = picture::adapt(&input, "p.jpg", &target(640, 200_000, &["image/png"])).unwrap();
    assert_eq!(adapted.mime, "image/png");
    assert!(adapted.byte_len() <= 200_000);
    let output = image::load_from_memory_with_format(&adapted.bytes, ImageFormat::Png).unwrap();
    assert_eq!(output.dimensions(), (adapted.width, adapted.height));
    assert!(adapted.width <= 640);
}

#[test]
fn truncated_files_are_corrupt_and_named() {
    let photo = DynamicImage::ImageRgb8(photo_like(300, 200, 5));
    let inputs = [
        ("cut.jpg", encode(&photo, ImageFormat::Jpeg)),
        ("cut.png", encode(&photo, ImageFormat::Png)),
        ("cut.gif", animated_gif(120, 90, 4, true)),
        ("cut.webp", encode(&photo, ImageFormat::WebP)),
        ("cut.bmp", encode(&photo, ImageFormat::Bmp)),
    ];
    for (name, bytes) in inputs {
        let cut = &bytes[..bytes.len() / 2];
        match picture::adapt(cut, name, &target(640, 1_000_000, &["image/jpeg"])) {
            Err(Error::Corrupt { what, reason }) => {
                assert_eq!(what, name);
                assert!(!reason.is_empty());
                let message = Error::Corrupt { what, reason }.to_string();
                assert!(
                    message.starts_with(&format!("{name}: cannot decode: ")),
                    "{message}"
                );
            }
            other => panic!("{name}: expected Corrupt, got {other:?}"),
        }
    }
}

#[test]
fn garbage_and_unknown_types_are_refused_clearly() {
    let any = target(640, 100_000, &["image/jpeg"]);
    match picture::adapt(b"this is a text file, not a picture", "notes.jpg", &any) {
        Err(Error::Unsupported { what, reason }) => {
            assert_eq!(what, "notes.jpg");
            assert!(reason.contains("starts with 74 68 69 73"), "{reason}");
        }
        other => panic!("expected Unsupported, got {other:?}"),
    }
    // A TIFF is a picture, but not one we take.
    let tiff = b"II*\x00\x08\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00";
    assert!(matches!(
        picture::adapt(tiff, "scan.tif", &any),
        Err(Error::Unsupported { .. })
    ));
    assert!(matches!(
        picture::adapt(b"", "empty.png", &any),
        Err(Error::Corrupt { .. })
    ));
    // A valid PNG header followed by nonsense.
    let mut png = encode(
        &DynamicImage::ImageRgb8(photo_like(64, 64, 6)),
        ImageFormat::Png,
    );
    let header_end = 33;
    png[header_end + 8..]
        .iter_mut()
        .for_each(|b| *b = b.wrapping_mul(31).wrapping_add(7));
    assert!(matches!(
        picture::adapt(&png, "mangled.png", &any),
        Err(Error::Corrupt { .. })
    ));
}

#[test]
fn pixel_bombs_are_refused_from_the_header() {
    let small = DynamicImage::ImageRgb8(photo_like(32, 32, 8));
    let bombs = [
        (
            "bomb.jpg",
            jpeg_claiming(&encode(&small, ImageFormat::Jpeg), 10_000, 10_000),
        ),
        (
            "bomb.png",
            png_claiming(&encode(&small, ImageFormat::Png), 10_000, 10_000),
        ),
        (
            "bomb.gif",
            gif_claiming(&animated_gif(32, 32, 2, false), 10_000, 10_000),
        ),
        (
            "bomb.bmp",
            bmp_claiming(&encode(&small, ImageFormat::Bmp), 10_000, 10_000),
        ),
    ];
    for (name, bomb) in bombs {
        match picture::adapt(
            &bomb,
            name,
            &target(640, 100_000, &["image/jpeg", "image/gif"]),
        ) {
            Err(Error::TooLarge { what, reason }) => {
                assert_eq!(what, name);
                assert!(
                    reason.contains("10000×10000") && reason.contains("100.0 megapixels"),
                    "{name}: {reason}"
                );
            }
            other => panic!("{name}: expected TooLarge, got {other:?}"),
        }
    }
}

#[test]
fn limits_are_the_callers_to_set() {
    let input = encode(
        &DynamicImage::ImageRgb8(photo_like(400, 300, 9)),
        ImageFormat::Png,
    );
    let mut strict = target(640, 100_000, &["image/jpeg"]);
    strict.limits.max_pixels = 100_000;
    assert!(matches!(
        picture::adapt(&input, "p.png", &strict),
        Err(Error::TooLarge { .. })
    ));
    strict.limits.max_pixels = 200_000;
    assert!(picture::adapt(&input, "p.png", &strict).is_ok());
    let gif = animated_gif(64, 64, 12, false);
    let mut few_frames = target(32, 100_000, &["image/gif"]);
    few_frames.limits.max_frames = 10;
    assert!(matches!(
        picture::adapt(&gif, "long.gif", &few_frames),
        Err(Error::TooLarge { .. })
    ));
}

#[test]
fn an_impossible_budget_is_over_budget_and_no_picture_type_is_unsupported() {
    let input = encode(
        &DynamicImage::ImageRgb8(photo_like(600, 400, 10)),
        ImageFormat::Jpeg,
    );
    match picture::adapt(&input, "p.jpg", &target(640, 300, &["image/jpeg"])) {
        Err(Error::OverBudget {
            what,
            budget,
            reason,
        }) => {
            assert_eq!((what.as_str(), budget), ("p.jpg", 300));
            assert!(reason.contains("q=50"), "{reason}");
        }
        other => panic!("expected OverBudget, got {other:?}"),
    }
    assert!(matches!(
        picture::adapt(&input, "p.jpg", &target(640, 100_000, &["video/mp4"])),
        Err(Error::Unsupported { .. })
    ));
}

#[test]
fn building_blocks_round_trip() {
    let photo = photo_like(640, 480, 11);
    let small = picture::resize_to(&photo, 320, 240).unwrap();
    let jpeg = picture::encode_jpeg(&small, 85).unwrap();
    let back = image::load_from_memory_with_format(&jpeg, ImageFormat::Jpeg)
        .unwrap()
        .to_rgb8();
    assert_eq!(back.dimensions(), (320, 240));
    assert!(distance(back.get_pixel(160, 120).0, small.get_pixel(160, 120).0) < 24);
    // Higher quality costs more bytes.
    assert!(
        picture::encode_jpeg(&small, 95).unwrap().len()
            > picture::encode_jpeg(&small, 50).unwrap().len()
    );
    let within = picture::encode_jpeg_within(&photo, 30_000, "p").unwrap();
    assert!(within.bytes.len() <= 30_000);
    let mut cursor = Cursor::new(&within.bytes);
    let decoded = image::ImageReader::new(&mut cursor)
        .with_guessed_format()
        .unwrap()
        .decode()
        .unwrap();
    assert_eq!(decoded.dimensions(), (within.width, within.height));
}

#[test]
fn scaled_jpeg_decoding_covers_the_box_and_keeps_orientation() {
    // Stored 1600×800, red left and blue right, orientation 6: shown 800×1600 with red on top.
    let stored = RgbImage::from_fn(1600, 800, |x, _| {
        if x < 800 {
            Rgb([230, 20, 20])
        } else {
            Rgb([20, 20, 230])
        }
    });
    let input = jpeg_with_orientation(&stored, 6);
    let decoded =
        picture::decode_for_box(&input, "big.jpg", &DecodeLimits::default(), 150, 300).unwrap();
    let (width, height) = decoded.image.dimensions();
    // Decoded at a reduced scale (libjpeg's 1/4 here), never below the box, and upright.
    assert_eq!((width, height), (200, 400));
    assert_eq!(decoded.orientation, 6);
    let rgb = decoded.image.to_rgb8();
    assert!(
        distance(rgb.get_pixel(100, 40).0, [230, 20, 20]) < 20,
        "{:?}",
        rgb.get_pixel(100, 40)
    );
    assert!(distance(rgb.get_pixel(100, 360).0, [20, 20, 230]) < 20);

    let adapted =
        picture::adapt(&input, "big.jpg", &target(300, 100_000, &["image/jpeg"])).unwrap();
    assert_eq!(decode(&adapted.bytes).dimensions(), (150, 300));
    assert!(
        adapted.steps.iter().any(|s| s == "resize 800x1600→150x300"),
        "{:?}",
        adapted.steps
    );
}
