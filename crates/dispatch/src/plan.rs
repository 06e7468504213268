//! What dispatch asks of a message's campaign: its channels, hours, pace, sender and content. The composition root
//! implements [`Plans`] over canvass-campaigns' compiled definitions and the media engine, so dispatch never
//! renders pictures or reads campaign files itself.

use crate::ports::Claimed;
use canvass_campaigns::compliance::SendWindow;
use canvass_connectors::Content;
use canvass_types::Channel;
use futures::future::BoxFuture;
use std::sync::Arc;
use std::time::Duration;

/// Why a message could not be composed; it fails with this code and text.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{code}: {detail}")]
pub struct ComposeError {
    /// Stable code, e.g. `template_error`, `media_error`, `no_campaign`.
    pub code: String,
    /// What went wrong.
    pub detail: String,
}

impl ComposeError {
    /// A compose error with `code` and `detail`.
    pub fn new(code: &str, detail: impl Into<String>) -> Self {
        ComposeError {
            code: code.to_owned(),
            detail: detail.into(),
        }
    }
}

/// One campaign's sending plan, shared by every message of it.
pub trait MessagePlan: Send + Sync {
    /// The channel plan, richest first (e.g. RCS → MMS → SMS).
    fn channels(&self) -> &[Channel];
    /// The campaign's own daily window, intersected with the legal hours by compliance.
    fn window(&self) -> Option<SendWindow>;
    /// Whether the recipient's quiet hours hold the message back. Campaigns keep them; a message a developer
    /// sends through the API goes when asked, as with Twilio: it is often a one-time code or an answer, and
    /// the developer chose the moment.
    fn keeps_quiet_hours(&self) -> bool {
        true
    }
    /// The campaign's pace in messages per second, if capped.
    fn pace(&self) -> Option<f64>;
    /// The sender for this recipient (sticky; area-code match when the pool allows).
    fn sender(&self, message: &Claimed) -> String;
    /// How long carriers should keep trying.
    fn validity(&self) -> Option<Duration>;
    /// The content for `channel`. `with_link` asks for SMS text that links to the landing page showing the media,
    /// when SMS stands in for a richer channel.
    fn content<'a>(
        &'a self,
        message: &'a Claimed,
        channel: Channel,
        with_link: bool,
    ) -> BoxFuture<'a, Result<Content, ComposeError>>;
}

/// Finds the plan for a message: its campaign's, or, for a message sent through the API (no campaign), one made
/// from the content stored with it.
pub trait Plans: Send + Sync + 'static {
    /// The plan, usually from a cache.
    fn plan<'a>(
        &'a self,
        message: &'a Claimed,
    ) -> BoxFuture<'a, Result<Arc<dyn MessagePlan>, ComposeError>>;
}
