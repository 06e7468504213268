//! Animated GIFs: decoding every frame within the limits (each frame shrunk to the target as soon as it is
//! decoded, so memory follows the output, not the input), and re-encoding with fewer frames and colours.
//!
//! The encoder quantises all frames to one global palette (NeuQuant), reserves one entry for transparency, and for
//! opaque animations writes each frame as the rectangle that changed, with unchanged pixels transparent: this is
//! what keeps a re-encoded GIF near the size of the original instead of several times it.

use std::borrow::Cow;
use std::io::Cursor;

use image::codecs::gif::GifDecoder;
use image::{AnimationDecoder, ImageDecoder, RgbaImage};

use super::{DecodeLimits, corrupt, fit_within, from_image_error, resize_rgba_to, too_large};
use crate::Result;

/// One frame of an animation: the whole canvas at that moment, and how long it shows.
#[derive(Debug, Clone)]
pub struct AnimationFrame {
    /// The composited canvas.
    pub image: RgbaImage,
    /// How long it shows, in milliseconds.
    pub delay_ms: u32,
}

/// A decoded animation, every frame the same size.
#[derive(Debug, Clone)]
pub struct Animation {
    /// Frame width.
    pub width: u32,
    /// Frame height.
    pub height: u32,
    /// The frames, in order.
    pub frames: Vec<AnimationFrame>,
}

/// How far to reduce an animation when re-encoding it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GifReduction {
    /// Keep one frame in this many (1 keeps all); a kept frame shows for the time of those it stands for.
    pub keep_one_in: usize,
    /// Palette size, 2 to 256, one entry of which is transparency.
    pub colours: usize,
}

/// Decodes every frame of a GIF, each shrunk to fit `max_width` × `max_height` as soon as it is decoded. Refuses
/// animations with more than `limits.max_frames` frames, or whose kept frames would hold more than
/// `limits.max_alloc` bytes.
pub fn decode_animation(
    bytes: &[u8],
    name: &str,
    limits: &DecodeLimits,
    max_width: u32,
    max_height: u32,
) -> Result<Animation> {
    let mut decoder = GifDecoder::new(Cursor::new(bytes)).map_err(|e| from_image_error(name, e))?;
    let mut image_limits = image::Limits::default();
    image_limits.max_alloc = Some(limits.max_alloc);
    decoder
        .set_limits(image_limits)
        .map_err(|e| from_image_error(name, e))?;
    let (source_width, source_height) = decoder.dimensions();
    let pixels = u64::from(source_width) * u64::from(source_height);
    if pixels == 0 || pixels > limits.max_pixels {
        return Err(too_large(
            name,
            format!("{source_width}×{source_height} is outside the pixel limit"),
        ));
    }
    let (width, height) = fit_within(source_width, source_height, max_width, max_height);
    let frame_bytes = u64::from(width) * u64::from(height) * 4;
    let mut frames = Vec::new();
    for frame in decoder.into_frames() {
        let frame = frame.map_err(|e| from_image_error(name, e))?;
        if frames.len() as u64 >= u64::from(limits.max_frames) {
            return Err(too_large(
                name,
                format!("more than {} frames", limits.max_frames),
            ));
        }
        if (frames.len() as u64 + 1) * frame_bytes > limits.max_alloc {
            return Err(too_large(
                name,
                format!(
                    "{} frames of {width}×{height} exceed {} bytes",
                    frames.len() + 1,
                    limits.max_alloc
                ),
            ));
        }
        let (numerator, denominator) = frame.delay().numer_denom_ms();
        let delay_ms = numerator.checked_div(denominator).unwrap_or(0);
        let canvas = frame.into_buffer();
        let image = if canvas.dimensions() == (width, height) {
            canvas
        } else {
            resize_rgba_to(&canvas, width, height)?
        };
        frames.push(AnimationFrame { image, delay_ms });
    }
    if frames.is_empty() {
        return Err(corrupt(name, "the GIF has no frames"));
    }
    Ok(Animation {
        width,
        height,
        frames,
    })
}

