//! The media fetcher against server-side request forgery: a corpus of URLs the default policy must refuse
//! without connecting anywhere, then a local media server (reachable only through an explicit allow rule)
//! for sizes, types, redirects, deadlines and statuses.

use std::{convert::Infallible, net::SocketAddr, time::Duration};

use axum::{
    Router,
    body::Body,
    extract::{Path, State},
    http::{StatusCode, header},
    response::{IntoResponse, Response},
    routing::get,
};
use bytes::Bytes;
use canvass_connectors::fetch::{AllowRule, FetchError, FetchPolicy, Fetcher};
use tokio::{
    io::{AsyncReadExt, AsyncWriteExt},
    net::TcpListener,
};

/// A JPEG start-of-image marker and some payload: what the fetcher should hand back byte for byte.
const JPEG: &[u8] = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00fake-jpeg-payload\xff\xd9";

/// (URL, expected code) pairs the default policy refuses before any connection.
const CORPUS: &[(&str, &str)] = &[
    // Loopback, in every spelling WHATWG parsing folds into 127.0.0.1.
    ("http://127.0.0.1/", "forbidden_address"),
    ("https://127.0.0.1:443/a.jpg", "forbidden_address"),
    ("http://127.0.0.1:22/", "forbidden_address"),
    ("http://127.1/", "forbidden_address"),
    ("http://127.0.1/", "forbidden_address"),
    ("http://2130706433/", "forbidden_address"),
    ("http://0x7f000001/", "forbidden_address"),
    ("http://0x7f.1/", "forbidden_address"),
    ("http://0177.0.0.1/", "forbidden_address"),
    ("http://0177.1/", "forbidden_address"),
    ("http://017700000001/", "forbidden_address"),
    ("http://127.000.000.001/", "forbidden_address"),
    ("http://%31%32%37.0.0.1/", "forbidden_address"),
    (
        "http://127\u{3002}0\u{3002}0\u{3002}1/",
        "forbidden_address",
    ),
    ("http://127.255.255.254/", "forbidden_address"),
    ("http://[::1]/", "forbidden_address"),
    ("http://[0:0:0:0:0:0:0:1]:8080/", "forbidden_address"),
    ("http://[::ffff:127.0.0.1]/", "forbidden_address"),
    ("http://[::ffff:7f00:1]/", "forbidden_address"),
    ("http://[::127.0.0.1]/", "forbidden_address"),
    ("http://[64:ff9b::7f00:1]/", "forbidden_address"),
    ("http://[2002:7f00:1::]/", "forbidden_address"),
    // Names for this machine and the metadata service.
    ("http://localhost/", "forbidden_address"),
    ("http://LOCALHOST:8080/", "forbidden_address"),
    ("http://localhost./", "forbidden_address"),
    ("http://foo.localhost/", "forbidden_address"),
    (
        "http://metadata.google.internal/computeMetadata/v1/",
        "forbidden_address",
    ),
    ("http://metadata/", "forbidden_address"),
    // Cloud metadata by address.
    (
        "http://169.254.169.254/latest/meta-data/",
        "forbidden_address",
    ),
    ("http://0xa9fea9fe/", "forbidden_address"),
    ("http://2852039166/", "forbidden_address"),
    ("http://[::ffff:169.254.169.254]/", "forbidden_address"),
    ("http://[64:ff9b::a9fe:a9fe]/", "forbidden_address"),
    // Private, shared and unspecified.
    ("http://10.0.0.1/", "forbidden_address"),
    ("http://10.255.255.255/", "forbidden_address"),
    ("http://172.16.0.1/", "forbidden_address"),
    ("http://172.31.255.254/", "forbidden_address"),
    ("http://192.168.0.1/", "forbidden_address"),
    ("http://192.168.1.1:8443/admin", "forbidden_address"),
    ("http://100.64.0.1/", "forbidden_address"),
    ("http://0.0.0.0/", "forbidden_address"),
    ("http://0/", "forbidden_address"),
    ("http://[::]/", "forbidden_address"),
    ("http://[fc00::1]/", "forbidden_address"),
    ("http://[fd00::1]/", "forbidden_address"),
    ("http://[fe80::1]/", "forbidden_address"),
    ("http://[::ffff:10.0.0.1]/", "forbidden_address"),
    // Multicast, broadcast, documentation, benchmarking, reserved, tunnels.
    ("http://224.0.0.1/", "forbidden_address"),
    ("http://[ff02::1]/", "forbidden_address"),
    ("http://255.255.255.255/", "forbidden_address"),
    ("http://192.0.0.1/", "forbidden_address"),
    ("http://192.0.2.1/", "forbidden_address"),
    ("http://198.18.0.1/", "forbidden_address"),
    ("http://198.51.100.1/", "forbidden_address"),
    ("http://203.0.113.1/", "forbidden_address"),
    ("http://240.0.0.1/", "forbidden_address"),
    ("http://[2001::1]/", "forbidden_address"),
    ("http://[2001:db8::1]/", "forbidden_address"),
    // Schemes other than http(s).
    ("file:///etc/passwd", "unsupported_scheme"),
    ("file://localhost/etc/passwd", "unsupported_scheme"),
    ("ftp://example.com/a.jpg", "unsupported_scheme"),
    ("gopher://127.0.0.1:70/_GET", "unsupported_scheme"),
    ("data:image/png;base64,iVBORw0KGgo=", "unsupported_scheme"),
    ("dict://127.0.0.1:11211/stats", "unsupported_scheme"),
    ("ldap://127.0.0.1/", "unsupported_scheme"),
    ("ws://example.com/", "unsupported_scheme"),
    ("javascript:alert(1)", "unsupported_scheme"),
    // Credentials, including the `@` trick that makes a public-looking name the user name.
    ("http://user:pw@example.com/", "credentials_in_url"),
    ("http://user@example.com/", "credentials_in_url"),
    ("https://:secret@example.com/", "credentials_in_url"),
    ("http://example.com@127.0.0.1/", "credentials_in_url"),
    // Not absolute URLs, or hosts WHATWG rejects.
    ("", "bad_url"),
    ("not a url", "bad_url"),
    ("//127.0.0.1/a.jpg", "bad_url"),
    ("/relative/a.jpg", "bad_url"),
    ("http://", "bad_url"),
    ("http://[::1/", "bad_url"),
    ("http://1.2.3.4.5/", "bad_url"),
    ("http://256.0.0.1/", "bad_url"),
    ("http://exa mple.com/", "bad_url"),
];

