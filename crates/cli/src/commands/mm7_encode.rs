//! `canvass mm7 encode`: any MM7 message from flags, written by the mm7 crate's strict writer in the chosen
//! namespace, in the form `canvass mm7 decode` reads back.

use crate::codec_args::Mm7EncodeArgs;
use crate::output;
use anyhow::{Context, bail};
use canvass_mm7::{
    Address, AddressKind, ApplicationIds, Body, CancelReq, ChargedParty, ContentRef, DeliverReq,
    DeliverRsp, DeliveryReportReq, Envelope, MessageClass, MmStatus, Namespace, Part, Priority,
    ReadReplyReq, Recipients, ReplaceReq, RsErrorRsp, SenderIdentification, Status, StatusCode,
    StatusRsp, SubmitReq, SubmitRsp, VaspErrorRsp,
};
use std::path::Path;
use std::process::ExitCode;

/// Content-ID of the content root that the SOAP `Content href` names.
const CONTENT_ID: &str = "content@canvass";

pub fn run(args: Mm7EncodeArgs) -> anyhow::Result<ExitCode> {
    let mut envelope = build(&args)?;
    let dropped = if args.drop_unsupported {
        envelope.drop_unsupported()
    } else {
        Vec::new()
    };
    let written = canvass_mm7::encode(&envelope).context("cannot write the MM7 message")?;
    // A message with content is a MIME entity; one without is the bare SOAP envelope. `mm7 decode` reads both.
    let bytes = if envelope.content.is_some() {
        written.to_mime_entity()
    } else {
        written.body.clone()
    };
    std::fs::write(&args.output, &bytes)
        .with_context(|| format!("cannot write {}", args.output.display()))?;
    let description = canvass_mm7::describe(&envelope);
    output::json(&serde_json::json!({
        "file": args.output.display().to_string(),
        "type": envelope.body.element_name(),
        "namespace": envelope.namespace.name(),
        "mm7_version": description.mm7_version,
        "content_type": written.content_type,
        "http_body_bytes": written.body.len(),
        "bytes": bytes.len(),
        "sha256": canvass_mms::describe::sha256_hex(&bytes),
        "dropped": dropped,
        "content": description.content,
    }))?;
    Ok(ExitCode::SUCCESS)
}

fn build(args: &Mm7EncodeArgs) -> anyhow::Result<Envelope> {
    let namespace = Namespace::from_uri(&args.namespace);
    if let Namespace::Other(uri) = &namespace {
        anyhow::ensure!(
            uri.contains(':'),
            "--namespace {uri:?} is not REL-5-MM7-1-0 … REL-5-MM7-1-5, REL-6-MM7-1-0 … REL-6-MM7-1-4, nor a URI"
        );
    }
    let parts = super::mms_encode::read_parts(&args.part)?;
    let has_content = !parts.is_empty();
    let content_ref = has_content.then(|| ContentRef::cid(CONTENT_ID));
    let (body, json_transaction_id) = match (&args.message_json, &args.message_type) {
        (Some(file), _) => {
            check_flags("json", "--message-json (the file gives every field)", args)?;
            from_json(file, content_ref)?
        }
        (None, Some(kind)) => (body(kind, args, content_ref)?, None),
        (None, None) => bail!("give --type or --message-json"),
    };
    let transaction_id = match (&args.transaction_id, json_transaction_id) {
        (Some(id), _) => id.clone(),
        (None, Some(id)) => id,
        (None, None) => bail!("this message needs --transaction-id"),
    };
    anyhow::ensure!(
        !has_content || body.carries_content(),
        "{} carries no content, so --part does not apply",
        body.element_name()
    );
    let mut envelope = Envelope::new(transaction_id, namespace, body);
    if let Some(version) = &args.mm7_version {
        envelope.mm7_version = version.clone();
    }
    if has_content {
        envelope.content = Some(content(parts, 5000));
    }
    Ok(envelope)
}

