//! What an MM7 `StatusCode` in a SubmitRsp (or RSErrorRsp) means for the message: the one table for it.
//!
//! Codes and texts are those of 3GPP TS 23.140 §8.7.4, "Request Status Codes" (Table 20 of Rel-5/Rel-6):
//! 1xxx success, 2xxx client errors (our request was wrong), 3xxx server errors, 4xxx service errors.
//! Which are temporary is our reading of the spec's descriptions, as [`canvass_mm7::StatusCode::is_temporary`]
//! also encodes it: only failures of the MMSC itself, where the same request may succeed later, are retried.
//! 4006 "Service unavailable" is what MMSCs answer when a VASP exceeds its throughput (TS 23.140: "the
//! service is currently unavailable"), so it is a throttle: answered at once as `Throttled`, not retried
//! here, so that dispatch paces the whole route.

use canvass_mm7::StatusCode;

/// What to do with a submit the MMSC answered with a status code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Verdict {
    /// Carried out (1000 Success, 1100 Partial success).
    Accepted,
    /// The MMSC asks us to slow down.
    Throttled,
    /// The MMSC failed; the same request may succeed later: retry, then `TemporaryFailure`.
    Temporary,
    /// Refused for good: `PermanentFailure`.
    Permanent,
}

/// The verdict for `code`.
pub(crate) fn verdict(code: StatusCode) -> Verdict {
    use StatusCode as C;
    match code {
        // 1xxx: done. 1100 means some recipients failed; we send one recipient per request, so it is done.
        C::Success | C::PartialSuccess => Verdict::Accepted,
        // 2xxx client errors: the request itself is wrong (2000 Client error, 2001 Operation restricted,
        // 2002 Address Error, 2003 Address Not Found, 2004 Multimedia content refused, 2005 Message ID Not
        // found, 2006 LinkedID not found, 2007 Message format corrupt, 2008/2009 (Reply) Application ID
        // not found). Sending it again cannot help.
        C::ClientError
        | C::OperationRestricted
        | C::AddressError
        | C::AddressNotFound
        | C::MultimediaContentRefused
        | C::MessageIdNotFound
        | C::LinkedIdNotFound
        | C::MessageFormatCorrupt
        | C::ApplicationIdNotFound
        | C::ReplyApplicationIdNotFound => Verdict::Permanent,
        // 3000 Server Error ("the server failed to fulfil an apparently valid request") and 3001 Not
        // Possible: the MMSC's own trouble, temporary.
        C::ServerError | C::NotPossible => Verdict::Temporary,
        // 3002 Message rejected, 3003 Multiple addresses not supported, 3004 Application Addressing not
        // supported: the MMSC decided against this request; permanent.
        C::MessageRejected
        | C::MultipleAddressesNotSupported
        | C::ApplicationAddressingNotSupported => Verdict::Permanent,
        // 4006 Service unavailable: overload or throughput exceeded.
        C::ServiceUnavailable => Verdict::Throttled,
        // 4005 Service error: the service failed on a valid request; temporary.
        C::ServiceError => Verdict::Temporary,
        // 4000 General service error, 4001 Improper identification, 4002 Unsupported version, 4003
        // Unsupported Operation, 4004 Validation error, 4007 Service denied, 4008 Application denied:
        // our account or our XML is wrong for this MMSC; permanent until someone changes the route.
        C::GeneralServiceError
        | C::ImproperIdentification
        | C::UnsupportedVersion
        | C::UnsupportedOperation
        | C::ValidationError
        | C::ServiceDenied
        | C::ApplicationDenied => Verdict::Permanent,
        C::Unknown(other) => match other {
            1000..=1999 => Verdict::Accepted,
            // Vendor 3xxx codes are server trouble by the spec's classes.
            3000..=3999 => Verdict::Temporary,
            _ => Verdict::Permanent,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_agrees_with_the_codec_on_what_is_temporary() {
        for code in (1000..1200)
            .chain(2000..2100)
            .chain(3000..3100)
            .chain(4000..4100)
        {
            let code = StatusCode::from(code);
            let verdict = verdict(code);
            let temporary = matches!(verdict, Verdict::Temporary | Verdict::Throttled);
            assert_eq!(temporary, code.is_temporary(), "{code:?}");
            assert_eq!(verdict == Verdict::Accepted, code.is_success(), "{code:?}");
        }
    }

    #[test]
    fn overload_is_a_throttle_and_address_errors_are_permanent() {
        assert_eq!(verdict(StatusCode::ServiceUnavailable), Verdict::Throttled);
        assert_eq!(verdict(StatusCode::AddressError), Verdict::Permanent);
        assert_eq!(verdict(StatusCode::MessageRejected), Verdict::Permanent);
        assert_eq!(verdict(StatusCode::ServerError), Verdict::Temporary);
    }
}