#[tokio::test]
async fn the_default_policy_refuses_the_whole_corpus() {
    assert!(CORPUS.len() >= 40);
    let fetcher = Fetcher::new(FetchPolicy::default()).expect("fetcher builds");
    let mut wrong = Vec::new();
    for (url, code) in CORPUS {
        match fetcher.fetch(url).await {
            Ok(fetched) => wrong.push(format!("{url}: fetched {} bytes", fetched.bytes.len())),
            Err(error) if error.code() != *code => wrong.push(format!(
                "{url}: {} ({error}), expected {code}",
                error.code()
            )),
            Err(_) => {}
        }
    }
    assert!(
        wrong.is_empty(),
        "not refused as expected:\n{}",
        wrong.join("\n")
    );
}

#[tokio::test]
async fn refusals_name_the_host_and_the_address() {
    let fetcher = Fetcher::new(FetchPolicy::default()).expect("fetcher builds");
    let error = fetcher.fetch("http://0x7f.1/").await.expect_err("refused");
    assert_eq!(
        error,
        FetchError::Forbidden {
            host: "127.0.0.1".into(),
            addr: Some("127.0.0.1".parse().expect("parses")),
            reason: "a loopback address (127.0.0.0/8)",
        }
    );
    let text = error.to_string();
    assert!(
        text.contains("`127.0.0.1`") && text.contains("loopback"),
        "{text}"
    );
    let error = fetcher
        .fetch("http://[::ffff:169.254.169.254]/")
        .await
        .expect_err("refused");
    let FetchError::Forbidden { host, reason, .. } = &error else {
        panic!("not a Forbidden refusal: {error:?}");
    };
    assert_eq!(host, "[::ffff:169.254.169.254]");
    assert!(reason.contains("IPv4-mapped"), "{reason}");
    let error = fetcher
        .fetch("gopher://127.0.0.1/")
        .await
        .expect_err("refused");
    assert!(error.to_string().contains("`gopher:`"), "{error}");
}

