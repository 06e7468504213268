//! HTTP Basic auth on our endpoint: the MMSC must present the credentials the route was given.

use axum::{
    http::{HeaderMap, StatusCode, header},
    response::{IntoResponse, Response},
};

/// The `Authorization` value the MMSC must send, kept encoded so each request costs one comparison.
#[derive(Clone)]
pub(crate) struct ExpectedCredentials {
    encoded: String,
}

impl std::fmt::Debug for ExpectedCredentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never the password in logs.
        f.write_str("ExpectedCredentials(..)")
    }
}

impl ExpectedCredentials {
    pub(crate) fn new(user: &str, password: &str) -> Self {
        Self {
            encoded: base64(format!("{user}:{password}").as_bytes()),
        }
    }

    /// `None` when the request carries the credentials; otherwise the 401 to send.
    pub(crate) fn check(&self, headers: &HeaderMap) -> Option<Response> {
        let given = headers
            .get(header::AUTHORIZATION)
            .and_then(|value| value.to_str().ok())
            .and_then(|value| value.trim().split_once(' '))
            .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("basic"))
            .map(|(_, encoded)| encoded.trim());
        match given {
            Some(encoded) if same_bytes(encoded.as_bytes(), self.encoded.as_bytes()) => None,
            _ => Some(
                (
                    StatusCode::UNAUTHORIZED,
                    [(header::WWW_AUTHENTICATE, "Basic realm=\"mm7\"")],
                    "this MM7 endpoint needs valid Basic credentials",
                )
                    .into_response(),
            ),
        }
    }
}

/// Compares without stopping at the first difference, so timing does not tell how much of a guess was right.
fn same_bytes(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |diff, (x, y)| diff | (x ^ y)) == 0
}

/// Standard base64 with padding (RFC 4648 §4), as Basic auth uses.
fn base64(data: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(data.len().div_ceil(3) * 4);
    for chunk in data.chunks(3) {
        let bytes = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let triple = u32::from_be_bytes([0, bytes[0], bytes[1], bytes[2]]);
        for index in 0..4 {
            if index <= chunk.len() {
                out.push(char::from(
                    ALPHABET[(triple >> (18 - 6 * index) & 63) as usize],
                ));
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_matches_rfc4648_vectors() {
        for (plain, encoded) in [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg=="),
            ("vasp:s3cret", "dmFzcDpzM2NyZXQ="),
        ] {
            assert_eq!(base64(plain.as_bytes()), encoded);
        }
    }

    #[test]
    fn only_the_right_credentials_pass() {
        let expected = ExpectedCredentials::new("vasp", "s3cret");
        let mut headers = HeaderMap::new();
        assert!(expected.check(&headers).is_some(), "missing");
        headers.insert(
            header::AUTHORIZATION,
            "basic dmFzcDpzM2NyZXQ=".parse().expect("value"),
        );
        assert!(expected.check(&headers).is_none(), "right");
        headers.insert(
            header::AUTHORIZATION,
            "Basic dmFzcDp3cm9uZw==".parse().expect("value"),
        );
        let refusal = expected.check(&headers).expect("wrong is refused");
        assert_eq!(refusal.status(), StatusCode::UNAUTHORIZED);
        assert!(refusal.headers().contains_key(header::WWW_AUTHENTICATE));
    }
}
