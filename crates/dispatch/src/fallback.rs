//! The walk down a message's channel plan (e.g. RCS → MMS → SMS): what to do after each carrier answer.
//!
//! A permanent refusal on a channel that is not the plan's last moves to the next channel, whatever the code:
//! RCS refuses numbers that are not RCS-capable (`not_rcs_capable`), MMS routes refuse content too large
//! (`too_large`) or of a kind they do not carry (`unsupported_content`, MM7 2004 "content refused"), MMSCs
//! refuse subscribers without MMS, and a route with broken credentials refuses everything; a poorer channel may
//! still carry each of these. Only refusals that the next channel would repeat end the walk at once
//! ([`ENDS_THE_PLAN`]): an unsubscribed recipient (sending on another channel would ignore the opt-out) and a
//! number the carrier called malformed.

use std::time::Duration;

use canvass_connectors::SubmitOutcome;
use canvass_types::Channel;

/// Permanent failure codes that no other channel would get past.
///
/// - `21610`: Twilio-compatible APIs, "unsubscribed recipient" (the handset sent STOP to the carrier).
/// - `21211`: Twilio-compatible APIs, invalid `To` number.
/// - `2002`: MM7 (TS 23.140 §8.7.4) "Address Error": the address is malformed.
/// - `0x0000000B`: SMPP ESME_RINVDSTADR, invalid destination address.
pub const ENDS_THE_PLAN: [&str; 4] = ["21610", "21211", "2002", "0x0000000B"];

/// The channel to try with, and how to build the message for it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Step {
    /// The channel.
    pub channel: Channel,
    /// The message stands in for a richer channel's (RCS or MMS) as an SMS: put its media behind a link to a
    /// landing page. Whether a link is needed at all (the content had media) is the caller's to judge.
    pub sms_with_link: bool,
}

/// What to do after a carrier answered a submit on one channel.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Next {
    /// Accepted: the message is sent on `channel`.
    Done {
        /// The channel that carried it.
        channel: Channel,
    },
    /// Refused for good on this channel: try the next one in the plan now.
    Fallback(Step),
    /// Not handed over this time: try the same channel again later (the retry policy, or the carrier's pause
    /// when throttled, says when).
    Retry {
        /// The channel to try again.
        channel: Channel,
        /// The carrier asked us to slow down (feed it to the rate limiter; it does not count as an attempt).
        throttled: bool,
        /// The pause the carrier asked for.
        retry_after: Option<Duration>,
        /// The carrier's code for a temporary failure.
        code: Option<String>,
    },
    /// Refused for good and no channel is left: the message fails with this code.
    Fail {
        /// The last carrier's code.
        code: String,
        /// Its reason.
        reason: String,
    },
}

/// The first step of `plan`; `None` for an empty plan.
pub fn first(plan: &[Channel]) -> Option<Step> {
    plan.first().map(|&channel| Step {
        channel,
        sms_with_link: false,
    })
}

/// The step after `tried` in `plan`. A channel the plan no longer names (it was edited since) resumes at the
/// plan's first poorer channel.
pub fn after(plan: &[Channel], tried: Channel) -> Option<Step> {
    let next = match plan.iter().position(|&c| c == tried) {
        Some(i) => plan.get(i + 1).copied(),
        None => plan.iter().copied().find(|&c| c > tried),
    }?;
    Some(Step {
        channel: next,
        sms_with_link: next == Channel::Sms && matches!(tried, Channel::Rcs | Channel::Mms),
    })
}

/// Where to resume a message claimed again: on `last`, the channel its retry was saved for (so a worker that
/// defers a fallback saves the channel fallen back to), or at the plan's start when it was never tried. An SMS
/// that the plan reaches after a richer channel is taken to stand in for it, as [`after`] would have said.
pub fn resume(plan: &[Channel], last: Option<Channel>) -> Option<Step> {
    let Some(channel) = last else {
        return first(plan);
    };
    let richer_before = plan
        .iter()
        .take_while(|&&c| c != channel)
        .any(|&c| matches!(c, Channel::Rcs | Channel::Mms));
    Some(Step {
        channel,
        sms_with_link: channel == Channel::Sms && richer_before,
    })
}

/// What to do after `outcome` on `tried`.
pub fn decide(plan: &[Channel], tried: Channel, outcome: &SubmitOutcome) -> Next {
    match outcome {
        SubmitOutcome::Accepted { .. } => Next::Done { channel: tried },
        SubmitOutcome::Throttled { retry_after } => Next::Retry {
            channel: tried,
            throttled: true,
            retry_after: *retry_after,
            code: None,
        },
        SubmitOutcome::TemporaryFailure { code, .. } => Next::Retry {
            channel: tried,
            throttled: false,
            retry_after: None,
            code: Some(code.clone()),
        },
        SubmitOutcome::PermanentFailure { code, reason } => {
            let step = after(plan, tried).filter(|_| !ENDS_THE_PLAN.contains(&code.as_str()));
            match step {
                Some(step) => Next::Fallback(step),
                None => Next::Fail {
                    code: code.clone(),
                    reason: reason.clone(),
                },
            }
        }
    }
}

#[cfg(test)]
#[path = "fallback_tests.rs"]
mod tests;
