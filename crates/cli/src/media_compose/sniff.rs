//! What a file is, from its first bytes (the extension is only a hint for containers without a clear signature,
//! such as raw AAC or MPEG audio without an ID3 tag). Containers that carry either sound or moving pictures (MP4,
//! Matroska, Ogg, …) are settled by ffprobe: a file with a video stream is a video, one with only sound is audio.

use std::path::Path;

use canvass_media::ffmpeg::{Count, Ffmpeg};
use canvass_media::picture::{PictureFormat, leading_hex};
use canvass_media::{Error, Result};

/// The broad kind of an input, which decides the adapter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sniffed {
    /// A still or animated picture the picture module decodes.
    Picture(PictureFormat),
    /// A contact card (`BEGIN:VCARD`); `legacy` for version 2.1, which is `text/x-vcard`.
    VCard {
        /// Version 2.1.
        legacy: bool,
    },
    /// A calendar (`BEGIN:VCALENDAR`).
    Calendar,
    /// Moving pictures (with or without sound).
    Video,
    /// Sound only.
    Audio,
}

/// File extensions that name sound or video formats, for inputs whose first bytes say nothing definite.
const TIMED_EXTENSIONS: [&str; 18] = [
    "mp3", "aac", "m4a", "mp4", "m4v", "mov", "3gp", "3g2", "webm", "mkv", "avi", "wav", "ogg",
    "oga", "opus", "amr", "flac", "ts",
];

/// Recognises `bytes` (the content of `path`). Errors name the file: unrecognised content is
/// [`Error::Unsupported`] with its first bytes; a media container ffprobe cannot read is [`Error::Corrupt`].
pub fn sniff(bytes: &[u8], path: &Path, ff: &Ffmpeg) -> Result<Sniffed> {
    let what = path.display().to_string();
    if let Some(format) = PictureFormat::sniff(bytes) {
        return Ok(Sniffed::Picture(format));
    }
    if let Some(text) = text_kind(bytes) {
        return Ok(text);
    }
    let hinted = path
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| TIMED_EXTENSIONS.iter().any(|t| e.eq_ignore_ascii_case(t)));
    if !has_timed_signature(bytes) && !hinted {
        return Err(Error::Unsupported {
            what,
            reason: format!(
                "unrecognised content (first bytes {}); expected a picture, video, sound, vCard or iCal file",
                leading_hex(bytes)
            ),
        });
    }
    let info = ff.probe(path, Count::Nothing)?;
    if info.video().is_some() {
        Ok(Sniffed::Video)
    } else if info.audio().is_some() {
        Ok(Sniffed::Audio)
    } else {
        Err(Error::Unsupported {
            what,
            reason: format!(
                "the {} file has neither a video nor a sound stream",
                info.format_name
            ),
        })
    }
}

/// vCard and iCal files, after an optional byte-order mark and leading blank lines.
fn text_kind(bytes: &[u8]) -> Option<Sniffed> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let start = bytes.iter().position(|b| !b.is_ascii_whitespace())?;
    let head = &bytes[start..bytes.len().min(start + 512)];
    let starts = |prefix: &[u8]| {
        head.len() >= prefix.len() && head[..prefix.len()].eq_ignore_ascii_case(prefix)
    };
    if starts(b"BEGIN:VCARD") {
        let upper = head.to_ascii_uppercase();
        let legacy = upper.windows(11).any(|w| w == b"VERSION:2.1");
        Some(Sniffed::VCard { legacy })
    } else if starts(b"BEGIN:VCALENDAR") {
        Some(Sniffed::Calendar)
    } else {
        None
    }
}

/// Whether the first bytes are the signature of a sound or video container.
fn has_timed_signature(b: &[u8]) -> bool {
    let at = |offset: usize, sig: &[u8]| b.get(offset..offset + sig.len()) == Some(sig);
    at(4, b"ftyp") // MP4, MOV, 3GP, M4A
        || at(0, b"\x1A\x45\xDF\xA3") // Matroska, WebM
        || (at(0, b"RIFF") && (at(8, b"AVI ") || at(8, b"WAVE")))
        || at(0, b"OggS")
        || at(0, b"ID3")
        || at(0, b"#!AMR")
        || at(0, b"fLaC")
        || at(0, b"FLV")
        || at(0, b"\x00\x00\x01\xBA") // MPEG program stream
        || at(0, b"\x30\x26\xB2\x75") // ASF, WMV
        || (b.first() == Some(&0x47) && b.get(188) == Some(&0x47)) // MPEG transport stream
        || (b.len() >= 2 && b[0] == 0xFF && b[1] & 0xE0 == 0xE0) // MPEG audio or ADTS frame sync
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_kinds_are_recognised_case_insensitively_after_a_bom() {
        assert_eq!(
            text_kind(b"\xEF\xBB\xBF\r\nbegin:vcard\r\nVERSION:2.1\r\nEND:VCARD\r\n"),
            Some(Sniffed::VCard { legacy: true })
        );
        assert_eq!(
            text_kind(b"BEGIN:VCARD\nVERSION:3.0\nEND:VCARD\n"),
            Some(Sniffed::VCard { legacy: false })
        );
        assert_eq!(text_kind(b"BEGIN:VCALENDAR\n"), Some(Sniffed::Calendar));
        assert_eq!(text_kind(b"hello"), None);
    }

    #[test]
    fn container_signatures_are_recognised() {
        assert!(has_timed_signature(b"\0\0\0\x18ftypmp42"));
        assert!(has_timed_signature(b"RIFF\0\0\0\0WAVEfmt "));
        assert!(!has_timed_signature(b"RIFF\0\0\0\0WEBPVP8 "));
        assert!(!has_timed_signature(b"plain text"));
    }
}
