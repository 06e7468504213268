//! Consent dates as they appear in exports: RFC 3339, ISO dates and times, and US `M/D/YYYY`.

use jiff::Timestamp;
use jiff::civil::{Date, DateTime};
use jiff::tz::TimeZone;

/// Parses a timestamp; dates and times without an offset are taken as UTC.
pub fn parse_timestamp(text: &str) -> Option<Timestamp> {
    if let Ok(ts) = text.parse::<Timestamp>() {
        return Some(ts);
    }
    let as_utc = |dt: DateTime| {
        dt.to_zoned_datetime(TimeZone::UTC)
            .ok()
            .map(|z| z.timestamp())
    };
    if let Ok(dt) = text.replacen(' ', "T", 1).parse::<DateTime>() {
        return as_utc(dt);
    }
    if let Ok(d) = text.parse::<Date>() {
        return as_utc(d.to_datetime(jiff::civil::Time::midnight()));
    }
    let mut parts = text.split('/');
    let (m, d, y) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() {
        return None;
    }
    let date = Date::new(
        y.trim().parse().ok()?,
        m.trim().parse().ok()?,
        d.trim().parse().ok()?,
    )
    .ok()?;
    as_utc(date.to_datetime(jiff::civil::Time::midnight()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_usual_export_formats() {
        let want: Timestamp = "2024-05-01T00:00:00Z".parse().expect("literal");
        for text in [
            "2024-05-01T00:00:00Z",
            "2024-05-01",
            "2024-05-01 00:00:00",
            "5/1/2024",
            "05/01/2024",
        ] {
            assert_eq!(parse_timestamp(text), Some(want), "{text}");
        }
        assert_eq!(parse_timestamp("13/45/2024"), None);
        assert_eq!(parse_timestamp("yesterday"), None);
    }
}
