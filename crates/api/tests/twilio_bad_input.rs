//! `POST Messages.json` with bad input: Twilio's HTTP status and code for each, its four-key error body, and
//! nothing queued.

mod support;

use canvass_dispatch::ports::{ConsentChange, Queue};
use support::{Call, Fixture, RECIPIENT, at_offset, backends, counts};

/// What is sent, the code it gets, and what its message must name.
type Case<'a> = (&'a str, Vec<(&'a str, &'a str)>, u64, &'a str);

#[tokio::test]
async fn each_bad_request_gets_twilios_code_and_queues_nothing() {
    for b in backends("bad_codes").await {
        let f = Fixture::new(&b.store).await;
        let a = &f.agency;
        let now = f.now_ms();
        let mg = f.service(a, None).await;
        let opted_out = "+12155550177";
        assert!(
            Queue::record_consent(
                &f.store,
                &ConsentChange {
                    tenant: a.account.tenant,
                    phone: opted_out.into(),
                    opt_in: false,
                    source: "api".into(),
                    evidence: Some("STOP".into()),
                    at: now,
                },
            )
            .await
            .expect("opt out")
        );

        let long_body = "x".repeat(1601);
        let eleven: Vec<String> = (0..11)
            .map(|i| format!("https://media.example/{i}.jpg"))
            .collect();
        let in_an_hour = at_offset(now, 3600);
        let in_a_minute = at_offset(now, 60);
        let in_36_days = at_offset(now, 36 * 24 * 3600);
        let from = a.number.as_str();
        let to = ("To", RECIPIENT);
        let body = ("Body", "hi");
        let via = ("MessagingServiceSid", mg.as_str());
        let mut cases: Vec<Case> = vec![
            ("missing To", vec![("From", from), body], 21604, "To"),
            (
                "blank To",
                vec![("To", "  "), ("From", from), body],
                21604,
                "To",
            ),
            (
                "bad To",
                vec![("To", "12"), ("From", from), body],
                21211,
                "12",
            ),
            (
                "letters To",
                vec![("To", "not-a-number"), ("From", from), body],
                21211,
                "",
            ),
            ("no From or service", vec![to, body], 21603, "From"),
            ("bad From", vec![to, ("From", "abc"), body], 21212, "abc"),
            (
                "unowned From",
                vec![to, ("From", "+12155550150"), body],
                21606,
                "",
            ),
            (
                "another account's From",
                vec![to, ("From", f.other.number.as_str()), body],
                21606,
                "",
            ),
            (
                "a client's From on the agency path",
                vec![to, ("From", f.client.number.as_str()), body],
                21606,
                "",
            ),
            (
                "body over 1600",
                vec![to, ("From", from), ("Body", &long_body)],
                21617,
                "1600",
            ),
            (
                "non-http MediaUrl",
                vec![
                    to,
                    ("From", from),
                    ("MediaUrl", "ftp://media.example/a.jpg"),
                ],
                21620,
                "ftp",
            ),
            (
                "relative MediaUrl",
                vec![to, ("From", from), body, ("MediaUrl", "/a.jpg")],
                21620,
                "",
            ),
            ("empty body, no media", vec![to, ("From", from)], 21602, ""),
            (
                "blank body, no media",
                vec![to, ("From", from), ("Body", " \n ")],
                21602,
                "",
            ),
            (
                "bad StatusCallback",
                vec![to, ("From", from), body, ("StatusCallback", "not a url")],
                21609,
                "",
            ),
            (
                "javascript StatusCallback",
                vec![
                    to,
                    ("From", from),
                    body,
                    ("StatusCallback", "javascript:alert(1)"),
                ],
                21609,
                "",
            ),
            (
                "ValidityPeriod 0",
                vec![to, ("From", from), body, ("ValidityPeriod", "0")],
                21624,
                "",
            ),
            (
                "ValidityPeriod 36001",
                vec![to, ("From", from), body, ("ValidityPeriod", "36001")],
                21624,
                "",
            ),
            (
                "ValidityPeriod abc",
                vec![to, ("From", from), body, ("ValidityPeriod", "abc")],
                21624,
                "abc",
            ),
            (
                "opted out",
                vec![("To", opted_out), ("From", from), body],
                21610,
                "",
            ),
            (
                "misspelt Body",
                vec![to, ("From", from), ("Bdy", "hi")],
                20001,
                "\"Bdy\"",
            ),
            (
                "ContentSid",
                vec![
                    to,
                    ("From", from),
                    ("ContentSid", "HX0123456789abcdef0123456789abcdef"),
                ],
                20001,
                "ContentSid",
            ),
            (
                "duplicate To",
                vec![to, ("To", "+12155550198"), ("From", from), body],
                20001,
                "To",
            ),
            (
                "ScheduleType other",
                vec![
                    to,
                    via,
                    body,
                    ("ScheduleType", "later"),
                    ("SendAt", &in_an_hour),
                ],
                35126,
                "later",
            ),
            (
                "scheduled without a service",
                vec![
                    to,
                    ("From", from),
                    body,
                    ("ScheduleType", "fixed"),
                    ("SendAt", &in_an_hour),
                ],
                35118,
                "",
            ),
            (
                "fixed without SendAt",
                vec![to, via, body, ("ScheduleType", "fixed")],
                35111,
                "",
            ),
            (
                "SendAt without ScheduleType",
                vec![to, via, body, ("SendAt", &in_an_hour)],
                35111,
                "",
            ),
            (
                "SendAt a minute ahead",
                vec![
                    to,
                    via,
                    body,
                    ("ScheduleType", "fixed"),
                    ("SendAt", &in_a_minute),
                ],
                35114,
                "",
            ),
            (
                "SendAt 36 days ahead",
                vec![
                    to,
                    via,
                    body,
                    ("ScheduleType", "fixed"),
                    ("SendAt", &in_36_days),
                ],
                35114,
                "",
            ),
            (
                "SendAt not a time",
                vec![
                    to,
                    via,
                    body,
                    ("ScheduleType", "fixed"),
                    ("SendAt", "tomorrow"),
                ],
                35114,
                "tomorrow",
            ),
            (
                "unknown service",
                vec![
                    to,
                    ("MessagingServiceSid", "MG0123456789abcdef0123456789abcdef"),
                    body,
                ],
                21701,
                "",
            ),
        ];
        let mut too_many = vec![to, ("From", from)];
        too_many.extend(eleven.iter().map(|u| ("MediaUrl", u.as_str())));
        cases.push(("11 media", too_many, 21623, "11"));

        for (what, params, code, names) in &cases {
            let reply = Call::post(&a.messages())
                .auth(&a.auth())
                .form(params)
                .send(&f.router)
                .await;
            let label = format!("{}: {what}", b.name);
            reply.assert_error(400, *code, &label);
            assert!(
                reply.message().contains(names),
                "{label}: the message should name {names:?}: {}",
                reply.text
            );
            assert_eq!(counts(&f.store).await, (0, 0), "{label}: nothing queued");
        }
        b.cleanup().await;
    }
}

