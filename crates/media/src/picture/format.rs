//! The picture formats the engine reads, recognised from their first bytes (never from the file name).

/// A picture format the engine decodes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PictureFormat {
    /// JPEG (JFIF or EXIF).
    Jpeg,
    /// PNG.
    Png,
    /// GIF, still or animated.
    Gif,
    /// WebP, lossy or lossless (the first frame of an animation).
    WebP,
    /// Windows bitmap.
    Bmp,
}

impl PictureFormat {
    /// The MIME type of files in this format.
    pub fn mime(self) -> &'static str {
        match self {
            PictureFormat::Jpeg => "image/jpeg",
            PictureFormat::Png => "image/png",
            PictureFormat::Gif => "image/gif",
            PictureFormat::WebP => "image/webp",
            PictureFormat::Bmp => "image/bmp",
        }
    }

    /// The format the `image` crate detected, when it is one the engine supports.
    pub(crate) fn from_image(format: image::ImageFormat) -> Option<Self> {
        match format {
            image::ImageFormat::Jpeg => Some(PictureFormat::Jpeg),
            image::ImageFormat::Png => Some(PictureFormat::Png),
            image::ImageFormat::Gif => Some(PictureFormat::Gif),
            image::ImageFormat::WebP => Some(PictureFormat::WebP),
            image::ImageFormat::Bmp => Some(PictureFormat::Bmp),
            _ => None,
        }
    }

    /// Recognises the format from the file's first bytes.
    pub fn sniff(bytes: &[u8]) -> Option<Self> {
        image::guess_format(bytes).ok().and_then(Self::from_image)
    }
}

/// The first bytes of a file as hex, for error messages about unknown types.
pub fn leading_hex(bytes: &[u8]) -> String {
    if bytes.is_empty() {
        return "none: the file is empty".to_owned();
    }
    bytes
        .iter()
        .take(8)
        .map(|b| format!("{b:02x}"))
        .collect::<Vec<_>>()
        .join(" ")
}
