//! Arguments of the tenant commands: accounts, numbers, API keys and Messaging Services.

use clap::Subcommand;

#[derive(Debug, Subcommand)]
pub enum AccountsCommand {
    /// Create an account; prints its sid and auth token (shown once).
    Create {
        /// A friendly name.
        name: String,
        /// The agency account that owns it (AC…).
        #[arg(long, value_name = "AC…")]
        parent: Option<String>,
        /// Print `{"account_sid","auth_token"}`.
        #[arg(long)]
        json: bool,
    },
    /// List accounts, or the sub-accounts of one.
    List {
        /// Only the sub-accounts of this account.
        #[arg(long, value_name = "AC…")]
        parent: Option<String>,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum NumbersCommand {
    /// Register a sender number (E.164) to an account.
    Add {
        /// The number, e.g. +12025550100.
        phone: String,
        /// The account that owns it.
        #[arg(long, value_name = "AC…")]
        account: String,
        /// Where messages sent to it are posted (Twilio's SmsUrl); again for a registered number changes it.
        #[arg(long, value_name = "URL")]
        sms_url: Option<String>,
    },
    /// List an account's numbers.
    List {
        /// The account.
        #[arg(long, value_name = "AC…")]
        account: String,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum KeysCommand {
    /// Create an API key; prints its sid and secret (shown once).
    Create {
        /// The account it acts for.
        #[arg(long, value_name = "AC…")]
        account: String,
        /// Scopes: send, read, manage-audience, manage-campaigns, admin (comma-separated or repeated).
        #[arg(long, required = true, value_delimiter = ',')]
        scope: Vec<String>,
        /// A friendly name.
        #[arg(long, default_value = "")]
        name: String,
        /// Print `{"sid","secret","scopes"}`.
        #[arg(long)]
        json: bool,
    },
    /// List an account's live keys (never their secrets).
    List {
        /// The account.
        #[arg(long, value_name = "AC…")]
        account: String,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Revoke a key.
    Revoke {
        /// The account.
        #[arg(long, value_name = "AC…")]
        account: String,
        /// The key (SK…).
        key: String,
    },
}

#[derive(Debug, Subcommand)]
pub enum ServicesCommand {
    /// Create a Messaging Service with a pool of the account's numbers; prints its sid.
    Create {
        /// A friendly name.
        name: String,
        /// The account.
        #[arg(long, value_name = "AC…")]
        account: String,
        /// Sender numbers of the account (comma-separated or repeated).
        #[arg(long = "number", value_delimiter = ',')]
        numbers: Vec<String>,
        /// Keep each recipient on one sender.
        #[arg(long)]
        sticky_sender: bool,
        /// Prefer a sender in the recipient's area code.
        #[arg(long)]
        area_code_geomatch: bool,
        /// The default status callback of its messages.
        #[arg(long, value_name = "URL")]
        status_callback: Option<String>,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// List an account's services.
    List {
        /// The account.
        #[arg(long, value_name = "AC…")]
        account: String,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
}
