//! A structural pass over a .shp before the shapefile crate reads it.
//!
//! The crate sizes its buffers from counts inside each record. This pass checks every record's counts against the
//! record's byte length and the file's real size first, so that a truncated or crafted file becomes a precise
//! error and nothing is ever allocated beyond what the file holds. It also refuses non-polygon records by number.

use std::fs::File;
use std::io::{BufReader, Read};
use std::path::Path;

use super::{FeatureRef, RegionError};

const HEADER_BYTES: u64 = 100;
const RECORD_HEADER_BYTES: u64 = 8;
const FILE_CODE: i32 = 9994;
/// Shape type, bounding box, part count and point count.
const POLYGON_FIXED_BYTES: u64 = 4 + 32 + 4 + 4;

const NULL_SHAPE: i32 = 0;
const POLYGON_TYPES: [i32; 3] = [5, 15, 25];

/// Checks the .shp's structure and returns its record count (null records included).
pub(super) fn scan_shp(path: &Path) -> Result<usize, RegionError> {
    let scan = Scan {
        path,
        source_name: path.display().to_string(),
    };
    let file = File::open(path).map_err(|e| scan.io(e))?;
    let actual_len = file.metadata().map_err(|e| scan.io(e))?.len();
    let mut reader = BufReader::new(file);

    if actual_len < HEADER_BYTES {
        return Err(scan.broken(format!(
            "the file is {actual_len} bytes, shorter than the 100-byte shapefile header"
        )));
    }
    let mut header = [0u8; HEADER_BYTES as usize];
    reader.read_exact(&mut header).map_err(|e| scan.io(e))?;
    let file_code = i32::from_be_bytes([header[0], header[1], header[2], header[3]]);
    if file_code != FILE_CODE {
        return Err(scan.broken(format!(
            "not a shapefile (file code {file_code}, expected {FILE_CODE})"
        )));
    }
    let declared_len = u64::from(u32::from_be_bytes([
        header[24], header[25], header[26], header[27],
    ])) * 2;
    if declared_len > actual_len {
        return Err(scan.broken(format!(
            "truncated: the header declares {declared_len} bytes but the file has {actual_len}"
        )));
    }
    let layer_type = i32::from_le_bytes([header[32], header[33], header[34], header[35]]);
    if layer_type != NULL_SHAPE && !POLYGON_TYPES.contains(&layer_type) {
        return Err(scan.broken(format!(
            "it holds {} shapes; a region layer needs Polygon shapes",
            shape_type_name(layer_type)
        )));
    }

    let mut position = HEADER_BYTES;
    let mut records = 0usize;
    while position < declared_len {
        let record = FeatureRef::Record(records + 1);
        if position + RECORD_HEADER_BYTES > declared_len {
            return Err(scan.broken(format!(
                "{record}: its header is cut off at the end of the file"
            )));
        }
        let mut record_header = [0u8; RECORD_HEADER_BYTES as usize];
        reader
            .read_exact(&mut record_header)
            .map_err(|e| scan.io(e))?;
        let words = i32::from_be_bytes([
            record_header[4],
            record_header[5],
            record_header[6],
            record_header[7],
        ]);
        let Ok(words) = u64::try_from(words) else {
            return Err(scan.broken(format!("{record}: negative content length {words}")));
        };
        let content_len = words * 2;
        position += RECORD_HEADER_BYTES;
        if position + content_len > declared_len {
            return Err(scan.broken(format!(
                "{record}: it claims {content_len} bytes, past the end of the file"
            )));
        }
        let read = scan.record_content(&mut reader, content_len, record)?;
        // Both are below 2^32, so the skip fits an i64.
        reader
            .seek_relative((content_len - read) as i64)
            .map_err(|e| scan.io(e))?;
        position += content_len;
        records += 1;
    }
    Ok(records)
}

struct Scan<'a> {
    path: &'a Path,
    source_name: String,
}

impl Scan<'_> {
    fn broken(&self, message: String) -> RegionError {
        RegionError::BadShapefile {
            source_name: self.source_name.clone(),
            message,
        }
    }

    fn io(&self, source: std::io::Error) -> RegionError {
        RegionError::Io {
            path: self.path.to_owned(),
            source,
        }
    }

    /// Reads as much of one record as the checks need and returns how many bytes that was.
    fn record_content<R: Read>(
        &self,
        reader: &mut R,
        content_len: u64,
        record: FeatureRef,
    ) -> Result<u64, RegionError> {
        if content_len < 4 {
            return Err(self.broken(format!(
                "{record}: {content_len} bytes is too short to hold a shape type"
            )));
        }
        let mut shape_type = [0u8; 4];
        reader.read_exact(&mut shape_type).map_err(|e| self.io(e))?;
        let shape_type = i32::from_le_bytes(shape_type);
        if shape_type == NULL_SHAPE {
            return Ok(4);
        }
        if !POLYGON_TYPES.contains(&shape_type) {
            return Err(RegionError::NotPolygon {
                source_name: self.source_name.clone(),
                feature: record,
                found: shape_type_name(shape_type).to_owned(),
            });
        }
        if content_len < POLYGON_FIXED_BYTES {
            return Err(self.broken(format!(
                "{record}: {content_len} bytes is too short for a polygon"
            )));
        }
        let mut fixed = [0u8; (POLYGON_FIXED_BYTES - 4) as usize];
        reader.read_exact(&mut fixed).map_err(|e| self.io(e))?;
        let parts = i32::from_le_bytes([fixed[32], fixed[33], fixed[34], fixed[35]]);
        let points = i32::from_le_bytes([fixed[36], fixed[37], fixed[38], fixed[39]]);
        let (Ok(parts), Ok(points)) = (u64::try_from(parts), u64::try_from(points)) else {
            return Err(self.broken(format!(
                "{record}: negative part or point count ({parts} parts, {points} points)"
            )));
        };
        // Counts are below 2^31, so this cannot overflow a u64.
        let needed = POLYGON_FIXED_BYTES + 4 * parts + 16 * points;
        if needed > content_len {
            return Err(self.broken(format!(
                "{record}: {parts} parts and {points} points need {needed} bytes but the record has {content_len}"
            )));
        }
        Ok(POLYGON_FIXED_BYTES)
    }
}

pub(super) fn shape_type_name(code: i32) -> &'static str {
    match code {
        0 => "Null",
        1 => "Point",
        3 => "PolyLine",
        5 => "Polygon",
        8 => "MultiPoint",
        11 => "PointZ",
        13 => "PolyLineZ",
        15 => "PolygonZ",
        18 => "MultiPointZ",
        21 => "PointM",
        23 => "PolyLineM",
        25 => "PolygonM",
        28 => "MultiPointM",
        31 => "MultiPatch",
        _ => "an unknown shape type",
    }
}
