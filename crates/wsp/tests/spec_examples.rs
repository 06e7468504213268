//! Byte-exact examples worked out by hand from WAP-230-WSP and OMA-MMS-ENC, in the spirit of the Mozilla
//! (CC0) WSP helper cases: each value is encoded, compared with the expected octets, and decoded back.

use canvass_wsp::{
    ContentType, EncodedString, Parameter, Reader, charset, put_content_type, put_encoded_string,
    put_integer_value, put_long_integer, put_text_string, put_uintvar, put_value_length,
};

fn bytes(f: impl FnOnce(&mut Vec<u8>)) -> Vec<u8> {
    let mut out = Vec::new();
    f(&mut out);
    out
}

#[test]
fn uintvar_boundaries() {
    // 8.1.2: seven bits per octet, continuation bit on all but the last.
    for (value, wire) in [
        (0u32, vec![0x00]),
        (0x7F, vec![0x7F]),
        (0x80, vec![0x81, 0x00]),
        (0x3FFF, vec![0xFF, 0x7F]),
        (0x4000, vec![0x81, 0x80, 0x00]),
        (u32::MAX, vec![0x8F, 0xFF, 0xFF, 0xFF, 0x7F]),
    ] {
        assert_eq!(bytes(|o| put_uintvar(o, value)), wire, "{value:#x}");
        assert_eq!(Reader::new(&wire).uintvar().unwrap(), value);
    }
}

#[test]
fn integers() {
    // 8.4.2.1: short-integer sets the high bit; long-integer is a length then big-endian octets.
    assert_eq!(bytes(|o| put_integer_value(o, 0)), [0x80]);
    assert_eq!(bytes(|o| put_integer_value(o, 127)), [0xFF]);
    assert_eq!(bytes(|o| put_integer_value(o, 128)), [0x01, 0x80]);
    assert_eq!(bytes(|o| put_long_integer(o, 0)), [0x01, 0x00]);
    // A Date-value: 2011-05-31T08:42:30Z, as in an OMA conformance retrieve-conf.
    assert_eq!(
        bytes(|o| put_long_integer(o, 1_306_831_350)),
        [0x04, 0x4D, 0xE4, 0xA9, 0xF6]
    );
    assert_eq!(
        Reader::new(&[0x04, 0x4D, 0xE4, 0xA9, 0xF6])
            .long_integer()
            .unwrap(),
        1_306_831_350
    );
}

#[test]
fn value_length_switches_to_uintvar_at_31() {
    assert_eq!(bytes(|o| put_value_length(o, 30).unwrap()), [30]);
    assert_eq!(bytes(|o| put_value_length(o, 31).unwrap()), [31, 31]);
    assert_eq!(
        bytes(|o| put_value_length(o, 200).unwrap()),
        [31, 0x81, 0x48]
    );
}

#[test]
fn text_strings() {
    assert_eq!(bytes(|o| put_text_string(o, "abc").unwrap()), b"abc\0");
    assert_eq!(bytes(|o| put_text_string(o, "").unwrap()), [0]);
    // First octet 0x80 or above is quoted with 0x7F.
    assert_eq!(
        bytes(|o| put_text_string(o, "ü").unwrap()),
        [0x7F, 0xC3, 0xBC, 0]
    );
}

#[test]
fn encoded_string_values() {
    // OMA-MMS-ENC 7.2.9: value-length, charset (UTF-8 = 106 = 0xEA), text-string.
    let utf8 = EncodedString::utf8("Hi");
    assert_eq!(
        bytes(|o| put_encoded_string(o, &utf8).unwrap()),
        [0x04, 0xEA, b'H', b'i', 0]
    );
    // UCS-2 (1000 = long-integer 0x02 0x03 0xE8), big-endian, two-octet terminator.
    let ucs2 = EncodedString {
        charset: Some(charset::UCS_2),
        text: "Hi".into(),
    };
    let wire = [0x09, 0x02, 0x03, 0xE8, 0x00, b'H', 0x00, b'i', 0x00, 0x00];
    assert_eq!(bytes(|o| put_encoded_string(o, &ucs2).unwrap()), wire);
    assert_eq!(Reader::new(&wire).encoded_string().unwrap(), ucs2);
    // A single NUL after UCS-2 text, as some handsets write it, is accepted too.
    let short = [0x08, 0x02, 0x03, 0xE8, 0x00, b'H', 0x00, b'i', 0x00];
    assert_eq!(Reader::new(&short).encoded_string().unwrap(), ucs2);
}

#[test]
fn multipart_related_content_type() {
    // 8.4.2.24 general form: length, 0xB3 (multipart.related), type (0x89), start (0x8A).
    let ct = ContentType::new("application/vnd.wap.multipart.related")
        .with(Parameter::related_type("application/smil"))
        .with(Parameter::start("<0000>"));
    let mut wire = vec![0x1B, 0xB3, 0x89];
    wire.extend_from_slice(b"application/smil\0");
    wire.push(0x8A);
    wire.extend_from_slice(b"<0000>\0");
    assert_eq!(bytes(|o| put_content_type(o, &ct).unwrap()), wire);
    assert_eq!(Reader::new(&wire).content_type().unwrap(), ct);
}

#[test]
fn extension_media_and_charset_parameter() {
    // A media type with no well-known code is a text-string; with a parameter it takes the general form.
    assert_eq!(
        bytes(|o| put_content_type(o, &ContentType::new("audio/amr")).unwrap()),
        b"audio/amr\0"
    );
    let ct = ContentType::new("text/x-vCard").with(Parameter::charset(charset::ISO_8859_1));
    assert_eq!(
        bytes(|o| put_content_type(o, &ct).unwrap()),
        [0x03, 0x87, 0x81, 0x84]
    );
}
