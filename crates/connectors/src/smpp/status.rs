//! command_status of a submit_sm_resp, as an outcome: which refusals are worth retrying.

use crate::SubmitOutcome;

/// ESME_ROK.
pub const ROK: u32 = 0x0000_0000;
/// ESME_RMSGQFUL: the SMSC's queue is full; retried by the connector.
pub const RMSGQFUL: u32 = 0x0000_0014;
/// ESME_RTHROTTLED: too fast; the bind rests.
pub const RTHROTTLED: u32 = 0x0000_0058;
/// ESME_RINVPASWD.
pub const RINVPASWD: u32 = 0x0000_000E;
/// ESME_RINVSYSID.
pub const RINVSYSID: u32 = 0x0000_000F;
/// ESME_RBINDFAIL.
pub const RBINDFAIL: u32 = 0x0000_000D;

/// Codes that say the SMSC or the network is busy or broken right now; everything else refuses this message
/// for good (a bad address, a bad parameter, an application reject).
const TEMPORARY: &[(u32, &str)] = &[
    (0x0000_0004, "ESME_RALYBND: bind state wrong"),
    (0x0000_0005, "ESME_RALYBND: already bound"),
    (0x0000_0008, "ESME_RSYSERR: system error"),
    (0x0000_000D, "ESME_RBINDFAIL: not bound"),
    (RMSGQFUL, "ESME_RMSGQFUL: message queue full"),
    (0x0000_0045, "ESME_RSUBMITFAIL: submit failed"),
    (RTHROTTLED, "ESME_RTHROTTLED: throttling error"),
    (0x0000_0064, "ESME_RX_T_APPN: temporary application error"),
    (0x0000_00FE, "ESME_RDELIVERYFAILURE: delivery failure"),
    (0x0000_00FF, "ESME_RUNKNOWNERR: unknown error"),
];

/// Names of common permanent codes, for the reason text.
const PERMANENT: &[(u32, &str)] = &[
    (0x0000_0001, "ESME_RINVMSGLEN: message length invalid"),
    (0x0000_0002, "ESME_RINVCMDLEN: command length invalid"),
    (0x0000_0003, "ESME_RINVCMDID: command id invalid"),
    (0x0000_000A, "ESME_RINVSRCADR: source address invalid"),
    (0x0000_000B, "ESME_RINVDSTADR: destination address invalid"),
    (0x0000_0043, "ESME_RINVESMCLASS: esm_class invalid"),
    (0x0000_0048, "ESME_RINVSRCTON: source TON invalid"),
    (0x0000_0049, "ESME_RINVSRCNPI: source NPI invalid"),
    (0x0000_0050, "ESME_RINVDSTTON: destination TON invalid"),
    (0x0000_0051, "ESME_RINVDSTNPI: destination NPI invalid"),
    (0x0000_0062, "ESME_RINVEXPIRY: validity period invalid"),
    (0x0000_0066, "ESME_RX_P_APPN: permanent application error"),
    (0x0000_0067, "ESME_RX_R_APPN: application reject"),
];

/// The code as outcomes carry it: `0x0000000B`.
pub fn code(status: u32) -> String {
    format!("0x{status:08X}")
}

/// Whether a retry of the same message may succeed.
pub fn is_temporary(status: u32) -> bool {
    TEMPORARY.iter().any(|(known, _)| *known == status)
}

/// The outcome of a final refusal (throttling and queue-full are handled before this).
pub fn refusal(status: u32) -> SubmitOutcome {
    let name = TEMPORARY
        .iter()
        .chain(PERMANENT)
        .find(|(known, _)| *known == status)
        .map_or("SMSC refused the submit", |(_, name)| *name);
    let reason = name.to_owned();
    if is_temporary(status) {
        SubmitOutcome::TemporaryFailure {
            code: code(status),
            reason,
        }
    } else {
        SubmitOutcome::PermanentFailure {
            code: code(status),
            reason,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bad_destination_is_permanent_and_busy_is_temporary() {
        assert!(matches!(
            refusal(0x0B),
            SubmitOutcome::PermanentFailure { ref code, .. } if code == "0x0000000B"
        ));
        assert!(matches!(
            refusal(RMSGQFUL),
            SubmitOutcome::TemporaryFailure { ref code, .. } if code == "0x00000014"
        ));
        assert!(matches!(
            refusal(0x0400),
            SubmitOutcome::PermanentFailure { .. }
        ));
    }
}
