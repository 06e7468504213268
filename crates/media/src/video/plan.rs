//! The encode plan: output size, frame rate, audio settings and the average bitrate that fits the byte budget, and
//! the ffmpeg arguments that follow from them. The same plan encodes a template's body and each intro, which is what
//! makes the two stitchable without a re-encode.

use crate::profile::VideoFormat;

use super::VideoTarget;

/// The frame sizes H.263 allows that handsets play (sub-QCIF, QCIF, CIF).
const H263_SIZES: [(u32, u32); 3] = [(352, 288), (176, 144), (128, 96)];
/// Below this many bits per pixel per frame H.264 turns to mush: the plan shrinks the picture instead.
const MIN_BITS_PER_PIXEL: f64 = 0.035;
/// Smallest width the plan shrinks to for the bitrate.
const MIN_SHRINK_WIDTH: u32 = 160;
/// Lowest video bitrate worth sending, in kbit/s.
pub(crate) const MIN_VIDEO_KBPS: f64 = 16.0;
/// Share of the stream budget kept back for the encoder's rate-control error.
const RATE_SAFETY: f64 = 0.95;

/// AAC settings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct AudioPlan {
    pub kbps: u32,
    pub sample_rate: u32,
    pub channels: u32,
}

/// Everything one encode needs.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct EncodePlan {
    pub format: VideoFormat,
    pub width: u32,
    pub height: u32,
    pub fps: u32,
    pub video_kbps: f64,
    pub audio: Option<AudioPlan>,
    pub preset: &'static str,
}

/// The AAC settings for a stream budget of `total_kbps` (audio and video together).
pub(crate) fn audio_for(total_kbps: f64) -> AudioPlan {
    let (kbps, sample_rate, channels) = match total_kbps {
        t if t >= 600.0 => (96, 44_100, 2),
        t if t >= 250.0 => (64, 44_100, 2),
        t if t >= 120.0 => (40, 44_100, 1),
        t if t >= 60.0 => (24, 22_050, 1),
        _ => (16, 16_000, 1),
    };
    AudioPlan {
        kbps,
        sample_rate,
        channels,
    }
}

/// Bytes the container adds around the streams: headers plus an index entry per sample (MP4 `stsz`/`stts`/`stco`).
pub(crate) fn container_overhead(duration_s: f64, fps: u32, audio: Option<AudioPlan>) -> f64 {
    let video_samples = duration_s * f64::from(fps);
    let audio_samples = audio.map_or(0.0, |a| duration_s * f64::from(a.sample_rate) / 1024.0);
    2048.0 + 12.0 * (video_samples + audio_samples)
}

/// The video bitrate (kbit/s) that fits `budget` bytes over `duration_s`, after audio and container overhead.
pub(crate) fn video_kbps_for(
    budget: u64,
    duration_s: f64,
    fps: u32,
    audio: Option<AudioPlan>,
) -> f64 {
    let streams =
        (budget as f64 - container_overhead(duration_s, fps, audio)).max(0.0) * RATE_SAFETY;
    streams * 8.0 / duration_s / 1000.0 - audio.map_or(0.0, |a| f64::from(a.kbps))
}

/// Output frame size: the source's display size scaled down to fit the target (never up), even numbers; for
/// H.263 the largest allowed size that fits, smaller when the bitrate is low.
pub(crate) fn frame_size(
    target: &VideoTarget,
    src: (u32, u32),
    video_kbps: f64,
    fps: u32,
) -> Option<(u32, u32)> {
    if target.format == VideoFormat::ThreeGpH263 {
        let fitting = H263_SIZES
            .iter()
            .copied()
            .filter(|&(w, h)| w <= target.max_width && h <= target.max_height);
        let mut sizes: Vec<(u32, u32)> = fitting.collect();
        sizes.retain(|&(w, h)| {
            bits_per_pixel(video_kbps, w, h, fps) >= MIN_BITS_PER_PIXEL || (w, h) == (128, 96)
        });
        return sizes.first().copied();
    }
    let (sw, sh) = (f64::from(src.0.max(1)), f64::from(src.1.max(1)));
    let mut scale = (f64::from(target.max_width) / sw)
        .min(f64::from(target.max_height) / sh)
        .min(1.0);
    let bpp = bits_per_pixel(video_kbps, (sw * scale) as u32, (sh * scale) as u32, fps);
    if bpp < MIN_BITS_PER_PIXEL {
        let shrink = (bpp / MIN_BITS_PER_PIXEL).sqrt();
        scale = (scale * shrink).max((f64::from(MIN_SHRINK_WIDTH) / sw).min(scale));
    }
    let even = |v: f64| ((v / 2.0).round() as u32 * 2).max(16);
    Some((even(sw * scale), even(sh * scale)))
}

fn bits_per_pixel(video_kbps: f64, w: u32, h: u32, fps: u32) -> f64 {
    video_kbps * 1000.0 / (f64::from(w.max(1)) * f64::from(h.max(1)) * f64::from(fps.max(1)))
}

/// The lowest H.264 level whose macroblock rate and frame size cover the plan (Annex A, table A-1).
fn h264_level(width: u32, height: u32, fps: u32) -> &'static str {
    let frame_mbs = width.div_ceil(16) * height.div_ceil(16);
    let mbs_per_s = frame_mbs * fps;
    const LEVELS: [(&str, u32, u32); 8] = [
        ("1.2", 6_000, 396),
        ("1.3", 11_880, 396),
        ("2.1", 19_800, 792),
        ("2.2", 20_250, 1_620),
        ("3.0", 40_500, 1_620),
        ("3.1", 108_000, 3_600),
        ("3.2", 216_000, 5_120),
        ("4.0", 245_760, 8_192),
    ];
    LEVELS
        .iter()
        .find(|(_, rate, size)| mbs_per_s <= *rate && frame_mbs <= *size)
        .map_or("4.1", |l| l.0)
}

