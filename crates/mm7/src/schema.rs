//! What each MM7 schema namespace defines, so that the writer never puts an element into a namespace whose
//! schema lacks it.
//!
//! Every REL-5 and REL-6 schema defines the messages and the elements that TS 23.140 Release 5 has; later
//! schemas add optional elements, attributes and enumeration values. [`SINCE`] lists those additions with
//! the first namespace that has each. A peer validating against an older schema rejects the whole request
//! on an element it does not know (4004 Validation error), so [`crate::encode`] refuses such a message with
//! [`ErrorKind::NotInSchema`] rather than send it, and leaves the choice to the caller: set the peer's newer
//! namespace, or call [`Envelope::drop_unsupported`], which clears those fields and says which, so that the
//! loss can be logged. Silently dropping them instead would change what was asked for (a DeliveryCondition
//! or a ChargedPartyID is not decoration).
//!
//! Provenance: Release 6 features (application addressing, content class and DRM, delivery conditions,
//! adaptations, UA capabilities in MM7, third-party charging, service provider identities, address hiding,
//! MM status extensions) are absent from every REL-5 schema. The minor version within REL-6 follows the
//! TS 23.140 V6.x change history as far as it could be established; where unsure the later namespace is
//! listed, which errs towards refusing, never towards writing an undefined element. SenderSPI,
//! RecipientSPI, ChargedPartyID, `addressCoding` are confirmed present in REL-6-MM7-1-3 WSDLs in use.
//! [`Namespace::Other`] has no known schema and is written in full.

use crate::error::{Error, ErrorKind};
use crate::message::{ApplicationIds, Body};
use crate::types::{Address, ChargedParty, Recipients, SenderIdentification};
use crate::{Envelope, Namespace};

/// A version-dependent element, attribute (`@name`) or value (`Element=value`), and the first schema
/// namespace, (release, minor), that defines it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Since {
    /// What is written.
    pub element: &'static str,
    /// The first (release, minor) that has it: (6, 0) is REL-6-MM7-1-0.
    pub since: (u8, u8),
}

impl Since {
    /// The first namespace that defines it.
    pub fn namespace(&self) -> Namespace {
        match self.since {
            (5, minor) => Namespace::Rel5(minor),
            (_, minor) => Namespace::Rel6(minor),
        }
    }
}

const fn rel6(element: &'static str, minor: u8) -> Since {
    Since {
        element,
        since: (6, minor),
    }
}

const APPLIC_ID: Since = rel6("ApplicID", 0);
const REPLY_APPLIC_ID: Since = rel6("ReplyApplicID", 0);
const AUX_APPLIC_INFO: Since = rel6("AuxApplicInfo", 0);
const ALLOW_ADAPTATIONS: Since = rel6("Content@allowAdaptations", 0);
const UA_CAPABILITIES: Since = rel6("UACapabilities", 0);
const DISTRIBUTION_INDICATOR: Since = rel6("DistributionIndicator", 0);
const DISPLAY_ONLY: Since = rel6("@displayOnly", 0);
const CONTENT_CLASS: Since = rel6("ContentClass", 1);
const DRM_CONTENT: Since = rel6("DRMContent", 1);
const DELIVERY_CONDITION: Since = rel6("DeliveryCondition", 1);
const CHARGED_PARTY_ID: Since = rel6("ChargedPartyID", 3);
const THIRD_PARTY: Since = rel6("ChargedParty=ThirdParty", 3);
const SENDER_SPI: Since = rel6("SenderSPI", 3);
const RECIPIENT_SPI: Since = rel6("RecipientSPI", 3);
const ADDRESS_CODING: Since = rel6("@addressCoding", 3);
const MM_STATUS_EXTENSION: Since = rel6("MMStatusExtension", 4);

/// Every version-dependent item the writer knows, oldest first.
pub const SINCE: [Since; 16] = [
    APPLIC_ID,
    REPLY_APPLIC_ID,
    AUX_APPLIC_INFO,
    ALLOW_ADAPTATIONS,
    UA_CAPABILITIES,
    DISTRIBUTION_INDICATOR,
    DISPLAY_ONLY,
    CONTENT_CLASS,
    DRM_CONTENT,
    DELIVERY_CONDITION,
    CHARGED_PARTY_ID,
    THIRD_PARTY,
    SENDER_SPI,
    RECIPIENT_SPI,
    ADDRESS_CODING,
    MM_STATUS_EXTENSION,
];

/// The newest schema this crate writes: nothing needs checking there.
const NEWEST: (u8, u8) = (6, 4);

/// Called with each version-dependent item the message sets; a `false` answer clears it.
type Keep<'a> = dyn FnMut(Since) -> bool + 'a;

fn option<T>(slot: &mut Option<T>, item: Since, keep: &mut Keep<'_>) {
    if slot.is_some() && !keep(item) {
        *slot = None;
    }
}

fn address(address: &mut Address, keep: &mut Keep<'_>) {
    option(&mut address.display_only, DISPLAY_ONLY, keep);
    option(&mut address.address_coding, ADDRESS_CODING, keep);
}

