//! The plan of a message sent through the API: its own stored text and media, no campaign. It goes when asked
//! (no quiet hours: the developer chose the moment), from the sender fixed when it was accepted, and its media
//! URLs are fetched through the SSRF guard when it is composed.

use canvass_campaigns::compliance::SendWindow;
use canvass_connectors::fetch::Fetcher;
use canvass_connectors::{Content, MediaPart, MmsContent};
use canvass_dispatch::plan::{ComposeError, MessagePlan};
use canvass_dispatch::ports::Claimed;
use canvass_store::{ApiMessage, Store};
use canvass_types::Channel;
use futures::future::BoxFuture;
use std::sync::Arc;
use std::time::Duration;

/// Loads API messages' plans.
pub struct ApiPlans {
    store: Store,
    fetcher: Arc<Fetcher>,
}

impl ApiPlans {
    /// Plans over `store`, fetching media with `fetcher`.
    pub fn new(store: Store, fetcher: Arc<Fetcher>) -> Self {
        ApiPlans { store, fetcher }
    }

    /// The plan of API message `message`.
    pub async fn load(&self, message: &Claimed) -> Result<Arc<dyn MessagePlan>, ComposeError> {
        let stored = self
            .store
            .api_message_by_id(message.id.0)
            .await
            .map_err(|e| ComposeError::new("store_error", e.to_string()))?
            .ok_or_else(|| {
                ComposeError::new(
                    "no_campaign",
                    "the message belongs to no campaign and was not sent through the API",
                )
            })?;
        let channels = if stored.media.is_empty() && !stored.send_as_mms {
            vec![Channel::Sms]
        } else {
            // A handset or route without MMS gets the text with the media's links, as Twilio's converter does.
            vec![Channel::Mms, Channel::Sms]
        };
        Ok(Arc::new(ApiPlan {
            message: stored,
            channels,
            fetcher: self.fetcher.clone(),
        }))
    }
}

/// One API message's plan.
struct ApiPlan {
    message: ApiMessage,
    channels: Vec<Channel>,
    fetcher: Arc<Fetcher>,
}

impl MessagePlan for ApiPlan {
    fn channels(&self) -> &[Channel] {
        &self.channels
    }

    fn window(&self) -> Option<SendWindow> {
        None
    }

    fn keeps_quiet_hours(&self) -> bool {
        false
    }

    fn pace(&self) -> Option<f64> {
        None
    }

    fn sender(&self, _message: &Claimed) -> String {
        self.message.from.clone()
    }

    fn validity(&self) -> Option<Duration> {
        self.message
            .validity_s
            .and_then(|s| u64::try_from(s).ok())
            .map(Duration::from_secs)
    }

    fn content<'a>(
        &'a self,
        _message: &'a Claimed,
        channel: Channel,
        with_link: bool,
    ) -> BoxFuture<'a, Result<Content, ComposeError>> {
        Box::pin(async move {
            let body = self.message.body.clone();
            match channel {
                Channel::Mms => {
                    let mut parts = Vec::new();
                    for url in &self.message.media {
                        let fetched = self.fetcher.fetch(url).await.map_err(|e| {
                            ComposeError::new("media_error", format!("MediaUrl {url}: {e}"))
                        })?;
                        parts.push(MediaPart {
                            content_type: fetched.content_type,
                            name: file_name(url, parts.len()),
                            data: fetched.bytes,
                        });
                    }
                    if !body.is_empty() {
                        parts.push(MediaPart {
                            content_type: "text/plain; charset=utf-8".into(),
                            name: "text.txt".into(),
                            data: body.into_bytes().into(),
                        });
                    }
                    Ok(Content::Mms(MmsContent {
                        subject: None,
                        parts,
                    }))
                }
                _ if with_link && !self.message.media.is_empty() => {
                    let links = self.message.media.join("\n");
                    Ok(Content::Text(if body.is_empty() {
                        links
                    } else {
                        format!("{body}\n{links}")
                    }))
                }
                _ => Ok(Content::Text(body)),
            }
        })
    }
}

/// The last path segment of `url` (a part name in the MMS), or `media-N`.
fn file_name(url: &str, index: usize) -> String {
    url.split(['?', '#'])
        .next()
        .and_then(|path| path.rsplit('/').next())
        .filter(|name| !name.is_empty() && name.len() <= 64 && !name.contains(':'))
        .map_or_else(|| format!("media-{index}"), str::to_owned)
}
