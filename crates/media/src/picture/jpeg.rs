//! JPEG encoding with mozjpeg (trellis quantisation, optimised Huffman tables, progressive scans: about a third
//! smaller than libjpeg at the same quality, which is what counts under a carrier's byte cap), and the search for
//! the best JPEG under a byte budget: quality first, then dimensions.

use image::RgbImage;

use super::{corrupt, resize_to};
use crate::{Error, Result};

/// Highest quality the budget search tries: above it, bytes grow fast for no visible gain on a phone.
pub const JPEG_MAX_QUALITY: u8 = 92;
/// Lowest quality the budget search accepts before it shrinks the picture instead: below it, blocking shows.
pub const JPEG_MIN_QUALITY: u8 = 50;
/// The search never shrinks a side below this.
const MIN_SIDE: u32 = 16;

/// `rgb` encoded at `quality` (1–100), 4:2:0, with libjpeg's standard tables and optimised Huffman coding: the
/// fast encoder (a few milliseconds for a phone-sized picture), for rendering and previews. Its output matches
/// what libjpeg-turbo (and so ImageMagick) writes at the same quality.
pub fn encode_jpeg(rgb: &RgbImage, quality: u8) -> Result<Vec<u8>> {
    encode(rgb, quality, Effort::Fast)
}

/// `rgb` encoded at `quality` with all of mozjpeg's size work (trellis quantisation, its own quantisation tables,
/// progressive scans): about a fifth smaller than [`encode_jpeg`] at the same look, and 10–20 times slower. For
/// pictures that must fit a carrier's byte cap.
pub fn encode_jpeg_small(rgb: &RgbImage, quality: u8) -> Result<Vec<u8>> {
    encode(rgb, quality, Effort::Small)
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Effort {
    Fast,
    Small,
}

fn encode(rgb: &RgbImage, quality: u8, effort: Effort) -> Result<Vec<u8>> {
    let (width, height) = rgb.dimensions();
    if width == 0 || height == 0 {
        return Err(corrupt(
            "jpeg encoder",
            "cannot encode a picture with no pixels",
        ));
    }
    // libjpeg reports errors by unwinding; keep a failure an error, not a crash of the batch.
    std::panic::catch_unwind(|| -> std::io::Result<Vec<u8>> {
        let mut compress = mozjpeg::Compress::new(mozjpeg::ColorSpace::JCS_RGB);
        if effort == Effort::Fast {
            compress.set_fastest_defaults();
            compress.set_optimize_coding(true);
        }
        compress.set_size(width as usize, height as usize);
        if effort == Effort::Small {
            // The standard progressive script instead of mozjpeg's scan search: 35% faster for 0.3% more bytes.
            compress.set_optimize_scans(false);
            compress.set_progressive_mode();
        }
        compress.set_quality(f32::from(quality.clamp(1, 100)));
        let mut started = compress.start_compress(Vec::with_capacity(rgb.len() / 8))?;
        started.write_scanlines(rgb.as_raw())?;
        started.finish()
    })
    .map_err(|_| corrupt("jpeg encoder", "mozjpeg failed"))?
    .map_err(|e| corrupt("jpeg encoder", e.to_string()))
}

/// The best JPEG found under a byte budget.
#[derive(Clone)]
pub struct BudgetedJpeg {
    /// The JPEG file.
    pub bytes: Vec<u8>,
    /// The quality it was encoded at.
    pub quality: u8,
    /// Its width (smaller than the input's when quality alone could not fit the budget).
    pub width: u32,
    /// Its height.
    pub height: u32,
    /// What was done, for the adaptation's record (`resize … (budget)`, `jpeg q=… → … B`).
    pub steps: Vec<String>,
}

impl std::fmt::Debug for BudgetedJpeg {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BudgetedJpeg")
            .field("bytes", &self.bytes.len())
            .field("quality", &self.quality)
            .field("width", &self.width)
            .field("height", &self.height)
            .field("steps", &self.steps)
            .finish()
    }
}

