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

/// `rgb` encoded as a baseline-compatible progressive JPEG at `quality` (1–100), 4:2:0.
pub fn encode_jpeg(rgb: &RgbImage, quality: u8) -> Result<Vec<u8>> {
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
        compress.set_size(width as usize, height as usize);
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
                    "{}×{} at q={JPEG_MIN_QUALITY} is still {size_at_min} B",
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
            "q={JPEG_MIN_QUALITY} gives {size_at_min} B at {}×{}; resize {width}x{height}→{}x{} (budget)",
            smallest.0, smallest.1, to.0, to.1
        ));
        scaled = Some(resize_to(rgb, to.0, to.1)?);
    }
}

enum Search {
    Fits { bytes: Vec<u8>, quality: u8 },
    TooBig { size_at_min: u64 },
}

/// Binary search for the highest quality whose file fits `budget`, at the picture's current size.
fn search_quality(rgb: &RgbImage, budget: u64) -> Result<Search> {
    let best = encode_jpeg(rgb, JPEG_MAX_QUALITY)?;
    if best.len() as u64 <= budget {
        return Ok(Search::Fits {
            bytes: best,
            quality: JPEG_MAX_QUALITY,
        });
    }
    let worst = encode_jpeg(rgb, JPEG_MIN_QUALITY)?;
    if worst.len() as u64 > budget {
        return Ok(Search::TooBig {
            size_at_min: worst.len() as u64,
        });
    }
    // Invariant: `low` fits (its bytes in `fitting`), `high` does not.
    let (mut low, mut high, mut fitting) = (JPEG_MIN_QUALITY, JPEG_MAX_QUALITY, worst);
    while high - low > 1 {
        let mid = low + (high - low) / 2;
        let bytes = encode_jpeg(rgb, mid)?;
        if bytes.len() as u64 <= budget {
            (low, fitting) = (mid, bytes);
        } else {
            high = mid;
        }
    }
    Ok(Search::Fits {
        bytes: fitting,
        quality: low,
    })
}