impl Animation {
    /// The animation with one frame in `keep_one_in`, each showing for the total delay of the frames it replaces.
    pub fn with_fewer_frames(&self, keep_one_in: usize) -> Animation {
        let step = keep_one_in.max(1);
        let frames = self
            .frames
            .chunks(step)
            .map(|group| AnimationFrame {
                image: group[0].image.clone(),
                delay_ms: group.iter().map(|f| f.delay_ms).sum(),
            })
            .collect();
        Animation {
            width: self.width,
            height: self.height,
            frames,
        }
    }

    /// The animation with every frame resized to `width` × `height`.
    pub fn resized(&self, width: u32, height: u32) -> Result<Animation> {
        let frames = self
            .frames
            .iter()
            .map(|f| {
                Ok(AnimationFrame {
                    image: resize_rgba_to(&f.image, width, height)?,
                    delay_ms: f.delay_ms,
                })
            })
            .collect::<Result<Vec<_>>>()?;
        Ok(Animation {
            width,
            height,
            frames,
        })
    }

    /// Whether any pixel of any frame is (mostly) transparent.
    fn has_transparency(&self) -> bool {
        self.frames
            .iter()
            .any(|f| f.image.pixels().any(|p| p[3] < 128))
    }
}

/// Encodes `animation` as a looping GIF, reduced as `reduction` says.
pub fn encode_gif(animation: &Animation, reduction: GifReduction) -> Result<Vec<u8>> {
    let reduced;
    let animation = if reduction.keep_one_in > 1 {
        reduced = animation.with_fewer_frames(reduction.keep_one_in);
        &reduced
    } else {
        animation
    };
    let (Ok(width), Ok(height)) = (
        u16::try_from(animation.width),
        u16::try_from(animation.height),
    ) else {
        return Err(corrupt("gif encoder", "a GIF side is at most 65535 pixels"));
    };
    let colours = reduction.colours.clamp(2, 256);
    let quantiser = train_palette(animation, colours - 1);
    let transparent = (colours - 1) as u8;
    let mut palette = quantiser.color_map_rgb();
    palette.resize(colours * 3, 0);
    let keep_transparency = animation.has_transparency();

    let indexed: Vec<Vec<u8>> = animation
        .frames
        .iter()
        .map(|f| {
            f.image
                .pixels()
                .map(|p| {
                    if p[3] < 128 {
                        transparent
                    } else {
                        quantiser.index_of(&[p[0], p[1], p[2], 255]) as u8
                    }
                })
                .collect()
        })
        .collect();

    let gif_error = |e: gif::EncodingError| corrupt("gif encoder", e.to_string());
    let mut out = Vec::new();
    {
        let mut encoder =
            gif::Encoder::new(&mut out, width, height, &palette).map_err(gif_error)?;
        encoder
            .set_repeat(gif::Repeat::Infinite)
            .map_err(gif_error)?;
        let mut pending: Option<gif::Frame<'static>> = None;
        let mut previous: Option<&Vec<u8>> = None;
        for (frame, indices) in animation.frames.iter().zip(&indexed) {
            let delay = (frame.delay_ms / 10).min(u32::from(u16::MAX)) as u16;
            let changed = match previous {
                Some(before) if !keep_transparency => {
                    changed_rectangle(before, indices, width, height)
                }
                _ => Some((0, 0, width, height)),
            };
            let Some((left, top, w, h)) = changed else {
                // Identical to the frame before: show that one longer instead.
                if let Some(last) = pending.as_mut() {
                    last.delay = last.delay.saturating_add(delay);
                }
                continue;
            };
            if let Some(done) = pending.take() {
                encoder.write_frame(&done).map_err(gif_error)?;
            }
            let mut buffer = Vec::with_capacity(usize::from(w) * usize::from(h));
            for y in top..top + h {
                let row = usize::from(y) * usize::from(width);
                for x in left..left + w {
                    let at = row + usize::from(x);
                    let unchanged = previous.is_some_and(|before| before[at] == indices[at]);
                    buffer.push(if unchanged && !keep_transparency {
                        transparent
                    } else {
                        indices[at]
                    });
                }
            }
            pending = Some(gif::Frame {
                left,
                top,
                width: w,
                height: h,
                delay,
                transparent: Some(transparent),
                dispose: if keep_transparency {
                    gif::DisposalMethod::Background
                } else {
                    gif::DisposalMethod::Keep
                },
                buffer: Cow::Owned(buffer),
                ..gif::Frame::default()
            });
            previous = Some(indices);
        }
        if let Some(done) = pending.take() {
            encoder.write_frame(&done).map_err(gif_error)?;
        }
    }
    Ok(out)
}

