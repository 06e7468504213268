//! Configuration: defaults, then `canvass.toml`, then `CANVASS_…` environment variables, then command-line flags.
//!
//! Every setting is read as text and validated here, so that `canvass config check` can report every problem at
//! once instead of stopping at the first.

use figment::Figment;
use figment::providers::{Env, Format, Toml};
use figment::value::Value;
use serde::Serialize;
use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};

/// The settings a node starts with. Routes, carriers and templates live in the database, not here.
#[derive(Debug, Clone, Serialize)]
pub struct Config {
    /// Folder for the SQLite database, blobs and demo files.
    pub data_dir: PathBuf,
    /// HTTP listener (API, dashboard, health, metrics).
    pub http: SocketAddr,
    /// Wholesale SMPP listener.
    pub smpp: SocketAddr,
    /// Wholesale MM7 listener.
    pub mm7: SocketAddr,
    /// Database URL; `None` means SQLite in the data dir.
    pub database_url: Option<String>,
    /// NATS JetStream URL for scale-out queues; `None` means the embedded table queue.
    pub nats_url: Option<String>,
    /// Blob folder; `None` means `blobs/` in the data dir.
    pub blob_path: Option<PathBuf>,
    /// Which listeners and workers this node runs.
    pub role: String,
    /// Logs as JSON lines rather than text.
    pub log_json: bool,
    /// The address recipients reach us at, for tracked links and landing pages; `None` means `http://<http>`.
    pub public_url: Option<String>,
    /// Secret for signing tracked links; `None` means a random one kept in the data dir (`link.key`).
    #[serde(skip_serializing)]
    pub link_secret: Option<String>,
    /// Secret from which every account's auth token is derived (webhooks are signed with those tokens); `None`
    /// means a random one kept in the data dir (`account.key`). Nodes of one deployment must share it.
    #[serde(skip_serializing)]
    pub account_secret: Option<String>,
    /// Internal hosts, addresses or networks that developers' media and callback URLs may reach (by default only
    /// public addresses): `media.internal`, `10.1.0.0/16`, `127.0.0.1`. Comma-separated in the environment.
    pub media_fetch_allow: Vec<String>,
    /// How long a sent message waits for its delivery receipt before it is `expired` (`no_receipt`).
    pub receipt_timeout: std::time::Duration,
    /// How long a worker's claim on a message lasts: after a crash, its messages go out again this much later.
    pub lease: std::time::Duration,
    /// API requests per second allowed to each account token or API key (twice that at once), per node.
    pub api_rate_limit: f64,
}

/// Flags given on the command line; they win over everything else.
#[derive(Debug, Clone, Default)]
pub struct Overrides {
    /// `--config`.
    pub config_file: Option<PathBuf>,
    /// `--data-dir`.
    pub data_dir: Option<PathBuf>,
    /// `--http`.
    pub http: Option<String>,
    /// `--smpp`.
    pub smpp: Option<String>,
    /// `--mm7`.
    pub mm7: Option<String>,
    /// `--database-url`.
    pub database_url: Option<String>,
    /// `--nats-url`.
    pub nats_url: Option<String>,
    /// `--role`.
    pub role: Option<String>,
}

/// One problem with the configuration.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ConfigIssue {
    /// The setting, e.g. `http`.
    pub key: String,
    /// What is wrong with it.
    pub message: String,
}

impl std::fmt::Display for ConfigIssue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.key, self.message)
    }
}

const KEYS: [&str; 17] = [
    "data_dir",
    "http",
    "smpp",
    "mm7",
    "database_url",
    "nats_url",
    "blob_path",
    "role",
    "log_format",
    "config",
    "public_url",
    "link_secret",
    "account_secret",
    "media_fetch_allow",
    "receipt_timeout",
    "lease",
    "api_rate_limit",
];
const ROLES: [&str; 4] = ["all", "api", "worker", "gateway"];

