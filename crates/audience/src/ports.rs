//! Ports: what the audience domain needs from storage, implemented by `canvass-store`.

use crate::contact::ContactRecord;
use canvass_types::TenantId;
use std::future::Future;

/// A storage failure, opaque to the domain.
pub type PortError = Box<dyn std::error::Error + Send + Sync + 'static>;

/// How one batch was merged.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct BatchOutcome {
    /// Contacts that did not exist before.
    pub inserted: u64,
    /// Rows merged into an existing contact with the same phone (including repeats within the file).
    pub merged: u64,
}

/// Receives normalised contacts and merges them by phone number.
pub trait ContactSink: Send {
    /// Merges a batch. Phone numbers within one batch are unique (the importer folds repeats first).
    fn write_batch(
        &mut self,
        tenant: TenantId,
        batch: Vec<ContactRecord>,
    ) -> impl Future<Output = Result<BatchOutcome, PortError>> + Send;

    /// Called once after the last batch, even when an earlier batch failed: a sink that deferred work (index
    /// builds) completes it here.
    fn finish(&mut self) -> impl Future<Output = Result<(), PortError>> + Send {
        async { Ok(()) }
    }
}
