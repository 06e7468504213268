//! Adapting one picture to a [`PictureTarget`]: keep it when it already fits, keep an animated GIF animated when
//! the destination takes GIFs and it can be reduced to fit, and otherwise make an upright still in the best format
//! the destination takes (JPEG, then PNG, then GIF), resized and encoded under the byte budget.

use image::{DynamicImage, ImageEncoder, RgbImage, RgbaImage};

use super::{
    Animation, AnimationFrame, GifReduction, PictureFormat, PictureTarget, Probe, corrupt,
    decode_animation, decode_for_box, decode_limited, encode_gif, encode_jpeg_within, fit_within,
    flatten_on_white, probe, resize_to, unsupported,
};
use crate::{Error, Result};

/// An adapted picture and the facts of how it was made.
#[derive(Clone)]
pub struct Adapted {
    /// The file to send.
    pub bytes: Vec<u8>,
    /// Its MIME type.
    pub mime: &'static str,
    /// Its width in pixels.
    pub width: u32,
    /// Its height in pixels.
    pub height: u32,
    /// The JPEG quality used, when the output was encoded as JPEG here.
    pub jpeg_quality: Option<u8>,
    /// Frames in the output (1 for a still).
    pub frames: u32,
    /// True when an animation was turned into a still because it could not be sent as a GIF within the target:
    /// the caller may prefer to send it as a video instead.
    pub animation_lost: bool,
    /// What the input's header said.
    pub source: Probe,
    /// Every step taken, in order, for the record (e.g. `orient 6`, `resize 4032x3024→1280x960`,
    /// `jpeg q=82 → 412345 B`).
    pub steps: Vec<String>,
}

impl Adapted {
    /// Size of the output in bytes.
    pub fn byte_len(&self) -> u64 {
        self.bytes.len() as u64
    }
}

impl std::fmt::Debug for Adapted {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Adapted")
            .field("bytes", &self.bytes.len())
            .field("mime", &self.mime)
            .field("width", &self.width)
            .field("height", &self.height)
            .field("jpeg_quality", &self.jpeg_quality)
            .field("frames", &self.frames)
            .field("animation_lost", &self.animation_lost)
            .field("steps", &self.steps)
            .finish()
    }
}

/// Adapts the picture in `bytes` (named `name` in errors) to `target`.
///
/// Errors: [`Error::Unsupported`] for types that are not pictures we read, or when the target accepts no picture
/// type we write; [`Error::Corrupt`] for damaged or truncated files; [`Error::TooLarge`] for inputs over the
/// decode limits (refused from the header); [`Error::OverBudget`] when nothing fits the byte budget.
pub fn adapt(bytes: &[u8], name: &str, target: &PictureTarget) -> Result<Adapted> {
    let source = probe(bytes, name, &target.limits)?;
    let mime = source.format.mime();
    if target.accepts(mime)
        && source.orientation == 1
        && target.fits(source.width, source.height)
        && bytes.len() as u64 <= target.max_bytes
    {
        // Sent unchanged, so it must decode completely: a damaged file is refused here, not by the handset.
        if source.frames > 1 {
            decode_animation(bytes, name, &target.limits, source.width, source.height)?;
        } else {
            decode_limited(bytes, name, &target.limits)?;
        }
        return Ok(Adapted {
            bytes: bytes.to_vec(),
            mime,
            width: source.width,
            height: source.height,
            jpeg_quality: None,
            frames: source.frames,
            animation_lost: false,
            source,
            steps: vec![format!("keep {mime} as it is ({} B)", bytes.len())],
        });
    }

    let mut steps = Vec::new();
    let animated = source.format == PictureFormat::Gif && source.frames > 1;
    if animated {
        if target.accepts("image/gif") {
            match adapt_animation(bytes, name, target, source, &mut steps)? {
                Some(adapted) => return Ok(adapted),
                None => steps
                    .push("animation does not fit as GIF: still from the first frame".to_owned()),
            }
        } else {
            steps.push("image/gif not accepted: still from the first frame".to_owned());
        }
    }

    let decoded = decode_for_box(
        bytes,
        name,
        &target.limits,
        target.max_width,
        target.max_height,
    )?;
    if decoded.orientation != 1 {
        steps.push(format!("orient {}", decoded.orientation));
    }
    let still = if target.accepts("image/jpeg") {
        still_as_jpeg(
            decoded.image,
            source.displayed_size(),
            name,
            target,
            &mut steps,
        )?
    } else if target.accepts("image/png") {
        still_by_shrinking(
            &decoded.image,
            name,
            target,
            "image/png",
            &mut steps,
            encode_png,
        )?
    } else if target.accepts("image/gif") {
        still_by_shrinking(
            &decoded.image,
            name,
            target,
            "image/gif",
            &mut steps,
            encode_still_gif,
        )?
    } else {
        return Err(unsupported(
            name,
            format!(
                "the destination accepts none of image/jpeg, image/png, image/gif ({:?})",
                target.accepted_types
            ),
        ));
    };
    Ok(Adapted {
        bytes: still.bytes,
        mime: still.mime,
        width: still.width,
        height: still.height,
        jpeg_quality: still.jpeg_quality,
        frames: 1,
        animation_lost: animated,
        source,
        steps,
    })
}

