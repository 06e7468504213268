//! Arguments of `canvass mms encode` and `canvass mm7 encode`: one flag per header or element, named after
//! it, so that an operator can write any message a peer sends and compare the bytes.

use clap::Args;
use std::path::PathBuf;

/// `canvass mms encode`.
#[derive(Debug, Args)]
#[command(after_help = "\
PARTS: --part FILE takes its media type from the extension (jpg, png, gif, mp4, 3gp, amr, mp3, txt, vcf, …); \
write --part FILE:TYPE (e.g. --part photo.bin:image/jpeg) to give it. Parts are named after their file. \
send-req and retrieve-conf get a multipart/related body whose first part is a generated SMIL slideshow \
(each image or video opens a slide, a text file after it shares the slide).

TIMES: --date and --expiry take RFC 3339 (2026-11-25T10:00:00Z) or, for --date, seconds since 1970; \
--expiry also takes a number of seconds, written as a relative expiry.

DEFAULTS: m-send-req without --from gets the insert-address token (the MMSC fills in the sender); \
m-notification-ind without --message-class is personal. Every other mandatory header must be given: \
the error names the missing flag.")]
pub struct MmsEncodeArgs {
    /// Message type: send-req, notification-ind, retrieve-conf, or any OMA-MMS-ENC 1.3 type
    /// (send-conf, notifyresp-ind, acknowledge-ind, delivery-ind, read-rec-ind, read-orig-ind, …).
    #[arg(long = "type", value_name = "TYPE")]
    pub message_type: String,
    /// X-Mms-MMS-Version: 1.0, 1.1, 1.2 or 1.3.
    #[arg(long, default_value = "1.2", value_name = "VERSION")]
    pub mms_version: String,
    /// X-Mms-Transaction-Id.
    #[arg(long, value_name = "ID")]
    pub transaction_id: Option<String>,
    /// Message-ID.
    #[arg(long, value_name = "ID")]
    pub message_id: Option<String>,
    /// Date: RFC 3339 or seconds since 1970.
    #[arg(long, value_name = "TIME")]
    pub date: Option<String>,
    /// From: a phone number (+1555…, written with /TYPE=PLMN) or an e-mail address.
    #[arg(long, value_name = "ADDRESS")]
    pub from: Option<String>,
    /// To (repeatable).
    #[arg(long, value_name = "ADDRESS")]
    pub to: Vec<String>,
    /// Cc (repeatable).
    #[arg(long, value_name = "ADDRESS")]
    pub cc: Vec<String>,
    /// Bcc (repeatable).
    #[arg(long, value_name = "ADDRESS")]
    pub bcc: Vec<String>,
    /// Subject (UTF-8 is declared when not ASCII).
    #[arg(long, value_name = "TEXT")]
    pub subject: Option<String>,
    /// X-Mms-Message-Class: personal, advertisement, informational, auto, or other text.
    #[arg(long, value_name = "CLASS")]
    pub message_class: Option<String>,
    /// X-Mms-Priority: low, normal or high.
    #[arg(long, value_name = "PRIORITY")]
    pub priority: Option<String>,
    /// X-Mms-Message-Size in octets.
    #[arg(long, value_name = "OCTETS")]
    pub message_size: Option<u64>,
    /// X-Mms-Expiry: RFC 3339 (absolute) or seconds (relative).
    #[arg(long, value_name = "TIME")]
    pub expiry: Option<String>,
    /// X-Mms-Delivery-Report: yes or no.
    #[arg(long, value_name = "YES|NO")]
    pub delivery_report: Option<String>,
    /// X-Mms-Read-Report: yes or no.
    #[arg(long, value_name = "YES|NO")]
    pub read_report: Option<String>,
    /// X-Mms-Content-Location (the URL a notification points at).
    #[arg(long, value_name = "URL")]
    pub content_location: Option<String>,
    /// X-Mms-Status: expired, retrieved, rejected, deferred, unrecognised, indeterminate, forwarded,
    /// unreachable (or a token such as 0x81).
    #[arg(long, value_name = "STATUS")]
    pub status: Option<String>,
    /// X-Mms-Response-Status: ok, or a token such as 0x88.
    #[arg(long, value_name = "STATUS")]
    pub response_status: Option<String>,
    /// X-Mms-Response-Text.
    #[arg(long, value_name = "TEXT")]
    pub response_text: Option<String>,
    /// X-Mms-Retrieve-Status: ok, or a token such as 0xC0.
    #[arg(long, value_name = "STATUS")]
    pub retrieve_status: Option<String>,
    /// X-Mms-Read-Status: read or deleted-without-being-read.
    #[arg(long, value_name = "STATUS")]
    pub read_status: Option<String>,
    /// X-Mms-Store-Status: ok, or a token.
    #[arg(long, value_name = "STATUS")]
    pub store_status: Option<String>,
    /// X-Mms-Cancel-ID (m-cancel-req).
    #[arg(long, value_name = "ID")]
    pub cancel_id: Option<String>,
    /// X-Mms-Cancel-Status: cancel-request-successfully-received or cancel-request-corrupted.
    #[arg(long, value_name = "STATUS")]
    pub cancel_status: Option<String>,
    /// A media part, FILE or FILE:TYPE (repeatable, in order).
    #[arg(long, value_name = "FILE[:TYPE]")]
    pub part: Vec<String>,
    /// How long each slide of the generated SMIL shows, in milliseconds.
    #[arg(long, default_value_t = 5000, value_name = "MS")]
    pub slide_ms: u32,
    /// Where to write the binary PDU.
    #[arg(short, long, value_name = "FILE")]
    pub output: PathBuf,
}

