//! The profile a `media adapt` or `media render` works to: a stored profile by name, an ad-hoc byte budget, and a
//! handset's stored capabilities that tighten either.

use crate::args::MediaTargetArgs;
use anyhow::{Context, anyhow, bail};
use canvass_media::CarrierProfile;
use canvass_media::profile::HandsetCapabilities;
use canvass_media::profile::defaults::profile_from_spec;
use canvass_media::video::MESSAGE_ALLOWANCE_BYTES;
use canvass_server::App;
use canvass_types::{Msisdn, TenantId};

/// The profile whose shape `--max-bytes` alone borrows: every US carrier takes it.
const AD_HOC_SHAPE: &str = "generic-600k";

/// A resolved target: the profile to adapt to and the bytes the output may take.
#[derive(Debug, Clone)]
pub struct Target {
    /// The profile, tightened by the handset when one was named.
    pub profile: CarrierProfile,
    /// Bytes for the output file: `--max-bytes`, else the message size less room for the SMIL and text parts.
    pub budget: u64,
    /// What the handset reported, when `--handset` found a record.
    pub handset: Option<HandsetCapabilities>,
    /// Notes for the steps list (e.g. a handset with no record).
    pub notes: Vec<String>,
}

/// Resolves `--profile`, `--max-bytes` and `--handset` against the store.
pub async fn resolve(
    app: &App,
    tenant: TenantId,
    args: &MediaTargetArgs,
) -> anyhow::Result<Target> {
    let name = match (&args.profile, args.max_bytes) {
        (Some(name), _) => name.as_str(),
        (None, Some(_)) => AD_HOC_SHAPE,
        (None, None) => bail!("say what to fit: --profile NAME or --max-bytes N"),
    };
    let row = app.store.carrier_profile(name).await?.ok_or_else(|| {
        anyhow!("no carrier profile named {name:?} (see `canvass media profiles`)")
    })?;
    let mut profile = profile_from_spec(&row.name, &row.spec)?;
    let mut budget = profile
        .max_message_bytes
        .saturating_sub(MESSAGE_ALLOWANCE_BYTES);
    if let Some(max) = args.max_bytes {
        if args.profile.is_none() {
            profile.name = format!("max-bytes-{max}");
            profile.description =
                format!("ad hoc: {AD_HOC_SHAPE}'s limits with a {max}-byte budget");
            profile.max_message_bytes = max;
        } else {
            profile.max_message_bytes = profile.max_message_bytes.min(max);
        }
        budget = max.min(profile.max_message_bytes);
        profile
            .validate()
            .with_context(|| format!("--max-bytes {max}"))?;
    }
    let mut target = Target {
        profile,
        budget,
        handset: None,
        notes: Vec::new(),
    };
    if let Some(number) = &args.handset {
        let msisdn = Msisdn::new(number).map_err(|e| anyhow!("--handset {number}: {e}"))?;
        match app.store.handset_capabilities(tenant, &msisdn).await? {
            Some(stored) => {
                let caps: HandsetCapabilities = serde_json::from_value(stored.capabilities)
                    .with_context(|| format!("the stored capabilities of {number} do not read"))?;
                let tightened = target.profile.tightened(&caps);
                if tightened.max_message_bytes < target.profile.max_message_bytes {
                    target.budget = target.budget.min(
                        tightened
                            .max_message_bytes
                            .saturating_sub(MESSAGE_ALLOWANCE_BYTES),
                    );
                }
                target.notes.push(format!(
                    "handset {number}: limits tightened by its {} report of {}",
                    stored.source.as_str(),
                    stored.seen_at
                ));
                target.profile = tightened;
                target.handset = Some(caps);
            }
            None => target.notes.push(format!(
                "handset {number}: no capabilities stored, the carrier profile applies as it is"
            )),
        }
    }
    Ok(target)
}