/// The local media server: one route per behaviour, on 127.0.0.1 only.
struct MediaServer {
    addr: SocketAddr,
}

impl MediaServer {
    async fn start() -> MediaServer {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("binds");
        let addr = listener.local_addr().expect("local address");
        let app = Router::new()
            .route("/photo.jpg", get(photo))
            .route(
                "/untyped",
                get(|| async { Response::new(Body::from(JPEG)) }),
            )
            .route(
                "/page.html",
                get(|| async { ([(header::CONTENT_TYPE, "text/html")], "<html></html>") }),
            )
            .route("/endless.jpg", get(endless))
            .route("/redirect/{hops}", get(redirect_chain))
            .route("/relative", get(|| async { found("photo.jpg") }))
            .route(
                "/to-metadata",
                get(|| async { found("http://169.254.169.254/latest/meta-data/") }),
            )
            .route("/to-ipv6-loopback", get(to_ipv6_loopback))
            .route("/to-localhost", get(to_localhost))
            .route("/to-file", get(|| async { found("file:///etc/passwd") }))
            .route("/no-location", get(|| async { StatusCode::FOUND }))
            .route("/slow.jpg", get(slow))
            .route("/missing.jpg", get(|| async { StatusCode::NOT_FOUND }))
            .route(
                "/broken.jpg",
                get(|| async { StatusCode::SERVICE_UNAVAILABLE }),
            )
            .with_state(addr);
        tokio::spawn(async move { axum::serve(listener, app).await });
        MediaServer { addr }
    }

    fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }
}

async fn photo() -> impl IntoResponse {
    ([(header::CONTENT_TYPE, "image/jpeg")], JPEG)
}

/// Chunked, no Content-Length, and never ends: only the size limit stops it.
async fn endless() -> impl IntoResponse {
    let chunk = Bytes::from(vec![0x55u8; 64 * 1024]);
    let stream = futures::stream::repeat_with(move || Ok::<_, Infallible>(chunk.clone()));
    (
        [(header::CONTENT_TYPE, "image/jpeg")],
        Body::from_stream(stream),
    )
}

async fn redirect_chain(Path(hops): Path<u32>) -> Response {
    if hops == 0 {
        photo().await.into_response()
    } else {
        found(&format!("/redirect/{}", hops - 1))
    }
}

async fn to_ipv6_loopback(State(addr): State<SocketAddr>) -> Response {
    found(&format!("http://[::1]:{}/photo.jpg", addr.port()))
}

async fn to_localhost(State(addr): State<SocketAddr>) -> Response {
    found(&format!("http://localhost:{}/photo.jpg", addr.port()))
}

async fn slow() -> impl IntoResponse {
    tokio::time::sleep(Duration::from_secs(30)).await;
    photo().await
}

fn found(location: &str) -> Response {
    (StatusCode::FOUND, [(header::LOCATION, location.to_owned())]).into_response()
}

/// A policy that lets the tests reach 127.0.0.1 (and nothing else internal). The deadline is generous so
/// that a busy test machine does not fail the tests that expect a success; see [`deadline_fetcher`].
fn local_policy() -> FetchPolicy {
    FetchPolicy {
        max_bytes: 256 * 1024,
        timeout: Duration::from_secs(5),
        allow: vec![AllowRule::parse("127.0.0.1/32").expect("rule parses")],
        ..FetchPolicy::default()
    }
}

fn local_fetcher() -> Fetcher {
    Fetcher::new(local_policy()).expect("fetcher builds")
}

/// The local policy with a 300 ms deadline, for servers that stall far longer than that.
fn deadline_fetcher() -> Fetcher {
    let policy = FetchPolicy {
        timeout: Duration::from_millis(300),
        ..local_policy()
    };
    Fetcher::new(policy).expect("fetcher builds")
}

async fn refusal(fetcher: &Fetcher, url: &str) -> FetchError {
    match fetcher.fetch(url).await {
        Ok(fetched) => panic!("{url} was fetched ({} bytes)", fetched.bytes.len()),
        Err(error) => error,
    }
}

#[tokio::test]
async fn an_allowed_jpeg_is_fetched_byte_for_byte() {
    let server = MediaServer::start().await;
    let url = server.url("/photo.jpg");
    let fetched = local_fetcher().fetch(&url).await.expect("fetched");
    assert_eq!(fetched.url, url);
    assert_eq!(fetched.content_type, "image/jpeg");
    assert_eq!(fetched.bytes.as_ref(), JPEG);
}

