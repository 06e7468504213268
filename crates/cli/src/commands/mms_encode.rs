//! `canvass mms encode`: any MMS PDU from header flags and media files, through the mms crate's compose
//! helpers (addresses, text values, SMIL slideshow), checked against the mandatory fields of its type.

use crate::codec_args::MmsEncodeArgs;
use crate::output;
use anyhow::{Context, bail};
use canvass_mms::compose::{self, Attachment};
use canvass_mms::field::code;
use canvass_mms::{Body, MessageType, Pdu, Time, Value};
use std::path::Path;
use std::process::ExitCode;

/// The flag that sets each header, for errors about missing mandatory fields.
const FLAGS: &[(u8, &str)] = &[
    (code::TRANSACTION_ID, "--transaction-id"),
    (code::MESSAGE_ID, "--message-id"),
    (code::DATE, "--date"),
    (code::FROM, "--from"),
    (code::TO, "--to"),
    (code::MESSAGE_CLASS, "--message-class"),
    (code::MESSAGE_SIZE, "--message-size"),
    (code::EXPIRY, "--expiry"),
    (code::CONTENT_LOCATION, "--content-location"),
    (code::CONTENT_TYPE, "--part"),
    (code::STATUS, "--status"),
    (code::RESPONSE_STATUS, "--response-status"),
    (code::READ_STATUS, "--read-status"),
    (code::STORE_STATUS, "--store-status"),
    (code::CANCEL_ID, "--cancel-id"),
    (code::CANCEL_STATUS, "--cancel-status"),
];

pub fn run(args: MmsEncodeArgs) -> anyhow::Result<ExitCode> {
    let pdu = build(&args)?;
    let bytes = canvass_mms::encode(&pdu).context("cannot encode the PDU")?;
    std::fs::write(&args.output, &bytes)
        .with_context(|| format!("cannot write {}", args.output.display()))?;
    let description = canvass_mms::describe(&pdu);
    output::json(&serde_json::json!({
        "file": args.output.display().to_string(),
        "message_type": description.message_type,
        "version": description.version,
        "bytes": bytes.len(),
        "sha256": canvass_mms::describe::sha256_hex(&bytes),
        "content_type": description.content_type,
        "parts": description.parts,
    }))?;
    Ok(ExitCode::SUCCESS)
}

/// Builds the PDU: the three leading headers, the others in the order of OMA-MMS-ENC's tables, then the body.
fn build(args: &MmsEncodeArgs) -> anyhow::Result<Pdu> {
    let Some(message_type) = MessageType::from_name(&args.message_type) else {
        let names: Vec<&str> = canvass_mms::MESSAGE_TYPES
            .iter()
            .map(|(_, name, _)| name.trim_start_matches("m-"))
            .collect();
        bail!(
            "--type {:?} is not an MMS message type; use one of {}",
            args.message_type,
            names.join(", ")
        );
    };
    let version = parse_version(&args.mms_version)?;
    let mut pdu = Pdu::new(message_type, args.transaction_id.as_deref(), version);
    let mut add = |field: u8, value: Option<Value>| {
        if let Some(value) = value {
            pdu.headers.push(canvass_mms::Header::new(field, value));
        }
    };
    add(code::MESSAGE_ID, args.message_id.clone().map(Value::Text));
    add(
        code::DATE,
        args.date
            .as_deref()
            .map(|d| absolute("--date", d))
            .transpose()?
            .map(Value::Long),
    );
    let from = match (&args.from, message_type) {
        (Some(address), _) => Some(Value::From(Some(compose::address(address)))),
        (None, MessageType::SendReq) => Some(Value::From(None)),
        (None, _) => None,
    };
    add(code::FROM, from);
    for (field, list) in [
        (code::TO, &args.to),
        (code::CC, &args.cc),
        (code::BCC, &args.bcc),
    ] {
        for address in list {
            add(field, Some(Value::Encoded(compose::address(address))));
        }
    }
    add(
        code::SUBJECT,
        args.subject
            .as_deref()
            .map(|s| Value::Encoded(compose::text(s))),
    );
    let class = match (&args.message_class, message_type) {
        (Some(class), _) => Some(message_class(class)),
        (None, MessageType::NotificationInd) => Some(Value::Octet(0x80)),
        (None, _) => None,
    };
    add(code::MESSAGE_CLASS, class);
    add(
        code::PRIORITY,
        token(code::PRIORITY, "--priority", &args.priority)?,
    );
    add(code::MESSAGE_SIZE, args.message_size.map(Value::Long));
    add(
        code::EXPIRY,
        args.expiry.as_deref().map(expiry).transpose()?,
    );
    add(
        code::DELIVERY_REPORT,
        token(
            code::DELIVERY_REPORT,
            "--delivery-report",
            &args.delivery_report,
        )?,
    );
    add(
        code::READ_REPORT,
        token(code::READ_REPORT, "--read-report", &args.read_report)?,
    );
    add(
        code::CONTENT_LOCATION,
        args.content_location.clone().map(Value::Text),
    );
    add(code::STATUS, token(code::STATUS, "--status", &args.status)?);
    add(
        code::RESPONSE_STATUS,
        token(
            code::RESPONSE_STATUS,
            "--response-status",
            &args.response_status,
        )?,
    );
    add(
        code::RESPONSE_TEXT,
        args.response_text
            .as_deref()
            .map(|t| Value::Encoded(compose::text(t))),
    );
    add(
        code::RETRIEVE_STATUS,
        token(
            code::RETRIEVE_STATUS,
            "--retrieve-status",
            &args.retrieve_status,
        )?,
    );
    add(
        code::READ_STATUS,
        token(code::READ_STATUS, "--read-status", &args.read_status)?,
    );
    add(
        code::STORE_STATUS,
        token(code::STORE_STATUS, "--store-status", &args.store_status)?,
    );
    add(code::CANCEL_ID, args.cancel_id.clone().map(Value::Text));
    add(
        code::CANCEL_STATUS,
        token(code::CANCEL_STATUS, "--cancel-status", &args.cancel_status)?,
    );
    if !args.part.is_empty() {
        anyhow::ensure!(
            message_type.has_body(),
            "{} carries no body, so --part does not apply",
            message_type.name()
        );
        let attachments = read_parts(&args.part)?;
        pdu = pdu.with_body(body(message_type, attachments, args.slide_ms));
    }
    let mut missing: Vec<String> = pdu
        .missing_fields()
        .iter()
        .map(|name| {
            let flag = canvass_mms::field::code_of(name)
                .and_then(|c| FLAGS.iter().find(|(f, _)| *f == c))
                .map_or("?", |(_, flag)| flag);
            format!("{flag} ({name})")
        })
        .collect();
    // Clause 6.1.1 and 6.5.1: at least one recipient, in any of To, Cc and Bcc.
    let needs_recipient = matches!(message_type, MessageType::SendReq | MessageType::ForwardReq);
    if needs_recipient && args.to.is_empty() && args.cc.is_empty() && args.bcc.is_empty() {
        missing.push("--to, --cc or --bcc (a recipient)".to_owned());
    }
    if !missing.is_empty() {
        bail!("{} needs {}", message_type.name(), missing.join(", "));
    }
    Ok(pdu)
}

