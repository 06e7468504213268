//! Tracked links and landing pages over HTTP: a signed token redirects to the campaign's link and counts the
//! click; the landing page shows the recipient's own picture and counts the view; a forged token is a 404.

use canvass_campaigns::lifecycle::CampaignState;
use canvass_campaigns::ports::CampaignStore;
use canvass_server::sending::{self, CampaignPlans, media::MediaCache};
use canvass_server::{App, Config, Overrides};
use canvass_types::TenantId;
use std::sync::Arc;

const SVG: &str = r##"<svg xmlns="http://www.w3.org/2000/svg" width="320" height="240" viewBox="0 0 320 240">
<rect width="320" height="240" fill="#264653"/>
<text x="160" y="120" font-family="DejaVu Sans" font-size="28" fill="#ffffff" text-anchor="middle">{{first_name}}</text>
</svg>"##;

async fn get(addr: std::net::SocketAddr, path: &str) -> (u16, Option<String>, Vec<u8>) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut stream = tokio::net::TcpStream::connect(addr).await.expect("connect");
    let request = format!(
        "GET {path} HTTP/1.1\r\nHost: test\r\nUser-Agent: links-test\r\nConnection: close\r\n\r\n"
    );
    stream.write_all(request.as_bytes()).await.expect("request");
    let mut answer = Vec::new();
    stream.read_to_end(&mut answer).await.expect("answer");
    let split = answer
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("headers end");
    let head = String::from_utf8_lossy(&answer[..split]).into_owned();
    let status = head[9..12].parse().expect("status");
    let location = head
        .lines()
        .find_map(|l| l.strip_prefix("location: ").map(str::to_owned));
    (status, location, answer[split + 4..].to_vec())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn links_redirect_and_landing_pages_show_the_recipients_picture() {
    let dir = tempfile::tempdir().expect("tempdir");
    let picture = dir.path().join("flyer.svg");
    std::fs::write(&picture, SVG).expect("template");
    let config = Config::load(&Overrides {
        data_dir: Some(dir.path().join("data")),
        ..Overrides::default()
    })
    .expect("config");
    let app = App::open(config).await.expect("app");
    let definition = serde_json::json!({
        "channels": ["mms", "sms"],
        "sender": "+12025550100",
        "link": "https://example.org/vote",
        "variants": [{
            "name": "default",
            "text": "Hi {{ first_name|default('friend') }}: {{ link }}",
            "media": {"kind": "picture", "path": picture.display().to_string()}
        }]
    })
    .to_string();
    let now = jiff::Timestamp::now().as_millisecond();
    let campaign = app
        .store
        .create_campaign(TenantId::DEFAULT, "links", &definition, now)
        .await
        .expect("campaign");
    assert!(
        app.store
            .transition(
                campaign.id,
                CampaignState::Draft,
                CampaignState::Running,
                None,
                now
            )
            .await
            .expect("launch")
    );
    let id = app
        .store
        .enqueue_single(
            campaign.id,
            TenantId::DEFAULT,
            "+12025550142",
            "default",
            now,
            now,
        )
        .await
        .expect("a message");

    let links = sending::link_base(&app).expect("link base");
    let plans = Arc::new(CampaignPlans::new(
        app.store.clone(),
        links.clone(),
        Arc::new(MediaCache::new()),
        app.fetcher.clone(),
    ));
    let router = sending::links::router(app.store.clone(), links.clone(), plans);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("listen");
    let addr = listener.local_addr().expect("addr");
    tokio::spawn(async move { axum::serve(listener, router).await });

    let token = links.signer.token(id);
    let (status, location, _) = get(addr, &format!("/r/{token}")).await;
    assert_eq!(
        (status, location.as_deref()),
        (303, Some("https://example.org/vote"))
    );

    let (status, _, body) = get(addr, &format!("/l/{token}")).await;
    assert_eq!(status, 200);
    let html = String::from_utf8(body).expect("HTML");
    assert!(html.contains(&format!("/l/{token}/media")), "{html}");

    let (status, _, body) = get(addr, &format!("/l/{token}/media")).await;
    assert_eq!(status, 200);
    assert!(
        body.starts_with(&[0xFF, 0xD8]),
        "a JPEG rendered for the recipient"
    );

    let mut forged = token.clone();
    let last = forged.pop().expect("a character");
    forged.push(if last == 'A' { 'B' } else { 'A' });
    assert_eq!(get(addr, &format!("/r/{forged}")).await.0, 404);
    assert_eq!(get(addr, "/l/not-a-token").await.0, 404);

    let counts = app
        .store
        .link_counts(campaign.id)
        .await
        .expect("link counts");
    let count = |kind: &str| {
        counts
            .iter()
            .find(|(_, k, _)| k == kind)
            .map_or(0, |(_, _, n)| *n)
    };
    assert_eq!((count("click"), count("view")), (1, 1), "{counts:?}");
}