fn recipients(recipients: &mut Recipients, keep: &mut Keep<'_>) {
    for list in [&mut recipients.to, &mut recipients.cc, &mut recipients.bcc] {
        list.iter_mut().for_each(|a| address(a, keep));
    }
}

fn sender(sender: &mut SenderIdentification, keep: &mut Keep<'_>) {
    if let Some(a) = &mut sender.sender_address {
        address(a, keep);
    }
}

fn application(ids: &mut ApplicationIds, keep: &mut Keep<'_>) {
    option(&mut ids.applic_id, APPLIC_ID, keep);
    option(&mut ids.reply_applic_id, REPLY_APPLIC_ID, keep);
    option(&mut ids.aux_applic_info, AUX_APPLIC_INFO, keep);
}

fn adaptations(content: &mut Option<crate::ContentRef>, keep: &mut Keep<'_>) {
    if let Some(content) = content {
        option(&mut content.allow_adaptations, ALLOW_ADAPTATIONS, keep);
    }
}

/// Offers every version-dependent item `body` sets to `keep`, in writing order, clearing those refused.
fn visit(body: &mut Body, keep: &mut Keep<'_>) {
    match body {
        Body::SubmitReq(m) => {
            sender(&mut m.sender_identification, keep);
            recipients(&mut m.recipients, keep);
            if m.charged_party == Some(ChargedParty::ThirdParty) && !keep(THIRD_PARTY) {
                m.charged_party = None;
            }
            option(&mut m.charged_party_id, CHARGED_PARTY_ID, keep);
            option(&mut m.distribution_indicator, DISTRIBUTION_INDICATOR, keep);
            if !m.delivery_condition.is_empty() && !keep(DELIVERY_CONDITION) {
                m.delivery_condition.clear();
            }
            application(&mut m.application, keep);
            option(&mut m.content_class, CONTENT_CLASS, keep);
            option(&mut m.drm_content, DRM_CONTENT, keep);
            adaptations(&mut m.content, keep);
        }
        Body::DeliverReq(m) => {
            address(&mut m.sender, keep);
            if let Some(r) = &mut m.recipients {
                recipients(r, keep);
            }
            option(&mut m.sender_spi, SENDER_SPI, keep);
            option(&mut m.recipient_spi, RECIPIENT_SPI, keep);
            application(&mut m.application, keep);
            option(&mut m.ua_capabilities, UA_CAPABILITIES, keep);
            adaptations(&mut m.content, keep);
        }
        Body::DeliveryReportReq(m) => {
            address(&mut m.recipient, keep);
            address(&mut m.sender, keep);
            option(&mut m.mm_status_extension, MM_STATUS_EXTENSION, keep);
            application(&mut m.application, keep);
            option(&mut m.ua_capabilities, UA_CAPABILITIES, keep);
        }
        Body::ReadReplyReq(m) => {
            address(&mut m.recipient, keep);
            address(&mut m.sender, keep);
            application(&mut m.application, keep);
        }
        Body::CancelReq(m) => sender(&mut m.sender_identification, keep),
        Body::ReplaceReq(m) => {
            sender(&mut m.sender_identification, keep);
            option(&mut m.distribution_indicator, DISTRIBUTION_INDICATOR, keep);
            option(&mut m.content_class, CONTENT_CLASS, keep);
            option(&mut m.drm_content, DRM_CONTENT, keep);
            adaptations(&mut m.content, keep);
        }
        Body::SubmitRsp(_)
        | Body::DeliverRsp(_)
        | Body::DeliveryReportRsp(_)
        | Body::ReadReplyRsp(_)
        | Body::CancelRsp(_)
        | Body::ReplaceRsp(_)
        | Body::RsErrorRsp(_)
        | Body::VaspErrorRsp(_) => {}
    }
}

/// The items `body` sets that `namespace`'s schema does not define, in writing order.
pub fn unsupported(body: &Body, namespace: &Namespace) -> Vec<Since> {
    let Some(order) = namespace.schema_order().filter(|order| *order < NEWEST) else {
        return Vec::new();
    };
    let mut found = Vec::new();
    visit(&mut body.clone(), &mut |item: Since| {
        if item.since > order {
            found.push(item);
        }
        true
    });
    found
}

/// The writer's check: the first item the namespace lacks, as an error at its element path.
pub(crate) fn check(envelope: &Envelope) -> Result<(), Error> {
    match unsupported(&envelope.body, &envelope.namespace).first() {
        None => Ok(()),
        Some(item) => Err(Error::new(
            ErrorKind::NotInSchema {
                element: item.element,
                namespace: envelope.namespace.name(),
                since: item.namespace().name(),
            },
            format!(
                "Envelope/Body/{}/{}",
                envelope.body.element_name(),
                item.element
            ),
        )),
    }
}

