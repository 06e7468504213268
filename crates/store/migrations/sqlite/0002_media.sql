-- Media: carrier profiles (the limits content is adapted to) and what handsets told us about themselves.
-- Mirrors ../postgres/0002_media.sql column for column.

-- One row per profile. `spec` is the profile as JSON text, exactly as canvass-media reads it; `builtin` is 1 while
-- the row is the shipped default (boot may refresh it) and 0 once an operator has edited it (boot never touches it).
CREATE TABLE carrier_profiles (
    name       TEXT PRIMARY KEY,
    spec       TEXT NOT NULL,
    builtin    INTEGER NOT NULL DEFAULT 0,
    updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);

-- The latest capabilities each handset reported, per tenant and E.164 number. `source` says how they arrived
-- ('mm7' for a delivery report's UACapabilities, 'uaprof' for a profile fetched from a URL the handset sent).
CREATE TABLE handset_capabilities (
    tenant_id    INTEGER NOT NULL REFERENCES tenants (id),
    phone        TEXT NOT NULL,
    capabilities TEXT NOT NULL,
    source       TEXT NOT NULL,
    profile_url  TEXT,
    seen_at      TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    PRIMARY KEY (tenant_id, phone)
);