/// The highest-quality JPEG of `rgb` within `budget` bytes: the quality is searched between
/// [`JPEG_MIN_QUALITY`] and [`JPEG_MAX_QUALITY`]; when even the lowest does not fit, the picture is shrunk (by the
/// square root of the overshoot, from the original each time so quality does not compound) and searched again.
/// Fails with [`Error::OverBudget`] when a picture of 16 pixels a side still does not fit.
pub fn encode_jpeg_within(rgb: &RgbImage, budget: u64, name: &str) -> Result<BudgetedJpeg> {
    let (width, height) = rgb.dimensions();
    let mut steps = Vec::new();
    let mut scaled: Option<RgbImage> = None;
    loop {
        let current = scaled.as_ref().unwrap_or(rgb);
        let (smallest, size_at_min) = match search_quality(current, budget)? {
            Search::Fits { bytes, quality } => {
                steps.push(format!("jpeg q={quality} → {} B", bytes.len()));
                let (width, height) = current.dimensions();
                return Ok(BudgetedJpeg {
                    bytes,
                    quality,
                    width,
                    height,
                    steps,
                });
            }
            Search::TooBig { size_at_min } => (current.dimensions(), size_at_min),
        };
        if smallest.0 <= MIN_SIDE || smallest.1 <= MIN_SIDE {
            return Err(Error::OverBudget {
                what: name.to_owned(),
                budget,
                reason: format!(
                    "{}×{} at q={JPEG_MIN_QUALITY} still needs about {size_at_min} B",
                    smallest.0, smallest.1
                ),
            });
        }
        // Bytes grow roughly with area: shrink each side by the square root of the overshoot, with a margin.
        let shrink = ((budget as f64 / size_at_min as f64).sqrt() * 0.95).clamp(0.25, 0.9);
        let to = (
            ((f64::from(smallest.0) * shrink) as u32).max(MIN_SIDE.min(width)),
            ((f64::from(smallest.1) * shrink) as u32).max(MIN_SIDE.min(height)),
        );
        steps.push(format!(
            "q={JPEG_MIN_QUALITY} needs about {size_at_min} B at {}x{}; resize {width}x{height}→{}x{} (budget)",
            smallest.0, smallest.1, to.0, to.1
        ));
        scaled = Some(resize_to(rgb, to.0, to.1)?);
    }
}

enum Search {
    Fits { bytes: Vec<u8>, quality: u8 },
    TooBig { size_at_min: u64 },
}

/// The highest quality whose small (trellis) file fits `budget`, at the picture's current size.
///
/// A trellis encode costs 10–20 fast ones, so the search runs on fast encodes scaled by the trellis/fast size ratio
/// (steady across qualities for one picture), measured once; then at most two trellis encodes confirm it.
fn search_quality(rgb: &RgbImage, budget: u64) -> Result<Search> {
    let mut fast_sizes = std::collections::BTreeMap::new();
    let mut fast_size = |quality: u8| -> Result<u64> {
        if let Some(size) = fast_sizes.get(&quality) {
            return Ok(*size);
        }
        let size = encode(rgb, quality, Effort::Fast)?.len() as u64;
        fast_sizes.insert(quality, size);
        Ok(size)
    };
    // First guess: trellis files are about 0.8 of fast ones.
    let guess = highest_fitting(|q| Ok(fast_size(q)? as f64 * 0.8 <= budget as f64))?;
    // Far over even at the lowest quality: skip the slow encode, the caller shrinks the picture on the estimate.
    let estimate_at_min = (fast_size(JPEG_MIN_QUALITY)? as f64 * 0.8) as u64;
    if guess == JPEG_MIN_QUALITY && estimate_at_min > budget + budget / 4 {
        return Ok(Search::TooBig {
            size_at_min: estimate_at_min,
        });
    }
    let first = encode(rgb, guess, Effort::Small)?;
    let ratio = first.len() as f64 / fast_size(guess)? as f64;
    let refined = highest_fitting(|q| Ok(fast_size(q)? as f64 * ratio <= budget as f64 * 0.99))?;
    let fits_first = first.len() as u64 <= budget;
    let mut smallest = first.len() as u64;
    let mut best = fits_first.then_some((guess, first));
    for quality in [
        refined,
        refined.saturating_sub(2).max(JPEG_MIN_QUALITY),
        JPEG_MIN_QUALITY,
    ] {
        if best.as_ref().is_some_and(|(q, _)| *q >= quality) {
            break;
        }
        if quality == guess {
            continue; // encoded above, and it did not fit
        }
        let bytes = encode(rgb, quality, Effort::Small)?;
        smallest = smallest.min(bytes.len() as u64);
        if bytes.len() as u64 <= budget {
            best = Some((quality, bytes));
            break;
        }
    }
    Ok(match best {
        Some((quality, bytes)) => Search::Fits { bytes, quality },
        None => Search::TooBig {
            size_at_min: smallest,
        },
    })
}

/// Binary search for the highest quality in [`JPEG_MIN_QUALITY`, `JPEG_MAX_QUALITY`] that `fits`; the minimum
/// when none does.
fn highest_fitting(mut fits: impl FnMut(u8) -> Result<bool>) -> Result<u8> {
    if fits(JPEG_MAX_QUALITY)? {
        return Ok(JPEG_MAX_QUALITY);
    }
    let (mut low, mut high) = (JPEG_MIN_QUALITY, JPEG_MAX_QUALITY);
    while high - low > 1 {
        let mid = low + (high - low) / 2;
        if fits(mid)? { low = mid } else { high = mid }
    }
    Ok(low)
}