impl Envelope {
    /// Clears every field that the envelope's namespace does not define (see [`unsupported`]) and returns
    /// their names, so that the message can be written to an older peer and the loss logged.
    pub fn drop_unsupported(&mut self) -> Vec<&'static str> {
        let Some(order) = self.namespace.schema_order() else {
            return Vec::new();
        };
        let mut dropped = Vec::new();
        visit(&mut self.body, &mut |item: Since| {
            let keep = item.since <= order;
            if !keep {
                dropped.push(item.element);
            }
            keep
        });
        dropped
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{AddressKind, ContentRef, DeliveryReportReq, MmStatus, SubmitReq, encode};

    fn submit(namespace: Namespace) -> Envelope {
        let mut submit = SubmitReq::default();
        submit.recipients.to.push(Address::number("+15551230000"));
        Envelope::new("t", namespace, Body::SubmitReq(submit))
    }

    fn submit_mut(envelope: &mut Envelope) -> &mut SubmitReq {
        match &mut envelope.body {
            Body::SubmitReq(m) => m,
            _ => unreachable!(),
        }
    }

    #[test]
    fn table_is_ordered_and_within_rel6() {
        assert!(SINCE.windows(2).all(|p| p[0].since <= p[1].since));
        assert!(SINCE.iter().all(|s| s.since >= (6, 0) && s.since <= NEWEST));
    }

    #[test]
    fn refuses_an_element_of_a_later_schema_and_names_it() {
        let mut envelope = submit(Namespace::Rel5(2));
        submit_mut(&mut envelope).application.applic_id = Some("app".into());
        let error = encode(&envelope).unwrap_err();
        assert_eq!(
            error.kind(),
            &ErrorKind::NotInSchema {
                element: "ApplicID",
                namespace: "REL-5-MM7-1-2".into(),
                since: "REL-6-MM7-1-0".into(),
            }
        );
        assert_eq!(error.location(), "Envelope/Body/SubmitReq/ApplicID");
        envelope.namespace = Namespace::Rel6(0);
        let written = encode(&envelope).unwrap();
        assert!(String::from_utf8_lossy(&written.body).contains("<ApplicID>app</ApplicID>"));
    }

    #[test]
    fn minor_versions_within_rel6_count() {
        let mut envelope = submit(Namespace::Rel6(2));
        submit_mut(&mut envelope).charged_party_id = Some("payer".into());
        assert!(matches!(
            encode(&envelope).unwrap_err().kind(),
            ErrorKind::NotInSchema {
                element: "ChargedPartyID",
                ..
            }
        ));
        envelope.namespace = Namespace::Rel6(3);
        assert!(encode(&envelope).is_ok());
    }

    #[test]
    fn attributes_and_values_are_checked_too() {
        let mut envelope = submit(Namespace::Rel5(5));
        let message = submit_mut(&mut envelope);
        message.recipients.cc.push(Address {
            kind: AddressKind::Rfc2822,
            value: "a@example.com".into(),
            display_only: None,
            address_coding: Some("obfuscated".into()),
        });
        message.charged_party = Some(ChargedParty::ThirdParty);
        message.content = Some(ContentRef {
            href: "http://example.com/c".into(),
            allow_adaptations: Some(false),
        });
        let names: Vec<_> = unsupported(&envelope.body, &envelope.namespace)
            .iter()
            .map(|s| s.element)
            .collect();
        assert_eq!(
            names,
            [
                "@addressCoding",
                "ChargedParty=ThirdParty",
                "Content@allowAdaptations"
            ]
        );
    }

    #[test]
    fn drop_unsupported_clears_only_what_the_schema_lacks() {
        let mut envelope = Envelope::new(
            "t",
            Namespace::Rel6(3),
            Body::DeliveryReportReq(DeliveryReportReq {
                relay_server_id: Some("mmsc".into()),
                message_id: "m".into(),
                recipient: Address::number("+1555"),
                sender: Address::number("12345"),
                date: "2026-11-25T10:00:00Z".into(),
                mm_status: MmStatus::Retrieved,
                mm_status_extension: Some("ext".into()),
                status_text: Some("ok".into()),
                application: ApplicationIds::default(),
                ua_capabilities: Some(Default::default()),
            }),
        );
        assert_eq!(envelope.drop_unsupported(), ["MMStatusExtension"]);
        let written = String::from_utf8(encode(&envelope).unwrap().body).unwrap();
        assert!(!written.contains("MMStatusExtension"));
        assert!(
            written.contains("<UACapabilities/>")
                && written.contains("<StatusText>ok</StatusText>")
        );
        envelope.namespace = Namespace::Rel5(0);
        assert_eq!(envelope.drop_unsupported(), ["UACapabilities"]);
        assert!(encode(&envelope).is_ok());
    }

    #[test]
    fn unknown_namespaces_and_the_newest_are_written_in_full() {
        for namespace in [Namespace::Rel6(4), Namespace::Other("urn:peer".into())] {
            let mut envelope = submit(namespace);
            let message = submit_mut(&mut envelope);
            message.delivery_condition = vec![1];
            message.content_class = Some("text".into());
            assert!(encode(&envelope).is_ok());
            assert!(envelope.drop_unsupported().is_empty());
        }
    }
}
