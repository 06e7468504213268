//! What every part shares: the app on a temporary SQLite data dir, the imported audience, campaigns created and
//! launched the way `canvass campaigns launch` does it, and the clock that keeps quiet hours out of the way.

use crate::commands::campaigns::compile;
use anyhow::anyhow;
use canvass_audience::synth::{SynthOptions, write_synthetic_csv};
use canvass_campaigns::definition::CampaignDefinition;
use canvass_campaigns::lifecycle::CampaignState;
use canvass_campaigns::ports::{CampaignRecord, CampaignStore};
use canvass_server::{App, Config, Overrides};
use canvass_store::Store;
use canvass_types::TenantId;
use std::path::Path;

pub const T: TenantId = TenantId::DEFAULT;

/// Opens the app on `dir` (SQLite, migrated).
pub async fn open_app(dir: &Path) -> anyhow::Result<App> {
    let config = Config::load(&Overrides {
        data_dir: Some(dir.to_path_buf()),
        ..Overrides::default()
    })
    .map_err(|issues| {
        let text: Vec<String> = issues.iter().map(ToString::to_string).collect();
        anyhow!("configuration: {}", text.join("; "))
    })?;
    anyhow::ensure!(
        config.database_url().starts_with("sqlite"),
        "the campaign bench runs on SQLite; unset CANVASS_DATABASE_URL"
    );
    App::open(config).await
}

/// Writes `rows` synthetic contacts and imports them (with the metro layer) the way `bench audience` does.
/// Returns the import's seconds.
pub async fn import_contacts(app: &App, dir: &Path, rows: u64) -> anyhow::Result<f64> {
    let csv = dir.join(format!("bench-voters-{rows}.csv"));
    if !csv.exists() {
        write_synthetic_csv(
            std::fs::File::create(&csv)?,
            SynthOptions {
                rows,
                seed: 1,
                bad_row_every: 0,
                faults_per_mille: 0,
            },
        )?;
    }
    super::super::bench::import(&app.store, &csv).await
}

/// Contacts a campaign could not finish with inside the run are marked opted out, so expansion suppresses them
/// (a final state, counted as such). Returns how many. They are:
/// - the handful the ZIP table puts in time zones far from the US (Wake Island, Bishkek), whose sending windows
///   never all overlap the mainland's: their messages would wait for the next morning;
/// - numbers that happen to match the simulator's fault pattern (`NXX-555-01PX`): a hanging or dropping number is
///   retried for about an hour, by design.
pub async fn hold_back(app: &App) -> anyhow::Result<u64> {
    let Store::Sqlite(pool) = &app.store else {
        anyhow::bail!("the campaign bench runs on SQLite")
    };
    Ok(sqlx::query(
        "UPDATE contacts SET opted_out = 1 WHERE (time_zone IS NOT NULL \
         AND time_zone NOT LIKE 'America/%' AND time_zone <> 'Pacific/Honolulu') \
         OR phone GLOB '+1[0-9][0-9][0-9]55501[0-9][0-9]'",
    )
    .execute(pool)
    .await?
    .rows_affected())
}

/// Contacts in the store: the messages a campaign over everyone expands to.
pub async fn contact_count(app: &App) -> anyhow::Result<u64> {
    let Store::Sqlite(pool) = &app.store else {
        anyhow::bail!("the campaign bench runs on SQLite")
    };
    let n: i64 = sqlx::query_scalar("SELECT count(*) FROM contacts")
        .fetch_one(pool)
        .await?;
    Ok(n.max(0) as u64)
}

/// The next weekday 19:00 UTC not before now: 14:00 in New York, 9:00 in Honolulu and Adak, so every recipient
/// in a US time zone may be sent to. (See [`hold_back`] for the others.)
pub fn open_hours_instant() -> anyhow::Result<jiff::Timestamp> {
    Ok(canvass_campaigns::compliance::next_open_afternoon(
        jiff::Timestamp::now(),
    ))
}

/// Checks, creates and launches (Draft → Running at `now`) a campaign from TOML.
pub async fn launch(app: &App, name: &str, toml: &str, now: i64) -> anyhow::Result<CampaignRecord> {
    let definition = CampaignDefinition::from_toml_str(toml)?;
    compile(&app.store, T, &definition)
        .await?
        .map_err(|p| anyhow!("campaign {name} does not compile: {}", p.join("; ")))?;
    let record = app
        .store
        .create_campaign(T, name, &definition.to_json(), now)
        .await?;
    let moved = app
        .store
        .transition(
            record.id,
            CampaignState::Draft,
            CampaignState::Running,
            Some("launched by the bench"),
            now,
        )
        .await?;
    anyhow::ensure!(moved, "campaign {name} did not start");
    app.store
        .campaign(record.id)
        .await?
        .ok_or_else(|| anyhow!("campaign {name} vanished"))
}

/// Variant rules the expansion evaluates per contact: an issue, a state, and the default.
pub const RULES: &str = r#"
[[rules]]
when = '"healthcare" in issues'
variant = "healthcare"

[[rules]]
when = 'state = "PA"'
variant = "pa"
"#;

/// A personalised text campaign over everyone, on `channel`, with the variant rules; `media` is an optional
/// TOML inline table for every variant.
pub fn campaign_toml(channel: &str, media: Option<&str>) -> String {
    let media = media.map_or(String::new(), |m| format!("media = {m}\n"));
    let variant = |name: &str, line: &str| {
        format!(
            "[[variants]]\nname = \"{name}\"\n\
             text = \"Hi {{{{ first_name|default('friend') }}}}, {line} Vote Tuesday in {{{{ state }}}}.\"\n\
             subject = \"Tuesday is election day\"\n{media}\n"
        )
    };
    format!(
        "channels = [\"{channel}\"]\nsender = [\"+12025550100\"]\ndefault_variant = \"default\"\n{RULES}\n{}{}{}",
        variant("healthcare", "healthcare is on the ballot."),
        variant("pa", "Pennsylvania counts."),
        variant("default", "your vote counts."),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bench_campaigns_parse_with_their_rules_and_media() {
        let sms = CampaignDefinition::from_toml_str(&campaign_toml("sms", None)).expect("sms");
        assert_eq!(sms.variants.len(), 3);
        assert_eq!(sms.rules.len(), 2);
        assert!(sms.variants.iter().all(|v| v.media.is_none()));
        let media = r#"{ kind = "picture", path = '/tmp/flyer.svg' }"#;
        let mms =
            CampaignDefinition::from_toml_str(&campaign_toml("mms", Some(media))).expect("mms");
        assert!(mms.variants.iter().all(|v| v.media.is_some()));
    }

    #[test]
    fn open_hours_fall_on_a_weekday_at_seven_pm_utc() {
        let at = open_hours_instant().expect("instant");
        let utc = at.to_zoned_datetime(jiff::tz::TimeZone::UTC);
        assert_eq!((utc.hour(), utc.minute()), (19, 0));
        assert!(!matches!(
            utc.weekday(),
            jiff::civil::Weekday::Saturday | jiff::civil::Weekday::Sunday
        ));
    }
}