fn required<'a>(value: &'a Option<String>, flag: &str) -> anyhow::Result<&'a str> {
    value
        .as_deref()
        .with_context(|| format!("this message needs {flag}"))
}

/// `@` makes an RFC2822Address, up to 6 digits a ShortCode, anything else a Number.
fn address(text: &str) -> Address {
    let text = text.trim();
    let kind = if text.contains('@') {
        AddressKind::Rfc2822
    } else if text.len() <= 6 && text.bytes().all(|b| b.is_ascii_digit()) {
        AddressKind::ShortCode
    } else {
        AddressKind::Number
    };
    Address::new(kind, text)
}

fn required_address(value: &Option<String>, flag: &str) -> anyhow::Result<Address> {
    Ok(address(required(value, flag)?))
}

fn recipients(args: &Mm7EncodeArgs) -> Recipients {
    let list = |texts: &[String]| texts.iter().map(|t| address(t)).collect();
    Recipients {
        to: list(&args.to),
        cc: list(&args.cc),
        bcc: list(&args.bcc),
    }
}

fn application(args: &Mm7EncodeArgs) -> ApplicationIds {
    ApplicationIds {
        applic_id: args.applic_id.clone(),
        reply_applic_id: args.reply_applic_id.clone(),
        aux_applic_info: args.aux_applic_info.clone(),
    }
}

fn status(args: &Mm7EncodeArgs) -> anyhow::Result<Status> {
    let code = args
        .status_code
        .context("a response needs --status-code (1000 is success)")?;
    let mut status = Status::new(StatusCode::from(code));
    if let Some(text) = &args.status_text {
        status.text = text.clone();
    }
    status.details = args.details.clone();
    Ok(status)
}

fn mm_status(args: &Mm7EncodeArgs) -> anyhow::Result<MmStatus> {
    Ok(MmStatus::parse(required(&args.mm_status, "--mm-status")?))
}

/// The message of a JSON file (a `mm7 decode` output or its `message` object), and its TransactionID. Parts
/// given with --part replace the content it refers to.
fn from_json(file: &Path, content: Option<ContentRef>) -> anyhow::Result<(Body, Option<String>)> {
    let text =
        std::fs::read_to_string(file).with_context(|| format!("cannot read {}", file.display()))?;
    let json: serde_json::Value =
        serde_json::from_str(&text).with_context(|| format!("{} is not JSON", file.display()))?;
    let transaction_id = json["transaction_id"].as_str().map(str::to_owned);
    let message = json.get("message").cloned().unwrap_or(json);
    let mut body: Body = serde_json::from_value(message)
        .with_context(|| format!("{} does not hold an MM7 message", file.display()))?;
    if content.is_some() {
        match &mut body {
            Body::SubmitReq(m) => m.content = content,
            Body::DeliverReq(m) => m.content = content,
            Body::ReplaceReq(m) => m.content = content,
            _ => {}
        }
    }
    Ok((body, transaction_id))
}