/// A slideshow (multipart/related with SMIL) for the message types a handset presents; a multipart/mixed
/// of the files for the others (MMBox uploads and descriptions).
fn body(message_type: MessageType, attachments: Vec<Attachment>, slide_ms: u32) -> Body {
    match message_type {
        MessageType::SendReq | MessageType::RetrieveConf => {
            compose::slideshow(attachments, slide_ms)
        }
        _ => canvass_mms::body::mixed(
            attachments
                .into_iter()
                .map(|a| canvass_mms::body::media_part(&a.media_type, &a.name, a.data))
                .collect(),
        ),
    }
}

fn parse_version(text: &str) -> anyhow::Result<(u8, u8)> {
    match text.trim() {
        "1.0" => Ok((1, 0)),
        "1.1" => Ok((1, 1)),
        "1.2" => Ok((1, 2)),
        "1.3" => Ok((1, 3)),
        other => bail!("--mms-version {other:?} is not one of 1.0, 1.1, 1.2, 1.3"),
    }
}

/// RFC 3339 or seconds since 1970, as seconds since 1970.
fn absolute(flag: &str, text: &str) -> anyhow::Result<u64> {
    if let Ok(seconds) = text.trim().parse::<u64>() {
        return Ok(seconds);
    }
    let timestamp: jiff::Timestamp = text
        .trim()
        .parse()
        .with_context(|| format!("{flag} {text:?} is neither RFC 3339 nor seconds since 1970"))?;
    u64::try_from(timestamp.as_second()).with_context(|| format!("{flag} {text:?} is before 1970"))
}

/// Seconds are a relative expiry; RFC 3339 an absolute one.
fn expiry(text: &str) -> anyhow::Result<Value> {
    if let Ok(seconds) = text.trim().parse::<u64>() {
        return Ok(Value::Time(Time::Relative(seconds)));
    }
    Ok(Value::Time(Time::Absolute(absolute("--expiry", text)?)))
}

/// Class-identifier token for the four classes, token-text for any other.
fn message_class(text: &str) -> Value {
    canvass_mms::describe::token_of(code::MESSAGE_CLASS, text)
        .map_or_else(|| Value::Text(text.to_owned()), Value::Octet)
}

/// A token field from its label (as `mms decode` prints it) or a number 128–255 (decimal or 0x hex).
fn token(field: u8, flag: &str, text: &Option<String>) -> anyhow::Result<Option<Value>> {
    let Some(text) = text else { return Ok(None) };
    let trimmed = text.trim();
    let number = match trimmed
        .strip_prefix("0x")
        .or_else(|| trimmed.strip_prefix("0X"))
    {
        Some(hex) => u8::from_str_radix(hex, 16).ok(),
        None => trimmed.parse::<u8>().ok(),
    };
    match canvass_mms::describe::token_of(field, trimmed).or(number.filter(|n| *n >= 0x80)) {
        Some(octet) => Ok(Some(Value::Octet(octet))),
        None => bail!("{flag} {text:?} is not a known value nor a token from 0x80 to 0xFF"),
    }
}

/// Reads `FILE` or `FILE:TYPE` specs. A spec naming an existing file is a file, whatever its colons.
pub(super) fn read_parts(specs: &[String]) -> anyhow::Result<Vec<Attachment>> {
    let mut attachments: Vec<Attachment> = Vec::with_capacity(specs.len());
    for spec in specs {
        let (path, given) = match spec.rsplit_once(':') {
            Some((path, media)) if !Path::new(spec).exists() && media.contains('/') => {
                (Path::new(path), Some(media.trim().to_ascii_lowercase()))
            }
            _ => (Path::new(spec.as_str()), None),
        };
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .with_context(|| format!("--part {spec:?} does not name a file"))?;
        let media_type = match given {
            Some(media) => media,
            None => compose::media_type_of(&name)
                .with_context(|| {
                    format!("--part {spec}: cannot tell the media type from the extension; write {spec}:TYPE")
                })?
                .to_owned(),
        };
        anyhow::ensure!(
            attachments.iter().all(|a| a.name != name),
            "--part {spec}: two parts are named {name}; parts are referred to by file name"
        );
        let data =
            std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
        attachments.push(Attachment {
            media_type,
            name,
            data,
        });
    }
    Ok(attachments)
}