/// Trains a palette of `colours` entries on pixels sampled evenly from all frames (about 300,000 at most, so
/// training time does not grow with the animation).
fn train_palette(animation: &Animation, colours: usize) -> color_quant::NeuQuant {
    let total: usize = animation.frames.iter().map(|f| f.image.len() / 4).sum();
    let stride = (total / 300_000).max(1);
    let mut sample = Vec::with_capacity((total / stride + 1) * 4);
    let mut index = 0usize;
    for frame in &animation.frames {
        for pixel in frame.image.pixels() {
            if index.is_multiple_of(stride) && pixel[3] >= 128 {
                sample.extend_from_slice(&[pixel[0], pixel[1], pixel[2], 255]);
            }
            index += 1;
        }
    }
    if sample.is_empty() {
        sample.extend_from_slice(&[0, 0, 0, 255]);
    }
    color_quant::NeuQuant::new(10, colours.max(1), &sample)
}

/// The smallest rectangle (left, top, width, height) holding every pixel that differs, or `None` when none does.
fn changed_rectangle(
    before: &[u8],
    after: &[u8],
    width: u16,
    height: u16,
) -> Option<(u16, u16, u16, u16)> {
    let (w, h) = (usize::from(width), usize::from(height));
    let (mut min_x, mut min_y, mut max_x, mut max_y) = (w, h, 0, 0);
    for y in 0..h {
        let row = y * w;
        let (a, b) = (&before[row..row + w], &after[row..row + w]);
        if a == b {
            continue;
        }
        let first = a.iter().zip(b).position(|(p, q)| p != q).unwrap_or(0);
        let last = w
            - 1
            - a.iter()
                .rev()
                .zip(b.iter().rev())
                .position(|(p, q)| p != q)
                .unwrap_or(0);
        (min_x, max_x, min_y, max_y) = (min_x.min(first), max_x.max(last), min_y.min(y), y);
    }
    (min_x <= max_x && min_y < h).then(|| {
        (
            min_x as u16,
            min_y as u16,
            (max_x - min_x + 1) as u16,
            (max_y - min_y + 1) as u16,
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn changed_rectangle_bounds_the_difference() {
        let before = vec![0u8; 20];
        let mut after = before.clone();
        after[5 + 2] = 1; // (x 2, y 1) in a 5×4 canvas
        after[5 * 2 + 3] = 1; // (x 3, y 2)
        assert_eq!(changed_rectangle(&before, &after, 5, 4), Some((2, 1, 2, 2)));
        assert_eq!(changed_rectangle(&before, &before, 5, 4), None);
    }

    #[test]
    fn fewer_frames_keep_the_total_duration() {
        let frame = |d| AnimationFrame {
            image: RgbaImage::new(2, 2),
            delay_ms: d,
        };
        let animation = Animation {
            width: 2,
            height: 2,
            frames: vec![frame(100), frame(50), frame(30)],
        };
        let fewer = animation.with_fewer_frames(2);
        assert_eq!(
            fewer.frames.iter().map(|f| f.delay_ms).collect::<Vec<_>>(),
            vec![150, 30]
        );
    }
}
