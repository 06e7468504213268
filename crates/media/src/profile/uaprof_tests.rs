use super::*;
use crate::profile::defaults::default_profiles;

/// A profile in the shape current handsets publish: OMA namespaces, one component per characteristic, the MMS
/// accept list as an rdf:Bag. Written for these tests (the device is made up).
const MODERN: &str = r##"<?xml version="1.0" encoding="UTF-8"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"
         xmlns:prf="http://www.openmobilealliance.org/tech/profiles/UAPROF/ccppschema-20021212#"
         xmlns:mms="http://www.openmobilealliance.org/tech/profiles/MMS/ccppschema-20050301-MMS1.2#">
  <rdf:Description rdf:ID="Profile">
    <prf:component>
      <rdf:Description rdf:ID="HardwarePlatform">
        <rdf:type rdf:resource="http://www.openmobilealliance.org/tech/profiles/UAPROF/ccppschema-20021212#HardwarePlatform"/>
        <prf:Vendor>Canvass Test Devices</prf:Vendor>
        <prf:Model>CT-200</prf:Model>
        <prf:ScreenSize>480x800</prf:ScreenSize>
        <prf:ColorCapable>Yes</prf:ColorCapable>
      </rdf:Description>
    </prf:component>
    <prf:component>
      <rdf:Description rdf:ID="MmsCharacteristics">
        <rdf:type rdf:resource="http://www.openmobilealliance.org/tech/profiles/MMS/ccppschema-20050301-MMS1.2#MmsCharacteristics"/>
        <mms:MmsMaxMessageSize>614400</mms:MmsMaxMessageSize>
        <mms:MmsMaxImageResolution>1600x1200</mms:MmsMaxImageResolution>
        <mms:MmsCcppAccept>
          <rdf:Bag>
            <rdf:li>application/smil</rdf:li>
            <rdf:li>text/plain</rdf:li>
            <rdf:li>Image/JPEG</rdf:li>
            <rdf:li>image/gif</rdf:li>
            <rdf:li>image/png</rdf:li>
            <rdf:li>video/3gpp</rdf:li>
            <rdf:li>video/mp4; codecs="avc1.42E01E"</rdf:li>
            <rdf:li>audio/amr</rdf:li>
            <rdf:li>image/jpeg</rdf:li>
          </rdf:Bag>
        </mms:MmsCcppAccept>
        <mms:MmsCcppAcceptCharSet>
          <rdf:Bag>
            <rdf:li>utf-8</rdf:li>
          </rdf:Bag>
        </mms:MmsCcppAcceptCharSet>
        <mms:MmsVersion>
          <rdf:Bag>
            <rdf:li>1.2</rdf:li>
          </rdf:Bag>
        </mms:MmsVersion>
      </rdf:Description>
    </prf:component>
  </rdf:Description>
</rdf:RDF>
"##;

/// The older WAP Forum shape: the MMS schema bound to the `prf` prefix, a `prf:Defaults` block the explicit
/// values override, a property written as an attribute, and `X` as the resolution separator.
const LEGACY: &str = r##"<?xml version="1.0"?>
<!DOCTYPE rdf:RDF [ <!ENTITY ns-mms "http://www.wapforum.org/profiles/MMS/ccppschema-20010111#"> ]>
<RDF xmlns="http://www.w3.org/1999/02/22-rdf-syntax-ns#"
     xmlns:prf="http://www.wapforum.org/profiles/MMS/ccppschema-20010111#">
  <Description ID="MmsCharacteristics"
               prf:MmsMaxImageResolution="176X208">
    <prf:Defaults>
      <Description>
        <prf:MmsMaxMessageSize>102400</prf:MmsMaxMessageSize>
        <prf:MmsMaxImageResolution>640x480</prf:MmsMaxImageResolution>
      </Description>
    </prf:Defaults>
    <prf:MmsMaxMessageSize>
      51200
    </prf:MmsMaxMessageSize>
    <prf:MmsCcppAccept>
      <Seq>
        <li>image/jpeg</li>
        <li>image/gif, image/vnd.wap.wbmp</li>
        <li>audio/amr</li>
        <li>not-a-type</li>
      </Seq>
    </prf:MmsCcppAccept>
  </Description>
</RDF>
"##;

#[test]
fn reads_a_modern_profile() {
    let caps = HandsetCapabilities::from_uaprof(MODERN).expect("valid UAProf");
    assert_eq!(caps.max_message_bytes, Some(614_400));
    assert_eq!(caps.max_image, Some((1600, 1200)));
    let types = caps.accepted_types.expect("an accept list");
    assert_eq!(
        types,
        [
            "application/smil",
            "text/plain",
            "image/jpeg",
            "image/gif",
            "image/png",
            "video/3gpp",
            "video/mp4",
            "audio/amr"
        ]
    );
    assert!(
        !types.iter().any(|t| t == "utf-8"),
        "MmsCcppAcceptCharSet is not the accept list"
    );
}