impl Config {
    /// Loads and validates; on failure returns every issue found.
    pub fn load(overrides: &Overrides) -> Result<Config, Vec<ConfigIssue>> {
        let mut issues = Vec::new();
        let file = overrides
            .config_file
            .clone()
            .or_else(|| std::env::var_os("CANVASS_CONFIG").map(PathBuf::from))
            .or_else(|| {
                Path::new("canvass.toml")
                    .exists()
                    .then(|| PathBuf::from("canvass.toml"))
            });
        let mut figment = Figment::new();
        if let Some(path) = &file {
            if !path.exists() {
                issues.push(issue(
                    "config",
                    format!("config file {} does not exist", path.display()),
                ));
            }
            figment = figment.merge(Toml::file(path));
        }
        // Only our own keys: CANVASS_TEST_POSTGRES and friends are not configuration.
        figment = figment.merge(Env::prefixed("CANVASS_").only(&KEYS));
        let mut raw: BTreeMap<String, String> = BTreeMap::new();
        match figment.extract::<BTreeMap<String, Value>>() {
            Ok(map) => {
                for (key, value) in map {
                    if !KEYS.contains(&key.as_str()) {
                        issues.push(issue(&key, "unknown setting".to_owned()));
                        continue;
                    }
                    match value_text(&value) {
                        Some(text) => {
                            raw.insert(key, text);
                        }
                        None => issues.push(issue(
                            &key,
                            "must be a string, number or boolean".to_owned(),
                        )),
                    }
                }
            }
            Err(errors) => {
                issues.extend(errors.into_iter().map(|e| issue("config", e.to_string())))
            }
        }
        let flags = [
            (
                "data_dir",
                overrides.data_dir.as_ref().map(|p| p.display().to_string()),
            ),
            ("http", overrides.http.clone()),
            ("smpp", overrides.smpp.clone()),
            ("mm7", overrides.mm7.clone()),
            ("database_url", overrides.database_url.clone()),
            ("nats_url", overrides.nats_url.clone()),
            ("role", overrides.role.clone()),
        ];
        for (key, value) in flags {
            if let Some(value) = value {
                raw.insert(key.to_owned(), value);
            }
        }
        let config = validate(&raw, &mut issues);
        if issues.is_empty() {
            Ok(config)
        } else {
            Err(issues)
        }
    }

    /// The effective database URL.
    pub fn database_url(&self) -> String {
        self.database_url
            .clone()
            .unwrap_or_else(|| format!("sqlite://{}", self.data_dir.join("canvass.db").display()))
    }

    /// The effective blob folder.
    pub fn blob_path(&self) -> PathBuf {
        self.blob_path
            .clone()
            .unwrap_or_else(|| self.data_dir.join("blobs"))
    }
}

fn issue(key: &str, message: String) -> ConfigIssue {
    ConfigIssue {
        key: key.to_owned(),
        message,
    }
}

fn value_text(value: &Value) -> Option<String> {
    match value {
        Value::String(_, s) => Some(s.clone()),
        Value::Char(_, c) => Some(c.to_string()),
        Value::Bool(_, b) => Some(b.to_string()),
        Value::Num(_, n) => n
            .to_u128()
            .map(|n| n.to_string())
            .or_else(|| n.to_f64().map(|f| f.to_string())),
        _ => None,
    }
}

/// `:8080` means every interface; otherwise `host:port` with an IP host.
fn parse_addr(key: &str, text: &str, issues: &mut Vec<ConfigIssue>) -> Option<SocketAddr> {
    let full = if text.starts_with(':') {
        format!("0.0.0.0{text}")
    } else {
        text.to_owned()
    };
    match full.parse() {
        Ok(addr) => Some(addr),
        Err(_) => {
            issues.push(issue(
                key,
                format!("{text:?} is not an address like 127.0.0.1:8080 or :8080"),
            ));
            None
        }
    }
}

