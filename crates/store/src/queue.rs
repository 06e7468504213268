//! [`Queue`] on both backends: the durable queue dispatch drives. The work is in [`crate::queue_claim`],
//! [`crate::queue_settle`] and [`crate::consent`].

use crate::{Store, StoreError};
use canvass_dispatch::ports::{
    Claimed, ConsentChange, InboundRecord, Queue, QueueError, ReceiptTally, ReceiptUpdate,
    Settlement,
};
use canvass_types::TenantId;

impl From<StoreError> for QueueError {
    fn from(e: StoreError) -> Self {
        QueueError(e.to_string())
    }
}

impl Queue for Store {
    async fn claim(
        &self,
        owner: &str,
        limit: usize,
        now: i64,
        lease_ms: i64,
    ) -> Result<Vec<Claimed>, QueueError> {
        Ok(crate::queue_claim::claim(self, owner, limit, now, lease_ms).await?)
    }

    async fn settle(&self, batch: &[Settlement], now: i64) -> Result<(), QueueError> {
        Ok(crate::queue_settle::settle(self, batch, now).await?)
    }

    async fn apply_receipts(&self, batch: &[ReceiptUpdate]) -> Result<ReceiptTally, QueueError> {
        Ok(crate::queue_settle::apply_receipts(self, batch).await?)
    }

    async fn expire_unreceipted(&self, now: i64, limit: usize) -> Result<u64, QueueError> {
        Ok(crate::queue_settle::expire_unreceipted(self, now, limit).await?)
    }

    async fn record_consent(&self, change: &ConsentChange) -> Result<bool, QueueError> {
        Ok(crate::consent::record_consent(self, change).await?)
    }

    async fn number_owner(&self, phone: &str) -> Result<Option<TenantId>, QueueError> {
        Ok(Store::number_owner(self, phone).await?)
    }

    async fn record_inbound(&self, record: &InboundRecord) -> Result<(), QueueError> {
        Ok(crate::consent::record_inbound(self, record).await?)
    }
}
