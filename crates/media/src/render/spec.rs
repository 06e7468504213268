//! The JSON layer spec (the fast path's template format), as written by people.
//!
//! ```json
//! { "name": "rally-invite", "background": "background.jpg", "quality": 85,
//!   "layers": [
//!     { "type": "text", "text": "Hello {{first_name}}!", "font": "DejaVu Sans", "weight": 700,
//!       "size": 96, "min_size": 24, "color": "#ffffff", "stroke": { "width": 3, "color": "#000000" },
//!       "align": "center", "valign": "middle", "box": [90, 760, 900, 160] },
//!     { "type": "image", "src": "candidates/{{district}}.jpg", "box": [40, 40, 300, 300], "fit": "cover" },
//!     { "type": "qr", "data": "https://example.org/r/{{link}}", "box": [840, 840, 200, 200] } ] }
//! ```
//!
//! Paths are relative to the spec file. `font` is a family name (any installed font) or a `.ttf`/`.otf` path.

use serde::Deserialize;

use super::text::{Align, VAlign};

/// A whole template.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Spec {
    /// Name for messages; the file name when absent.
    #[serde(default)]
    pub(crate) name: Option<String>,
    /// An image path, or a colour `#rrggbb` (then `width` and `height` are required).
    pub(crate) background: String,
    /// Output size; the background is resized to it when both are given and differ.
    #[serde(default)]
    pub(crate) width: Option<u32>,
    #[serde(default)]
    pub(crate) height: Option<u32>,
    /// JPEG quality, 1–100.
    #[serde(default = "default_quality")]
    pub(crate) quality: u8,
    #[serde(default)]
    pub(crate) layers: Vec<LayerSpec>,
}

fn default_quality() -> u8 {
    85
}

/// One layer, drawn in order over the background.
#[derive(Debug, Deserialize)]
#[serde(tag = "type", rename_all = "lowercase", deny_unknown_fields)]
pub(crate) enum LayerSpec {
    /// One line of text.
    Text {
        text: String,
        font: String,
        #[serde(default = "default_weight")]
        weight: u16,
        #[serde(default)]
        italic: bool,
        /// Families tried before the built-in fallbacks for characters `font` lacks.
        #[serde(default)]
        fallback: Vec<String>,
        size: f32,
        /// Long text shrinks to fit its box, down to this size; beyond it, it is clipped. Default: size / 4.
        #[serde(default)]
        min_size: Option<f32>,
        #[serde(default = "default_color")]
        color: String,
        #[serde(default)]
        stroke: Option<StrokeSpec>,
        #[serde(default)]
        align: Align,
        #[serde(default)]
        valign: VAlign,
        #[serde(rename = "box")]
        area: [u32; 4],
    },
    /// A picture (a candidate's photo per region, a logo), scaled into its box.
    Image {
        src: String,
        #[serde(rename = "box")]
        area: [u32; 4],
        #[serde(default)]
        fit: Fit,
    },
    /// A QR code for a (tracked) link.
    Qr {
        data: String,
        #[serde(rename = "box")]
        area: [u32; 4],
        #[serde(default = "default_qr_dark")]
        color: String,
        #[serde(default = "default_qr_light")]
        background: String,
    },
}

fn default_weight() -> u16 {
    400
}

fn default_color() -> String {
    "#000000".to_owned()
}

fn default_qr_dark() -> String {
    "#000000".to_owned()
}

fn default_qr_light() -> String {
    "#ffffff".to_owned()
}

/// An outline around text.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct StrokeSpec {
    pub(crate) width: f32,
    pub(crate) color: String,
}

/// How a picture fills its box.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum Fit {
    /// Fills the box, cropping the overflow (centred).
    #[default]
    Cover,
    /// Fits inside the box, centred, leaving the background around it.
    Contain,
}

/// Parses `#rgb` or `#rrggbb`.
pub(crate) fn parse_color(text: &str) -> Option<[u8; 3]> {
    let hex = text.strip_prefix('#')?;
    let digit = |i: usize, len: usize| u8::from_str_radix(hex.get(i..i + len)?, 16).ok();
    match hex.len() {
        3 => Some([digit(0, 1)? * 17, digit(1, 1)? * 17, digit(2, 1)? * 17]),
        6 => Some([digit(0, 2)?, digit(2, 2)?, digit(4, 2)?]),
        _ => None,
    }
}
