//! Assigned numbers of WAP-230-WSP Appendix A: content types (Table 40, as extended by the WINA registry),
//! header field names (Table 39) and parameters (Table 38).

/// Well-known content types, indexed by their code (0x00–0x52).
pub const CONTENT_TYPES: &[&str] = &[
    "*/*",
    "text/*",
    "text/html",
    "text/plain",
    "text/x-hdml",
    "text/x-ttml",
    "text/x-vCalendar",
    "text/x-vCard",
    "text/vnd.wap.wml",
    "text/vnd.wap.wmlscript",
    "text/vnd.wap.wta-event",
    "multipart/*",
    "multipart/mixed",
    "multipart/form-data",
    "multipart/byterantes",
    "multipart/alternative",
    "application/*",
    "application/java-vm",
    "application/x-www-form-urlencoded",
    "application/x-hdmlc",
    "application/vnd.wap.wmlc",
    "application/vnd.wap.wmlscriptc",
    "application/vnd.wap.wta-eventc",
    "application/vnd.wap.uaprof",
    "application/vnd.wap.wtls-ca-certificate",
    "application/vnd.wap.wtls-user-certificate",
    "application/x-x509-ca-cert",
    "application/x-x509-user-cert",
    "image/*",
    "image/gif",
    "image/jpeg",
    "image/tiff",
    "image/png",
    "image/vnd.wap.wbmp",
    "application/vnd.wap.multipart.*",
    "application/vnd.wap.multipart.mixed",
    "application/vnd.wap.multipart.form-data",
    "application/vnd.wap.multipart.byteranges",
    "application/vnd.wap.multipart.alternative",
    "application/xml",
    "text/xml",
    "application/vnd.wap.wbxml",
    "application/x-x968-cross-cert",
    "application/x-x968-ca-cert",
    "application/x-x968-user-cert",
    "text/vnd.wap.si",
    "application/vnd.wap.sic",
    "text/vnd.wap.sl",
    "application/vnd.wap.slc",
    "text/vnd.wap.co",
    "application/vnd.wap.coc",
    "application/vnd.wap.multipart.related",
    "application/vnd.wap.sia",
    "text/vnd.wap.connectivity-xml",
    "application/vnd.wap.connectivity-wbxml",
    "application/pkcs7-mime",
    "application/vnd.wap.hashed-certificate",
    "application/vnd.wap.signed-certificate",
    "application/vnd.wap.cert-response",
    "application/xhtml+xml",
    "application/wml+xml",
    "text/css",
    "application/vnd.wap.mms-message",
    "application/vnd.wap.rollover-certificate",
    "application/vnd.wap.locc+wbxml",
    "application/vnd.wap.loc+xml",
    "application/vnd.syncml.dm+wbxml",
    "application/vnd.syncml.dm+xml",
    "application/vnd.syncml.notification",
    "application/vnd.wap.xhtml+xml",
    "application/vnd.wv.csp.cir",
    "application/vnd.oma.dd+xml",
    "application/vnd.oma.drm.message",
    "application/vnd.oma.drm.content",
    "application/vnd.oma.drm.rights+xml",
    "application/vnd.oma.drm.rights+wbxml",
    "application/vnd.wv.csp+xml",
    "application/vnd.wv.csp+wbxml",
    "application/vnd.syncml.ds.notification",
    "audio/*",
    "video/*",
    "application/vnd.oma.dd2+xml",
    "application/mikey",
];

/// The content type assigned `code`, if any.
pub fn content_type_name(code: u64) -> Option<&'static str> {
    usize::try_from(code)
        .ok()
        .and_then(|i| CONTENT_TYPES.get(i))
        .copied()
}

/// The code of a well-known content type (case-insensitive).
pub fn content_type_code(name: &str) -> Option<u8> {
    CONTENT_TYPES
        .iter()
        .position(|known| known.eq_ignore_ascii_case(name))
        .map(|i| i as u8)
}

