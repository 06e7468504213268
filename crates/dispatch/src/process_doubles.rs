//! Test doubles for the worker's decision logic: a connector that records what it was handed, a campaign plan
//! with fixed channels and window, a queue that is never called, and a harness that runs `process` on them.
//! Doubles are fine here: these tests are about what `process` decides, not about carriers or storage.

use crate::plan::{ComposeError, MessagePlan, Plans};
use crate::ports::{
    Claimed, ConsentChange, ContactFields, InboundRecord, Queue, QueueError, ReceiptTally,
    ReceiptUpdate, Settlement,
};
use crate::rate::RateLimits;
use crate::routes::Routes;
use crate::worker::{DispatchConfig, Dispatcher};
use canvass_campaigns::compliance::SendWindow;
use canvass_connectors::{Capabilities, Connector, Content, OutboundMessage, SubmitOutcome};
use canvass_types::{CampaignId, Channel, Clock, FixedClock, MessageId, TenantId};
use futures::future::BoxFuture;
use jiff::Timestamp;
use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex};
use std::time::Duration;

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

/// A connector that records every submit with the clock's instant and answers from a per-recipient script.
pub struct RecordingConnector {
    name: String,
    caps: Capabilities,
    clock: Arc<dyn Clock>,
    script: Mutex<HashMap<String, VecDeque<SubmitOutcome>>>,
    sent: Mutex<Vec<(Timestamp, OutboundMessage)>>,
}

impl RecordingConnector {
    /// A route named `name` carrying `channels`, reading submit instants from `clock`.
    pub fn new(name: &str, channels: &[Channel], clock: Arc<dyn Clock>) -> Arc<Self> {
        Arc::new(RecordingConnector {
            name: name.to_owned(),
            caps: Capabilities {
                channels: channels.to_vec(),
                max_message_bytes: None,
                max_per_second: None,
                window: 1,
            },
            clock,
            script: Mutex::default(),
            sent: Mutex::default(),
        })
    }

    /// The next submits to `to` get these answers, in order; once they run out, `Accepted`.
    pub fn script(&self, to: &str, outcomes: impl IntoIterator<Item = SubmitOutcome>) {
        lock(&self.script)
            .entry(to.to_owned())
            .or_default()
            .extend(outcomes);
    }

    /// Every submit so far, with the instant it was made.
    pub fn sent(&self) -> Vec<(Timestamp, OutboundMessage)> {
        lock(&self.sent).clone()
    }
}

impl Connector for RecordingConnector {
    fn name(&self) -> &str {
        &self.name
    }

    fn capabilities(&self) -> &Capabilities {
        &self.caps
    }

    fn submit<'a>(&'a self, message: &'a OutboundMessage) -> BoxFuture<'a, SubmitOutcome> {
        lock(&self.sent).push((self.clock.now(), message.clone()));
        let scripted = lock(&self.script)
            .get_mut(&message.to)
            .and_then(VecDeque::pop_front);
        let outcome = scripted.unwrap_or_else(|| SubmitOutcome::Accepted {
            carrier_ids: vec![format!("c-{}", message.id)],
        });
        Box::pin(async move { outcome })
    }

    fn shutdown(&self) -> BoxFuture<'_, ()> {
        Box::pin(async {})
    }
}

/// A hook run when content is composed (e.g. to record an opt-out "while" the message is in flight).
pub type ContentHook = Box<dyn Fn() + Send + Sync>;

/// A campaign plan with fixed channels and window; content is text, and every request for it is recorded.
pub struct FakePlan {
    pub channels: Vec<Channel>,
    pub window: Option<SendWindow>,
    pub pace: Option<f64>,
    /// Whether quiet hours hold its messages (an API message's plan says no).
    pub quiet_hours: bool,
    /// (channel, with_link) for every `content` call, in order.
    pub calls: Mutex<Vec<(Channel, bool)>>,
    pub on_content: Mutex<Option<ContentHook>>,
}

impl FakePlan {
    pub fn new(channels: &[Channel], window: Option<SendWindow>) -> Arc<Self> {
        Arc::new(FakePlan {
            channels: channels.to_vec(),
            window,
            pace: None,
            quiet_hours: true,
            calls: Mutex::default(),
            on_content: Mutex::default(),
        })
    }

    pub fn calls(&self) -> Vec<(Channel, bool)> {
        lock(&self.calls).clone()
    }
}