#[tokio::test]
async fn the_default_policy_refuses_the_local_server() {
    let server = MediaServer::start().await;
    let fetcher = Fetcher::new(FetchPolicy::default()).expect("fetcher builds");
    let error = refusal(&fetcher, &server.url("/photo.jpg")).await;
    assert_eq!(error.code(), "forbidden_address", "{error}");
    assert!(
        matches!(error, FetchError::Forbidden { addr: Some(addr), .. } if addr == server.addr.ip()),
        "{error:?}"
    );
}

#[tokio::test]
async fn an_endless_chunked_body_is_cut_off_at_the_limit() {
    let server = MediaServer::start().await;
    let error = refusal(&local_fetcher(), &server.url("/endless.jpg")).await;
    assert_eq!(error, FetchError::TooLarge { limit: 256 * 1024 });
}

#[tokio::test]
async fn a_body_at_the_limit_is_accepted_and_one_byte_more_is_not() {
    let server = MediaServer::start().await;
    let url = server.url("/photo.jpg");
    let exact = FetchPolicy {
        max_bytes: JPEG.len(),
        ..local_policy()
    };
    let fetched = Fetcher::new(exact)
        .expect("builds")
        .fetch(&url)
        .await
        .expect("fetched");
    assert_eq!(fetched.bytes.len(), JPEG.len());
    let short = FetchPolicy {
        max_bytes: JPEG.len() - 1,
        ..local_policy()
    };
    let error = refusal(&Fetcher::new(short).expect("builds"), &url).await;
    assert_eq!(error.code(), "too_large");
}

#[tokio::test]
async fn types_outside_the_allowed_list_are_refused() {
    let server = MediaServer::start().await;
    let fetcher = local_fetcher();
    let error = refusal(&fetcher, &server.url("/page.html")).await;
    assert_eq!(error, FetchError::ContentType("text/html".into()));
    let error = refusal(&fetcher, &server.url("/untyped")).await;
    assert_eq!(error, FetchError::ContentType(String::new()));
    assert!(error.to_string().contains("no Content-Type"), "{error}");
}

#[tokio::test]
async fn three_redirects_are_followed_and_a_fourth_is_refused() {
    let server = MediaServer::start().await;
    let fetcher = local_fetcher();
    let fetched = fetcher
        .fetch(&server.url("/redirect/3"))
        .await
        .expect("three redirects followed");
    assert_eq!(fetched.url, server.url("/redirect/0"));
    assert_eq!(fetched.bytes.as_ref(), JPEG);
    let error = refusal(&fetcher, &server.url("/redirect/4")).await;
    assert_eq!(error, FetchError::TooManyRedirects { limit: 3 });
    let fetched = fetcher
        .fetch(&server.url("/relative"))
        .await
        .expect("relative Location followed");
    assert_eq!(fetched.url, server.url("/photo.jpg"));
}

#[tokio::test]
async fn every_redirect_hop_is_checked_again() {
    let server = MediaServer::start().await;
    let fetcher = local_fetcher();
    let error = refusal(&fetcher, &server.url("/to-metadata")).await;
    assert_eq!(
        error,
        FetchError::Forbidden {
            host: "169.254.169.254".into(),
            addr: Some("169.254.169.254".parse().expect("parses")),
            reason: "the cloud metadata address (169.254.169.254)",
        }
    );
    // The allow rule is 127.0.0.1/32: the IPv6 loopback, and the name localhost, stay refused.
    let error = refusal(&fetcher, &server.url("/to-ipv6-loopback")).await;
    assert!(
        matches!(&error, FetchError::Forbidden { host, .. } if host == "[::1]"),
        "{error:?}"
    );
    let error = refusal(&fetcher, &server.url("/to-localhost")).await;
    assert!(
        matches!(&error, FetchError::Forbidden { host, addr: None, .. } if host == "localhost"),
        "{error:?}"
    );
    let error = refusal(&fetcher, &server.url("/to-file")).await;
    assert_eq!(error, FetchError::Scheme("file".into()));
    let error = refusal(&fetcher, &server.url("/no-location")).await;
    assert_eq!(error, FetchError::Status(302));
}

