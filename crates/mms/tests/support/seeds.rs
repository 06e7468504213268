//! Fuzz seeds made from our own encodes (never third-party files): small PDUs of every message type, their
//! WAP Push forms and SMS segments, and WSP primitives taken out of them.

use canvass_mms::wap_push::{self, SegmentOptions};
use canvass_mms::wsp::{put_content_type, put_header, put_multipart};
use canvass_mms::{Content, encode};

use super::samples;

/// (target, name, bytes) for every seed.
pub fn all() -> Vec<(&'static str, String, Vec<u8>)> {
    let mut seeds = Vec::new();
    for (label, mut pdu) in samples::all() {
        if let Some(body) = &mut pdu.body
            && matches!(body.content, Content::Parts(_))
        {
            // Keep seeds small: fuzzers mutate short inputs far better.
            *body = samples::slideshow(1, 16);
        }
        if let Some(body) = &mut pdu.body
            && let Content::Single(data) = &mut body.content
        {
            data.truncate(64);
        }
        let bytes = encode(&pdu).unwrap();
        if let Some(body) = &pdu.body {
            let mut ct = vec![0];
            put_content_type(&mut ct, &body.content_type).unwrap();
            seeds.push(("wsp", format!("{label}-content-type"), ct));
            if let Content::Parts(parts) = &body.content {
                let mut mp = vec![3];
                put_multipart(&mut mp, parts).unwrap();
                seeds.push(("wsp", format!("{label}-multipart"), mp));
                let mut headers = vec![1];
                for h in parts.iter().flat_map(|p| &p.headers) {
                    put_header(&mut headers, h).unwrap();
                }
                seeds.push(("wsp", format!("{label}-part-headers"), headers));
            }
        }
        seeds.push(("mms", label, bytes));
    }
    for (label, pdu) in samples::notifications() {
        seeds.push((
            "push",
            format!("{label}-push"),
            wap_push::push_pdu(&pdu, 1).unwrap(),
        ));
        let segments = wap_push::segments(&pdu, &SegmentOptions::default()).unwrap();
        seeds.push(("push", format!("{label}-segments"), segments.join(&0xFF)));
    }
    seeds
}