/// `canvass mm7 encode`.
#[derive(Debug, Args)]
#[command(after_help = "\
ADDRESSES: an address with @ is an RFC2822Address, one of at most 6 digits a ShortCode, anything else a Number.

CONTENT: --part FILE[:TYPE] as for `mms encode`. One part is sent as it is; several become a \
multipart/related with a generated SMIL first. The SOAP Content element refers to it by cid:.

SCHEMAS: the writer only writes elements that --namespace defines (REL-5-MM7-1-0 … REL-6-MM7-1-4). \
A field introduced in a later schema is refused, naming the element and the first namespace that has it; \
--drop-unsupported leaves such fields out instead and lists them under \"dropped\".

OUTPUT: a MIME entity (MIME-Version and Content-Type headers, then the HTTP body) when there is content, \
else the bare SOAP envelope: both are what `canvass mm7 decode` reads. The JSON gives the HTTP Content-Type.")]
pub struct Mm7EncodeArgs {
    /// Message: submit-req, submit-rsp, deliver-req, deliver-rsp, delivery-report-req, delivery-report-rsp,
    /// read-reply-req, read-reply-rsp, cancel-req, cancel-rsp, replace-req, replace-rsp, rs-error-rsp,
    /// vasp-error-rsp.
    #[arg(
        long = "type",
        value_name = "TYPE",
        required_unless_present = "message_json"
    )]
    pub message_type: Option<String>,
    /// Take the message fields from JSON instead of flags: the `message` object that `canvass mm7 decode`
    /// prints (or its whole output). Its TransactionID is used unless --transaction-id is given.
    #[arg(long, value_name = "FILE", conflicts_with = "message_type")]
    pub message_json: Option<PathBuf>,
    /// Schema namespace: REL-5-MM7-1-0 … REL-5-MM7-1-5, REL-6-MM7-1-0 … REL-6-MM7-1-4 (or its URI).
    #[arg(long, default_value = "REL-6-MM7-1-4", value_name = "NAMESPACE")]
    pub namespace: String,
    /// MM7Version [default: the namespace's usual one, e.g. 6.8.0].
    #[arg(long, value_name = "X.Y.Z")]
    pub mm7_version: Option<String>,
    /// TransactionID in the SOAP header.
    #[arg(long, value_name = "ID")]
    pub transaction_id: Option<String>,
    /// Leave out fields the namespace's schema does not define, instead of refusing.
    #[arg(long)]
    pub drop_unsupported: bool,
    /// VASPID.
    #[arg(long, value_name = "ID")]
    pub vasp_id: Option<String>,
    /// VASID.
    #[arg(long, value_name = "ID")]
    pub vas_id: Option<String>,
    /// SenderAddress (submit-req, cancel-req) or Sender (deliver-req, reports).
    #[arg(long, value_name = "ADDRESS")]
    pub sender: Option<String>,
    /// Recipients/To (repeatable).
    #[arg(long, value_name = "ADDRESS")]
    pub to: Vec<String>,
    /// Recipients/Cc (repeatable).
    #[arg(long, value_name = "ADDRESS")]
    pub cc: Vec<String>,
    /// Recipients/Bcc (repeatable).
    #[arg(long, value_name = "ADDRESS")]
    pub bcc: Vec<String>,
    /// Recipient of a delivery report or read reply.
    #[arg(long, value_name = "ADDRESS")]
    pub recipient: Option<String>,
    /// MessageID.
    #[arg(long, value_name = "ID")]
    pub message_id: Option<String>,
    /// LinkedID.
    #[arg(long, value_name = "ID")]
    pub linked_id: Option<String>,
    /// ServiceCode.
    #[arg(long, value_name = "CODE")]
    pub service_code: Option<String>,
    /// MMSRelayServerID.
    #[arg(long, value_name = "ID")]
    pub relay_server_id: Option<String>,
    /// Subject.
    #[arg(long, value_name = "TEXT")]
    pub subject: Option<String>,
    /// MessageClass: Personal, Informational, Advertisement or Auto.
    #[arg(long, value_name = "CLASS")]
    pub message_class: Option<String>,
    /// Priority: Low, Normal or High.
    #[arg(long, value_name = "PRIORITY")]
    pub priority: Option<String>,
    /// TimeStamp (ISO 8601).
    #[arg(long, value_name = "TIME")]
    pub time_stamp: Option<String>,
    /// Date of a delivery report (ISO 8601).
    #[arg(long, value_name = "TIME")]
    pub date: Option<String>,
    /// ExpiryDate (ISO 8601 absolute or relative, e.g. P2D).
    #[arg(long, value_name = "TIME")]
    pub expiry_date: Option<String>,
    /// EarliestDeliveryTime (ISO 8601 absolute or relative).
    #[arg(long, value_name = "TIME")]
    pub earliest_delivery_time: Option<String>,
    /// DeliveryReport: true or false.
    #[arg(long, value_name = "BOOL")]
    pub delivery_report: Option<bool>,
    /// ReadReply: true or false.
    #[arg(long, value_name = "BOOL")]
    pub read_reply: Option<bool>,
    /// DistributionIndicator: true or false.
    #[arg(long, value_name = "BOOL")]
    pub distribution_indicator: Option<bool>,
    /// ChargedParty: Sender, Recipient, Both, Neither or ThirdParty.
    #[arg(long, value_name = "PARTY")]
    pub charged_party: Option<String>,
    /// ChargedPartyID.
    #[arg(long, value_name = "ID")]
    pub charged_party_id: Option<String>,
    /// DeliveryCondition/DC (repeatable).
    #[arg(long, value_name = "N")]
    pub delivery_condition: Vec<u32>,
    /// ApplicID.
    #[arg(long, value_name = "ID")]
    pub applic_id: Option<String>,
    /// ReplyApplicID.
    #[arg(long, value_name = "ID")]
    pub reply_applic_id: Option<String>,
    /// AuxApplicInfo.
    #[arg(long, value_name = "TEXT")]
    pub aux_applic_info: Option<String>,
    /// ContentClass (text, image-basic, …).
    #[arg(long, value_name = "CLASS")]
    pub content_class: Option<String>,
    /// DRMContent: true or false.
    #[arg(long, value_name = "BOOL")]
    pub drm_content: Option<bool>,
    /// MMStatus of a delivery report or read reply (Retrieved, Expired, Rejected, Read, Deleted, …).
    #[arg(long, value_name = "STATUS")]
    pub mm_status: Option<String>,
    /// MMStatusExtension of a delivery report.
    #[arg(long, value_name = "TEXT")]
    pub mm_status_extension: Option<String>,
    /// StatusCode of a response (1000 success, 2xxx client, 3xxx server, 4xxx service errors).
    #[arg(long, value_name = "CODE")]
    pub status_code: Option<u16>,
    /// StatusText of a response [default: the code's description], or of a report.
    #[arg(long, value_name = "TEXT")]
    pub status_text: Option<String>,
    /// Details of a response's Status.
    #[arg(long, value_name = "TEXT")]
    pub details: Option<String>,
    /// A content part, FILE or FILE:TYPE (repeatable, in order).
    #[arg(long, value_name = "FILE[:TYPE]")]
    pub part: Vec<String>,
    /// Where to write the message.
    #[arg(short, long, value_name = "FILE")]
    pub output: PathBuf,
}