/// A still picture made by one of the output paths.
struct Still {
    bytes: Vec<u8>,
    mime: &'static str,
    width: u32,
    height: u32,
    jpeg_quality: Option<u8>,
}

/// Flattens, fits the dimensions, and searches the JPEG quality (then size) under the budget.
fn still_as_jpeg(
    image: DynamicImage,
    shown_size: (u32, u32),
    name: &str,
    target: &PictureTarget,
    steps: &mut Vec<String>,
) -> Result<Still> {
    let transparent = match &image {
        DynamicImage::ImageRgba8(rgba) => rgba.pixels().any(|p| p[3] < 255),
        other => other.color().has_alpha(),
    };
    let rgb: RgbImage = if transparent {
        steps.push("flatten transparency on white".to_owned());
        flatten_on_white(&image)
    } else {
        image.into_rgb8()
    };
    let rgb = fit_to_target(rgb, shown_size, target, steps)?;
    let jpeg = encode_jpeg_within(&rgb, target.max_bytes, name)?;
    steps.extend(jpeg.steps);
    Ok(Still {
        bytes: jpeg.bytes,
        mime: "image/jpeg",
        width: jpeg.width,
        height: jpeg.height,
        jpeg_quality: Some(jpeg.quality),
    })
}

/// Resizes to the target's dimensions when larger, recording the step from the source's displayed size (the
/// decoder may already have done part of the reduction).
fn fit_to_target(
    rgb: RgbImage,
    (shown_width, shown_height): (u32, u32),
    target: &PictureTarget,
    steps: &mut Vec<String>,
) -> Result<RgbImage> {
    let (to_width, to_height) = fit_within(
        shown_width,
        shown_height,
        target.max_width,
        target.max_height,
    );
    if (to_width, to_height) != (shown_width, shown_height) {
        steps.push(format!(
            "resize {shown_width}x{shown_height}→{to_width}x{to_height}"
        ));
    }
    if rgb.dimensions() == (to_width, to_height) {
        return Ok(rgb);
    }
    resize_to(&rgb, to_width, to_height)
}

/// For lossless outputs: fits the dimensions, then shrinks by the square root of the overshoot until the file fits.
fn still_by_shrinking(
    image: &DynamicImage,
    name: &str,
    target: &PictureTarget,
    mime: &'static str,
    steps: &mut Vec<String>,
    encode: fn(&RgbaImage) -> Result<Vec<u8>>,
) -> Result<Still> {
    let rgba = image.to_rgba8();
    let (width, height) = rgba.dimensions();
    let (mut to_width, mut to_height) =
        fit_within(width, height, target.max_width, target.max_height);
    loop {
        let resized = super::resize_rgba_to(&rgba, to_width, to_height)?;
        let bytes = encode(&resized)?;
        let size = bytes.len() as u64;
        if (to_width, to_height) != (width, height) {
            steps.push(format!("resize {width}x{height}→{to_width}x{to_height}"));
        }
        if size <= target.max_bytes {
            steps.push(format!("{} → {size} B", mime.trim_start_matches("image/")));
            return Ok(Still {
                bytes,
                mime,
                width: to_width,
                height: to_height,
                jpeg_quality: None,
            });
        }
        if to_width <= 16 || to_height <= 16 {
            return Err(Error::OverBudget {
                what: name.to_owned(),
                budget: target.max_bytes,
                reason: format!("{mime} at {to_width}×{to_height} is still {size} B"),
            });
        }
        steps.push(format!(
            "{} at {to_width}x{to_height} is {size} B",
            mime.trim_start_matches("image/")
        ));
        let shrink = ((target.max_bytes as f64 / size as f64).sqrt() * 0.95).clamp(0.25, 0.9);
        to_width = ((f64::from(to_width) * shrink) as u32).max(16);
        to_height = ((f64::from(to_height) * shrink) as u32).max(16);
    }
}

