//! The command line. Settings that are also configuration (listeners, database) go through the config loader so
//! that flags, `CANVASS_…` variables and `canvass.toml` combine one way everywhere.

use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;

pub use crate::account_args::{AccountsCommand, KeysCommand, NumbersCommand, ServicesCommand};

/// Personalised multimedia messaging campaigns and a wholesale MMS gateway.
#[derive(Debug, Parser)]
#[command(name = "canvass", version, about)]
pub struct Cli {
    #[command(flatten)]
    pub global: Global,
    #[command(subcommand)]
    pub command: Command,
}

/// Options every command takes.
#[derive(Debug, Args)]
pub struct Global {
    /// Folder for the embedded database, blobs and demo files [env: CANVASS_DATA_DIR; default ./canvass-data].
    #[arg(long, global = true, value_name = "DIR")]
    pub data_dir: Option<PathBuf>,
    /// Configuration file [env: CANVASS_CONFIG; default ./canvass.toml when present].
    #[arg(long, global = true, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Database: sqlite:PATH, or postgres://… for PostgreSQL [env: CANVASS_DATABASE_URL].
    #[arg(long, global = true, value_name = "URL")]
    pub database_url: Option<String>,
    /// The tenant (account) to act for.
    #[arg(long, global = true, default_value_t = 1, hide = true)]
    pub tenant: i64,
}

#[derive(Debug, Subcommand)]
#[allow(clippy::large_enum_variant)] // parsed once per run; the encode flags make some variants large
pub enum Command {
    /// Seed a synthetic audience over real US ZIPs, show targeting, then serve.
    Demo(DemoArgs),
    /// Run the server: API and dashboard, plus SMPP and MM7 listeners by role.
    Serve(ServeArgs),
    /// Exit 0 when a running server answers /healthz.
    Healthcheck {
        /// The server's HTTP address [env: CANVASS_HTTP; default 127.0.0.1:8080].
        #[arg(long, value_name = "ADDR")]
        http: Option<String>,
    },
    /// Apply database migrations.
    Migrate,
    /// Print the native API's OpenAPI 3.1 document (what `/openapi.json` serves).
    Openapi,
    /// Configuration tools.
    #[command(subcommand)]
    Config(ConfigCommand),
    /// Contacts: import voter and customer files.
    #[command(subcommand)]
    Contacts(ContactsCommand),
    /// Segments: count and preview audiences by expression.
    #[command(subcommand)]
    Segments(SegmentsCommand),
    /// Region layers (districts, precincts, media markets) from GeoJSON or shapefiles.
    #[command(subcommand)]
    Regions(RegionsCommand),
    /// Media: carrier profiles, adapting content to them, and rendering templates.
    #[command(subcommand)]
    Media(MediaCommand),
    /// Campaigns: create from a TOML or JSON file, launch, watch, pause, resume, cancel.
    #[command(subcommand)]
    Campaigns(CampaignsCommand),
    /// Carrier routes: the connections dispatch sends through.
    #[command(subcommand)]
    Routes(RoutesCommand),
    /// Consent: export and import the opt-in/opt-out ledger.
    #[command(subcommand)]
    Consent(ConsentCommand),
    /// Accounts: agencies and resellers, and their sub-accounts (clients).
    #[command(subcommand)]
    Accounts(AccountsCommand),
    /// Sender numbers, each owned by one account.
    #[command(subcommand)]
    Numbers(NumbersCommand),
    /// API keys (SK… + secret) with scopes.
    #[command(subcommand)]
    Keys(KeysCommand),
    /// Messaging Services (MG…): sender pools of an account's numbers.
    #[command(subcommand)]
    Services(ServicesCommand),
    /// MMS encapsulation tools (OMA-MMS-ENC 1.0–1.3).
    #[command(subcommand)]
    Mms(MmsCommand),
    /// MM7 tools (3GPP TS 23.140 SOAP + MIME).
    #[command(subcommand)]
    Mm7(Mm7Command),
    /// Write a synthetic voter file (for demos and benchmarks).
    #[command(hide = true)]
    Synth {
        /// Rows to write.
        #[arg(long, default_value_t = 100_000)]
        rows: u64,
        /// Random seed.
        #[arg(long, default_value_t = 2026)]
        seed: u64,
        /// One malformed row every N rows (0: none).
        #[arg(long, default_value_t = 0)]
        bad_row_every: u64,
        /// Output file.
        #[arg(short, long)]
        output: PathBuf,
    },
    /// Run the carrier simulator: an SMSC (SMPP), an MMSC (MM7, with MM1 handsets), an RBM endpoint and a
    /// Twilio-shaped upstream. Ordinary numbers are happy; the magic ranges in docs/simulator.md get faults.
    Sim(SimArgs),
    /// Benchmarks that compare against a peer in the same run.
    #[command(subcommand, hide = true)]
    Bench(BenchCommand),
}

