//! ffprobe: what a media file holds (container, streams, codecs, sizes, durations), read from its JSON output.

use std::path::Path;

use serde_json::Value;

use super::{Ffmpeg, Tool};
use crate::{Error, Result};

/// What ffprobe found in a file.
#[derive(Debug, Clone, PartialEq)]
pub struct MediaInfo {
    /// Container names as ffprobe lists them (`mov,mp4,m4a,3gp,3g2,mj2`, `gif`, …).
    pub format_name: String,
    /// Container duration in seconds, when known.
    pub duration_s: Option<f64>,
    /// File size in bytes, when known.
    pub size: Option<u64>,
    /// Every stream, in file order.
    pub streams: Vec<StreamInfo>,
}

/// Broad kind of a stream.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StreamKind {
    /// Moving pictures (cover art is [`StreamKind::Other`]).
    Video,
    /// Sound.
    Audio,
    /// Subtitles, data, attachments, cover art.
    Other,
}

/// One stream of a file.
#[derive(Debug, Clone, PartialEq)]
pub struct StreamInfo {
    /// Its index in the file (for `-map 0:N`).
    pub index: u32,
    /// Video, audio or other.
    pub kind: StreamKind,
    /// Codec name (`h264`, `h263`, `aac`, …).
    pub codec: String,
    /// Codec profile (`Constrained Baseline`, `Main`, `LC`, …), when the codec has one.
    pub profile: Option<String>,
    /// Coded width in pixels (video).
    pub width: Option<u32>,
    /// Coded height in pixels (video).
    pub height: Option<u32>,
    /// Rotation in degrees from the display matrix (video), 0 when none.
    pub rotation: i32,
    /// Average frame rate (video), when known and sane.
    pub frame_rate: Option<f64>,
    /// Stream duration in seconds, when known.
    pub duration_s: Option<f64>,
    /// Frames (or packets) counted by ffprobe when asked to count, else the container's own count.
    pub frames: Option<u64>,
    /// Sample rate in Hz (audio).
    pub sample_rate: Option<u32>,
    /// Channel count (audio).
    pub channels: Option<u32>,
}

/// How much ffprobe reads: the headers only, or every packet, or every decoded frame.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Count {
    /// Headers only (fast).
    Nothing,
    /// Demux every packet and count them (cheap; one packet is one frame in MP4 video).
    Packets,
    /// Decode every frame and count them (a full decode).
    Frames,
}

impl MediaInfo {
    /// The first video stream (cover art excluded).
    pub fn video(&self) -> Option<&StreamInfo> {
        self.streams.iter().find(|s| s.kind == StreamKind::Video)
    }

    /// The first audio stream.
    pub fn audio(&self) -> Option<&StreamInfo> {
        self.streams.iter().find(|s| s.kind == StreamKind::Audio)
    }

    /// The container's duration, else the longest stream's.
    pub fn best_duration(&self) -> Option<f64> {
        self.duration_s.or_else(|| {
            self.streams
                .iter()
                .filter_map(|s| s.duration_s)
                .reduce(f64::max)
        })
    }
}

impl Ffmpeg {
    /// Probes `path`. A file ffprobe cannot read is [`Error::Corrupt`] naming the file; a missing file is
    /// [`Error::Io`].
    pub fn probe(&self, path: &Path, count: Count) -> Result<MediaInfo> {
        let what = path.display().to_string();
        std::fs::metadata(path).map_err(|source| Error::Io {
            path: path.to_owned(),
            source,
        })?;
        let mut args: Vec<std::ffi::OsString> = [
            "-v",
            "error",
            "-print_format",
            "json",
            "-show_format",
            "-show_streams",
        ]
        .map(Into::into)
        .to_vec();
        match count {
            Count::Nothing => {}
            Count::Packets => args.push("-count_packets".into()),
            Count::Frames => args.push("-count_frames".into()),
        }
        args.push(file_url(path));
        let cwd = path
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        let output = self
            .run(Tool::Ffprobe, &args, cwd, &what)
            .map_err(|e| match e {
                Error::Tool { reason, .. } if reason.starts_with("exit status") => Error::Corrupt {
                    what: what.clone(),
                    reason,
                },
                other => other,
            })?;
        let json: Value = serde_json::from_slice(&output.stdout).map_err(|e| Error::Tool {
            what: what.clone(),
            tool: "ffprobe",
            reason: format!("unreadable JSON: {e}"),
        })?;
        parse(&json, count).ok_or_else(|| Error::Corrupt {
            what,
            reason: "ffprobe found no container format".into(),
        })
    }
}

