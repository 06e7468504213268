//! Resizing (fast_image_resize, Lanczos3 with SIMD) and flattening transparency for formats that have none.

use fast_image_resize::images::{Image, ImageRef};
use fast_image_resize::{FilterType, PixelType, ResizeAlg, ResizeOptions, Resizer};
use image::{DynamicImage, RgbImage, RgbaImage};

use super::corrupt;
use crate::Result;

/// The largest size with the same aspect ratio as `width` × `height` that fits the box `max_width` × `max_height`
/// in either orientation (carrier profiles state a box, not a screen: a portrait photo may use the long side).
/// Never enlarges, and never returns a zero side.
pub fn fit_within(width: u32, height: u32, max_width: u32, max_height: u32) -> (u32, u32) {
    let (box_long, box_short) = (max_width.max(max_height), max_width.min(max_height));
    let (box_width, box_height) = if width >= height {
        (box_long, box_short)
    } else {
        (box_short, box_long)
    };
    if width <= box_width && height <= box_height {
        return (width, height);
    }
    let scale = f64::min(
        f64::from(box_width) / f64::from(width),
        f64::from(box_height) / f64::from(height),
    );
    let fit = |side: u32, max: u32| ((f64::from(side) * scale).round() as u32).clamp(1, max.max(1));
    (fit(width, box_width), fit(height, box_height))
}

/// `image` resized to exactly `width` × `height` (Lanczos3). Returns a copy when the size is unchanged.
pub fn resize_to(image: &RgbImage, width: u32, height: u32) -> Result<RgbImage> {
    let pixels = resize_raw(
        image.width(),
        image.height(),
        image.as_raw(),
        PixelType::U8x3,
        width,
        height,
    )?;
    RgbImage::from_raw(width, height, pixels)
        .ok_or_else(|| corrupt("resize", "output buffer has the wrong size"))
}

/// `image` resized to exactly `width` × `height` (Lanczos3), weighting colours by alpha so that transparent
/// pixels do not bleed into their neighbours.
pub fn resize_rgba_to(image: &RgbaImage, width: u32, height: u32) -> Result<RgbaImage> {
    let pixels = resize_raw(
        image.width(),
        image.height(),
        image.as_raw(),
        PixelType::U8x4,
        width,
        height,
    )?;
    RgbaImage::from_raw(width, height, pixels)
        .ok_or_else(|| corrupt("resize", "output buffer has the wrong size"))
}

fn resize_raw(
    width: u32,
    height: u32,
    pixels: &[u8],
    pixel_type: PixelType,
    to_width: u32,
    to_height: u32,
) -> Result<Vec<u8>> {
    if (width, height) == (to_width, to_height) {
        return Ok(pixels.to_vec());
    }
    if to_width == 0 || to_height == 0 {
        return Err(corrupt(
            "resize",
            format!("cannot resize to {to_width}×{to_height}"),
        ));
    }
    let source = ImageRef::new(width, height, pixels, pixel_type)
        .map_err(|e| corrupt("resize", e.to_string()))?;
    let mut output = Image::new(to_width, to_height, pixel_type);
    let options = ResizeOptions::new().resize_alg(ResizeAlg::Convolution(FilterType::Lanczos3));
    Resizer::new()
        .resize(&source, &mut output, &options)
        .map_err(|e| corrupt("resize", e.to_string()))?;
    Ok(output.into_vec())
}

/// The picture as RGB, with any transparency composited over white (what a handset shows behind a transparent
/// PNG is unknown; white is what most messaging apps draw).
pub fn flatten_on_white(image: &DynamicImage) -> RgbImage {
    if !image.color().has_alpha() {
        return image.to_rgb8();
    }
    let rgba = image.to_rgba8();
    let mut rgb = RgbImage::new(rgba.width(), rgba.height());
    for (out, pixel) in rgb.pixels_mut().zip(rgba.pixels()) {
        let alpha = u32::from(pixel[3]);
        for channel in 0..3 {
            let over_white = (u32::from(pixel[channel]) * alpha + 255 * (255 - alpha) + 127) / 255;
            out[channel] = over_white as u8;
        }
    }
    rgb
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fit_within_keeps_the_aspect_ratio_and_never_enlarges() {
        assert_eq!(fit_within(4032, 3024, 1280, 1280), (1280, 960));
        assert_eq!(fit_within(3024, 4032, 1280, 1280), (960, 1280));
        assert_eq!(fit_within(640, 480, 1280, 1280), (640, 480));
        assert_eq!(fit_within(10_000, 1, 100, 100), (100, 1));
        // The box applies in either orientation.
        assert_eq!(fit_within(3024, 4032, 1280, 960), (960, 1280));
        assert_eq!(fit_within(4032, 3024, 960, 1280), (1280, 960));
    }

    #[test]
    fn flattening_puts_transparent_pixels_on_white() {
        let mut rgba = RgbaImage::new(2, 1);
        rgba.put_pixel(0, 0, image::Rgba([0, 0, 0, 0]));
        rgba.put_pixel(1, 0, image::Rgba([0, 0, 0, 255]));
        let rgb = flatten_on_white(&DynamicImage::ImageRgba8(rgba));
        assert_eq!(rgb.get_pixel(0, 0).0, [255, 255, 255]);
        assert_eq!(rgb.get_pixel(1, 0).0, [0, 0, 0]);
    }

    #[test]
    fn resize_gives_the_asked_size_and_keeps_flat_colour() {
        let image = RgbImage::from_pixel(400, 300, image::Rgb([200, 100, 50]));
        let small = resize_to(&image, 100, 75).unwrap();
        assert_eq!(small.dimensions(), (100, 75));
        assert_eq!(small.get_pixel(50, 37).0, [200, 100, 50]);
    }
}