fn body(kind: &str, args: &Mm7EncodeArgs, content: Option<ContentRef>) -> anyhow::Result<Body> {
    let message_type = kind;
    let kind: String = kind
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .collect::<String>()
        .to_ascii_lowercase();
    check_flags(&kind, &format!("--type {message_type}"), args)?;
    let sender_identification = SenderIdentification {
        vasp_id: args.vasp_id.clone(),
        vas_id: args.vas_id.clone(),
        sender_address: args.sender.as_deref().map(address),
    };
    Ok(match kind.as_str() {
        "submitreq" => {
            let recipients = recipients(args);
            anyhow::ensure!(
                !recipients.is_empty(),
                "submit-req needs --to, --cc or --bcc"
            );
            Body::SubmitReq(SubmitReq {
                sender_identification,
                recipients,
                service_code: args.service_code.clone(),
                linked_id: args.linked_id.clone(),
                message_class: args.message_class.as_deref().map(MessageClass::parse),
                time_stamp: args.time_stamp.clone(),
                reply_charging: None,
                earliest_delivery_time: args.earliest_delivery_time.clone(),
                expiry_date: args.expiry_date.clone(),
                delivery_report: args.delivery_report,
                read_reply: args.read_reply,
                priority: args.priority.as_deref().map(Priority::parse),
                subject: args.subject.clone(),
                charged_party: args.charged_party.as_deref().map(ChargedParty::parse),
                charged_party_id: args.charged_party_id.clone(),
                distribution_indicator: args.distribution_indicator,
                delivery_condition: args.delivery_condition.clone(),
                application: application(args),
                content_class: args.content_class.clone(),
                drm_content: args.drm_content,
                content,
            })
        }
        "deliverreq" => {
            let recipients = recipients(args);
            let mut deliver = DeliverReq::new(required_address(&args.sender, "--sender")?);
            deliver.relay_server_id = args.relay_server_id.clone();
            deliver.vasp_id = args.vasp_id.clone();
            deliver.vas_id = args.vas_id.clone();
            deliver.linked_id = args.linked_id.clone();
            deliver.recipients = (!recipients.is_empty()).then_some(recipients);
            deliver.time_stamp = args.time_stamp.clone();
            deliver.priority = args.priority.as_deref().map(Priority::parse);
            deliver.subject = args.subject.clone();
            deliver.application = application(args);
            deliver.content = content;
            Body::DeliverReq(deliver)
        }
        "deliveryreportreq" => Body::DeliveryReportReq(DeliveryReportReq {
            relay_server_id: args.relay_server_id.clone(),
            message_id: required(&args.message_id, "--message-id")?.to_owned(),
            recipient: required_address(&args.recipient, "--recipient")?,
            sender: required_address(&args.sender, "--sender")?,
            date: required(&args.date, "--date")?.to_owned(),
            mm_status: mm_status(args)?,
            mm_status_extension: args.mm_status_extension.clone(),
            status_text: args.status_text.clone(),
            application: application(args),
            ua_capabilities: None,
        }),
        "readreplyreq" => Body::ReadReplyReq(ReadReplyReq {
            relay_server_id: args.relay_server_id.clone(),
            message_id: required(&args.message_id, "--message-id")?.to_owned(),
            recipient: required_address(&args.recipient, "--recipient")?,
            sender: required_address(&args.sender, "--sender")?,
            time_stamp: required(&args.time_stamp, "--time-stamp")?.to_owned(),
            mm_status: mm_status(args)?,
            status_text: args.status_text.clone(),
            application: application(args),
        }),
        "cancelreq" => Body::CancelReq(CancelReq {
            sender_identification,
            message_id: required(&args.message_id, "--message-id")?.to_owned(),
        }),
        "replacereq" => {
            let mut replace = ReplaceReq::new(required(&args.message_id, "--message-id")?);
            replace.sender_identification = sender_identification;
            replace.service_code = args.service_code.clone();
            replace.time_stamp = args.time_stamp.clone();
            replace.earliest_delivery_time = args.earliest_delivery_time.clone();
            replace.read_reply = args.read_reply;
            replace.distribution_indicator = args.distribution_indicator;
            replace.content_class = args.content_class.clone();
            replace.drm_content = args.drm_content;
            replace.content = content;
            Body::ReplaceReq(replace)
        }
        "submitrsp" => Body::SubmitRsp(SubmitRsp {
            status: status(args)?,
            message_id: args.message_id.clone(),
        }),
        "deliverrsp" => Body::DeliverRsp(DeliverRsp {
            status: status(args)?,
            service_code: args.service_code.clone(),
        }),
        "deliveryreportrsp" => Body::DeliveryReportRsp(StatusRsp {
            status: status(args)?,
        }),
        "readreplyrsp" => Body::ReadReplyRsp(StatusRsp {
            status: status(args)?,
        }),
        "cancelrsp" => Body::CancelRsp(StatusRsp {
            status: status(args)?,
        }),
        "replacersp" => Body::ReplaceRsp(StatusRsp {
            status: status(args)?,
        }),
        "rserrorrsp" => Body::RsErrorRsp(RsErrorRsp {
            relay_server_id: args.relay_server_id.clone(),
            status: status(args)?,
        }),
        "vasperrorrsp" => Body::VaspErrorRsp(VaspErrorRsp {
            vasp_id: args.vasp_id.clone(),
            vas_id: args.vas_id.clone(),
            status: status(args)?,
        }),
        _ => bail!(
            "--type {message_type:?} is not an MM7 message; use submit-req, submit-rsp, deliver-req, \
             deliver-rsp, delivery-report-req, delivery-report-rsp, read-reply-req, read-reply-rsp, \
             cancel-req, cancel-rsp, replace-req, replace-rsp, rs-error-rsp or vasp-error-rsp"
        ),
    })
}

