use super::*;

fn update(id: &str) -> ReceiptUpdate {
    ReceiptUpdate {
        carrier_id: id.into(),
        status: MessageStatus::Delivered,
        error_code: None,
        at: 0,
    }
}

fn ids(pending: &[Pending]) -> Vec<&str> {
    pending
        .iter()
        .map(|p| p.update.carrier_id.as_str())
        .collect()
}

#[test]
fn every_state_maps_as_documented() {
    use DeliveryState as D;
    use MessageStatus as S;
    let table = [
        (D::Delivered, Some(S::Delivered)),
        (D::Read, Some(S::Delivered)),
        (D::EnRoute, None),
        (D::Expired, Some(S::Expired)),
        (D::Undeliverable, Some(S::Undelivered)),
        (D::Rejected, Some(S::Failed)),
        (D::Deleted, Some(S::Undelivered)),
        (D::Unknown, None),
    ];
    for (state, status) in table {
        assert_eq!(final_status(state), status, "{state:?}");
        // Whatever we call final must be terminal in the status machine.
        assert!(status.is_none_or(MessageStatus::is_terminal));
    }
}

#[test]
fn a_receipt_becomes_an_update_with_its_code() {
    let receipt = Receipt {
        carrier_id: "abc".into(),
        state: DeliveryState::Undeliverable,
        error_code: Some("0x0000000B".into()),
        to: None,
    };
    let update = update_for(&receipt, 1_700).expect("final");
    assert_eq!(update.carrier_id, "abc");
    assert_eq!(update.status, MessageStatus::Undelivered);
    assert_eq!(update.error_code.as_deref(), Some("0x0000000B"));
    assert_eq!(update.at, 1_700);
    let en_route = Receipt {
        state: DeliveryState::EnRoute,
        ..receipt
    };
    assert_eq!(update_for(&en_route, 1_700), None);
}

#[test]
fn retries_come_due_with_growing_gaps_and_keep_their_age() {
    let mut buffer = ReceiptBuffer::new(BufferLimits::default());
    assert!(!buffer.push(update("a"), (), 1_000));
    assert!(buffer.due_for_retry(1_249).is_empty());
    let due = buffer.due_for_retry(1_250);
    assert_eq!(ids(&due), ["a"]);
    assert!(buffer.is_empty());
    // Still nothing to match: back in, 500 ms this time, then 1 s.
    for pending in due {
        buffer.requeue(pending, 1_250);
    }
    assert!(buffer.due_for_retry(1_749).is_empty());
    let due = buffer.due_for_retry(1_750);
    assert_eq!(due[0].retries, 1);
    assert_eq!(due[0].first_seen, 1_000);
    for pending in due {
        buffer.requeue(pending, 1_750);
    }
    assert!(buffer.due_for_retry(2_749).is_empty());
    assert_eq!(buffer.due_for_retry(2_750).len(), 1);
}

#[test]
fn the_gap_stops_growing_at_the_cap() {
    let mut buffer = ReceiptBuffer::new(BufferLimits::default());
    buffer.push(update("a"), (), 0);
    let mut pending = buffer.due_for_retry(250).remove(0);
    pending.retries = 1_000;
    buffer.requeue(pending, 10_000);
    assert!(buffer.due_for_retry(13_999).is_empty());
    assert_eq!(buffer.due_for_retry(14_000).len(), 1);
}

#[test]
fn old_receipts_expire_by_their_first_sighting() {
    let mut buffer = ReceiptBuffer::new(BufferLimits::default());
    buffer.push(update("old"), (), 0);
    buffer.push(update("new"), (), 20_000);
    // Requeued late, "old" is still 30 s old at 30 001.
    let due = buffer.due_for_retry(29_000);
    assert_eq!(ids(&due), ["old", "new"]);
    for pending in due {
        buffer.requeue(pending, 29_000);
    }
    assert_eq!(buffer.expired(30_000).len(), 0);
    // A stale receipt is not offered for retry; it waits for `expired` to count it.
    assert_eq!(ids(&buffer.due_for_retry(40_000)), ["new"]);
    assert_eq!(buffer.expired(40_000).len(), 1);
    assert!(buffer.is_empty());
}

#[test]
fn a_full_buffer_drops_the_oldest_and_counts_it() {
    let limits = BufferLimits {
        max_len: 3,
        ..BufferLimits::default()
    };
    let mut buffer = ReceiptBuffer::new(limits);
    for (i, id) in ["1", "2", "3"].into_iter().enumerate() {
        assert!(!buffer.push(update(id), (), i as i64));
    }
    assert!(buffer.push(update("4"), (), 3));
    assert!(buffer.push(update("5"), (), 4));
    assert_eq!(buffer.len(), 3);
    assert_eq!(buffer.overflowed(), 2);
    assert_eq!(ids(&buffer.due_for_retry(1_000)), ["3", "4", "5"]);
    let mut none = ReceiptBuffer::new(BufferLimits {
        max_len: 0,
        ..limits
    });
    assert!(none.push(update("x"), (), 0));
    assert!(none.is_empty());
}