#[tokio::test]
async fn a_body_that_is_not_a_form_is_refused() {
    for b in backends("bad_content").await {
        let f = Fixture::new(&b.store).await;
        let a = &f.agency;
        let json = format!(
            r#"{{"To":"{RECIPIENT}","From":"{}","Body":"hi"}}"#,
            a.number
        );
        for (what, content_type) in [
            ("JSON", Some("application/json")),
            ("multipart", Some("multipart/form-data; boundary=x")),
            ("no content type", None),
        ] {
            let mut call = Call::post(&a.messages()).auth(&a.auth());
            if let Some(ct) = content_type {
                call = call.header("content-type", ct);
            }
            let reply = call.raw(json.clone().into_bytes()).send(&f.router).await;
            reply.assert_error(400, 20001, what);
            assert!(
                reply.message().contains("x-www-form-urlencoded"),
                "{what}: {}",
                reply.text
            );
        }
        let not_utf8 = Call::post(&a.messages())
            .auth(&a.auth())
            .header("content-type", "application/x-www-form-urlencoded")
            .raw(b"To=%2B12155550199&Body=\xff\xfe".to_vec())
            .send(&f.router)
            .await;
        // Percent-escapes decode to whatever they are; raw bytes that are not UTF-8 are refused.
        not_utf8.assert_error(400, 20001, "not UTF-8");
        assert_eq!(counts(&f.store).await, (0, 0), "{}", b.name);
        b.cleanup().await;
    }
}

