//! Decoding with limits set before any pixel is read: the header gives the dimensions, the dimensions are checked
//! against [`DecodeLimits`], and only then does the decoder allocate.

use std::io::Cursor;

use image::metadata::Orientation;
use image::{DynamicImage, ImageDecoder, ImageReader, RgbImage};

use super::format::{PictureFormat, leading_hex};
use super::{DecodeLimits, corrupt, fit_within, from_image_error, too_large, unsupported};
use crate::Result;

/// What a picture's header says, learned without decoding pixels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Probe {
    /// The format, recognised from the first bytes.
    pub format: PictureFormat,
    /// Width as stored (before orientation).
    pub width: u32,
    /// Height as stored (before orientation).
    pub height: u32,
    /// EXIF orientation, 1 to 8 (1 when there is none).
    pub orientation: u8,
    /// Frames: more than one only for an animated GIF (other animations are read as their first frame).
    pub frames: u32,
}

impl Probe {
    /// Width and height as displayed, once the orientation is applied.
    pub fn displayed_size(&self) -> (u32, u32) {
        if self.orientation >= 5 {
            (self.height, self.width)
        } else {
            (self.width, self.height)
        }
    }
}

/// A decoded still picture, already turned upright.
#[derive(Debug, Clone)]
pub struct Decoded {
    /// The pixels, orientation applied.
    pub image: DynamicImage,
    /// The input's format.
    pub format: PictureFormat,
    /// The EXIF orientation that was applied (1 when none).
    pub orientation: u8,
}

/// Reads the header of `bytes` and checks it against `limits`: the format, the stored dimensions, the orientation
/// and (for GIF) the number of frames. Costs no pixel decoding, so a pixel bomb is refused here.
pub fn probe(bytes: &[u8], name: &str, limits: &DecodeLimits) -> Result<Probe> {
    let (format, mut decoder) = open(bytes, name, limits)?;
    let (width, height) = decoder.dimensions();
    check_pixels(name, width, height, limits)?;
    let orientation = decoder.orientation().map(Orientation::to_exif).unwrap_or(1);
    let frames = match format {
        PictureFormat::Gif => match walk_gif(bytes) {
            GifWalk {
                cut_short: true, ..
            } => {
                return Err(corrupt(name, "truncated: the file ends inside a GIF block"));
            }
            GifWalk { frames, .. } => frames,
        },
        PictureFormat::Jpeg if jpeg_is_truncated(bytes) => {
            return Err(corrupt(
                name,
                "truncated: no end-of-image marker after the last scan",
            ));
        }
        _ => 1,
    };
    if frames > limits.max_frames {
        return Err(too_large(
            name,
            format!("{frames} frames, over the limit of {}", limits.max_frames),
        ));
    }
    Ok(Probe {
        format,
        width,
        height,
        orientation,
        frames,
    })
}

/// Decodes a still picture (the first frame of an animation) within `limits`, and applies its EXIF orientation.
///
/// Refuses, before allocating: unknown types, pictures over `limits.max_pixels`, and decodes needing more than
/// `limits.max_alloc` bytes. Truncated and corrupt files give [`crate::Error::Corrupt`].
pub fn decode_limited(bytes: &[u8], name: &str, limits: &DecodeLimits) -> Result<Decoded> {
    let (format, mut decoder) = open(bytes, name, limits)?;
    let (width, height) = decoder.dimensions();
    check_pixels(name, width, height, limits)?;
    let needed = decoder.total_bytes();
    if needed > limits.max_alloc {
        return Err(too_large(
            name,
            format!(
                "{width}×{height} needs {needed} bytes decoded, over the limit of {}",
                limits.max_alloc
            ),
        ));
    }
    if format == PictureFormat::Jpeg && jpeg_is_truncated(bytes) {
        return Err(corrupt(
            name,
            "truncated: no end-of-image marker after the last scan",
        ));
    }
    let orientation = decoder.orientation().unwrap_or(Orientation::NoTransforms);
    let mut image = DynamicImage::from_decoder(decoder).map_err(|e| from_image_error(name, e))?;
    image.apply_orientation(orientation);
    Ok(Decoded {
        image,
        format,
        orientation: orientation.to_exif(),
    })
}

