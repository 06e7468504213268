//! JPEG output built for splicing: baseline, 4:2:0, the standard Huffman tables, and a restart marker after
//! every MCU row.
//!
//! A restart marker resets the DC predictors and byte-aligns the entropy-coded data, so each MCU row is an
//! independent byte string that depends only on its own pixels (4:2:0 downsampling and edge padding stay inside
//! the row). With fixed tables, the rows of a band encoded on its own are exactly the rows a full encode would
//! produce; a personalised picture is then the pre-encoded background with the rows the text touches replaced.
//! The output is byte-identical to encoding the whole picture (a test checks it), at the cost of a few bytes per row.

use std::ops::Range;

use jpeg_encoder::{ColorType, Encoder, SamplingFactor};

use crate::{Error, Result};

/// Height of one MCU row in pixels (4:2:0 sampling).
pub(crate) const MCU_ROW: u32 = 16;

/// Encodes packed RGB pixels. The one place the encoder is chosen, so that it can be swapped.
pub(crate) fn encode_rgb(
    what: &str,
    rgb: &[u8],
    width: u32,
    height: u32,
    quality: u8,
) -> Result<Vec<u8>> {
    let corrupt = |reason: String| Error::Corrupt {
        what: what.to_owned(),
        reason,
    };
    let (w, h) = (to_u16(what, width)?, to_u16(what, height)?);
    let mcus_per_row = w.div_ceil(MCU_ROW as u16);
    let mut out = Vec::with_capacity(rgb.len() / 8);
    let mut encoder = Encoder::new(&mut out, quality.clamp(1, 100));
    encoder.set_sampling_factor(SamplingFactor::F_2_2);
    encoder.set_optimized_huffman_tables(false);
    encoder.set_restart_interval(mcus_per_row);
    encoder
        .encode(rgb, w, h, ColorType::Rgb)
        .map_err(|e| corrupt(format!("JPEG encoding failed: {e}")))?;
    Ok(out)
}

fn to_u16(what: &str, pixels: u32) -> Result<u16> {
    u16::try_from(pixels).map_err(|_| Error::TooLarge {
        what: what.to_owned(),
        reason: format!("{pixels} pixels exceeds JPEG's 65,535"),
    })
}

/// A JPEG cut at its restart markers: the headers up to the scan data, and the entropy-coded bytes of each
/// restart interval (one MCU row here), markers excluded.
#[derive(Debug, Clone, Default)]
pub(crate) struct Segmented {
    bytes: Vec<u8>,
    header_end: usize,
    rows: Vec<Range<usize>>,
}

impl Segmented {
    /// Cuts `bytes`, which must be a single-scan JPEG as [`encode_rgb`] writes it.
    pub(crate) fn parse(what: &str, bytes: Vec<u8>) -> Result<Segmented> {
        let corrupt = |reason: &str| Error::Corrupt {
            what: what.to_owned(),
            reason: reason.to_owned(),
        };
        let header_end =
            scan_data_start(&bytes).ok_or_else(|| corrupt("no start-of-scan segment"))?;
        let mut rows = Vec::new();
        let mut start = header_end;
        let mut i = header_end;
        loop {
            let Some(ff) = bytes[i..].iter().position(|&b| b == 0xFF) else {
                return Err(corrupt("scan data has no end-of-image marker"));
            };
            i += ff;
            let marker = *bytes
                .get(i + 1)
                .ok_or_else(|| corrupt("truncated marker in scan data"))?;
            match marker {
                0x00 | 0xFF => i += 1, // stuffed byte, or fill byte before a marker
                0xD0..=0xD7 | 0xD9 => {
                    rows.push(start..i);
                    i += 2;
                    start = i;
                    if marker == 0xD9 {
                        break;
                    }
                }
                _ => return Err(corrupt("unexpected marker in scan data")),
            }
        }
        Ok(Segmented {
            bytes,
            header_end,
            rows,
        })
    }

    /// Number of restart intervals (MCU rows).
    #[cfg(test)]
    pub(crate) fn row_count(&self) -> usize {
        self.rows.len()
    }