#[tokio::test]
async fn a_slow_server_runs_into_the_deadline() {
    let server = MediaServer::start().await;
    let error = refusal(&deadline_fetcher(), &server.url("/slow.jpg")).await;
    assert_eq!(
        error,
        FetchError::Timeout {
            limit: Duration::from_millis(300)
        }
    );
}

#[tokio::test]
async fn error_statuses_are_reported() {
    let server = MediaServer::start().await;
    let fetcher = local_fetcher();
    let error = refusal(&fetcher, &server.url("/missing.jpg")).await;
    assert_eq!(error, FetchError::Status(404));
    assert_eq!(error.code(), "http_status");
    let error = refusal(&fetcher, &server.url("/broken.jpg")).await;
    assert_eq!(error, FetchError::Status(503));
}

#[tokio::test]
async fn a_host_rule_is_resolved_and_connected_through_the_checking_resolver() {
    let server = MediaServer::start().await;
    let policy = FetchPolicy {
        allow: vec![AllowRule::parse("localhost").expect("rule parses")],
        ..local_policy()
    };
    let url = format!("http://localhost:{}/photo.jpg", server.addr.port());
    let fetched = Fetcher::new(policy)
        .expect("builds")
        .fetch(&url)
        .await
        .expect("fetched");
    assert_eq!(fetched.bytes.as_ref(), JPEG);
}

/// A raw HTTP server that answers every connection with `head` and then `body`, then keeps the connection
/// open for `hold` (so that a short body is a lie, not an early end).
async fn raw_server(head: String, body: Vec<u8>, hold: Duration) -> SocketAddr {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("binds");
    let addr = listener.local_addr().expect("local address");
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            let (head, body) = (head.clone(), body.clone());
            tokio::spawn(async move {
                let mut request = [0u8; 4096];
                let _ = socket.read(&mut request).await;
                let _ = socket.write_all(head.as_bytes()).await;
                let _ = socket.write_all(&body).await;
                tokio::time::sleep(hold).await;
            });
        }
    });
    addr
}

#[tokio::test]
async fn a_huge_declared_length_is_refused_before_reading() {
    let head = "HTTP/1.1 200 OK\r\nContent-Type: image/jpeg\r\nContent-Length: 10000000000\r\n\r\n";
    let addr = raw_server(head.into(), b"tiny".to_vec(), Duration::from_secs(5)).await;
    let error = refusal(&local_fetcher(), &format!("http://{addr}/a.jpg")).await;
    assert_eq!(error, FetchError::TooLarge { limit: 256 * 1024 });
}

#[tokio::test]
async fn a_body_shorter_than_its_declared_length_is_not_a_success() {
    let head = "HTTP/1.1 200 OK\r\nContent-Type: image/jpeg\r\nContent-Length: 1000\r\n\r\n";
    // The server closes after 100 bytes: the fetch fails instead of returning a truncated image.
    let addr = raw_server(head.into(), vec![0xaa; 100], Duration::ZERO).await;
    let error = refusal(&local_fetcher(), &format!("http://{addr}/a.jpg")).await;
    assert_eq!(error.code(), "http_error", "{error}");
}

#[tokio::test]
async fn a_body_longer_than_its_declared_length_is_read_only_as_declared() {
    let head = "HTTP/1.1 200 OK\r\nContent-Type: image/jpeg\r\nContent-Length: 10\r\n\r\n";
    let addr = raw_server(head.into(), vec![0xbb; 1024 * 1024], Duration::ZERO).await;
    let fetched = local_fetcher()
        .fetch(&format!("http://{addr}/a.jpg"))
        .await
        .expect("fetched");
    assert_eq!(fetched.bytes.as_ref(), &[0xbb; 10]);
}

#[tokio::test]
async fn a_body_that_stalls_after_the_headers_runs_into_the_deadline() {
    let head = "HTTP/1.1 200 OK\r\nContent-Type: image/jpeg\r\nContent-Length: 1000\r\n\r\n";
    let addr = raw_server(head.into(), vec![0xcc; 10], Duration::from_secs(30)).await;
    let error = refusal(&deadline_fetcher(), &format!("http://{addr}/a.jpg")).await;
    assert_eq!(error.code(), "timeout", "{error}");
}
