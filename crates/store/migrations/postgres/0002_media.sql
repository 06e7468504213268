-- Media: carrier profiles (the limits content is adapted to) and what handsets told us about themselves.
-- Mirrors ../sqlite/0002_media.sql column for column.

-- One row per profile. `spec` is the profile as JSON text, exactly as canvass-media reads it; `builtin` is true
-- while the row is the shipped default (boot may refresh it) and false once an operator has edited it (boot never
-- touches it).
CREATE TABLE carrier_profiles (
    name       TEXT PRIMARY KEY,
    spec       TEXT NOT NULL,
    builtin    BOOLEAN NOT NULL DEFAULT false,
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- The latest capabilities each handset reported, per tenant and E.164 number. `source` says how they arrived
-- ('mm7' for a delivery report's UACapabilities, 'uaprof' for a profile fetched from a URL the handset sent).
CREATE TABLE handset_capabilities (
    tenant_id    BIGINT NOT NULL REFERENCES tenants (id),
    phone        TEXT NOT NULL,
    capabilities TEXT NOT NULL,
    source       TEXT NOT NULL,
    profile_url  TEXT,
    seen_at      TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, phone)
);