fn encode_png(rgba: &RgbaImage) -> Result<Vec<u8>> {
    let mut out = Vec::new();
    let encoder = image::codecs::png::PngEncoder::new_with_quality(
        &mut out,
        image::codecs::png::CompressionType::Best,
        image::codecs::png::FilterType::Adaptive,
    );
    encoder
        .write_image(
            rgba.as_raw(),
            rgba.width(),
            rgba.height(),
            image::ExtendedColorType::Rgba8,
        )
        .map_err(|e| corrupt("png encoder", e.to_string()))?;
    Ok(out)
}

fn encode_still_gif(rgba: &RgbaImage) -> Result<Vec<u8>> {
    let still = Animation {
        width: rgba.width(),
        height: rgba.height(),
        frames: vec![AnimationFrame {
            image: rgba.clone(),
            delay_ms: 0,
        }],
    };
    encode_gif(
        &still,
        GifReduction {
            keep_one_in: 1,
            colours: 256,
        },
    )
}

/// Steps tried, in order, to bring an animation under the budget: (keep one frame in, colours, scale).
const GIF_LADDER: [(usize, usize, f64); 8] = [
    (1, 256, 1.0),
    (1, 128, 1.0),
    (1, 64, 1.0),
    (2, 64, 1.0),
    (2, 32, 1.0),
    (3, 32, 1.0),
    (3, 32, 0.75),
    (4, 32, 0.5),
];

/// Re-encodes an animated GIF, reducing it step by step; `None` when even the last step does not fit.
fn adapt_animation(
    bytes: &[u8],
    name: &str,
    target: &PictureTarget,
    source: Probe,
    steps: &mut Vec<String>,
) -> Result<Option<Adapted>> {
    let animation = decode_animation(
        bytes,
        name,
        &target.limits,
        target.max_width,
        target.max_height,
    )?;
    if (animation.width, animation.height) != (source.width, source.height) {
        steps.push(format!(
            "resize {}x{}→{}x{} ({} frames)",
            source.width,
            source.height,
            animation.width,
            animation.height,
            animation.frames.len()
        ));
    }
    let frames = animation.frames.len();
    let mut scaled: Option<(f64, Animation)> = None;
    let mut smallest = u64::MAX;
    for (keep_one_in, colours, scale) in GIF_LADDER {
        let current = if scale < 1.0 {
            if scaled.as_ref().is_none_or(|(s, _)| *s != scale) {
                let width = ((f64::from(animation.width) * scale) as u32).max(1);
                let height = ((f64::from(animation.height) * scale) as u32).max(1);
                scaled = Some((scale, animation.resized(width, height)?));
            }
            scaled.as_ref().map_or(&animation, |(_, a)| a)
        } else {
            &animation
        };
        let gif = encode_gif(
            current,
            GifReduction {
                keep_one_in,
                colours,
            },
        )?;
        let size = gif.len() as u64;
        smallest = smallest.min(size);
        if size > target.max_bytes {
            continue;
        }
        let kept = frames.div_ceil(keep_one_in);
        if scale < 1.0 {
            steps.push(format!(
                "resize {}x{}→{}x{} (budget)",
                animation.width, animation.height, current.width, current.height
            ));
        }
        if keep_one_in > 1 || colours < 256 {
            steps.push(format!(
                "reduce gif {frames}→{kept} frames, 256→{colours} colours"
            ));
        }
        steps.push(format!("gif {kept} frames → {size} B"));
        return Ok(Some(Adapted {
            bytes: gif,
            mime: "image/gif",
            width: current.width,
            height: current.height,
            jpeg_quality: None,
            frames: kept as u32,
            animation_lost: false,
            source,
            steps: std::mem::take(steps),
        }));
    }
    steps.push(format!(
        "smallest animated GIF reached {smallest} B, over {} B",
        target.max_bytes
    ));
    Ok(None)
}
