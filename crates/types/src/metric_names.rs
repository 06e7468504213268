//! Every metric name Canvass emits, in one place, so dashboards and alerts have one list to read.

/// HTTP requests served, by route.
pub const HTTP_REQUESTS: &str = "canvass_http_requests_total";
/// Contacts created by imports.
pub const CONTACTS_IMPORTED: &str = "canvass_contacts_imported_total";
/// Import rows merged into existing contacts.
pub const CONTACTS_MERGED: &str = "canvass_contacts_merged_total";
/// Import rows rejected.
pub const CONTACTS_REJECTED: &str = "canvass_contacts_rejected_total";

/// Registers descriptions with the installed recorder.
pub fn describe_all() {
    metrics::describe_counter!(HTTP_REQUESTS, "HTTP requests served, by route");
    metrics::describe_counter!(CONTACTS_IMPORTED, "Contacts created by imports");
    metrics::describe_counter!(
        CONTACTS_MERGED,
        "Import rows merged into existing contacts by phone"
    );
    metrics::describe_counter!(
        CONTACTS_REJECTED,
        "Import rows rejected (see the rejects file)"
    );
}
