//! Printing for people (aligned tables, numbers with separators) and for scripts (JSON).

use serde::Serialize;

/// Prints a value as pretty JSON on stdout. A closed pipe (`canvass … | head`) is not an error.
pub fn json<T: Serialize>(value: &T) -> anyhow::Result<()> {
    use std::io::Write;
    let text = serde_json::to_string_pretty(value)?;
    match writeln!(std::io::stdout().lock(), "{text}") {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        other => Ok(other?),
    }
}

/// `1234567` → `1,234,567`.
pub fn thousands(n: impl Into<i128>) -> String {
    let n: i128 = n.into();
    let digits = n.unsigned_abs().to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    if n < 0 { format!("-{out}") } else { out }
}

/// Prints rows of (label, count) as an aligned two-column table with a share column.
pub fn count_table(title: &str, rows: &[(String, i64)], total: i64, limit: usize) {
    println!("{title}");
    let width = rows
        .iter()
        .take(limit)
        .map(|(k, _)| k.chars().count())
        .max()
        .unwrap_or(0)
        .max(8);
    for (key, n) in rows.iter().take(limit) {
        let share = if total > 0 {
            100.0 * *n as f64 / total as f64
        } else {
            0.0
        };
        println!("  {key:<width$}  {:>10}  {share:5.1}%", thousands(*n));
    }
    if rows.len() > limit {
        println!("  … and {} more", rows.len() - limit);
    }
}

/// The process's peak resident memory in bytes (Linux), for benchmark reports.
pub fn peak_rss_bytes() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb * 1024)
}

#[cfg(test)]
mod tests {
    #[test]
    fn separates_thousands() {
        assert_eq!(super::thousands(0), "0");
        assert_eq!(super::thousands(999), "999");
        assert_eq!(super::thousands(1000), "1,000");
        assert_eq!(super::thousands(-1234567), "-1,234,567");
    }
}
