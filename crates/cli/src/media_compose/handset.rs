//! Handset knowledge: the UAProf URL an MM7 delivery report (or DeliverReq) carries in `UACapabilities`, fetched
//! and read into the limits that tighten a carrier profile for that number next time.

use anyhow::{Context, anyhow, bail};
use canvass_media::profile::HandsetCapabilities;
use canvass_mm7::{Body, Envelope};
use canvass_types::Msisdn;
use std::time::Duration;

/// UAProf documents are a few KB; anything past this is not one (the parser refuses it too).
const MAX_UAPROF_BYTES: usize = 512 * 1024;

/// The handset a message's `UACapabilities` describe.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportedHandset {
    /// Its number.
    pub phone: Msisdn,
    /// Where its UAProf document is.
    pub uaprof_url: String,
}

/// The handset an MM7 message reports on: a DeliveryReportReq's recipient, or a DeliverReq's sender. `Ok(None)`
/// when the message carries no UAProf URL; an error when it names a handset by something other than a number.
pub fn reported_handset(envelope: &Envelope) -> anyhow::Result<Option<ReportedHandset>> {
    let (address, capabilities) = match &envelope.body {
        Body::DeliveryReportReq(report) => (&report.recipient, &report.ua_capabilities),
        Body::DeliverReq(deliver) => (&deliver.sender, &deliver.ua_capabilities),
        _ => bail!("only a DeliveryReportReq or a DeliverReq carries a handset's UACapabilities"),
    };
    let Some(url) = capabilities.as_ref().and_then(|c| c.ua_prof.clone()) else {
        return Ok(None);
    };
    // MMSCs write numbers with or without the plus.
    let value = address.value.trim();
    let e164 = if value.starts_with('+') {
        value.to_owned()
    } else {
        format!("+{value}")
    };
    let phone = Msisdn::new(&e164)
        .map_err(|e| anyhow!("the handset address {value:?} is not a phone number: {e}"))?;
    Ok(Some(ReportedHandset {
        phone,
        uaprof_url: url,
    }))
}

/// Fetches a UAProf document (plain HTTP, 10 s, at most 512 KB) and reads the MMS limits in it.
pub async fn fetch_uaprof(url: &str) -> anyhow::Result<HandsetCapabilities> {
    let client = reqwest::Client::builder()
        .timeout(Duration::from_secs(10))
        .build()
        .context("building the HTTP client")?;
    let mut response = client
        .get(url)
        .send()
        .await
        .with_context(|| format!("fetching the UAProf {url}"))?;
    if !response.status().is_success() {
        bail!("fetching the UAProf {url}: HTTP {}", response.status());
    }
    let mut body = Vec::new();
    while let Some(chunk) = response
        .chunk()
        .await
        .with_context(|| format!("reading the UAProf {url}"))?
    {
        if body.len() + chunk.len() > MAX_UAPROF_BYTES {
            bail!("the UAProf {url} is over {MAX_UAPROF_BYTES} bytes");
        }
        body.extend_from_slice(&chunk);
    }
    let text = String::from_utf8(body).map_err(|_| anyhow!("the UAProf {url} is not UTF-8"))?;
    HandsetCapabilities::from_uaprof(&text).with_context(|| format!("reading the UAProf {url}"))
}