impl EncodePlan {
    /// The filter chain from any decoded picture to the plan's frames: scale (letterboxed for H.263's fixed sizes),
    /// square pixels, constant frame rate, 4:2:0. Only numbers of ours go in.
    pub fn scale_filter(&self) -> String {
        let (w, h, fps) = (self.width, self.height, self.fps);
        format!(
            "scale={w}:{h}:force_original_aspect_ratio=decrease,pad={w}:{h}:(ow-iw)/2:(oh-ih)/2,setsar=1,fps={fps},format=yuv420p"
        )
    }

    /// Video encoder arguments at `kbps`; identical for body and intros apart from the rate.
    pub fn video_args(&self, kbps: f64) -> Vec<String> {
        let rate = format!("{}k", kbps.round().max(1.0));
        let gop = (self.fps * 2).to_string();
        let mut args: Vec<String> = match self.format {
            VideoFormat::ThreeGpH263 => ["-c:v", "h263"].map(String::from).to_vec(),
            VideoFormat::Mp4H264Baseline | VideoFormat::Mp4H264Main => {
                let profile = if self.format == VideoFormat::Mp4H264Baseline {
                    "baseline"
                } else {
                    "main"
                };
                let level = h264_level(self.width, self.height, self.fps);
                // stitchable=1 keeps x264 from tuning its headers per segment, so that separately encoded intros
                // and bodies share one SPS/PPS and can be joined by stream copy.
                [
                    "-c:v",
                    "libx264",
                    "-preset",
                    self.preset,
                    "-profile:v",
                    profile,
                    "-level:v",
                    level,
                ]
                .into_iter()
                .chain(["-x264-params", "stitchable=1"])
                .map(String::from)
                .collect()
            }
        };
        // The fps filter already made the frames constant-rate; passthrough keeps the muxer from duplicating one
        // to cover a source's start offset, which would make the two passes see different frame counts.
        args.extend(
            [
                "-fps_mode",
                "passthrough",
                "-pix_fmt",
                "yuv420p",
                "-g",
                &gop,
                "-b:v",
                &rate,
            ]
            .map(String::from),
        );
        args
    }

    /// Audio encoder arguments, or `-an` when the plan has no audio.
    pub fn audio_args(&self) -> Vec<String> {
        match self.audio {
            None => vec!["-an".into()],
            Some(a) => {
                let (kbps, rate, ch) = (
                    format!("{}k", a.kbps),
                    a.sample_rate.to_string(),
                    a.channels.to_string(),
                );
                ["-c:a", "aac", "-b:a", &kbps, "-ar", &rate, "-ac", &ch]
                    .map(String::from)
                    .to_vec()
            }
        }
    }

    /// Muxer arguments: the container, with the index moved to the front so that handsets can start playing early.
    pub fn muxer_args(&self) -> Vec<String> {
        let muxer = if self.format == VideoFormat::ThreeGpH263 {
            "3gp"
        } else {
            "mp4"
        };
        [
            "-map_metadata",
            "-1",
            "-movflags",
            "+faststart",
            "-f",
            muxer,
        ]
        .map(String::from)
        .to_vec()
    }

    /// The codec and profile names ffprobe reports for output of this plan.
    pub fn expected_codec(&self) -> (&'static str, &'static [&'static str]) {
        match self.format {
            VideoFormat::ThreeGpH263 => ("h263", &[]),
            VideoFormat::Mp4H264Baseline => ("h264", &["Constrained Baseline", "Baseline"]),
            VideoFormat::Mp4H264Main => ("h264", &["Main"]),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn target(format: VideoFormat) -> VideoTarget {
        VideoTarget {
            format,
            max_width: 640,
            max_height: 480,
            max_fps: 30,
            max_duration_s: 60,
            budget_bytes: 600_000,
            preset: "fast",
        }
    }

    #[test]
    fn bitrate_leaves_room_for_audio_and_container() {
        let audio = audio_for(160.0);
        let kbps = video_kbps_for(600_000, 30.0, 25, Some(audio));
        let total_bytes = (kbps + f64::from(audio.kbps)) * 1000.0 / 8.0 * 30.0
            + container_overhead(30.0, 25, Some(audio));
        assert!(
            total_bytes < 600_000.0 && total_bytes > 540_000.0,
            "{total_bytes}"
        );
    }

    #[test]
    fn frame_size_keeps_aspect_never_upscales_and_shrinks_for_low_rates() {
        assert_eq!(
            frame_size(&target(VideoFormat::Mp4H264Main), (1920, 1080), 2000.0, 30),
            Some((640, 360))
        );
        assert_eq!(
            frame_size(&target(VideoFormat::Mp4H264Main), (320, 240), 2000.0, 30),
            Some((320, 240))
        );
        let (w, h) =
            frame_size(&target(VideoFormat::Mp4H264Main), (1920, 1080), 100.0, 30).unwrap();
        assert!(
            (160..640).contains(&w) && w % 2 == 0 && h % 2 == 0,
            "{w}x{h}"
        );
        assert_eq!(
            frame_size(&target(VideoFormat::ThreeGpH263), (1920, 1080), 40.0, 15),
            Some((176, 144))
        );
        assert_eq!(
            frame_size(&target(VideoFormat::ThreeGpH263), (1920, 1080), 600.0, 15),
            Some((352, 288))
        );
    }

    #[test]
    fn level_follows_size_and_rate() {
        assert_eq!(h264_level(176, 144, 15), "1.2");
        assert_eq!(h264_level(640, 360, 25), "3.0");
        assert_eq!(h264_level(1280, 720, 30), "3.1");
    }
}