#[derive(Debug, Args)]
pub struct DemoArgs {
    /// Stop after the summary instead of serving.
    #[arg(long)]
    pub exit: bool,
    /// Size of the synthetic audience.
    #[arg(long, default_value_t = 100_000)]
    pub contacts: u64,
    /// HTTP address to serve on afterwards [env: CANVASS_HTTP].
    #[arg(long, value_name = "ADDR")]
    pub http: Option<String>,
}

#[derive(Debug, Args)]
pub struct SimArgs {
    /// SMSC (SMPP) listener; "off" disables it.
    #[arg(
        long,
        value_name = "ADDR",
        env = "CANVASS_SIM_SMPP",
        default_value = "127.0.0.1:2776"
    )]
    pub smpp: String,
    /// MMSC (MM7 over HTTP, MM1 fetches, /sim/stats) listener; "off" disables it.
    #[arg(
        long,
        value_name = "ADDR",
        env = "CANVASS_SIM_MM7",
        default_value = "127.0.0.1:8083"
    )]
    pub mm7: String,
    /// RBM endpoint listener; "off" disables it.
    #[arg(
        long,
        value_name = "ADDR",
        env = "CANVASS_SIM_RBM",
        default_value = "127.0.0.1:8084"
    )]
    pub rbm: String,
    /// Twilio-shaped upstream listener; "off" disables it.
    #[arg(
        long,
        value_name = "ADDR",
        env = "CANVASS_SIM_UPSTREAM",
        default_value = "127.0.0.1:8085"
    )]
    pub upstream: String,
    /// Control surface (GET /sim/stats, POST /sim/mo, webhook registration); "off" disables it.
    #[arg(
        long,
        value_name = "ADDR",
        env = "CANVASS_SIM_CONTROL",
        default_value = "127.0.0.1:8086"
    )]
    pub control: String,
    /// Require this system_id / user on binds and HTTP logins (default: any is accepted).
    #[arg(long, requires = "password")]
    pub system_id: Option<String>,
    /// The password that goes with --system-id.
    #[arg(long)]
    pub password: Option<String>,
    /// Milliseconds between accepting a message and sending its receipt.
    #[arg(long, default_value_t = 100)]
    pub receipt_delay_ms: u64,
    /// Milliseconds added before every submit answer (network and carrier latency).
    #[arg(long, default_value_t = 0)]
    pub latency_ms: u64,
    /// Milliseconds the slow personality waits.
    #[arg(long, default_value_t = 2000)]
    pub slow_ms: u64,
    /// Answer every Nth submit on a session with "throttled" (0: never).
    #[arg(long, default_value_t = 0)]
    pub throttle_every: u32,
    /// Submits per second per session before answering "throttled" (0: unlimited).
    #[arg(long, default_value_t = 0)]
    pub rate_limit: u32,
    /// Answer submit_sm with hex message ids while receipts quote them in decimal, as some SMSCs do.
    #[arg(long)]
    pub hex_ids: bool,
    /// Print the listeners as one JSON line when ready.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// all, api, worker or gateway [env: CANVASS_ROLE].
    #[arg(long)]
    pub role: Option<String>,
    /// HTTP listener [env: CANVASS_HTTP; default 127.0.0.1:8080].
    #[arg(long, value_name = "ADDR")]
    pub http: Option<String>,
    /// Wholesale SMPP listener [env: CANVASS_SMPP; default 127.0.0.1:2775].
    #[arg(long, value_name = "ADDR")]
    pub smpp: Option<String>,
    /// Wholesale MM7 listener [env: CANVASS_MM7; default 127.0.0.1:8082].
    #[arg(long, value_name = "ADDR")]
    pub mm7: Option<String>,
    /// NATS JetStream for scale-out queues [env: CANVASS_NATS_URL].
    #[arg(long, value_name = "URL")]
    pub nats_url: Option<String>,
    /// Run the worker's clock as if it were this instant now (RFC 3339), moving on in real time. Quiet hours
    /// follow it. For demos and tests that must send whatever the hour here.
    #[arg(long, value_name = "INSTANT", hide = true)]
    pub clock: Option<jiff::Timestamp>,
}