/// One file is the content as it is; several become the same SMIL slideshow `mms encode` writes, as a
/// MIME multipart/related.
fn content(mut attachments: Vec<canvass_mms::compose::Attachment>, slide_ms: u32) -> Part {
    if attachments.len() == 1 {
        let only = attachments.remove(0);
        let charset = only.media_type.starts_with("text/").then_some("utf-8");
        let mut part = Part::data(only.media_type, only.data)
            .with_name(only.name.clone())
            .with_location(only.name)
            .with_content_id(CONTENT_ID);
        part.charset = charset.map(str::to_owned);
        return part;
    }
    let slideshow = canvass_mms::compose::slideshow(attachments, slide_ms);
    let wsp_parts = match slideshow.content {
        canvass_mms::Content::Parts(parts) => parts,
        canvass_mms::Content::Single(_) => Vec::new(),
    };
    let parts = wsp_parts
        .into_iter()
        .map(|p| {
            let media_type = p.content_type.media_type();
            let charset = (media_type.starts_with("text/") || media_type == "application/smil")
                .then(|| "utf-8".to_owned());
            let mut part = Part::data(media_type, p.data.clone());
            part.charset = charset;
            part.name = p.name();
            part.content_id = p
                .content_id()
                .map(|id| id.trim_start_matches('<').trim_end_matches('>').to_owned());
            part.content_location = p.content_location().map(str::to_owned);
            part
        })
        .collect();
    Part::related(parts).with_content_id(CONTENT_ID)
}