#[test]
fn reads_a_legacy_profile_explicit_values_over_defaults() {
    let caps = HandsetCapabilities::from_uaprof(LEGACY).expect("valid UAProf");
    assert_eq!(
        caps.max_message_bytes,
        Some(51_200),
        "the explicit value, not the Defaults block's"
    );
    assert_eq!(
        caps.max_image,
        Some((176, 208)),
        "the attribute form, not the Defaults block's"
    );
    assert_eq!(
        caps.accepted_types.expect("an accept list"),
        ["image/jpeg", "image/gif", "image/vnd.wap.wbmp", "audio/amr"]
    );
}

#[test]
fn defaults_apply_when_nothing_overrides_them() {
    let only_defaults = LEGACY
        .replace(r#"prf:MmsMaxImageResolution="176X208""#, "")
        .replace(
            "<prf:MmsMaxMessageSize>\n      51200\n    </prf:MmsMaxMessageSize>",
            "",
        );
    let caps = HandsetCapabilities::from_uaprof(&only_defaults).expect("valid UAProf");
    assert_eq!(caps.max_message_bytes, Some(102_400));
    assert_eq!(caps.max_image, Some((640, 480)));
}

#[test]
fn a_wildcard_accept_list_is_no_restriction_and_zero_is_no_statement() {
    let open = MODERN
        .replace("<rdf:li>text/plain</rdf:li>", "<rdf:li>*/*</rdf:li>")
        .replace(">614400<", ">0<");
    let caps = HandsetCapabilities::from_uaprof(&open).expect("valid UAProf");
    assert_eq!(caps.accepted_types, None);
    assert_eq!(caps.max_message_bytes, None);
    assert_eq!(caps.max_image, Some((1600, 1200)));
}

#[test]
fn a_profile_without_mms_attributes_states_nothing() {
    let start = MODERN
        .find("<prf:component>\n      <rdf:Description rdf:ID=\"MmsCharacteristics\">")
        .expect("mms");
    let end = MODERN.rfind("</prf:component>").expect("end") + "</prf:component>".len();
    let without = format!("{}{}", &MODERN[..start], &MODERN[end..]);
    let caps = HandsetCapabilities::from_uaprof(&without).expect("valid UAProf");
    assert!(caps.is_empty(), "{caps:?}");
}

#[test]
fn refuses_what_is_not_a_uaprof_document() {
    for (text, expect) in [
        ("<html><body>502 Bad Gateway</body></html>", "not rdf:RDF"),
        ("<rdf:RDF xmlns:rdf=\"x\"><unclosed></rdf:RDF>", ""),
        ("", ""),
    ] {
        match HandsetCapabilities::from_uaprof(text) {
            Err(Error::Corrupt { what, reason }) => {
                assert_eq!(what, "UAProf document");
                assert!(reason.contains(expect), "{reason}");
            }
            other => panic!("{text:?}: expected a corrupt-document error, got {other:?}"),
        }
    }
    let huge = format!("<rdf:RDF>{}</rdf:RDF>", " ".repeat(MAX_DOCUMENT_BYTES));
    assert!(matches!(
        HandsetCapabilities::from_uaprof(&huge),
        Err(Error::TooLarge { .. })
    ));
}

#[test]
fn entity_expansion_is_bounded() {
    let bomb = r#"<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY a "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa">
 <!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
 <!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">
 <!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">
 <!ENTITY e "&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;">
 <!ENTITY f "&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;">
]>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><x>&f;</x></rdf:RDF>"#;
    // roxmltree refuses runaway entity expansion; either way the parser returns instead of exhausting memory.
    let result = HandsetCapabilities::from_uaprof(bomb);
    assert!(matches!(result, Err(Error::Corrupt { .. })), "{result:?}");
}

#[test]
fn the_handset_tightens_a_default_carrier_profile() {
    let caps = HandsetCapabilities::from_uaprof(LEGACY).expect("valid UAProf");
    let carrier = default_profiles()
        .expect("defaults")
        .into_iter()
        .find(|p| p.name == "verizon-long-code")
        .expect("verizon-long-code");
    let tight = carrier.tightened(&caps);
    assert_eq!(tight.max_message_bytes, 51_200);
    assert_eq!(tight.image_box(), (208, 176));
    assert!(tight.accepts("image/jpeg") && tight.accepts("audio/amr"));
    assert!(!tight.accepts("image/png"), "the handset does not list PNG");
    assert!(tight.video.is_none(), "the handset lists no video type");
}
