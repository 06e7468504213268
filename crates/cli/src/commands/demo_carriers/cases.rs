//! The messages of the tour, one function per row: what is sent, over which route, to which magic number, and
//! what the carrier is expected to say about it.

use std::time::Instant;

use canvass_connectors::{DeliveryState, OutboundMessage, Receipt, SubmitOutcome};
use canvass_types::personality::Personality;

use super::{
    Row,
    content::{LONG_UCS2, picture_mms, rich_card, text},
    routes::Route,
};

/// What the submit answered, in a few words.
fn submit_words(outcome: &SubmitOutcome) -> String {
    match outcome {
        SubmitOutcome::Accepted { carrier_ids } => format!("accepted {}", carrier_ids.join(",")),
        SubmitOutcome::Throttled { .. } => "throttled".into(),
        SubmitOutcome::TemporaryFailure { code, reason } => format!("temporary {code}: {reason}"),
        SubmitOutcome::PermanentFailure { code, reason } => format!("permanent {code}: {reason}"),
    }
}

fn state_word(state: DeliveryState) -> &'static str {
    match state {
        DeliveryState::Delivered => "delivered",
        DeliveryState::Read => "read",
        DeliveryState::EnRoute => "en_route",
        DeliveryState::Expired => "expired",
        DeliveryState::Undeliverable => "undeliverable",
        DeliveryState::Rejected => "rejected",
        DeliveryState::Deleted => "deleted",
        DeliveryState::Unknown => "unknown",
    }
}

/// A row whose outcome is the final receipt's state.
fn receipt_row(row: Row, receipt: Option<Receipt>, what: impl FnOnce(&Receipt) -> String) -> Row {
    match receipt {
        Some(receipt) => Row {
            outcome: state_word(receipt.state).into(),
            detail: what(&receipt),
            ..row
        },
        None => Row {
            outcome: "no receipt".into(),
            detail: format!("nothing within {} s", super::events::EVENT_WAIT.as_secs()),
            ..row
        },
    }
}