/// Refuses flags that the message type has no element for, rather than ignoring them.
/// `what` names the source of the message in the error. Kind `json` allows no field flags at all.
fn check_flags(kind: &str, what: &str, args: &Mm7EncodeArgs) -> anyhow::Result<()> {
    let set = [
        ("--vasp-id", args.vasp_id.is_some()),
        ("--vas-id", args.vas_id.is_some()),
        ("--sender", args.sender.is_some()),
        ("--to", !args.to.is_empty()),
        ("--cc", !args.cc.is_empty()),
        ("--bcc", !args.bcc.is_empty()),
        ("--recipient", args.recipient.is_some()),
        ("--message-id", args.message_id.is_some()),
        ("--linked-id", args.linked_id.is_some()),
        ("--service-code", args.service_code.is_some()),
        ("--relay-server-id", args.relay_server_id.is_some()),
        ("--subject", args.subject.is_some()),
        ("--message-class", args.message_class.is_some()),
        ("--priority", args.priority.is_some()),
        ("--time-stamp", args.time_stamp.is_some()),
        ("--date", args.date.is_some()),
        ("--expiry-date", args.expiry_date.is_some()),
        (
            "--earliest-delivery-time",
            args.earliest_delivery_time.is_some(),
        ),
        ("--delivery-report", args.delivery_report.is_some()),
        ("--read-reply", args.read_reply.is_some()),
        (
            "--distribution-indicator",
            args.distribution_indicator.is_some(),
        ),
        ("--charged-party", args.charged_party.is_some()),
        ("--charged-party-id", args.charged_party_id.is_some()),
        ("--delivery-condition", !args.delivery_condition.is_empty()),
        ("--applic-id", args.applic_id.is_some()),
        ("--reply-applic-id", args.reply_applic_id.is_some()),
        ("--aux-applic-info", args.aux_applic_info.is_some()),
        ("--content-class", args.content_class.is_some()),
        ("--drm-content", args.drm_content.is_some()),
        ("--mm-status", args.mm_status.is_some()),
        ("--mm-status-extension", args.mm_status_extension.is_some()),
        ("--status-code", args.status_code.is_some()),
        ("--status-text", args.status_text.is_some()),
        ("--details", args.details.is_some()),
    ];
    const APPLICATION: [&str; 3] = ["--applic-id", "--reply-applic-id", "--aux-applic-info"];
    const STATUS: [&str; 3] = ["--status-code", "--status-text", "--details"];
    let allowed: Vec<&str> = match kind {
        "submitreq" => [
            "--vasp-id",
            "--vas-id",
            "--sender",
            "--to",
            "--cc",
            "--bcc",
            "--linked-id",
            "--service-code",
            "--subject",
            "--message-class",
            "--priority",
            "--time-stamp",
            "--expiry-date",
            "--earliest-delivery-time",
            "--delivery-report",
            "--read-reply",
            "--distribution-indicator",
            "--charged-party",
            "--charged-party-id",
            "--delivery-condition",
            "--content-class",
            "--drm-content",
        ]
        .into_iter()
        .chain(APPLICATION)
        .collect(),
        "deliverreq" => [
            "--relay-server-id",
            "--vasp-id",
            "--vas-id",
            "--linked-id",
            "--sender",
            "--to",
            "--cc",
            "--bcc",
            "--time-stamp",
            "--priority",
            "--subject",
        ]
        .into_iter()
        .chain(APPLICATION)
        .collect(),
        "deliveryreportreq" => [
            "--relay-server-id",
            "--message-id",
            "--recipient",
            "--sender",
            "--date",
            "--mm-status",
            "--mm-status-extension",
            "--status-text",
        ]
        .into_iter()
        .chain(APPLICATION)
        .collect(),
        "readreplyreq" => [
            "--relay-server-id",
            "--message-id",
            "--recipient",
            "--sender",
            "--time-stamp",
            "--mm-status",
            "--status-text",
        ]
        .into_iter()
        .chain(APPLICATION)
        .collect(),
        "cancelreq" => vec!["--vasp-id", "--vas-id", "--sender", "--message-id"],
        "replacereq" => vec![
            "--vasp-id",
            "--vas-id",
            "--sender",
            "--message-id",
            "--service-code",
            "--time-stamp",
            "--earliest-delivery-time",
            "--read-reply",
            "--distribution-indicator",
            "--content-class",
            "--drm-content",
        ],
        "submitrsp" => STATUS.into_iter().chain(["--message-id"]).collect(),
        "deliverrsp" => STATUS.into_iter().chain(["--service-code"]).collect(),
        "rserrorrsp" => STATUS.into_iter().chain(["--relay-server-id"]).collect(),
        "vasperrorrsp" => STATUS
            .into_iter()
            .chain(["--vasp-id", "--vas-id"])
            .collect(),
        "deliveryreportrsp" | "readreplyrsp" | "cancelrsp" | "replacersp" => STATUS.to_vec(),
        "json" => Vec::new(),
        _ => return Ok(()), // The caller names the unknown type.
    };
    let stray: Vec<&str> = set
        .iter()
        .filter(|(flag, given)| *given && !allowed.contains(flag))
        .map(|(flag, _)| *flag)
        .collect();
    anyhow::ensure!(
        stray.is_empty(),
        "{what} has no element for {}",
        stray.join(", ")
    );
    Ok(())
}