/// `file:` + the path, so that a name such as `http:x` or `-i` is always read as a local file.
pub(crate) fn file_url(path: &Path) -> std::ffi::OsString {
    let mut url = std::ffi::OsString::from("file:");
    url.push(path.as_os_str());
    url
}

fn parse(json: &Value, count: Count) -> Option<MediaInfo> {
    let format = json.get("format")?;
    let streams = json
        .get("streams")
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or_default();
    Some(MediaInfo {
        format_name: format
            .get("format_name")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned(),
        duration_s: number(format.get("duration")).filter(|d| d.is_finite() && *d > 0.0),
        size: number(format.get("size")).map(|s| s as u64),
        streams: streams.iter().map(|s| parse_stream(s, count)).collect(),
    })
}

fn parse_stream(s: &Value, count: Count) -> StreamInfo {
    let text = |key: &str| s.get(key).and_then(Value::as_str).map(str::to_owned);
    let int = |key: &str| {
        number(s.get(key))
            .filter(|n| *n >= 0.0 && *n <= u32::MAX as f64)
            .map(|n| n as u32)
    };
    let attached_pic = s
        .pointer("/disposition/attached_pic")
        .and_then(Value::as_i64)
        == Some(1);
    let kind = match text("codec_type").as_deref() {
        Some("video") if !attached_pic => StreamKind::Video,
        Some("audio") => StreamKind::Audio,
        _ => StreamKind::Other,
    };
    let frames_key = match count {
        Count::Nothing => "nb_frames",
        Count::Packets => "nb_read_packets",
        Count::Frames => "nb_read_frames",
    };
    let rotation = s
        .get("side_data_list")
        .and_then(Value::as_array)
        .and_then(|list| list.iter().find_map(|d| number(d.get("rotation"))))
        .or_else(|| number(s.pointer("/tags/rotate")))
        .unwrap_or(0.0) as i32;
    StreamInfo {
        index: int("index").unwrap_or(0),
        kind,
        codec: text("codec_name").unwrap_or_default(),
        profile: text("profile"),
        width: int("width").filter(|w| *w > 0),
        height: int("height").filter(|h| *h > 0),
        rotation,
        frame_rate: text("avg_frame_rate")
            .as_deref()
            .and_then(ratio)
            .or_else(|| text("r_frame_rate").as_deref().and_then(ratio)),
        duration_s: number(s.get("duration")).filter(|d| d.is_finite() && *d > 0.0),
        frames: number(s.get(frames_key)).map(|n| n as u64),
        sample_rate: int("sample_rate"),
        channels: int("channels"),
    }
}

/// ffprobe prints most numbers as strings ("25.000000"); some as JSON numbers.
fn number(v: Option<&Value>) -> Option<f64> {
    match v? {
        Value::String(s) => s.trim().parse().ok(),
        Value::Number(n) => n.as_f64(),
        _ => None,
    }
}

/// "30000/1001" → 29.97; "0/0" and absurd rates → None.
fn ratio(s: &str) -> Option<f64> {
    let (n, d) = s.split_once('/')?;
    let (n, d): (f64, f64) = (n.trim().parse().ok()?, d.trim().parse().ok()?);
    let r = n / d;
    (d > 0.0 && r.is_finite() && r > 0.0 && r <= 1000.0).then_some(r)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_streams_rotation_and_rates() {
        let json: Value = serde_json::from_str(
            r#"{"streams":[
                {"index":0,"codec_type":"video","codec_name":"h264","profile":"Main","width":640,"height":360,
                 "avg_frame_rate":"30000/1001","duration":"2.5","nb_read_packets":"75",
                 "side_data_list":[{"rotation":-90}]},
                {"index":1,"codec_type":"video","codec_name":"mjpeg","disposition":{"attached_pic":1}},
                {"index":2,"codec_type":"audio","codec_name":"aac","sample_rate":"44100","channels":2,"avg_frame_rate":"0/0"}],
              "format":{"format_name":"mov,mp4","duration":"2.52","size":"1234"}}"#,
        )
        .unwrap();
        let info = parse(&json, Count::Packets).unwrap();
        let video = info.video().unwrap();
        assert_eq!(
            (video.width, video.height, video.rotation, video.frames),
            (Some(640), Some(360), -90, Some(75))
        );
        assert!((video.frame_rate.unwrap() - 29.97).abs() < 0.01);
        assert_eq!(
            info.streams[1].kind,
            StreamKind::Other,
            "cover art is not a video stream"
        );
        let audio = info.audio().unwrap();
        assert_eq!(
            (audio.sample_rate, audio.channels, audio.frame_rate),
            (Some(44100), Some(2), None)
        );
        assert_eq!((info.duration_s, info.size), (Some(2.52), Some(1234)));
    }
}