#[derive(Debug, Subcommand)]
pub enum ConfigCommand {
    /// Validate the configuration and report every problem at once.
    Check {
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum ContactsCommand {
    /// Import a CSV, merging by phone number; bad rows go to a rejects file.
    Import {
        /// The CSV file.
        file: PathBuf,
        /// Map a column to a field: COLUMN=phone|first_name|last_name|street|zip|state|lat|lon|issues|
        /// issue:NAME|opted_out|consent_source|consent_at|consent_evidence|attr:NAME|ignore.
        #[arg(long = "map", value_name = "COLUMN=FIELD")]
        map: Vec<String>,
        /// Cell encoding: auto (UTF-8, else Windows-1252), utf-8 (strict) or latin1.
        #[arg(long, default_value = "auto")]
        encoding: String,
        /// Where rejected rows go [default: FILE.rejects.csv].
        #[arg(long, value_name = "FILE")]
        rejects: Option<PathBuf>,
        /// Print the summary as JSON (and no progress bar).
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum SegmentsCommand {
    /// Count matching contacts. EXPR may be @NAME for a saved segment.
    Count {
        /// The expression.
        expr: String,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// List the first matching contacts.
    Preview {
        /// The expression.
        expr: String,
        /// How many.
        #[arg(long, default_value_t = 20)]
        limit: i64,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Count matching contacts by state or by issue.
    Breakdown {
        /// The expression.
        expr: String,
        /// state or issue.
        #[arg(long, default_value = "state")]
        by: String,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Save a named segment (checked first).
    Save {
        /// Its name.
        name: String,
        /// The expression.
        expr: String,
    },
    /// List saved segments.
    List {
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// List the fields and functions expressions can use.
    Fields,
}

#[derive(Debug, Subcommand)]
pub enum RegionsCommand {
    /// Import a polygon layer; contacts are assigned by point-in-polygon. Re-import replaces the layer.
    Import {
        /// A .geojson/.json file or a .shp (with its .dbf beside it).
        file: PathBuf,
        /// The layer kind, e.g. congressional_district (segments use it as region.KIND).
        #[arg(long)]
        kind: String,
        /// The property or .dbf field holding each region's name.
        #[arg(long)]
        name_field: String,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// List imported layers.
    List {
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum BenchCommand {
    /// Import throughput against SQLite's batched-insert ceiling, and segment count latency.
    Audience {
        /// Rows in the synthetic file.
        #[arg(long, default_value_t = 1_000_000)]
        rows: u64,
        /// Timed runs per segment query.
        #[arg(long, default_value_t = 15)]
        runs: usize,
        /// Also measure segment counts on this PostgreSQL database (a scratch schema is created).
        #[arg(long, value_name = "URL")]
        postgres: Option<String>,
        /// Working folder (kept for inspection) [default: a temporary folder].
        #[arg(long)]
        dir: Option<PathBuf>,
    },
    /// SMPP submit → receipt matched, msgs/s, our connector against Kannel 1.4.5 on the same simulator.
    Smpp {
        /// Messages per configuration (fewer where latency bounds the rate; see --seconds).
        #[arg(long, default_value_t = 10_000)]
        messages: usize,
        /// Simulated SMSC latencies, in milliseconds.
        #[arg(long, value_delimiter = ',', default_value = "0,20")]
        latency_ms: Vec<u64>,
        /// Binds per route.
        #[arg(long, value_delimiter = ',', default_value = "1,4")]
        binds: Vec<usize>,
        /// Windows (submits in flight per bind).
        #[arg(long, value_delimiter = ',', default_value = "1,10,50")]
        window: Vec<usize>,
        /// Target length of a latency-bound run, in seconds.
        #[arg(long, default_value_t = 4.0)]
        seconds: f64,
        /// Measure our connector only.
        #[arg(long)]
        skip_kannel: bool,
    },
    /// Campaign expansion against SQLite's INSERT…SELECT, and personalised SMS and picture MMS end to end
    /// through the simulator against the bare connectors.
    Campaign(BenchCampaignArgs),
}

#[derive(Debug, Args)]
pub struct BenchCampaignArgs {
    /// Synthetic contacts imported (the expansion and SMS audience).
    #[arg(long, default_value_t = 1_000_000)]
    pub contacts: u64,
    /// Picture MMS sent (the first N contacts).
    #[arg(long, default_value_t = 100_000)]
    pub mms: u64,
    /// Expansion runs (the median is reported).
    #[arg(long, default_value_t = 3)]
    pub runs: usize,
    /// Working folder (kept for inspection) [default: a temporary folder].
    #[arg(long)]
    pub dir: Option<PathBuf>,
    /// Run one part only.
    #[arg(long, value_enum)]
    pub only: Option<BenchPart>,
    /// SMPP binds of the SMS route (and of the bare connector it is compared with).
    #[arg(long, default_value_t = 4)]
    pub binds: usize,
    /// SMPP window per bind.
    #[arg(long, default_value_t = 50)]
    pub window: usize,
    /// Print JSON instead of the table.
    #[arg(long)]
    pub json: bool,
}

/// The parts of `canvass bench campaign`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum BenchPart {
    Expansion,
    Sms,
    Mms,
}

#[derive(Debug, Subcommand)]
pub enum MediaCommand {
    /// List the carrier profiles content is adapted to (built-in defaults and operator edits).
    Profiles {
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Adapt a picture, video, sound, vCard or iCal file to a carrier profile; prints JSON facts about the output.
    Adapt(MediaAdaptArgs),
    /// Render a picture or video template with values; results are kept in the blob store. Prints JSON facts.
    Render(MediaRenderArgs),
    /// Remember a handset's limits from an MM7 delivery report (or DeliverReq): fetch the UAProf its
    /// UACapabilities names and store the limits for that number, so `adapt --handset` tightens to them.
    Learn {
        /// The MM7 message (SOAP alone or MIME multipart/related).
        file: PathBuf,
    },
}

/// Where adapted content must fit: a stored profile, a byte budget, or both, optionally tightened by a handset.
#[derive(Debug, Args)]
pub struct MediaTargetArgs {
    /// Carrier profile name (see `canvass media profiles`).
    #[arg(long, value_name = "NAME")]
    pub profile: Option<String>,
    /// Byte budget for the output file; alone, it builds an ad-hoc profile shaped like generic-600k.
    #[arg(long, value_name = "N")]
    pub max_bytes: Option<u64>,
    /// Tighten the profile with the capabilities stored for this number (E.164).
    #[arg(long, value_name = "MSISDN")]
    pub handset: Option<String>,
}

#[derive(Debug, Args)]
pub struct MediaAdaptArgs {
    /// The input file; its type is recognised from its content.
    pub input: PathBuf,
    #[command(flatten)]
    pub target: MediaTargetArgs,
    /// Where to write the adapted file.
    #[arg(short, long, value_name = "OUT")]
    pub output: PathBuf,
}

#[derive(Debug, Args)]
pub struct MediaRenderArgs {
    /// The template: SVG or JSON layer spec (picture), or JSON video template (`body` and `intro`).
    pub template: PathBuf,
    /// A template value, `name=value`; repeat for each field.
    #[arg(long = "var", value_name = "K=V")]
    pub vars: Vec<String>,
    #[command(flatten)]
    pub target: MediaTargetArgs,
    /// Where to copy the rendered file.
    #[arg(short, long, value_name = "OUT")]
    pub output: PathBuf,
}

#[derive(Debug, Subcommand)]
#[allow(clippy::large_enum_variant)] // parsed once per run; the encode flags make some variants large
pub enum MmsCommand {
    /// Print every header and part (type, name, size, sha256) of an MMS PDU as JSON.
    Decode {
        /// The binary PDU.
        file: PathBuf,
    },
    /// Wrap an m-notification-ind in a WAP Push and split it into SMS user data with a UDH (port 2948).
    Push {
        /// The binary m-notification-ind.
        file: PathBuf,
        /// Octets of user data per SMS, UDH included.
        #[arg(long, default_value_t = 140)]
        max_segment: usize,
        /// Concatenation reference.
        #[arg(long, default_value_t = 0)]
        reference: u8,
        /// Folder for segment-NN.ud files.
        #[arg(short, long)]
        output: PathBuf,
    },
    /// Write a binary PDU of any message type from header flags and media files; prints JSON facts.
    Encode(crate::codec_args::MmsEncodeArgs),
}

#[derive(Debug, Subcommand)]
#[allow(clippy::large_enum_variant)] // parsed once per run; the encode flags make some variants large
pub enum Mm7Command {
    /// Print an MM7 message (SOAP alone or MIME multipart/related) as JSON.
    Decode {
        /// The message, with its MIME headers.
        file: PathBuf,
    },
    /// Write an MM7 message (SOAP, plus MIME content) in a chosen schema namespace; prints JSON facts.
    Encode(crate::codec_args::Mm7EncodeArgs),
}

#[derive(Debug, Subcommand)]
pub enum CampaignsCommand {
    /// Check a campaign file and store it as a draft (replacing a draft of the same name); prints the audience,
    /// the variants' shares, previews, SMS segments and MMS sizes.
    Create {
        /// The campaign definition (.toml or .json); media paths are relative to it.
        file: PathBuf,
        /// The campaign's name [default: the file's stem].
        #[arg(long)]
        name: Option<String>,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Launch a draft: freeze its audience and start sending (a worker sends: `canvass serve`, or `--follow`).
    Launch {
        /// Campaign name.
        name: String,
        /// Run a worker here and show progress until the campaign completes.
        #[arg(long)]
        follow: bool,
        /// With --follow: the worker's clock starts at this instant (RFC 3339); for demos and tests.
        #[arg(long, value_name = "INSTANT", hide = true)]
        clock: Option<jiff::Timestamp>,
    },
    /// Where a campaign stands: state, counts by status and variant, its lifecycle log.
    Status {
        /// Campaign name.
        name: String,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Hold a running campaign: nothing more is sent until it is resumed.
    Pause {
        /// Campaign name.
        name: String,
    },
    /// Resume a paused campaign.
    Resume {
        /// Campaign name.
        name: String,
    },
    /// Stop a campaign for good; messages not yet sent are suppressed.
    Cancel {
        /// Campaign name.
        name: String,
    },
    /// Queue test sends of every variant to the campaign's proof list.
    Test {
        /// Campaign name.
        name: String,
    },
    /// List campaigns.
    List {
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum RoutesCommand {
    /// Add or replace a route from a JSON spec (`{"kind":"smpp","address":…}`; see docs/campaigns.md).
    Add {
        /// Route name.
        name: String,
        /// The spec as JSON, or @FILE.
        spec: String,
    },
    /// Add routes to a running `canvass sim` (SMS over SMPP, MMS over MM7, RCS), and point its reports at us.
    Sim {
        /// The simulator's SMSC.
        #[arg(long, default_value = "127.0.0.1:2776")]
        smpp: String,
        /// The simulator's MM7 URL.
        #[arg(long, default_value = "http://127.0.0.1:8083/mm7")]
        mm7: String,
        /// The simulator's RBM base URL.
        #[arg(long, default_value = "http://127.0.0.1:8084")]
        rbm: String,
        /// The simulator's control URL.
        #[arg(long, default_value = "http://127.0.0.1:8086")]
        control: String,
        /// Where our MM7 receiver listens (the simulator posts delivery reports there).
        #[arg(long, default_value = "127.0.0.1:8090")]
        mm7_receiver: String,
        /// Where our RBM webhook listens.
        #[arg(long, default_value = "127.0.0.1:8091")]
        rbm_webhook: String,
        /// Skip these channels (e.g. --without rcs).
        #[arg(long, value_delimiter = ',')]
        without: Vec<String>,
    },
    /// List routes.
    List {
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Remove a route.
    Remove {
        /// Route name.
        name: String,
    },
    /// The route table: ordered rules choosing routes by destination prefix, tenant, channel and carrier.
    #[command(subcommand)]
    Rules(RulesCommand),
}

#[derive(Debug, Subcommand)]
pub enum RulesCommand {
    /// Replace the route table with the rules in FILE (TOML `[[rules]]` tables, or JSON `{"rules": [...]}`).
    /// Every rule is checked, and every route it names must exist. Workers read it when they start.
    Set {
        /// The rules file (.toml or .json).
        file: PathBuf,
    },
    /// Show the route table.
    Show {
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Remove the route table: each message takes the first route that carries its channel.
    Clear,
}

#[derive(Debug, Subcommand)]
pub enum ConsentCommand {
    /// Write the ledger as CSV (phone, kind, source, evidence, at).
    Export {
        /// Output file [default: standard output].
        #[arg(short, long)]
        output: Option<PathBuf>,
        /// Only this number.
        #[arg(long)]
        phone: Option<String>,
    },
    /// Append ledger rows from a CSV written by `export` (or by another system with the same columns).
    Import {
        /// The CSV file.
        file: PathBuf,
    },
}