#[tokio::test]
async fn a_body_past_64_kib_is_refused_before_it_is_read_without_a_5xx() {
    for b in backends("bad_huge").await {
        let f = Fixture::new(&b.store).await;
        let a = &f.agency;
        let huge = "x".repeat(70 * 1024);
        let reply = Call::post(&a.messages())
            .auth(&a.auth())
            .form(&[("To", RECIPIENT), ("From", &a.number), ("Body", &huge)])
            .send(&f.router)
            .await;
        assert_eq!(reply.status, 413, "{}: {}", b.name, reply.text);
        assert!(!reply.status.is_server_error());
        assert_eq!(counts(&f.store).await, (0, 0), "{}", b.name);
        b.cleanup().await;
    }
}

/// The error body of every refusal on the Twilio surface, the 413 included, is Twilio's JSON.
#[tokio::test]
async fn a_body_past_64_kib_gets_a_twilio_error_body() {
    for b in backends("bad_huge_json").await {
        let f = Fixture::new(&b.store).await;
        let a = &f.agency;
        let huge = "x".repeat(70 * 1024);
        let reply = Call::post(&a.messages())
            .auth(&a.auth())
            .form(&[("To", RECIPIENT), ("From", &a.number), ("Body", &huge)])
            .send(&f.router)
            .await;
        assert_eq!(reply.status, 413, "{}", reply.text);
        let object = reply.body.as_object().unwrap_or_else(|| {
            panic!(
                "not a JSON error body: {:?} {:?}",
                reply.headers.get("content-type"),
                reply.text
            )
        });
        assert!(object.contains_key("code"), "{}", reply.text);
        b.cleanup().await;
    }
}

#[tokio::test]
async fn the_limits_themselves_are_accepted() {
    for b in backends("bad_limits").await {
        let f = Fixture::new(&b.store).await;
        let a = &f.agency;
        // 1600 characters, counted as characters: multi-byte ones too.
        for body in ["x".repeat(1600), "é".repeat(1600), "😀".repeat(1600)] {
            let m = f.create(a, &[("Body", &body)]).await;
            assert_eq!(m["body"].as_str().map(|s| s.chars().count()), Some(1600));
        }
        let ten: Vec<String> = (0..10)
            .map(|i| format!("https://media.example/{i}.png"))
            .collect();
        let media: Vec<(&str, &str)> = ten.iter().map(|u| ("MediaUrl", u.as_str())).collect();
        let m = f.create(a, &media).await;
        assert_eq!(m["num_media"], "10");
        assert!(
            m["sid"].as_str().is_some_and(|s| s.starts_with("MM")),
            "{m}"
        );
        for validity in ["1", "36000"] {
            f.create(a, &[("ValidityPeriod", validity)]).await;
        }
        // A number written nationally is taken in E.164.
        let m = f.create(a, &[("To", "(215) 555-0199")]).await;
        assert_eq!(m["to"], RECIPIENT);
        // Parameters the SDKs send that change nothing here.
        f.create(a, &[("ProvideFeedback", "true"), ("MaxPrice", "0.05")])
            .await;
        assert_eq!(counts(&f.store).await, (8, 8), "{}", b.name);

        // Scheduling: 300 s ahead and 35 days ahead are the ends of Twilio's window, both in it.
        let mg = f.service(a, None).await;
        for ahead_s in [300, 35 * 24 * 3600] {
            let send_at = at_offset(f.now_ms(), ahead_s);
            let m = f
                .create(
                    a,
                    &[
                        ("MessagingServiceSid", &mg),
                        ("ScheduleType", "fixed"),
                        ("SendAt", &send_at),
                    ],
                )
                .await;
            assert_eq!(m["status"], "scheduled", "{ahead_s} s ahead");
        }
        for ahead_s in [299, 35 * 24 * 3600 + 1, -3600] {
            let send_at = at_offset(f.now_ms(), ahead_s);
            let reply = Call::post(&a.messages())
                .auth(&a.auth())
                .form(&[
                    ("To", RECIPIENT),
                    ("MessagingServiceSid", &mg),
                    ("Body", "later"),
                    ("ScheduleType", "fixed"),
                    ("SendAt", &send_at),
                ])
                .send(&f.router)
                .await;
            reply.assert_error(400, 35114, &format!("{ahead_s} s ahead"));
        }
        assert_eq!(counts(&f.store).await, (10, 10), "{}", b.name);
        b.cleanup().await;
    }
}
