//! The built-in carrier profiles the database is seeded with at boot.
//!
//! They live in `data/carrier-profiles.json` (compiled in) rather than in Rust so that the file an operator reads
//! in the repository is exactly what lands in the `carrier_profiles` table. Every figure and its source is in
//! `docs/carriers.md`; change the two together.

use super::CarrierProfile;
use crate::{Error, Result};

/// The defaults as shipped: a JSON array of [`CarrierProfile`].
pub const DEFAULT_PROFILES_JSON: &str = include_str!("../../data/carrier-profiles.json");

/// The names of every built-in profile: the three big US carriers for each sender type, plus carrier-agnostic
/// budgets and a profile for pre-smartphone handsets.
pub const DEFAULT_PROFILE_NAMES: [&str; 12] = [
    "att-long-code",
    "att-toll-free",
    "att-short-code",
    "tmobile-long-code",
    "tmobile-toll-free",
    "tmobile-short-code",
    "verizon-long-code",
    "verizon-toll-free",
    "verizon-short-code",
    "generic-300k",
    "generic-600k",
    "legacy-3gp",
];

/// The built-in profiles, each validated.
pub fn default_profiles() -> Result<Vec<CarrierProfile>> {
    let profiles: Vec<CarrierProfile> =
        serde_json::from_str(DEFAULT_PROFILES_JSON).map_err(|e| Error::Profile {
            name: "data/carrier-profiles.json".to_owned(),
            reason: e.to_string(),
        })?;
    for profile in &profiles {
        profile.validate()?;
    }
    Ok(profiles)
}

/// The built-in profiles as `(name, spec)` pairs, the shape the store seeds from (it never sees media's types).
pub fn default_profile_specs() -> Result<Vec<(String, serde_json::Value)>> {
    default_profiles()?
        .into_iter()
        .map(|profile| {
            let spec = serde_json::to_value(&profile).map_err(|e| Error::Profile {
                name: profile.name.clone(),
                reason: e.to_string(),
            })?;
            Ok((profile.name, spec))
        })
        .collect()
}

/// Reads a stored spec back into a profile, checking that its name matches the row it came from and that it
/// validates: a hand-edited row is reported, not trusted.
pub fn profile_from_spec(name: &str, spec: &serde_json::Value) -> Result<CarrierProfile> {
    let profile: CarrierProfile =
        serde_json::from_value(spec.clone()).map_err(|e| Error::Profile {
            name: name.to_owned(),
            reason: e.to_string(),
        })?;
    if profile.name != name {
        return Err(Error::Profile {
            name: name.to_owned(),
            reason: format!("the spec is named {:?}", profile.name),
        });
    }
    profile.validate()?;
    Ok(profile)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::profile::VideoFormat;
    use std::collections::BTreeSet;

    #[test]
    fn every_default_validates_and_all_twelve_names_exist() {
        let profiles = default_profiles().expect("the shipped defaults parse and validate");
        let names: BTreeSet<&str> = profiles.iter().map(|p| p.name.as_str()).collect();
        let wanted: BTreeSet<&str> = DEFAULT_PROFILE_NAMES.into_iter().collect();
        assert_eq!(names, wanted);
        assert_eq!(profiles.len(), 12, "no duplicate names");
    }

    #[test]
    fn toll_free_is_never_looser_than_long_code_and_fits_the_smallest_published_toll_free_limit() {
        let profiles = default_profiles().expect("defaults");
        let get = |name: &str| profiles.iter().find(|p| p.name == name).expect(name);
        for carrier in ["att", "tmobile", "verizon"] {
            let toll_free = get(&format!("{carrier}-toll-free"));
            let long_code = get(&format!("{carrier}-long-code"));
            assert!(
                toll_free.max_message_bytes <= long_code.max_message_bytes,
                "{carrier}"
            );
            // Bandwidth's 525 KB is the tightest toll-free figure published (docs/carriers.md).
            assert!(toll_free.max_message_bytes <= 525_000, "{carrier}");
        }
        assert_eq!(get("att-short-code").max_message_bytes, 600_000);
        assert!(get("generic-300k").max_message_bytes <= 300_000);
    }

    #[test]
    fn legacy_profile_sends_3gp_only() {
        let profiles = default_profiles().expect("defaults");
        let legacy = profiles
            .iter()
            .find(|p| p.name == "legacy-3gp")
            .expect("legacy-3gp");
        let video = legacy.video.as_ref().expect("legacy takes video");
        assert_eq!(video.format, VideoFormat::ThreeGpH263);
        assert!(!legacy.accepts("video/mp4") && legacy.accepts("video/3gpp"));
    }

    #[test]
    fn specs_round_trip_and_a_misnamed_spec_is_refused() {
        let specs = default_profile_specs().expect("specs");
        let (name, spec) = &specs[0];
        let profile = profile_from_spec(name, spec).expect("round trip");
        assert_eq!(&profile.name, name);
        let Err(Error::Profile { reason, .. }) = profile_from_spec("other", spec) else {
            panic!("a spec stored under another name must be refused")
        };
        assert!(reason.contains(name.as_str()), "{reason}");
        let mut edited = spec.clone();
        edited["max_message_bytes"] = serde_json::json!(10);
        assert!(
            profile_from_spec(name, &edited).is_err(),
            "an invalid edit is reported"
        );
    }
}
