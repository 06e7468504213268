//! Which MMSC answers the MM7 connector retries, and how often: a tiny MMSC answers from a script and counts
//! the attempts.

mod mm7_support;

use std::{
    sync::{
        Arc,
        atomic::{AtomicUsize, Ordering},
    },
    time::Duration,
};

use axum::{
    Router,
    body::Bytes,
    extract::State,
    http::{HeaderMap, StatusCode, header},
    response::{IntoResponse, Response},
    routing::post,
};
use canvass_connectors::{SubmitOutcome, mm7};
use canvass_mm7::{Body, Envelope, Namespace, Status, StatusCode as Mm7Code, SubmitRsp};
use mm7_support::{config, mms};

/// One scripted answer.
#[derive(Clone, Copy)]
enum Answer {
    Http(u16),
    HttpWithRetryAfter(u16),
    Mm7(u16),
}

struct Script {
    answers: Vec<Answer>,
    attempts: AtomicUsize,
}

fn submit_rsp(code: u16) -> Response {
    let envelope = Envelope::new(
        "tx",
        Namespace::Rel6(4),
        Body::SubmitRsp(SubmitRsp {
            status: Status::new(Mm7Code::from(code)),
            message_id: (code < 2000).then(|| "mmsc-42".to_string()),
        }),
    );
    let encoded = canvass_mm7::encode(&envelope).expect("encode");
    ([(header::CONTENT_TYPE, encoded.content_type)], encoded.body).into_response()
}

async fn scripted(
    State(script): State<Arc<Script>>,
    _headers: HeaderMap,
    _body: Bytes,
) -> Response {
    let attempt = script.attempts.fetch_add(1, Ordering::SeqCst);
    let answer = script
        .answers
        .get(attempt)
        .or(script.answers.last())
        .copied();
    match answer {
        Some(Answer::Http(status)) => StatusCode::from_u16(status)
            .expect("status")
            .into_response(),
        Some(Answer::HttpWithRetryAfter(status)) => {
            let status = StatusCode::from_u16(status).expect("status");
            (status, [(header::RETRY_AFTER, "7")]).into_response()
        }
        Some(Answer::Mm7(code)) => submit_rsp(code),
        None => submit_rsp(1000),
    }
}

/// Serves `answers` in order (the last one repeats); returns the outcome and how many requests arrived.
async fn run(answers: Vec<Answer>, retries: u32) -> (SubmitOutcome, usize) {
    let script = Arc::new(Script {
        answers,
        attempts: AtomicUsize::new(0),
    });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let url = format!("http://{}/mm7", listener.local_addr().expect("addr"));
    let app = Router::new()
        .route("/mm7", post(scripted))
        .with_state(script.clone());
    tokio::spawn(async move { axum::serve(listener, app).await });
    let mut config = config(&url);
    config.retries = retries;
    config.receiver_bind = None;
    let built = mm7::build(config).await.expect("builds");
    let outcome = built
        .connector
        .submit(&mms("retry-1", "+12025550123"))
        .await;
    (outcome, script.attempts.load(Ordering::SeqCst))
}

#[tokio::test]
async fn server_errors_are_retried_until_the_mmsc_accepts() {
    let (outcome, attempts) = run(
        vec![Answer::Http(500), Answer::Http(502), Answer::Mm7(1000)],
        2,
    )
    .await;
    assert_eq!(
        outcome,
        SubmitOutcome::Accepted {
            carrier_ids: vec!["mmsc-42".into()]
        }
    );
    assert_eq!(attempts, 3);
}

#[tokio::test]
async fn retries_run_out_into_a_temporary_failure() {
    let (outcome, attempts) = run(vec![Answer::Http(500)], 2).await;
    assert!(
        matches!(&outcome, SubmitOutcome::TemporaryFailure { code, .. } if code == "http_500"),
        "{outcome:?}"
    );
    assert_eq!(attempts, 3);
}

#[tokio::test]
async fn temporary_mm7_codes_are_retried_and_permanent_ones_are_not() {
    let (outcome, attempts) = run(
        vec![Answer::Mm7(3000), Answer::Mm7(4005), Answer::Mm7(1000)],
        2,
    )
    .await;
    assert!(outcome.is_accepted(), "{outcome:?}");
    assert_eq!(attempts, 3);

    let (outcome, attempts) = run(vec![Answer::Mm7(2002)], 2).await;
    assert!(
        matches!(&outcome, SubmitOutcome::PermanentFailure { code, .. } if code == "2002"),
        "{outcome:?}"
    );
    assert_eq!(attempts, 1);

    let (outcome, attempts) = run(vec![Answer::Mm7(3000)], 1).await;
    assert!(
        matches!(&outcome, SubmitOutcome::TemporaryFailure { code, .. } if code == "3000"),
        "{outcome:?}"
    );
    assert_eq!(attempts, 2);
}

#[tokio::test]
async fn throttles_and_refusals_are_answered_at_once() {
    let (outcome, attempts) = run(vec![Answer::HttpWithRetryAfter(503)], 2).await;
    assert_eq!(
        outcome,
        SubmitOutcome::Throttled {
            retry_after: Some(Duration::from_secs(7))
        }
    );
    assert_eq!(attempts, 1);

    let (outcome, attempts) = run(vec![Answer::Http(429)], 2).await;
    assert_eq!(outcome, SubmitOutcome::Throttled { retry_after: None });
    assert_eq!(attempts, 1);

    let (outcome, attempts) = run(vec![Answer::Mm7(4006)], 2).await;
    assert_eq!(outcome, SubmitOutcome::Throttled { retry_after: None });
    assert_eq!(attempts, 1);

    for status in [401, 403] {
        let (outcome, attempts) = run(vec![Answer::Http(status)], 2).await;
        let expected = format!("http_{status}");
        assert!(
            matches!(&outcome, SubmitOutcome::PermanentFailure { code, .. } if *code == expected),
            "{outcome:?}"
        );
        assert_eq!(attempts, 1);
    }

    let (outcome, attempts) = run(vec![Answer::Http(400)], 2).await;
    assert!(
        matches!(&outcome, SubmitOutcome::PermanentFailure { code, .. } if code == "http_400"),
        "{outcome:?}"
    );
    assert_eq!(attempts, 1);
}