/// Decodes a still picture that will be shown within the box `max_width` × `max_height` (either orientation), with
/// the same limits and errors as [`decode_limited`]. JPEGs are decoded by libjpeg-turbo at 1/2, 1/4 or 1/8 scale
/// when that still covers the box (the DCT does the first part of the downscale for free: a 12 MP photo for a
/// 1600-pixel box decodes in a third of the time and a quarter of the memory); other pictures decode in full.
pub fn decode_for_box(
    bytes: &[u8],
    name: &str,
    limits: &DecodeLimits,
    max_width: u32,
    max_height: u32,
) -> Result<Decoded> {
    let header = probe(bytes, name, limits)?;
    if header.format == PictureFormat::Jpeg {
        // The box applies in either orientation, so the stored picture fits it as the displayed one does.
        let (width, height) = fit_within(header.width, header.height, max_width, max_height);
        let scaled = |side: u32, eighths: u32| (u64::from(side) * u64::from(eighths)).div_ceil(8);
        let eighths = [1u8, 2, 4].into_iter().find(|&n| {
            scaled(header.width, n.into()) >= u64::from(width)
                && scaled(header.height, n.into()) >= u64::from(height)
        });
        // Anything libjpeg refuses falls back to the full decoder, which names the problem.
        if let Some(rgb) = eighths.and_then(|n| decode_jpeg_scaled(bytes, n)) {
            let mut image = DynamicImage::ImageRgb8(rgb);
            image.apply_orientation(
                Orientation::from_exif(header.orientation).unwrap_or(Orientation::NoTransforms),
            );
            return Ok(Decoded {
                image,
                format: header.format,
                orientation: header.orientation,
            });
        }
    }
    decode_limited(bytes, name, limits)
}

/// A JPEG decoded by libjpeg-turbo at `eighths`/8 of its size, as RGB; `None` when libjpeg cannot (CMYK, damage).
fn decode_jpeg_scaled(bytes: &[u8], eighths: u8) -> Option<RgbImage> {
    std::panic::catch_unwind(|| -> std::io::Result<RgbImage> {
        let mut decompress = mozjpeg::Decompress::new_mem(bytes)?;
        decompress.scale(eighths);
        // The picture is about to be shrunk further with Lanczos3, which hides the difference of the cheaper
        // chroma upsampling and integer IDCT (about a fifth of the decode time).
        decompress.do_fancy_upsampling(false);
        decompress.dct_method(mozjpeg::DctMethod::IntegerFast);
        let mut started = decompress.rgb()?;
        let (width, height) = (started.width() as u32, started.height() as u32);
        let pixels: Vec<u8> = started.read_scanlines()?;
        started.finish()?;
        RgbImage::from_raw(width, height, pixels)
            .ok_or_else(|| std::io::ErrorKind::InvalidData.into())
    })
    .ok()?
    .ok()
}

/// Recognises the format and opens a decoder on the header, with the allocation limit set.
fn open<'a>(
    bytes: &'a [u8],
    name: &str,
    limits: &DecodeLimits,
) -> Result<(PictureFormat, Box<dyn ImageDecoder + 'a>)> {
    if bytes.is_empty() {
        return Err(corrupt(name, "the file is empty"));
    }
    let reader = ImageReader::new(Cursor::new(bytes))
        .with_guessed_format()
        .map_err(|e| corrupt(name, format!("cannot read the header: {e}")))?;
    let format = match reader.format() {
        Some(found) => PictureFormat::from_image(found).ok_or_else(|| {
            unsupported(
                name,
                format!("{found:?} pictures are not accepted (only JPEG, PNG, GIF, WebP and BMP)"),
            )
        })?,
        None => {
            return Err(unsupported(
                name,
                format!(
                    "not a JPEG, PNG, GIF, WebP or BMP picture (starts with {})",
                    leading_hex(bytes)
                ),
            ));
        }
    };
    let mut reader = reader;
    let mut image_limits = image::Limits::default();
    image_limits.max_alloc = Some(limits.max_alloc);
    reader.limits(image_limits);
    let decoder = reader
        .into_decoder()
        .map_err(|e| from_image_error(name, e))?;
    Ok((format, Box::new(decoder)))
}

/// Refuses pictures with no pixels, or more than the limit.
fn check_pixels(name: &str, width: u32, height: u32, limits: &DecodeLimits) -> Result<()> {
    if width == 0 || height == 0 {
        return Err(corrupt(
            name,
            format!("the header says {width}×{height}: no pixels"),
        ));
    }
    let pixels = u64::from(width) * u64::from(height);
    if pixels > limits.max_pixels {
        return Err(too_large(
            name,
            format!(
                "{width}×{height} is {:.1} megapixels, over the limit of {:.1}",
                pixels as f64 / 1e6,
                limits.max_pixels as f64 / 1e6
            ),
        ));
    }
    Ok(())
}

