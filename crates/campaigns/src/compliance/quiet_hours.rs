//! Quiet hours in the recipient's own time zone: the federal window, narrowed by the state's rule and by the
//! campaign's own window. A message that may not go now is moved to the start of the next allowed window, so that a
//! backlog never lands at night.

use jiff::{
    Timestamp,
    civil::{Date, Time},
    tz::TimeZone,
};

use super::state_rules::{DayRule, FEDERAL, state_rule};

/// A campaign's own daily window, local to each recipient, `[start, end)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SendWindow {
    /// First allowed local time.
    pub start: Time,
    /// First local time no longer allowed.
    pub end: Time,
}

/// How far ahead to look for an allowed window; every rule allows some hours in any week.
const HORIZON_DAYS: i32 = 8;

/// The allowed hours on local `date` for a recipient in `state`, within `campaign`'s window: `None` when none.
pub fn window_on(date: Date, state: Option<&str>, campaign: Option<SendWindow>) -> Option<DayRule> {
    let mut window = FEDERAL?;
    if let Some(rule) = state.and_then(state_rule) {
        window = intersect(window, rule.on(date.weekday())?)?;
    }
    if let Some(own) = campaign {
        window = intersect(
            window,
            DayRule {
                start: own.start,
                end: own.end,
            },
        )?;
    }
    Some(window)
}

fn intersect(a: DayRule, b: DayRule) -> Option<DayRule> {
    let (start, end) = (a.start.max(b.start), a.end.min(b.end));
    (start < end).then_some(DayRule { start, end })
}

/// The first instant at or after `now` when a message may reach a recipient in time zone `tz` and `state`: `now`
/// itself inside a window, else the start of the next one. `None` when no window opens within a week (a campaign
/// window that excludes every lawful hour).
pub fn next_allowed(
    now: Timestamp,
    tz: &TimeZone,
    state: Option<&str>,
    campaign: Option<SendWindow>,
) -> Option<Timestamp> {
    let today = now.to_zoned_datetime(tz.clone()).date();
    for offset in 0..HORIZON_DAYS {
        let date = today.checked_add(jiff::Span::new().days(offset)).ok()?;
        let Some(window) = window_on(date, state, campaign) else {
            continue;
        };
        // A window edge inside a DST gap moves forward to the first real instant (jiff's "compatible" rule).
        let start = date
            .to_datetime(window.start)
            .to_zoned_datetime(tz.clone())
            .ok()?
            .timestamp();
        let end = date
            .to_datetime(window.end)
            .to_zoned_datetime(tz.clone())
            .ok()?
            .timestamp();
        let candidate = start.max(now);
        if candidate < end {
            return Some(candidate);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::{date, time};

    fn at(tz: &str, y: i16, m: i8, d: i8, h: i8, min: i8) -> (Timestamp, TimeZone) {
        let tz = TimeZone::get(tz).expect("bundled tz");
        let ts = date(y, m, d)
            .at(h, min, 0, 0)
            .to_zoned_datetime(tz.clone())
            .expect("valid")
            .timestamp();
        (ts, tz)
    }

    fn local(ts: Timestamp, tz: &TimeZone) -> String {
        ts.to_zoned_datetime(tz.clone())
            .strftime("%a %Y-%m-%d %H:%M")
            .to_string()
    }

    #[test]
    fn inside_the_window_now_is_allowed() {
        let (now, tz) = at("America/New_York", 2026, 11, 25, 14, 30);
        assert_eq!(next_allowed(now, &tz, Some("PA"), None), Some(now));
    }

    #[test]
    fn at_night_the_message_waits_for_the_morning() {
        let (now, tz) = at("America/Chicago", 2026, 11, 25, 21, 30);
        let next = next_allowed(now, &tz, Some("IL"), None).expect("a window");
        assert_eq!(local(next, &tz), "Thu 2026-11-26 08:00");
    }

    #[test]
    fn florida_stops_at_eight_and_texas_sundays_start_at_noon() {
        let (now, tz) = at("America/New_York", 2026, 11, 25, 20, 15);
        assert_eq!(
            local(
                next_allowed(now, &tz, Some("FL"), None).expect("window"),
                &tz
            ),
            "Thu 2026-11-26 08:00"
        );
        let (sunday_morning, tz) = at("America/Chicago", 2026, 11, 29, 9, 0);
        assert_eq!(
            local(
                next_allowed(sunday_morning, &tz, Some("TX"), None).expect("window"),
                &tz
            ),
            "Sun 2026-11-29 12:00"
        );
    }

    #[test]
    fn a_state_without_sundays_moves_to_monday() {
        let (saturday_night, tz) = at("America/Chicago", 2026, 11, 28, 20, 30);
        assert_eq!(
            local(
                next_allowed(saturday_night, &tz, Some("LA"), None).expect("window"),
                &tz
            ),
            "Mon 2026-11-30 08:00"
        );
    }

    #[test]
    fn the_campaign_window_narrows_the_law_and_a_disjoint_one_never_sends() {
        let (now, tz) = at("America/Los_Angeles", 2026, 11, 25, 9, 0);
        let evening = SendWindow {
            start: time(17, 0, 0, 0),
            end: time(19, 30, 0, 0),
        };
        assert_eq!(
            local(
                next_allowed(now, &tz, Some("CA"), Some(evening)).expect("window"),
                &tz
            ),
            "Wed 2026-11-25 17:00"
        );
        let night = SendWindow {
            start: time(22, 0, 0, 0),
            end: time(23, 0, 0, 0),
        };
        assert_eq!(next_allowed(now, &tz, Some("CA"), Some(night)), None);
    }

    #[test]
    fn on_the_spring_forward_day_the_window_is_still_local_time() {
        // 2026-03-08: US clocks jump from 02:00 to 03:00; 8am local is still 8am local.
        let (now, tz) = at("America/New_York", 2026, 3, 8, 1, 30);
        assert_eq!(
            local(next_allowed(now, &tz, None, None).expect("window"), &tz),
            "Sun 2026-03-08 08:00"
        );
    }
}