    /// The entropy-coded bytes of one row.
    pub(crate) fn row(&self, index: usize) -> &[u8] {
        &self.bytes[self.rows[index].clone()]
    }

    /// The whole JPEG as parsed.
    pub(crate) fn bytes(&self) -> &[u8] {
        &self.bytes
    }

    /// This JPEG with rows `first..first + band.row_count()` replaced by `band`'s rows, restart markers
    /// renumbered. `band` must come from the same encoder settings and width.
    pub(crate) fn splice(&self, first: usize, band: &Segmented) -> Vec<u8> {
        let band_len: usize = band.rows.iter().map(|r| r.len()).sum();
        let mut out = Vec::with_capacity(self.bytes.len() + band_len);
        out.extend_from_slice(&self.bytes[..self.header_end]);
        let last = self.rows.len().saturating_sub(1);
        for index in 0..self.rows.len() {
            let row = match index.checked_sub(first) {
                Some(k) if k < band.rows.len() => band.row(k),
                _ => self.row(index),
            };
            out.extend_from_slice(row);
            if index < last {
                out.extend_from_slice(&[0xFF, 0xD0 + (index % 8) as u8]);
            }
        }
        out.extend_from_slice(&[0xFF, 0xD9]);
        out
    }
}

/// Offset of the first byte after the SOS segment's header, walking the marker segments from SOI.
fn scan_data_start(bytes: &[u8]) -> Option<usize> {
    if bytes.get(..2)? != [0xFF, 0xD8] {
        return None;
    }
    let mut i = 2;
    loop {
        if *bytes.get(i)? != 0xFF {
            return None;
        }
        let marker = *bytes.get(i + 1)?;
        let len = u16::from_be_bytes([*bytes.get(i + 2)?, *bytes.get(i + 3)?]) as usize;
        let end = i + 2 + len;
        if end > bytes.len() {
            return None;
        }
        if marker == 0xDA {
            return Some(end);
        }
        i = end;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn gradient(width: u32, height: u32) -> Vec<u8> {
        (0..height)
            .flat_map(|y| {
                (0..width).flat_map(move |x| {
                    [
                        (x * 7 % 256) as u8,
                        (y * 5 % 256) as u8,
                        ((x + y) % 256) as u8,
                    ]
                })
            })
            .collect()
    }

    #[test]
    fn one_segment_per_mcu_row() {
        let jpeg = encode_rgb("t", &gradient(100, 70), 100, 70, 80).unwrap();
        let seg = Segmented::parse("t", jpeg.clone()).unwrap();
        assert_eq!(seg.row_count(), 5, "70 rows = 4 full MCU rows + 1 partial");
        assert_eq!(
            seg.splice(0, &seg.clone()),
            jpeg,
            "splicing a JPEG into itself changes nothing"
        );
    }

    #[test]
    fn splice_equals_full_encode() {
        let (w, h) = (120, 90);
        let mut base = gradient(w, h);
        let full_before = Segmented::parse("t", encode_rgb("t", &base, w, h, 85).unwrap()).unwrap();
        // Paint rows 20..40, which lie in MCU rows 1 and 2 (pixels 16..48).
        for y in 20..40 {
            for x in 10..90 {
                let i = ((y * w + x) * 3) as usize;
                base[i..i + 3].copy_from_slice(&[250, 10, 10]);
            }
        }
        let full_after = encode_rgb("t", &base, w, h, 85).unwrap();
        let band_pixels = &base[(16 * w * 3) as usize..(48 * w * 3) as usize];
        let band = Segmented::parse("t", encode_rgb("t", band_pixels, w, 32, 85).unwrap()).unwrap();
        assert_eq!(full_before.splice(1, &band), full_after);
    }

    #[test]
    fn garbage_is_an_error_not_a_panic() {
        assert!(Segmented::parse("t", vec![0xFF, 0xD8, 0xFF]).is_err());
        assert!(Segmented::parse("t", b"not a jpeg".to_vec()).is_err());
    }
}
