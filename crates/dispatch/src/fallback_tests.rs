use super::*;
use Channel::{Mms, Rcs, Sms};

const PLAN: [Channel; 3] = [Rcs, Mms, Sms];

fn permanent(code: &str) -> SubmitOutcome {
    SubmitOutcome::PermanentFailure {
        code: code.into(),
        reason: format!("refused: {code}"),
    }
}

fn step(channel: Channel, sms_with_link: bool) -> Step {
    Step {
        channel,
        sms_with_link,
    }
}

#[test]
fn the_walk_starts_at_the_richest_channel_listed() {
    assert_eq!(first(&PLAN), Some(step(Rcs, false)));
    assert_eq!(first(&[Sms]), Some(step(Sms, false)));
    assert_eq!(first(&[]), None);
}

#[test]
fn accepted_is_done_on_the_channel_tried() {
    let outcome = SubmitOutcome::Accepted {
        carrier_ids: vec!["id".into()],
    };
    assert_eq!(decide(&PLAN, Mms, &outcome), Next::Done { channel: Mms });
}

#[test]
fn throttles_and_temporary_failures_retry_the_same_channel() {
    let pause = Some(Duration::from_secs(3));
    let throttled = SubmitOutcome::Throttled { retry_after: pause };
    assert_eq!(
        decide(&PLAN, Rcs, &throttled),
        Next::Retry {
            channel: Rcs,
            throttled: true,
            retry_after: pause,
            code: None
        }
    );
    let busy = SubmitOutcome::TemporaryFailure {
        code: "0x00000014".into(),
        reason: "queue full".into(),
    };
    assert_eq!(
        decide(&PLAN, Sms, &busy),
        Next::Retry {
            channel: Sms,
            throttled: false,
            retry_after: None,
            code: Some("0x00000014".into())
        }
    );
}

#[test]
fn an_rcs_refusal_falls_back_to_mms() {
    for code in ["not_rcs_capable", "invalid_content", "403"] {
        assert_eq!(
            decide(&PLAN, Rcs, &permanent(code)),
            Next::Fallback(step(Mms, false)),
            "{code}"
        );
    }
    // Without MMS in the plan, RCS falls straight to SMS, with a link for the rich content.
    assert_eq!(
        decide(&[Rcs, Sms], Rcs, &permanent("not_rcs_capable")),
        Next::Fallback(step(Sms, true))
    );
}

#[test]
fn an_mms_refusal_falls_back_to_sms_with_a_link() {
    for code in [
        "too_large",
        "unsupported_content",
        "2004",
        "2003",
        "http_401",
    ] {
        assert_eq!(
            decide(&PLAN, Mms, &permanent(code)),
            Next::Fallback(step(Sms, true)),
            "{code}"
        );
    }
}

#[test]
fn a_refusal_on_the_last_channel_fails_with_its_code() {
    assert_eq!(
        decide(&PLAN, Sms, &permanent("0x00000045")),
        Next::Fail {
            code: "0x00000045".into(),
            reason: "refused: 0x00000045".into()
        }
    );
    assert!(matches!(
        decide(&[Rcs], Rcs, &permanent("not_rcs_capable")),
        Next::Fail { code, .. } if code == "not_rcs_capable"
    ));
}

#[test]
fn refusals_every_channel_would_repeat_end_the_walk() {
    for code in ENDS_THE_PLAN {
        assert!(
            matches!(decide(&PLAN, Mms, &permanent(code)), Next::Fail { code: c, .. } if c == code),
            "{code}"
        );
    }
}

#[test]
fn a_channel_dropped_from_the_plan_resumes_at_the_next_poorer_one() {
    assert_eq!(after(&[Rcs, Sms], Mms), Some(step(Sms, true)));
    assert_eq!(after(&[Mms], Rcs), Some(step(Mms, false)));
    assert_eq!(after(&[Rcs, Mms], Sms), None);
    // An unusual plan order is followed as written.
    assert_eq!(after(&[Sms, Mms], Sms), Some(step(Mms, false)));
}

#[test]
fn a_reclaimed_message_resumes_where_it_was_left() {
    assert_eq!(resume(&PLAN, None), Some(step(Rcs, false)));
    assert_eq!(resume(&PLAN, Some(Mms)), Some(step(Mms, false)));
    assert_eq!(resume(&PLAN, Some(Sms)), Some(step(Sms, true)));
    assert_eq!(resume(&[Sms], Some(Sms)), Some(step(Sms, false)));
    assert_eq!(resume(&[], None), None);
}
