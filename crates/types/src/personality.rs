//! The carrier simulator's magic number ranges: the contract between the simulator, the conformance kit, the
//! demo and the tests about which recipients misbehave, and how. Documented in `docs/simulator.md`.
//!
//! Numbers of the form `+1 NPA 555-01PD` (NANP's fictional 555-0100..0199 block, any area code NPA) select
//! personality `P`; every other number is happy. The area code and `D` are free, so each personality has about
//! 8,000 distinct numbers for tests that need a fresh recipient per case.

use std::fmt;

/// How the simulated carrier treats messages for a recipient.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Personality {
    /// Accepts, delivers, and sends a DELIVRD receipt after the configured delay.
    Happy,
    /// Answers the first submit for the number with "throttled" (ESME_RTHROTTLED, HTTP 429), then accepts.
    Throttling,
    /// Accepts and never sends a receipt.
    Blackhole,
    /// Refuses with a permanent error (ESME_RINVDSTADR, MM7 3002, RBM 400, Twilio 21211).
    Nack,
    /// Drops the session instead of answering the submit; the message is not accepted.
    UnbindOnSubmit,
    /// Never answers the submit; the message is not accepted.
    NoResponse,
    /// Accepts after a long delay (the simulator's `slow` latency, 2 s by default).
    Slow,
    /// Accepts and delivers, but the receipt is lost on the way back.
    ReceiptLoss,
    /// Accepts, then reports the message undeliverable to a landline (Twilio 30006; SMPP UNDELIV err:006).
    Landline,
    /// Not RCS-capable: RBM capability checks answer 404; SMS and MMS are happy.
    NotRcsCapable,
}

impl Personality {
    /// Every personality, happy first.
    pub const ALL: [Personality; 10] = [
        Self::Happy,
        Self::Throttling,
        Self::Blackhole,
        Self::Nack,
        Self::UnbindOnSubmit,
        Self::NoResponse,
        Self::Slow,
        Self::ReceiptLoss,
        Self::Landline,
        Self::NotRcsCapable,
    ];

    /// The personality of a recipient, from its digits (any `+`, spaces or punctuation ignored).
    pub fn of(number: &str) -> Self {
        let digits: Vec<u8> = number
            .bytes()
            .filter(u8::is_ascii_digit)
            .map(|b| b - b'0')
            .collect();
        let national = match digits.as_slice() {
            [1, rest @ ..] if rest.len() == 10 => rest,
            rest if rest.len() == 10 => rest,
            _ => return Self::Happy,
        };
        match national {
            [_, _, _, 5, 5, 5, 0, 1, p, _] => Self::from_digit(*p),
            _ => Self::Happy,
        }
    }

    fn from_digit(digit: u8) -> Self {
        match digit {
            0 => Self::Throttling,
            1 => Self::Blackhole,
            2 => Self::Nack,
            3 => Self::UnbindOnSubmit,
            4 => Self::NoResponse,
            5 => Self::Slow,
            6 => Self::ReceiptLoss,
            7 => Self::Landline,
            8 => Self::NotRcsCapable,
            _ => Self::Happy,
        }
    }

    fn digit(self) -> Option<u8> {
        Some(match self {
            Self::Happy => return None,
            Self::Throttling => 0,
            Self::Blackhole => 1,
            Self::Nack => 2,
            Self::UnbindOnSubmit => 3,
            Self::NoResponse => 4,
            Self::Slow => 5,
            Self::ReceiptLoss => 6,
            Self::Landline => 7,
            Self::NotRcsCapable => 8,
        })
    }

    /// The `n`th distinct E.164 number with this personality (wraps after about 8,000). Happy numbers use the
    /// 555-02xx block, which no personality claims.
    pub fn number(self, n: u32) -> String {
        let area = 201 + (n / 10) % 799;
        let last = n % 10;
        match self.digit() {
            Some(p) => format!("+1{area}55501{p}{last}"),
            None => format!("+1{area}55502{}{last}", (n / 7990) % 10),
        }
    }

    /// The name used in docs, logs and the statistics endpoint.
    pub fn name(self) -> &'static str {
        match self {
            Self::Happy => "happy",
            Self::Throttling => "throttling",
            Self::Blackhole => "blackhole",
            Self::Nack => "nack",
            Self::UnbindOnSubmit => "unbind-on-submit",
            Self::NoResponse => "no-response-on-submit",
            Self::Slow => "slow",
            Self::ReceiptLoss => "receipt-loss",
            Self::Landline => "landline",
            Self::NotRcsCapable => "not-rcs-capable",
        }
    }
}

impl fmt::Display for Personality {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_personality_round_trips_through_its_numbers() {
        for personality in Personality::ALL {
            for n in [0, 1, 9, 10, 4321, 7989] {
                let number = personality.number(n);
                assert_eq!(Personality::of(&number), personality, "{number}");
            }
        }
    }

    #[test]
    fn ordinary_foreign_and_short_numbers_are_happy() {
        for number in [
            "+12155550223",
            "+12155550099",
            "+12155551234",
            "+447700900123",
            "12345",
            "",
        ] {
            assert_eq!(Personality::of(number), Personality::Happy, "{number}");
        }
    }

    #[test]
    fn formatting_does_not_change_the_personality() {
        for number in [
            "+12155550172",
            "2155550172",
            "+1 (215) 555-0172",
            "1-215-555-0172",
        ] {
            assert_eq!(Personality::of(number), Personality::Landline, "{number}");
        }
    }

    #[test]
    fn generated_numbers_are_distinct() {
        let numbers: std::collections::HashSet<String> =
            (0..7990).map(|n| Personality::Nack.number(n)).collect();
        assert_eq!(numbers.len(), 7990);
    }
}
