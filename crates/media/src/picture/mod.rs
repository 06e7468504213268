//! Pictures: decode (JPEG, PNG, GIF, WebP, BMP) within pixel and allocation limits, apply EXIF orientation, resize,
//! and encode under a byte budget, keeping animated GIFs animated when the destination takes them and they can be
//! made to fit.
//!
//! The one call most callers need is [`adapt`]: bytes in, bytes plus the facts of what was done out. The building
//! blocks ([`decode_limited`], [`resize_to`], [`encode_jpeg`], [`encode_jpeg_within`]) are public so that template
//! rendering can reuse them without going through a file.
//!
//! Every function that reads input takes the file's name, which every error carries, so a batch can log the bad
//! item and carry on.

mod adapt;
mod decode;
mod format;
mod gif_anim;
mod jpeg;
mod resize;
mod target;

pub use adapt::{Adapted, adapt};
pub use decode::{Decoded, Probe, decode_for_box, decode_limited, probe};
pub use format::{PictureFormat, leading_hex};
pub use gif_anim::{Animation, AnimationFrame, GifReduction, decode_animation, encode_gif};
pub use jpeg::{
    BudgetedJpeg, JPEG_MAX_QUALITY, JPEG_MIN_QUALITY, encode_jpeg, encode_jpeg_small,
    encode_jpeg_within,
};
pub use resize::{fit_within, flatten_on_white, resize_rgba_to, resize_to};
pub use target::{DecodeLimits, PictureTarget};

use crate::Error;

/// An [`Error::Corrupt`] for `name`.
fn corrupt(name: &str, reason: impl Into<String>) -> Error {
    Error::Corrupt {
        what: name.to_owned(),
        reason: reason.into(),
    }
}

/// An [`Error::TooLarge`] for `name`.
fn too_large(name: &str, reason: impl Into<String>) -> Error {
    Error::TooLarge {
        what: name.to_owned(),
        reason: reason.into(),
    }
}

/// An [`Error::Unsupported`] for `name`.
fn unsupported(name: &str, reason: impl Into<String>) -> Error {
    Error::Unsupported {
        what: name.to_owned(),
        reason: reason.into(),
    }
}

/// Maps a decoder's error onto the crate's: limits become [`Error::TooLarge`], formats or features the decoder lacks
/// become [`Error::Unsupported`], and everything else (bad data, early end of file) is [`Error::Corrupt`].
fn from_image_error(name: &str, err: image::ImageError) -> Error {
    use image::ImageError;
    match err {
        ImageError::Limits(e) => too_large(name, e.to_string()),
        ImageError::Unsupported(e) => unsupported(name, e.to_string()),
        ImageError::IoError(e) if e.kind() == std::io::ErrorKind::UnexpectedEof => {
            corrupt(name, "truncated: the file ends before the picture does")
        }
        other => corrupt(name, other.to_string()),
    }
}