/// Whether a JPEG lacks its end-of-image marker after the last start-of-scan. The JPEG decoder fills a truncated
/// scan with grey rather than failing; a marker cannot occur inside entropy-coded data, so this check is exact
/// for the main image (data appended after the end marker, as some phones do, is allowed).
fn jpeg_is_truncated(bytes: &[u8]) -> bool {
    let is_scan = |w: &[u8]| w == [0xFF, 0xDA];
    match bytes.windows(2).rposition(|w| w == [0xFF, 0xD9]) {
        // Usually the end marker is in the last bytes, so only the tail after it is searched for a later scan.
        Some(end) => bytes[end..].windows(2).any(is_scan),
        None => bytes.windows(2).any(is_scan), // no end marker: truncated if it ever started a scan
    }
}

/// What walking a GIF's blocks found.
pub(crate) struct GifWalk {
    /// Image descriptors seen.
    pub frames: u32,
    /// Whether the data ended inside a block (a truncated file); ending between blocks without the trailer is
    /// tolerated, as browsers do.
    pub cut_short: bool,
}

/// Counts the image descriptors of a GIF by walking its blocks; the data sub-blocks carry their own lengths, so no
/// pixel is decompressed and nothing is allocated.
pub(crate) fn walk_gif(bytes: &[u8]) -> GifWalk {
    fn skip_sub_blocks(bytes: &[u8], mut at: usize) -> Option<usize> {
        loop {
            let len = usize::from(*bytes.get(at)?);
            at += 1;
            if len == 0 {
                return Some(at);
            }
            at += len;
        }
    }
    fn colour_table_len(packed: u8) -> usize {
        if packed & 0x80 != 0 {
            3 << ((packed & 7) + 1)
        } else {
            0
        }
    }
    let cut_short = |frames| GifWalk {
        frames,
        cut_short: true,
    };
    let Some(&screen_packed) = bytes.get(10) else {
        return cut_short(0);
    };
    let mut at = 13 + colour_table_len(screen_packed);
    let mut frames = 0;
    loop {
        match bytes.get(at) {
            None | Some(0x3B) => {
                return GifWalk {
                    frames,
                    cut_short: at > bytes.len(),
                };
            }
            Some(0x21) => match skip_sub_blocks(bytes, at + 2) {
                Some(next) => at = next,
                None => return cut_short(frames),
            },
            Some(0x2C) => {
                frames += 1;
                let Some(&packed) = bytes.get(at + 9) else {
                    return cut_short(frames);
                };
                // Descriptor (10 bytes), local colour table, LZW minimum code size (1 byte), then the data.
                match skip_sub_blocks(bytes, at + 10 + colour_table_len(packed) + 1) {
                    Some(next) => at = next,
                    None => return cut_short(frames),
                }
            }
            Some(_) => {
                return GifWalk {
                    frames,
                    cut_short: false,
                };
            } // garbage after the last block: the decoder judges
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn truncation_check_wants_an_end_marker_after_the_last_scan() {
        assert!(jpeg_is_truncated(&[0xFF, 0xD8, 0xFF, 0xDA, 1, 2, 3]));
        assert!(!jpeg_is_truncated(&[
            0xFF, 0xD8, 0xFF, 0xDA, 1, 2, 0xFF, 0xD9, 0, 0
        ]));
        // A thumbnail's end marker before the main scan does not count.
        assert!(jpeg_is_truncated(&[0xFF, 0xD8, 0xFF, 0xD9, 0xFF, 0xDA, 1]));
    }

    #[test]
    fn gif_walk_survives_garbage_and_sees_truncation() {
        assert!(walk_gif(b"GIF89a").cut_short);
        let zeros = walk_gif(&[0u8; 64]);
        assert_eq!((zeros.frames, zeros.cut_short), (0, false));
        // Screen descriptor without colour table, then an image descriptor whose data never ends.
        let mut cut = b"GIF89a\x01\x00\x01\x00\x00\x00\x00".to_vec();
        cut.extend_from_slice(&[0x2C, 0, 0, 0, 0, 1, 0, 1, 0, 0, 2, 5, 1, 2]);
        let walk = walk_gif(&cut);
        assert_eq!((walk.frames, walk.cut_short), (1, true));
    }
}
