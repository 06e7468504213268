//! When a state lets marketing messages reach its residents, on top of the federal 8am–9pm (47 CFR 64.1200(c)(1)).
//! The table, with the statutes it follows, is `docs/compliance.md`; where a state has no entry, the federal
//! window alone applies. Where unsure, an entry errs towards fewer sending hours, never more.

use jiff::civil::{Time, Weekday};

/// The hours of one day in which sending is allowed, `[start, end)` in local time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DayRule {
    /// First allowed local time.
    pub start: Time,
    /// First local time no longer allowed.
    pub end: Time,
}

impl DayRule {
    const fn hours(start: i8, end: i8) -> Option<DayRule> {
        Some(DayRule {
            start: Time::constant(start, 0, 0, 0),
            end: Time::constant(end, 0, 0, 0),
        })
    }
}

/// A state's rule: the allowed hours for each weekday (Monday first); `None` forbids the day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StateRule {
    /// USPS code.
    pub state: &'static str,
    /// Monday … Sunday.
    pub days: [Option<DayRule>; 7],
}

impl StateRule {
    /// The allowed hours on `weekday`.
    pub fn on(&self, weekday: Weekday) -> Option<DayRule> {
        self.days[usize::from(weekday.to_monday_zero_offset().unsigned_abs())]
    }
}

/// The federal window, every day.
pub const FEDERAL: Option<DayRule> = DayRule::hours(8, 21);

/// Monday to Friday alike, then Saturday, then Sunday.
const fn week(
    weekdays: Option<DayRule>,
    saturday: Option<DayRule>,
    sunday: Option<DayRule>,
) -> [Option<DayRule>; 7] {
    [
        weekdays, weekdays, weekdays, weekdays, weekdays, saturday, sunday,
    ]
}

const fn every_day(rule: Option<DayRule>) -> [Option<DayRule>; 7] {
    week(rule, rule, rule)
}

const fn not_sunday(rule: Option<DayRule>) -> [Option<DayRule>; 7] {
    week(rule, rule, None)
}

const EIGHT_TO_EIGHT: Option<DayRule> = DayRule::hours(8, 20);

/// Every state with rules stricter than the federal window.
const RULES: [StateRule; 12] = [
    StateRule {
        state: "AL",
        days: not_sunday(EIGHT_TO_EIGHT),
    },
    StateRule {
        state: "CT",
        days: every_day(DayRule::hours(9, 20)),
    },
    StateRule {
        state: "FL",
        days: every_day(EIGHT_TO_EIGHT),
    },
    StateRule {
        state: "KY",
        days: every_day(DayRule::hours(10, 21)),
    },
    StateRule {
        state: "LA",
        days: not_sunday(EIGHT_TO_EIGHT),
    },
    StateRule {
        state: "MD",
        days: every_day(EIGHT_TO_EIGHT),
    },
    StateRule {
        state: "MS",
        days: not_sunday(EIGHT_TO_EIGHT),
    },
    StateRule {
        state: "NJ",
        days: every_day(EIGHT_TO_EIGHT),
    },
    StateRule {
        state: "OK",
        days: every_day(EIGHT_TO_EIGHT),
    },
    StateRule {
        state: "RI",
        days: week(DayRule::hours(9, 18), DayRule::hours(10, 17), None),
    },
    StateRule {
        state: "TX",
        days: week(
            DayRule::hours(9, 21),
            DayRule::hours(9, 21),
            DayRule::hours(12, 21),
        ),
    },
    StateRule {
        state: "WA",
        days: every_day(EIGHT_TO_EIGHT),
    },
];

/// The rule of `state` (USPS code, any case), when it has one stricter than the federal window.
pub fn state_rule(state: &str) -> Option<&'static StateRule> {
    RULES
        .iter()
        .find(|rule| rule.state.eq_ignore_ascii_case(state))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_states_the_issue_names_have_their_hours() {
        let hours = |state: &str, day: Weekday| {
            state_rule(state)
                .and_then(|r| r.on(day))
                .map(|d| (d.start.hour(), d.end.hour()))
        };
        for state in ["FL", "OK", "MD", "MS", "NJ"] {
            assert_eq!(hours(state, Weekday::Wednesday), Some((8, 20)), "{state}");
        }
        assert_eq!(hours("ct", Weekday::Monday), Some((9, 20)));
        assert_eq!(hours("TX", Weekday::Sunday), Some((12, 21)));
        assert_eq!(hours("TX", Weekday::Saturday), Some((9, 21)));
        assert_eq!(hours("RI", Weekday::Sunday), None);
        assert!(
            state_rule("PA").is_none(),
            "no stricter rule: the federal window applies"
        );
    }

    #[test]
    fn every_rule_is_inside_the_federal_window() {
        let federal = FEDERAL.expect("federal hours");
        for rule in RULES {
            for day in rule.days.iter().flatten() {
                assert!(
                    day.start >= federal.start && day.end <= federal.end && day.start < day.end,
                    "{}",
                    rule.state
                );
            }
        }
    }
}
