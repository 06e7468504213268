//! `contacts import`: stream a CSV into the store, merging by phone, keeping good rows and reporting bad ones.
//!
//! Parsing, normalisation and enrichment run on a blocking thread; batches flow through a small bounded channel
//! to the store, so the file is never held in memory and the database works while the next batch is parsed.

mod dates;
mod mapping;
mod rejects;
mod row;
mod text;

pub use mapping::{ColumnMap, Field, MAP_TARGETS, MappingError, attr_name, issue_name};
pub use rejects::RejectsWriter;
pub use row::{RegionLocator, RowParser};
pub use text::{Encoding, decode_cell};

use crate::contact::ContactRecord;
use crate::ports::{ContactSink, PortError};
use canvass_types::TenantId;
use std::collections::HashMap;
use std::io::{Read, Write};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

/// What to import and how.
pub struct ImportOptions {
    /// The owning tenant.
    pub tenant: TenantId,
    /// `col=field` overrides of the guessed mapping.
    pub mapping: Vec<String>,
    /// How cell bytes are decoded.
    pub encoding: Encoding,
    /// Contacts per database batch.
    pub batch_size: usize,
    /// Region lookup for the tenant's imported layers, if any.
    pub locator: Option<RegionLocator>,
}

impl Default for ImportOptions {
    fn default() -> Self {
        ImportOptions {
            tenant: TenantId::DEFAULT,
            mapping: Vec::new(),
            encoding: Encoding::Auto,
            batch_size: 10_000,
            locator: None,
        }
    }
}

/// Running totals, reported after every batch.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct ImportSummary {
    /// Data rows read.
    pub rows: u64,
    /// New contacts.
    pub imported: u64,
    /// Rows merged into an existing contact (or an earlier row of the file) with the same phone.
    pub merged: u64,
    /// Rows refused; each is in the rejects file.
    pub rejected: u64,
    /// Bytes of input consumed, for progress bars.
    pub bytes: u64,
}

/// Why an import stopped. Rows written before the failure stay written.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    /// The header could not be read.
    #[error("cannot read the CSV header: {0}")]
    Header(String),
    /// The file is not in an encoding we read.
    #[error("{0}")]
    Encoding(String),
    /// The column mapping is unusable.
    #[error(transparent)]
    Mapping(#[from] MappingError),
    /// Reading the input failed mid-way.
    #[error("reading the CSV failed at line {line}: {message}")]
    Read {
        /// Where.
        line: u64,
        /// What.
        message: String,
    },
    /// Writing the rejects file failed.
    #[error("writing the rejects file failed: {0}")]
    Rejects(String),
    /// The store refused a batch.
    #[error("the store failed: {0}")]
    Store(PortError),
}

struct CountingReader<R> {
    inner: R,
    bytes: Arc<AtomicU64>,
}

impl<R: Read> Read for CountingReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.bytes.fetch_add(n as u64, Ordering::Relaxed);
        Ok(n)
    }
}

/// Turns CRLF into LF before the CSV reader sees it: the csv crate counts a CRLF file's lines one short after the
/// first record, and rejects must carry the line numbers a spreadsheet shows.
struct CrlfToLf<R> {
    inner: R,
    buf: Box<[u8]>,
    start: usize,
    end: usize,
    eof: bool,
}

impl<R: Read> CrlfToLf<R> {
    fn new(inner: R) -> Self {
        CrlfToLf {
            inner,
            buf: vec![0; 64 * 1024].into_boxed_slice(),
            start: 0,
            end: 0,
            eof: false,
        }
    }
}