/// Well-known header field names, indexed by code (0x00–0x47).
pub const HEADER_NAMES: &[&str] = &[
    "Accept",
    "Accept-Charset",
    "Accept-Encoding",
    "Accept-Language",
    "Accept-Ranges",
    "Age",
    "Allow",
    "Authorization",
    "Cache-Control",
    "Connection",
    "Content-Base",
    "Content-Encoding",
    "Content-Language",
    "Content-Length",
    "Content-Location",
    "Content-MD5",
    "Content-Range",
    "Content-Type",
    "Date",
    "Etag",
    "Expires",
    "From",
    "Host",
    "If-Modified-Since",
    "If-Match",
    "If-None-Match",
    "If-Range",
    "If-Unmodified-Since",
    "Location",
    "Last-Modified",
    "Max-Forwards",
    "Pragma",
    "Proxy-Authenticate",
    "Proxy-Authorization",
    "Public",
    "Range",
    "Referer",
    "Retry-After",
    "Server",
    "Transfer-Encoding",
    "Upgrade",
    "User-Agent",
    "Vary",
    "Via",
    "Warning",
    "WWW-Authenticate",
    "Content-Disposition",
    "X-Wap-Application-Id",
    "X-Wap-Content-URI",
    "X-Wap-Initiator-URI",
    "Accept-Application",
    "Bearer-Indication",
    "Push-Flag",
    "Profile",
    "Profile-Diff",
    "Profile-Warning",
    "Expect",
    "TE",
    "Trailer",
    "Accept-Charset",
    "Accept-Encoding",
    "Cache-Control",
    "Content-Range",
    "X-Wap-Tod",
    "Content-ID",
    "Set-Cookie",
    "Cookie",
    "Encoding-Version",
    "Profile-Warning",
    "Content-Disposition",
    "X-WAP-Security",
    "Cache-Control",
];

/// Header field codes this crate reads by meaning.
pub mod header {
    /// Content-Location (Uri-value).
    pub const CONTENT_LOCATION: u8 = 0x0E;
    /// Content-Type.
    pub const CONTENT_TYPE: u8 = 0x11;
    /// Content-Disposition (WSP 1.1 code).
    pub const CONTENT_DISPOSITION: u8 = 0x2E;
    /// X-Wap-Application-Id.
    pub const X_WAP_APPLICATION_ID: u8 = 0x2F;
    /// Content-ID (quoted-string).
    pub const CONTENT_ID: u8 = 0x40;
    /// Content-Disposition (WSP 1.4 code).
    pub const CONTENT_DISPOSITION_14: u8 = 0x45;
}

/// Well-known parameter codes (Table 38), the WSP 1.1–1.3 forms that MMS peers write.
pub mod param {
    /// Q (q-value, uintvar-coded).
    pub const Q: u8 = 0x00;
    /// Charset (Well-known-charset).
    pub const CHARSET: u8 = 0x01;
    /// Level.
    pub const LEVEL: u8 = 0x02;
    /// Type (Integer-value).
    pub const TYPE_INTEGER: u8 = 0x03;
    /// Name (text-string).
    pub const NAME: u8 = 0x05;
    /// Filename (text-string).
    pub const FILENAME: u8 = 0x06;
    /// Type of multipart/related (Constrained-encoding).
    pub const TYPE: u8 = 0x09;
    /// Start of multipart/related (text-string).
    pub const START: u8 = 0x0A;
    /// Start-info (text-string).
    pub const START_INFO: u8 = 0x0B;
    /// Name (WSP 1.4 Text-value).
    pub const NAME_14: u8 = 0x17;
    /// Filename (WSP 1.4 Text-value).
    pub const FILENAME_14: u8 = 0x18;
    /// Start (WSP 1.4 Text-value).
    pub const START_14: u8 = 0x19;
}

/// Names of the well-known parameters, indexed by code (0x00–0x1D), for display.
pub const PARAM_NAMES: &[&str] = &[
    "q",
    "charset",
    "level",
    "type",
    "",
    "name",
    "filename",
    "differences",
    "padding",
    "type",
    "start",
    "start-info",
    "comment",
    "domain",
    "max-age",
    "path",
    "secure",
    "sec",
    "mac",
    "creation-date",
    "modification-date",
    "read-date",
    "size",
    "name",
    "filename",
    "start",
    "start-info",
    "comment",
    "domain",
    "path",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_match_the_assignment_table() {
        assert_eq!(
            content_type_code("application/vnd.wap.multipart.related"),
            Some(0x33)
        );
        assert_eq!(
            content_type_code("application/vnd.wap.mms-message"),
            Some(0x3E)
        );
        assert_eq!(content_type_code("image/jpeg"), Some(0x1E));
        assert_eq!(
            content_type_code("application/vnd.wap.multipart.mixed"),
            Some(0x23)
        );
        assert_eq!(content_type_name(0x03), Some("text/plain"));
        assert_eq!(HEADER_NAMES[usize::from(header::CONTENT_ID)], "Content-ID");
        assert_eq!(
            HEADER_NAMES[usize::from(header::X_WAP_APPLICATION_ID)],
            "X-Wap-Application-Id"
        );
        assert_eq!(PARAM_NAMES[usize::from(param::START)], "start");
    }
}
