//! RCS content in the shape of Google's RBM `AgentContentMessage`: text, a rich card or a carousel, with
//! suggested replies and actions.

use std::time::Duration;

/// An RBM agent message.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct RcsContent {
    /// Plain text. Either this, `card` or `carousel` is set.
    pub text: Option<String>,
    /// A standalone rich card.
    pub card: Option<RichCard>,
    /// A carousel: 2 to 10 cards.
    pub carousel: Vec<RichCard>,
    /// Suggested replies and actions shown under the message (at most 11).
    pub suggestions: Vec<Suggestion>,
    /// Time to live; the agent revokes the message when it expires undelivered.
    pub ttl: Option<Duration>,
    /// When the message expires, sent as RBM's `expireTime`; takes the place of `ttl` (and of the message
    /// validity) when set. The agent revokes the message then if it is still undelivered.
    pub expire_time: Option<jiff::Timestamp>,
}

/// A rich card: media, title, description and its own suggestions.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct RichCard {
    /// Card title (at most 200 characters).
    pub title: Option<String>,
    /// Card text (at most 2000 characters).
    pub description: Option<String>,
    /// A picture or video fetched by the platform.
    pub media: Option<CardMedia>,
    /// Suggestions attached to the card (at most 4).
    pub suggestions: Vec<Suggestion>,
}

/// Media shown on a card, by URL.
#[derive(Debug, Clone, PartialEq)]
pub struct CardMedia {
    /// Where the platform fetches the file.
    pub file_url: String,
    /// Optional thumbnail URL.
    pub thumbnail_url: Option<String>,
    /// `SHORT`, `MEDIUM` or `TALL`.
    pub height: String,
}

/// A suggested reply or action chip.
#[derive(Debug, Clone, PartialEq)]
pub enum Suggestion {
    /// A reply chip: the text is sent back as the user's message, with `postback` data.
    Reply {
        /// Chip text (at most 25 characters).
        text: String,
        /// Returned in the user's event.
        postback: String,
    },
    /// Open a URL.
    OpenUrl {
        /// Chip text.
        text: String,
        /// Returned in the user's event.
        postback: String,
        /// The URL to open.
        url: String,
    },
    /// Dial a number.
    Dial {
        /// Chip text.
        text: String,
        /// Returned in the user's event.
        postback: String,
        /// E.164 number to call.
        phone_number: String,
    },
}
