//! The messages Canvass holds for handsets to fetch: each one's m-retrieve-conf, ready to serve, under the
//! transaction id its notification announced.

use std::{
    collections::HashMap,
    sync::Mutex,
    time::{Duration, Instant, SystemTime, UNIX_EPOCH},
};

use canvass_mms::{
    Pdu, Time,
    compose::{self, Attachment},
    wap_push::{self, SegmentOptions},
};
use rand::Rng;

use crate::{MmsContent, OutboundMessage};

/// One message waiting to be fetched.
#[derive(Debug, Clone)]
pub struct Stored {
    /// Transaction id and URL path segment: random, so that URLs cannot be guessed.
    pub token: String,
    /// Our message id.
    pub message_id: String,
    /// The recipient.
    pub to: String,
    /// The encoded m-retrieve-conf.
    pub retrieve_conf: Vec<u8>,
    expires: Instant,
}

/// Messages by token. Expired ones are dropped as new ones arrive, so memory follows the live set.
#[derive(Debug, Default)]
pub struct ContentStore {
    messages: Mutex<HashMap<String, Stored>>,
}

impl ContentStore {
    /// Encodes `mms` as an m-retrieve-conf and keeps it for `expiry`.
    pub fn insert(
        &self,
        message: &OutboundMessage,
        mms: &MmsContent,
        expiry: Duration,
    ) -> Result<Stored, String> {
        let token = format!("{:032x}", rand::rng().random::<u128>());
        let body = compose::slideshow(
            mms.parts
                .iter()
                .map(|p| Attachment {
                    media_type: p.content_type.clone(),
                    name: p.name.clone(),
                    data: p.data.to_vec(),
                })
                .collect(),
            5000,
        );
        let date = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_secs());
        // The token doubles as Message-ID, so that the m-delivery-ind names the message the same way.
        let pdu = compose::retrieve_conf(
            &token,
            &token,
            date,
            &message.from,
            &[&message.to],
            mms.subject.as_deref(),
            body,
        );
        let retrieve_conf =
            canvass_mms::encode(&pdu).map_err(|e| format!("m-retrieve-conf: {e}"))?;
        let stored = Stored {
            token: token.clone(),
            message_id: message.id.clone(),
            to: message.to.clone(),
            retrieve_conf,
            expires: Instant::now() + expiry,
        };
        let mut messages = self.messages.lock().unwrap_or_else(|p| p.into_inner());
        let now = Instant::now();
        messages.retain(|_, m| m.expires > now);
        messages.insert(token, stored.clone());
        Ok(stored)
    }

    /// The message for `token`, unless unknown or expired.
    pub fn get(&self, token: &str) -> Option<Stored> {
        let messages = self.messages.lock().unwrap_or_else(|p| p.into_inner());
        messages
            .get(token)
            .filter(|m| m.expires > Instant::now())
            .cloned()
    }

    /// Forgets a message (its push was refused, or it was delivered).
    pub fn remove(&self, token: &str) {
        self.messages
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .remove(token);
    }
}

/// The SMS user data (UDH included) of the m-notification-ind announcing `stored` at `location`.
pub fn notification_segments(
    message: &OutboundMessage,
    mms: &MmsContent,
    stored: &Stored,
    location: &str,
    expiry: Duration,
) -> Result<Vec<Vec<u8>>, String> {
    let notification: Pdu = compose::notification_ind(
        &stored.token,
        Some(&message.from),
        mms.subject.as_deref(),
        stored.retrieve_conf.len() as u64,
        Time::Relative(expiry.as_secs()),
        location,
    );
    let options = SegmentOptions {
        reference: rand::rng().random(),
        ..SegmentOptions::default()
    };
    wap_push::segments(&notification, &options).map_err(|e| format!("m-notification-ind: {e}"))
}