impl MessagePlan for FakePlan {
    fn channels(&self) -> &[Channel] {
        &self.channels
    }
    fn window(&self) -> Option<SendWindow> {
        self.window
    }
    fn pace(&self) -> Option<f64> {
        self.pace
    }
    fn keeps_quiet_hours(&self) -> bool {
        self.quiet_hours
    }
    fn sender(&self, _message: &Claimed) -> String {
        "+12155550000".into()
    }
    fn validity(&self) -> Option<Duration> {
        None
    }
    fn content<'a>(
        &'a self,
        _message: &'a Claimed,
        channel: Channel,
        with_link: bool,
    ) -> BoxFuture<'a, Result<Content, ComposeError>> {
        lock(&self.calls).push((channel, with_link));
        if let Some(hook) = lock(&self.on_content).as_ref() {
            hook();
        }
        let text = format!(
            "hello on {channel}{}",
            if with_link { " https://l.test/x" } else { "" }
        );
        Box::pin(async move { Ok(Content::Text(text)) })
    }
}

/// Every campaign gets the one plan.
pub struct FakePlans(pub Arc<FakePlan>);

impl Plans for FakePlans {
    fn plan<'a>(
        &'a self,
        _message: &'a Claimed,
    ) -> BoxFuture<'a, Result<Arc<dyn MessagePlan>, ComposeError>> {
        let plan: Arc<dyn MessagePlan> = self.0.clone();
        Box::pin(async move { Ok(plan) })
    }
}

/// `process` never touches the queue; the dispatcher only needs one to exist.
pub struct NullQueue;

impl Queue for NullQueue {
    async fn claim(
        &self,
        _owner: &str,
        _limit: usize,
        _now: i64,
        _lease_ms: i64,
    ) -> Result<Vec<Claimed>, QueueError> {
        Ok(Vec::new())
    }
    async fn settle(&self, _batch: &[Settlement], _now: i64) -> Result<(), QueueError> {
        Ok(())
    }
    async fn apply_receipts(&self, _batch: &[ReceiptUpdate]) -> Result<ReceiptTally, QueueError> {
        Ok(ReceiptTally::default())
    }
    async fn expire_unreceipted(&self, _now: i64, _limit: usize) -> Result<u64, QueueError> {
        Ok(0)
    }
    async fn record_consent(&self, _change: &ConsentChange) -> Result<bool, QueueError> {
        Ok(false)
    }
    async fn number_owner(&self, _phone: &str) -> Result<Option<TenantId>, QueueError> {
        Ok(None)
    }

    async fn record_inbound(&self, _record: &InboundRecord) -> Result<(), QueueError> {
        Ok(())
    }
}

/// A dispatcher over fakes, with handles on each of them.
pub struct Harness {
    pub dispatcher: Arc<Dispatcher<NullQueue>>,
    pub plan: Arc<FakePlan>,
    pub limits: Arc<RateLimits>,
}

impl Harness {
    pub fn new(
        plan: Arc<FakePlan>,
        connectors: &[Arc<RecordingConnector>],
        clock: Arc<dyn Clock>,
        config: DispatchConfig,
    ) -> Self {
        Self::with_table(plan, connectors, None, clock, config)
    }

    /// The same, with a route table choosing among the connectors.
    pub fn with_table(
        plan: Arc<FakePlan>,
        connectors: &[Arc<RecordingConnector>],
        table: Option<crate::routing::RouteTable>,
        clock: Arc<dyn Clock>,
        config: DispatchConfig,
    ) -> Self {
        let connectors: Vec<Arc<dyn Connector>> = connectors
            .iter()
            .map(|c| c.clone() as Arc<dyn Connector>)
            .collect();
        let limits = Arc::new(RateLimits::new());
        let dispatcher = Dispatcher::new(
            Arc::new(NullQueue),
            Arc::new(FakePlans(plan.clone())),
            Arc::new(Routes::new(connectors, table)),
            limits.clone(),
            clock,
            config,
        );
        Harness {
            dispatcher,
            plan,
            limits,
        }
    }

    /// Runs `process` for one message on a fresh single-threaded runtime.
    pub fn process(&self, message: Claimed) -> Settlement {
        tokio::runtime::Builder::new_current_thread()
            .enable_time()
            .build()
            .expect("a tokio runtime")
            .block_on(crate::process::process(&self.dispatcher, message))
    }
}

/// A clock stopped at `at`, shared with the connector so that submit instants are the decision's instant.
pub fn fixed_clock(at: Timestamp) -> Arc<FixedClock> {
    Arc::new(FixedClock::new(at))
}

/// Tenant 1's message 7 of campaign 1 to `phone`, first attempt, with the contact's zone and state.
pub fn claimed(phone: &str, zone: Option<&str>, state: Option<&str>) -> Claimed {
    Claimed {
        id: MessageId(7),
        tenant: TenantId::DEFAULT,
        campaign: Some(CampaignId(1)),
        phone: phone.to_owned(),
        variant: "a".into(),
        channel: None,
        sender: None,
        attempts: 1,
        expires_at: None,
        opted_out: false,
        contact: Some(ContactFields {
            time_zone: zone.map(str::to_owned),
            state: state.map(str::to_owned),
            ..ContactFields::default()
        }),
    }
}