impl<R: Read> Read for CrlfToLf<R> {
    fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
        if self.start == self.end {
            if self.eof {
                return Ok(0);
            }
            self.end = self.inner.read(&mut self.buf)?;
            self.start = 0;
            if self.end == 0 {
                self.eof = true;
                return Ok(0);
            }
        }
        let mut written = 0;
        while self.start < self.end && written < out.len() {
            let byte = self.buf[self.start];
            if byte == b'\r' {
                if self.start + 1 < self.end {
                    if self.buf[self.start + 1] == b'\n' {
                        self.start += 1;
                        continue;
                    }
                } else if !self.eof {
                    // A CR ends the buffer: keep it and read on to see whether an LF follows.
                    self.buf[0] = b'\r';
                    let n = self.inner.read(&mut self.buf[1..])?;
                    self.start = 0;
                    self.end = 1 + n;
                    self.eof = n == 0;
                    continue;
                }
            }
            out[written] = byte;
            written += 1;
            self.start += 1;
        }
        Ok(written)
    }
}

/// A batch handed from the parsing thread to the writer, with the counts the parser decided.
struct Parsed {
    contacts: Vec<ContactRecord>,
    rows: u64,
    folded: u64,
    rejected: u64,
}

/// Streams `input` into `sink`. Rejected rows go to `rejects`; `progress` sees the totals after every batch.
pub async fn import_csv<R, W, S>(
    input: R,
    rejects: W,
    options: ImportOptions,
    sink: &mut S,
    mut progress: impl FnMut(&ImportSummary),
) -> Result<ImportSummary, ImportError>
where
    R: Read + Send + 'static,
    W: Write + Send + 'static,
    S: ContactSink,
{
    let bytes = Arc::new(AtomicU64::new(0));
    let reader = CountingReader {
        inner: input,
        bytes: bytes.clone(),
    };
    let (tx, mut rx) = tokio::sync::mpsc::channel::<Parsed>(1);
    let tenant = options.tenant;
    let parser = tokio::task::spawn_blocking(move || parse_all(reader, rejects, options, tx));

    let mut summary = ImportSummary::default();
    let mut store_error = None;
    while let Some(parsed) = rx.recv().await {
        summary.rows += parsed.rows;
        summary.rejected += parsed.rejected;
        summary.merged += parsed.folded;
        match sink.write_batch(tenant, parsed.contacts).await {
            Ok(outcome) => {
                summary.imported += outcome.inserted;
                summary.merged += outcome.merged;
            }
            Err(e) => {
                store_error = Some(e);
                break;
            }
        }
        summary.bytes = bytes.load(Ordering::Relaxed);
        progress(&summary);
    }
    // Dropping the receiver stops the parser at its next send.
    drop(rx);
    let parsed = parser.await.map_err(|e| ImportError::Read {
        line: 0,
        message: e.to_string(),
    })?;
    let finished = sink.finish().await;
    if let Some(e) = store_error {
        return Err(ImportError::Store(e));
    }
    finished.map_err(ImportError::Store)?;
    parsed?;
    summary.bytes = bytes.load(Ordering::Relaxed);
    progress(&summary);
    Ok(summary)
}

fn parse_all<R: Read, W: Write>(
    input: R,
    rejects: W,
    options: ImportOptions,
    tx: tokio::sync::mpsc::Sender<Parsed>,
) -> Result<(), ImportError> {
    let mut csv = csv::ReaderBuilder::new()
        .flexible(true)
        .has_headers(false)
        .from_reader(CrlfToLf::new(input));
    let mut header = csv::ByteRecord::new();
    if !csv
        .read_byte_record(&mut header)
        .map_err(|e| ImportError::Header(e.to_string()))?
    {
        return Err(ImportError::Header("the file is empty".to_owned()));
    }
    let headers = decode_header(&header)?;
    let map = ColumnMap::build(&headers, &options.mapping)?;
    let mut rejects =
        RejectsWriter::new(rejects, &headers).map_err(|e| ImportError::Rejects(e.to_string()))?;
    let parser = RowParser::new(map, headers, options.encoding, options.locator.clone());

    let batch_size = options.batch_size.max(1);
    let mut batch = Batch::new(batch_size);
    let mut record = csv::ByteRecord::new();
    loop {
        let line = csv.position().line();
        match csv.read_byte_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => {
                return Err(ImportError::Read {
                    line,
                    message: e.to_string(),
                });
            }
        }
        let line = record.position().map_or(line, |p| p.line());
        if record.len() == 1
            && record
                .get(0)
                .is_some_and(|c| c.iter().all(u8::is_ascii_whitespace))
        {
            continue; // blank line
        }
        batch.rows += 1;
        match parser.parse(line, &record) {
            Ok(contact) => batch.push(contact),
            Err(reason) => {
                batch.rejected += 1;
                rejects
                    .reject(line, &reason, &record)
                    .map_err(|e| ImportError::Rejects(e.to_string()))?;
            }
        }
        if batch.contacts.len() >= batch_size {
            let full = std::mem::replace(&mut batch, Batch::new(batch_size));
            if tx.blocking_send(full.finish()).is_err() {
                return Ok(()); // the writer stopped; it reports why
            }
        }
    }
    rejects
        .finish()
        .map_err(|e| ImportError::Rejects(e.to_string()))?;
    let _ = tx.blocking_send(batch.finish());
    Ok(())
}