/// Submits `message` and, when accepted, leaves the rest to `then`; a refusal is the row's outcome.
async fn send<F>(channel: &'static str, route: &Route, message: OutboundMessage, then: F) -> Row
where
    F: AsyncFnOnce(Row, Vec<String>) -> Row,
{
    let started = Instant::now();
    let row = Row {
        channel,
        route: route.name.into(),
        to: message.to.clone(),
        outcome: String::new(),
        detail: String::new(),
        elapsed_ms: 0,
    };
    let outcome = route.connector.submit(&message).await;
    let row = match outcome {
        SubmitOutcome::Accepted { carrier_ids } => then(row, carrier_ids).await,
        SubmitOutcome::PermanentFailure { code, reason } => Row {
            outcome: format!("permanent {code}"),
            detail: reason,
            ..row
        },
        other => Row {
            outcome: "not accepted".into(),
            detail: submit_words(&other),
            ..row
        },
    };
    Row {
        elapsed_ms: started.elapsed().as_millis() as u64,
        ..row
    }
}

/// SMS to a happy number, a long UCS-2 one, one the carrier refuses, and one to a landline.
pub async fn sms(route: &Route, n: u32) -> Vec<Row> {
    let happy = send(
        "SMS",
        route,
        text(
            "sms-happy",
            Personality::Happy.number(n),
            "Polls open at 7am. Reply STOP to opt out.",
        ),
        async |row, ids| {
            let receipt = route.events.final_receipt(&ids[0]).await;
            receipt_row(row, receipt, |r| {
                format!("DELIVRD receipt for id {}", r.carrier_id)
            })
        },
    );
    let long = send(
        "SMS",
        route,
        text("sms-long", Personality::Happy.number(n + 1), LONG_UCS2),
        async |row, ids| {
            let receipts = route.events.final_receipts(&ids).await;
            // The row shows the worst segment: any one not delivered, else the first.
            let worst = receipts.and_then(|all| {
                let bad = all.iter().find(|r| r.state != DeliveryState::Delivered);
                bad.or(all.first()).cloned()
            });
            receipt_row(row, worst, |_| {
                format!(
                    "UCS-2, {} segments (UDH), a DELIVRD receipt for each",
                    ids.len()
                )
            })
        },
    );
    let nack = send(
        "SMS",
        route,
        text(
            "sms-nack",
            Personality::Nack.number(n),
            "This one is refused.",
        ),
        async |row, ids| Row {
            outcome: "accepted (unexpected)".into(),
            detail: ids.join(","),
            ..row
        },
    );
    let landline = send(
        "SMS",
        route,
        text(
            "sms-landline",
            Personality::Landline.number(n),
            "Texting a landline.",
        ),
        async |row, ids| {
            let receipt = route.events.final_receipt(&ids[0]).await;
            receipt_row(row, receipt, |r| {
                format!(
                    "accepted as {}, then UNDELIV err:{}",
                    r.carrier_id,
                    r.error_code.as_deref().unwrap_or("none")
                )
            })
        },
    );
    let (happy, long, nack, landline) = tokio::join!(happy, long, nack, landline);
    vec![happy, long, nack, landline]
}

/// A picture through MM1: the handset fetches it from our content server and sends m-delivery-ind.
pub async fn mm1(route: &Route, n: u32) -> Row {
    let message = picture_mms("mms-mm1", Personality::Happy.number(n));
    send("MMS", route, message, async |row, ids| {
        let receipt = route.events.final_receipt(&ids[0]).await;
        let steps = route.events.handset_steps(&ids[0]);
        receipt_row(row, receipt, |_| {
            format!("WAP Push; handset {}, m-delivery-ind", steps.join(", "))
        })
    })
    .await
}

/// A picture through MM7: SubmitReq, then the MMSC's DeliveryReportReq.
pub async fn mm7(route: &Route, n: u32) -> Row {
    let message = picture_mms("mms-mm7", Personality::Happy.number(n));
    send("MMS", route, message, async |row, ids| {
        let receipt = route.events.final_receipt(&ids[0]).await;
        receipt_row(row, receipt, |r| {
            format!(
                "SubmitReq accepted as {}, then its DeliveryReportReq",
                r.carrier_id
            )
        })
    })
    .await
}

/// A rich card to an RCS phone (DELIVERED, then READ) and to one without RCS (the fallback signal).
pub async fn rcs(route: &Route, n: u32) -> Vec<Row> {
    let capable = send(
        "RCS",
        route,
        rich_card("rcs-card", Personality::Happy.number(n)),
        async |row, ids| {
            let read = route
                .events
                .receipt_in_state(&ids[0], DeliveryState::Read)
                .await;
            let states = route.events.states(&ids[0]);
            receipt_row(row, read, |_| {
                let states: Vec<&str> = states.into_iter().map(state_word).collect();
                format!("rich card; events {}", states.join(" → "))
            })
        },
    );
    let incapable = send(
        "RCS",
        route,
        rich_card("rcs-fallback", Personality::NotRcsCapable.number(n)),
        async |row, ids| Row {
            outcome: "accepted (unexpected)".into(),
            detail: ids.join(","),
            ..row
        },
    );
    let (capable, incapable) = tokio::join!(capable, incapable);
    let incapable = match incapable.outcome.strip_prefix("permanent ") {
        Some(code) => Row {
            outcome: code.to_owned(),
            detail: "capability check 404: falls back to MMS".into(),
            ..incapable
        },
        None => incapable,
    };
    vec![capable, incapable]
}

/// An SMS through the Twilio-compatible upstream, settled by its signed status callbacks.
pub async fn upstream(route: &Route, n: u32) -> Row {
    let message = text(
        "sms-upstream",
        Personality::Happy.number(n),
        "Polls open at 7am.",
    );
    send("SMS", route, message, async |row, ids| {
        let receipt = route.events.final_receipt(&ids[0]).await;
        let states: Vec<&str> = route
            .events
            .states(&ids[0])
            .into_iter()
            .map(state_word)
            .collect();
        receipt_row(row, receipt, |r| {
            format!(
                "{}; signed status callbacks {}",
                r.carrier_id,
                states.join(" → ")
            )
        })
    })
    .await
}