fn validate(raw: &BTreeMap<String, String>, issues: &mut Vec<ConfigIssue>) -> Config {
    let get = |k: &str| raw.get(k).map(String::as_str);
    let mut addr = |key: &str, default: &str| {
        let text = get(key).unwrap_or(default);
        parse_addr(key, text, issues).unwrap_or_else(|| SocketAddr::from(([127, 0, 0, 1], 0)))
    };
    let http = addr("http", "127.0.0.1:8080");
    let smpp = addr("smpp", "127.0.0.1:2775");
    let mm7 = addr("mm7", "127.0.0.1:8082");
    for (a, b, addr_a, addr_b) in [
        ("http", "smpp", http, smpp),
        ("http", "mm7", http, mm7),
        ("smpp", "mm7", smpp, mm7),
    ] {
        if addr_a == addr_b && addr_a.port() != 0 {
            issues.push(issue(b, format!("{addr_b} is already the {a} listener")));
        }
    }
    let data_dir = PathBuf::from(get("data_dir").unwrap_or("./canvass-data"));
    if data_dir.exists() && !data_dir.is_dir() {
        issues.push(issue(
            "data_dir",
            format!("{} exists and is not a folder", data_dir.display()),
        ));
    }
    let database_url = get("database_url").map(str::to_owned);
    if let Some(url) = &database_url
        && !["sqlite:", "postgres://", "postgresql://"]
            .iter()
            .any(|p| url.starts_with(p))
    {
        issues.push(issue(
            "database_url",
            "must start with sqlite:, postgres:// or postgresql://".to_owned(),
        ));
    }
    let nats_url = get("nats_url").map(str::to_owned);
    if let Some(url) = &nats_url
        && !(url.starts_with("nats://") || url.starts_with("tls://"))
    {
        issues.push(issue(
            "nats_url",
            "must start with nats:// or tls://".to_owned(),
        ));
    }
    let role = get("role").unwrap_or("all").to_owned();
    if !ROLES.contains(&role.as_str()) {
        issues.push(issue(
            "role",
            format!("{role:?} is not one of {}", ROLES.join(", ")),
        ));
    }
    let log_json = match get("log_format").unwrap_or("text") {
        "text" => false,
        "json" => true,
        other => {
            issues.push(issue(
                "log_format",
                format!("{other:?} is not text or json"),
            ));
            false
        }
    };
    let public_url = get("public_url").map(|u| u.trim_end_matches('/').to_owned());
    if let Some(url) = &public_url
        && !(url.starts_with("http://") || url.starts_with("https://"))
    {
        issues.push(issue(
            "public_url",
            "must start with http:// or https://".to_owned(),
        ));
    }
    let link_secret = get("link_secret").map(str::to_owned);
    let account_secret = get("account_secret").map(str::to_owned);
    for (key, value) in [
        ("link_secret", &link_secret),
        ("account_secret", &account_secret),
    ] {
        if value.as_ref().is_some_and(|s| s.len() < 16) {
            issues.push(issue(key, "must be at least 16 characters".to_owned()));
        }
    }
    let mut media_fetch_allow = Vec::new();
    for rule in get("media_fetch_allow")
        .unwrap_or("")
        .split(',')
        .map(str::trim)
        .filter(|r| !r.is_empty())
    {
        match canvass_connectors::fetch::AllowRule::parse(rule) {
            Ok(_) => media_fetch_allow.push(rule.to_owned()),
            Err(e) => issues.push(issue("media_fetch_allow", e.to_string())),
        }
    }
    let receipt_timeout = match parse_duration(get("receipt_timeout").unwrap_or("1h")) {
        Some(d) if !d.is_zero() => d,
        _ => {
            issues.push(issue(
                "receipt_timeout",
                "must be a duration like 90s, 10m or 1h".to_owned(),
            ));
            std::time::Duration::from_secs(3600)
        }
    };
    let api_rate_limit = match get("api_rate_limit").unwrap_or("1000").parse::<f64>() {
        Ok(n) if n.is_finite() && n > 0.0 => n,
        _ => {
            issues.push(issue(
                "api_rate_limit",
                "must be a positive number of requests per second".to_owned(),
            ));
            1000.0
        }
    };
    let lease = match parse_duration(get("lease").unwrap_or("60s")) {
        Some(d) if d >= std::time::Duration::from_secs(2) => d,
        _ => {
            issues.push(issue(
                "lease",
                "must be a duration of at least 2s, like 60s or 5m".to_owned(),
            ));
            std::time::Duration::from_secs(60)
        }
    };
    Config {
        data_dir,
        http,
        smpp,
        mm7,
        database_url,
        nats_url,
        blob_path: get("blob_path").map(PathBuf::from),
        role,
        log_json,
        public_url,
        link_secret,
        account_secret,
        media_fetch_allow,
        receipt_timeout,
        lease,
        api_rate_limit,
    }
}

/// `90s`, `10m`, `1h` or plain seconds.
fn parse_duration(text: &str) -> Option<std::time::Duration> {
    let text = text.trim();
    let (number, unit) = match text.find(|c: char| !c.is_ascii_digit()) {
        Some(i) => text.split_at(i),
        None => (text, "s"),
    };
    let n: u64 = number.parse().ok()?;
    let seconds = match unit {
        "s" => n,
        "m" => n.checked_mul(60)?,
        "h" => n.checked_mul(3600)?,
        _ => return None,
    };
    Some(std::time::Duration::from_secs(seconds))
}

impl Config {
    /// The base of tracked links and landing pages.
    pub fn public_base(&self) -> String {
        self.public_url.clone().unwrap_or_else(|| {
            let host = if self.http.ip().is_unspecified() {
                "127.0.0.1".to_owned()
            } else {
                self.http.ip().to_string()
            };
            format!("http://{host}:{}", self.http.port())
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(raw: &[(&str, &str)]) -> Vec<String> {
        let raw = raw
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        let mut issues = Vec::new();
        validate(&raw, &mut issues);
        issues.iter().map(ToString::to_string).collect()
    }

    #[test]
    fn defaults_are_valid() {
        assert!(check(&[]).is_empty());
    }

    #[test]
    fn reports_every_problem_at_once() {
        let issues = check(&[
            ("http", "localhost"),
            ("smpp", ":2775"),
            ("mm7", ":2775"),
            ("database_url", "mysql://x"),
            ("role", "boss"),
            ("log_format", "xml"),
        ]);
        assert_eq!(issues.len(), 5, "{issues:#?}");
        assert!(issues[0].starts_with("http: \"localhost\" is not an address"));
        assert!(
            issues
                .iter()
                .any(|i| i == "mm7: 0.0.0.0:2775 is already the smpp listener")
        );
        assert!(issues.iter().any(|i| i.starts_with("database_url:")));
        assert!(issues.iter().any(|i| i.starts_with("role:")));
        assert!(issues.iter().any(|i| i.starts_with("log_format:")));
    }
}
