//! An instant when every US time zone is inside lawful sending hours: for demos, benchmarks and tests that run a
//! worker on a clock of their own.

use jiff::Timestamp;
use jiff::civil::Weekday;
use jiff::tz::TimeZone;

/// The first weekday 19:00 UTC not before `now`: 14:00 in New York, 11:00 in Los Angeles, 09:00–10:00 in Hawaii
/// and Alaska, inside the federal window, every state's rule and the Sunday rules (it is never a weekend).
///
/// Never before `now`, so messages queued at the real time are already due on a clock set to it.
pub fn next_open_afternoon(now: Timestamp) -> Timestamp {
    let mut date = now.to_zoned_datetime(TimeZone::UTC).date();
    loop {
        let weekend = matches!(date.weekday(), Weekday::Saturday | Weekday::Sunday);
        let at = date
            .at(19, 0, 0, 0)
            .to_zoned_datetime(TimeZone::UTC)
            .map(|z| z.timestamp());
        match at {
            Ok(at) if !weekend && at >= now => return at,
            _ => {}
        }
        match date.tomorrow() {
            Ok(next) => date = next,
            // The end of jiff's calendar: nothing later exists to return.
            Err(_) => return now,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ts(s: &str) -> Timestamp {
        s.parse().expect("timestamp")
    }

    #[test]
    fn the_same_afternoon_when_it_is_still_ahead() {
        // Monday 2026-12-07.
        assert_eq!(
            next_open_afternoon(ts("2026-12-07T15:00:00Z")),
            ts("2026-12-07T19:00:00Z")
        );
        assert_eq!(
            next_open_afternoon(ts("2026-12-07T19:00:00Z")),
            ts("2026-12-07T19:00:00Z")
        );
    }

    #[test]
    fn the_next_weekday_once_it_has_passed() {
        assert_eq!(
            next_open_afternoon(ts("2026-12-07T19:00:01Z")),
            ts("2026-12-08T19:00:00Z")
        );
        // Friday evening → Monday.
        assert_eq!(
            next_open_afternoon(ts("2026-12-11T20:00:00Z")),
            ts("2026-12-14T19:00:00Z")
        );
        // Saturday morning → Monday.
        assert_eq!(
            next_open_afternoon(ts("2026-12-12T08:00:00Z")),
            ts("2026-12-14T19:00:00Z")
        );
    }

    #[test]
    fn every_us_zone_is_inside_federal_hours_then() {
        let at = next_open_afternoon(ts("2026-07-01T00:00:00Z"));
        for zone in [
            "America/New_York",
            "America/Chicago",
            "America/Denver",
            "America/Phoenix",
            "America/Los_Angeles",
            "America/Anchorage",
            "Pacific/Honolulu",
        ] {
            let tz = TimeZone::get(zone).expect("zone");
            let hour = at.to_zoned_datetime(tz).hour();
            assert!((8..21).contains(&hour), "{zone}: {hour}:00");
        }
    }
}
