//! Inputs for the picture tests, made at test time with the `image` crate (nothing binary is committed), and the
//! byte surgery that turns them into the awkward files the engine must handle: EXIF orientation, pixel bombs.

#![allow(dead_code)]

use std::io::Cursor;

use image::codecs::gif::{GifEncoder, Repeat};
use image::{Delay, DynamicImage, Frame, ImageFormat, Rgb, RgbImage, Rgba, RgbaImage};

/// A picture with photo-like statistics: smooth gradients, edges and fine texture, so JPEG sizes are realistic.
pub fn photo_like(width: u32, height: u32, seed: u32) -> RgbImage {
    let mut state = seed.wrapping_mul(2_654_435_761).wrapping_add(1);
    RgbImage::from_fn(width, height, |x, y| {
        state = state.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
        let noise = (state >> 27) as f32; // 0..31
        let (fx, fy) = (x as f32 / width as f32, y as f32 / height as f32);
        let wave = (fx * 23.0).sin() * (fy * 17.0).cos() * 60.0;
        let edge = if (x / 37 + y / 53) % 2 == 0 {
            40.0
        } else {
            0.0
        };
        let channel = |base: f32| (base + wave + edge + noise).clamp(0.0, 255.0) as u8;
        Rgb([
            channel(fx * 180.0),
            channel(fy * 160.0 + 30.0),
            channel((1.0 - fx) * 150.0 + 20.0),
        ])
    })
}

/// `image` encoded in `format` by the `image` crate (JPEG at quality 92).
pub fn encode(image: &DynamicImage, format: ImageFormat) -> Vec<u8> {
    let mut out = Cursor::new(Vec::new());
    if format == ImageFormat::Jpeg {
        let encoder = image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 92);
        image.write_with_encoder(encoder).unwrap();
    } else {
        image.write_to(&mut out, format).unwrap();
    }
    out.into_inner()
}

/// A JPEG of `image` carrying an EXIF segment whose only tag is Orientation = `orientation`.
pub fn jpeg_with_orientation(image: &RgbImage, orientation: u16) -> Vec<u8> {
    let jpeg = encode(&DynamicImage::ImageRgb8(image.clone()), ImageFormat::Jpeg);
    // TIFF header (big-endian), one IFD with one SHORT entry: tag 0x0112, count 1, value, no next IFD.
    let mut tiff = b"MM\x00\x2a\x00\x00\x00\x08\x00\x01\x01\x12\x00\x03\x00\x00\x00\x01".to_vec();
    tiff.extend_from_slice(&orientation.to_be_bytes());
    tiff.extend_from_slice(&[0, 0, 0, 0, 0, 0]);
    let mut segment = b"Exif\x00\x00".to_vec();
    segment.extend_from_slice(&tiff);
    let mut out = jpeg[..2].to_vec(); // SOI
    out.extend_from_slice(&[0xFF, 0xE1]);
    out.extend_from_slice(&((segment.len() + 2) as u16).to_be_bytes());
    out.extend_from_slice(&segment);
    out.extend_from_slice(&jpeg[2..]);
    out
}

/// An animated GIF of `frames` frames, each `width` × `height`, with a moving square on a textured ground.
pub fn animated_gif(width: u32, height: u32, frames: u32, textured: bool) -> Vec<u8> {
    let ground = photo_like(width, height, 7);
    let mut out = Vec::new();
    {
        let mut encoder = GifEncoder::new_with_speed(&mut out, 30);
        encoder.set_repeat(Repeat::Infinite).unwrap();
        for i in 0..frames {
            let frame = RgbaImage::from_fn(width, height, |x, y| {
                let in_square =
                    x.abs_diff(i * 5 % width) < width / 6 && y.abs_diff(height / 2) < height / 6;
                if in_square {
                    Rgba([250, 20, 20, 255])
                } else if textured {
                    let p = ground.get_pixel((x + i * 3) % width, y);
                    Rgba([p[0], p[1], p[2], 255])
                } else {
                    Rgba([20, 120, 220, 255])
                }
            });
            encoder
                .encode_frame(Frame::from_parts(
                    frame,
                    0,
                    0,
                    Delay::from_numer_denom_ms(80, 1),
                ))
                .unwrap();
        }
    }
    out
}

/// Decodes every frame of a GIF with the `image` crate's decoder.
pub fn gif_frames(bytes: &[u8]) -> Vec<Frame> {
    use image::AnimationDecoder;
    image::codecs::gif::GifDecoder::new(Cursor::new(bytes))
        .unwrap()
        .into_frames()
        .collect_frames()
        .unwrap()
}

/// `jpeg` with the dimensions in its first start-of-frame marker replaced.
pub fn jpeg_claiming(jpeg: &[u8], width: u16, height: u16) -> Vec<u8> {
    let mut out = jpeg.to_vec();
    let sof = out
        .windows(2)
        .position(|w| w[0] == 0xFF && (0xC0..=0xC2).contains(&w[1]))
        .unwrap();
    out[sof + 5..sof + 7].copy_from_slice(&height.to_be_bytes());
    out[sof + 7..sof + 9].copy_from_slice(&width.to_be_bytes());
    out
}

/// `png` with the dimensions in its header chunk replaced (and the chunk's CRC recomputed, so only the size lies).
pub fn png_claiming(png: &[u8], width: u32, height: u32) -> Vec<u8> {
    let mut out = png.to_vec();
    out[16..20].copy_from_slice(&width.to_be_bytes());
    out[20..24].copy_from_slice(&height.to_be_bytes());
    let crc = crc32(&out[12..29]); // chunk type + 13 data bytes
    out[29..33].copy_from_slice(&crc.to_be_bytes());
    out
}

/// `gif` with the logical screen and first frame sizes replaced.
pub fn gif_claiming(gif: &[u8], width: u16, height: u16) -> Vec<u8> {
    let mut out = gif.to_vec();
    out[6..8].copy_from_slice(&width.to_le_bytes());
    out[8..10].copy_from_slice(&height.to_le_bytes());
    out
}

/// `bmp` with the dimensions in its info header replaced.
pub fn bmp_claiming(bmp: &[u8], width: i32, height: i32) -> Vec<u8> {
    let mut out = bmp.to_vec();
    out[18..22].copy_from_slice(&width.to_le_bytes());
    out[22..26].copy_from_slice(&height.to_le_bytes());
    out
}

/// CRC-32 (IEEE), as PNG chunks use it.
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

/// Mean absolute difference per channel between two pixels.
pub fn distance(a: [u8; 3], b: [u8; 3]) -> u32 {
    a.iter()
        .zip(b)
        .map(|(x, y)| u32::from(x.abs_diff(y)))
        .sum::<u32>()
        / 3
}