/// Contacts of one batch, with repeats of a phone folded into its first row.
struct Batch {
    contacts: Vec<ContactRecord>,
    index: HashMap<String, usize>,
    rows: u64,
    folded: u64,
    rejected: u64,
}

impl Batch {
    fn new(capacity: usize) -> Self {
        Batch {
            contacts: Vec::with_capacity(capacity),
            index: HashMap::new(),
            rows: 0,
            folded: 0,
            rejected: 0,
        }
    }

    fn push(&mut self, contact: ContactRecord) {
        match self.index.get(contact.phone.as_str()) {
            Some(&i) => {
                self.contacts[i].merge_from(contact);
                self.folded += 1;
            }
            None => {
                self.index
                    .insert(contact.phone.as_str().to_owned(), self.contacts.len());
                self.contacts.push(contact);
            }
        }
    }

    fn finish(self) -> Parsed {
        Parsed {
            contacts: self.contacts,
            rows: self.rows,
            folded: self.folded,
            rejected: self.rejected,
        }
    }
}

fn decode_header(header: &csv::ByteRecord) -> Result<Vec<String>, ImportError> {
    let first = header.get(0).unwrap_or_default();
    if first.starts_with(&[0xFF, 0xFE]) || first.starts_with(&[0xFE, 0xFF]) {
        return Err(ImportError::Encoding(
            "the file is UTF-16; save it as \"CSV UTF-8\" (or Latin-1) and import again".to_owned(),
        ));
    }
    header
        .iter()
        .enumerate()
        .map(|(i, cell)| {
            // Excel writes a UTF-8 byte order mark before the first header.
            let cell = if i == 0 {
                cell.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(cell)
            } else {
                cell
            };
            decode_cell(cell, Encoding::Auto)
                .map(|s| s.trim().to_owned())
                .map_err(ImportError::Header)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Hands out one byte per read, so a CR can end the converter's buffer.
    struct Trickle<'a>(&'a [u8]);

    impl Read for Trickle<'_> {
        fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
            let Some((first, rest)) = self.0.split_first() else {
                return Ok(0);
            };
            out[0] = *first;
            self.0 = rest;
            Ok(1)
        }
    }

    fn through(input: &[u8], chunk: usize) -> Vec<u8> {
        let mut reader = CrlfToLf::new(Trickle(input));
        let mut out = Vec::new();
        let mut buf = vec![0; chunk];
        loop {
            let n = reader.read(&mut buf).expect("read");
            if n == 0 {
                return out;
            }
            out.extend_from_slice(&buf[..n]);
        }
    }

    #[test]
    fn crlf_becomes_lf_across_any_read_size() {
        for chunk in [1, 2, 3, 64] {
            assert_eq!(
                through(b"a,b\r\nc,\"x\ry\"\r\n\r", chunk),
                b"a,b\nc,\"x\ry\"\n\r",
                "chunk {chunk}"
            );
        }
    }
}
