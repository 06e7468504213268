//! What a picture must become ([`PictureTarget`]) and what decoding may cost ([`DecodeLimits`]).

use crate::CarrierProfile;

/// Resource limits applied before any pixel is decoded. The defaults admit a 50-megapixel phone photo and refuse
/// anything larger, so a decompression bomb costs a header read, not gigabytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DecodeLimits {
    /// Largest width × height accepted, read from the header before decoding.
    pub max_pixels: u64,
    /// Largest single allocation a decoder may make, and the most all frames of an animation may hold together.
    pub max_alloc: u64,
    /// Most frames an animation may have.
    pub max_frames: u32,
}

impl Default for DecodeLimits {
    fn default() -> Self {
        // 50 MP covers the 48/50 MP modes of current phones (8160×6120); 256 MiB holds such a photo as RGB with room
        // for the orientation copy.
        DecodeLimits {
            max_pixels: 50_000_000,
            max_alloc: 256 * 1024 * 1024,
            max_frames: 500,
        }
    }
}

/// What an adapted picture must satisfy: dimensions, bytes and types, and the limits for decoding the input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PictureTarget {
    /// Largest width in pixels (the box applies in either orientation).
    pub max_width: u32,
    /// Largest height in pixels (the box applies in either orientation).
    pub max_height: u32,
    /// Most bytes the picture may take (usually the message budget less the other parts).
    pub max_bytes: u64,
    /// MIME types the destination accepts, lower case; only the picture types matter here.
    pub accepted_types: Vec<String>,
    /// Limits for decoding the input.
    pub limits: DecodeLimits,
}

impl PictureTarget {
    /// The target for one picture sent under `profile`, given the bytes left for it in the message (`budget`, which
    /// is capped at the profile's whole-message limit).
    pub fn from_profile(profile: &CarrierProfile, budget: u64) -> Self {
        PictureTarget {
            max_width: profile.max_image_width,
            max_height: profile.max_image_height,
            max_bytes: budget.min(profile.max_message_bytes),
            accepted_types: profile
                .accepted_types
                .iter()
                .map(|t| t.to_ascii_lowercase())
                .collect(),
            limits: DecodeLimits::default(),
        }
    }

    /// Whether the destination accepts `mime` (case-insensitive; `image/*` and `*/*` match as wildcards).
    pub fn accepts(&self, mime: &str) -> bool {
        self.accepted_types
            .iter()
            .any(|pattern| match pattern.split_once('/') {
                Some(("*", "*")) => true,
                Some((top, "*")) => mime
                    .split_once('/')
                    .is_some_and(|(mime_top, _)| mime_top.eq_ignore_ascii_case(top)),
                _ => pattern.eq_ignore_ascii_case(mime),
            })
    }

    /// Whether a `width` × `height` picture fits the box, in either orientation.
    pub fn fits(&self, width: u32, height: u32) -> bool {
        super::fit_within(width, height, self.max_width, self.max_height) == (width, height)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn from_profile_caps_the_budget_at_the_message_limit() {
        let profile = CarrierProfile {
            name: "p".into(),
            description: String::new(),
            accepted_types: vec!["Image/JPEG".into(), "image/gif".into()],
            max_message_bytes: 300_000,
            max_image_width: 1280,
            max_image_height: 960,
            video: None,
        };
        let target = PictureTarget::from_profile(&profile, 1_000_000);
        assert_eq!(target.max_bytes, 300_000);
        assert_eq!((target.max_width, target.max_height), (1280, 960));
        assert!(
            target.accepts("image/jpeg")
                && target.accepts("image/gif")
                && !target.accepts("image/png")
        );
        assert!(target.fits(1280, 960) && target.fits(960, 1280) && !target.fits(1281, 10));
        let wildcard = PictureTarget {
            accepted_types: vec!["image/*".into()],
            ..target
        };
        assert!(wildcard.accepts("image/png") && !wildcard.accepts("video/mp4"));
    }
}
