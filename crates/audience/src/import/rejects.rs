//! The rejects file: every refused row with its line number and reason, then its original cells, so that staff
//! can fix the rows and import them again.

use std::io::Write;

/// Writes rejected rows as CSV: `line,reason,<original columns…>`.
pub struct RejectsWriter<W: Write> {
    out: csv::Writer<W>,
}

impl<W: Write> RejectsWriter<W> {
    /// Starts the file with a header built from the input's header.
    pub fn new(out: W, headers: &[String]) -> csv::Result<Self> {
        let mut out = csv::WriterBuilder::new().flexible(true).from_writer(out);
        let mut header = vec!["line".to_owned(), "reason".to_owned()];
        header.extend(headers.iter().cloned());
        out.write_record(&header)?;
        Ok(RejectsWriter { out })
    }

    /// Records one rejected row, with its cells as they were (undecodable bytes replaced).
    pub fn reject(&mut self, line: u64, reason: &str, record: &csv::ByteRecord) -> csv::Result<()> {
        let mut row = vec![line.to_string(), reason.to_owned()];
        row.extend(
            record
                .iter()
                .map(|cell| String::from_utf8_lossy(cell).into_owned()),
        );
        self.out.write_record(&row)
    }

    /// Flushes the file.
    pub fn finish(mut self) -> std::io::Result<()> {
        self.out.flush()
    }
}
