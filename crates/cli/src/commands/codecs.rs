//! `mms decode|push|encode` and `mm7 decode|encode`: the codec crates on files, for operators and interop debugging.

use crate::args::{Mm7Command, MmsCommand};
use crate::output;
use anyhow::Context;
use canvass_mms::wap_push::{SegmentOptions, segments_of_encoded};
use std::path::Path;
use std::process::ExitCode;

fn read(file: &Path) -> anyhow::Result<Vec<u8>> {
    std::fs::read(file).with_context(|| format!("cannot read {}", file.display()))
}

pub fn mms(cmd: MmsCommand) -> anyhow::Result<ExitCode> {
    match cmd {
        MmsCommand::Decode { file } => {
            let bytes = read(&file)?;
            let pdu = canvass_mms::decode(&bytes)
                .with_context(|| format!("{} is not a valid MMS PDU", file.display()))?;
            output::json(&canvass_mms::describe(&pdu))?;
        }
        MmsCommand::Push {
            file,
            max_segment,
            reference,
            output,
        } => {
            let bytes = read(&file)?;
            let pdu = canvass_mms::decode(&bytes)
                .with_context(|| format!("{} is not a valid MMS PDU", file.display()))?;
            anyhow::ensure!(
                pdu.message_type() == Some(canvass_mms::MessageType::NotificationInd),
                "{} is not an m-notification-ind; only notifications are pushed",
                file.display()
            );
            let options = SegmentOptions {
                max_user_data: max_segment,
                reference,
                ..SegmentOptions::default()
            };
            let segments = segments_of_encoded(&bytes, &options)?;
            std::fs::create_dir_all(&output)
                .with_context(|| format!("cannot create {}", output.display()))?;
            let mut written = Vec::new();
            for (i, segment) in segments.iter().enumerate() {
                let path = output.join(format!("segment-{:02}.ud", i + 1));
                std::fs::write(&path, segment)
                    .with_context(|| format!("cannot write {}", path.display()))?;
                written.push(serde_json::json!({ "file": path.display().to_string(), "bytes": segment.len() }));
            }
            output::json(
                &serde_json::json!({ "esm_class": "0x40", "data_coding": "0x04", "segments": written }),
            )?;
        }
        MmsCommand::Encode(args) => return super::mms_encode::run(args),
    }
    Ok(ExitCode::SUCCESS)
}

pub fn mm7(cmd: Mm7Command) -> anyhow::Result<ExitCode> {
    let file = match cmd {
        Mm7Command::Decode { file } => file,
        Mm7Command::Encode(args) => return super::mm7_encode::run(args),
    };
    let bytes = read(&file)?;
    let envelope = canvass_mm7::decode(&bytes)
        .with_context(|| format!("{} is not a valid MM7 message", file.display()))?;
    output::json(&canvass_mm7::describe(&envelope))?;
    Ok(ExitCode::SUCCESS)
}
