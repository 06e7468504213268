-- Audiences: contacts, issues, region layers and saved segments.
-- Mirrors ../postgres/0001_audience.sql column for column; the segment compiler relies on these names.

CREATE TABLE tenants (
    id         INTEGER PRIMARY KEY,
    name       TEXT NOT NULL,
    created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
INSERT INTO tenants (id, name) VALUES (1, 'default');

CREATE TABLE contacts (
    id               INTEGER PRIMARY KEY,
    tenant_id        INTEGER NOT NULL REFERENCES tenants (id),
    phone            TEXT NOT NULL,
    given_name       TEXT,
    family_name      TEXT,
    street           TEXT,
    zip              TEXT,
    state            TEXT,
    county_fips      TEXT,
    county_name      TEXT,
    lat              REAL,
    lon              REAL,
    geo_source       TEXT,
    time_zone        TEXT,
    attrs            TEXT NOT NULL DEFAULT '{}',
    opted_out        INTEGER NOT NULL DEFAULT 0,
    consent_source   TEXT,
    consent_at       TEXT,
    consent_evidence TEXT,
    created_at       TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    updated_at       TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    UNIQUE (tenant_id, phone)
);
CREATE INDEX contacts_state ON contacts (tenant_id, state);
CREATE INDEX contacts_zip ON contacts (tenant_id, zip);
CREATE INDEX contacts_lat ON contacts (tenant_id, lat);

CREATE TABLE issues (
    id        INTEGER PRIMARY KEY,
    tenant_id INTEGER NOT NULL REFERENCES tenants (id),
    name      TEXT NOT NULL,
    UNIQUE (tenant_id, name)
);

CREATE TABLE contact_issues (
    contact_id INTEGER NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,
    issue_id   INTEGER NOT NULL REFERENCES issues (id) ON DELETE CASCADE,
    PRIMARY KEY (contact_id, issue_id)
) WITHOUT ROWID;
CREATE INDEX contact_issues_by_issue ON contact_issues (issue_id, contact_id);

CREATE TABLE region_layers (
    id          INTEGER PRIMARY KEY,
    tenant_id   INTEGER NOT NULL REFERENCES tenants (id),
    kind        TEXT NOT NULL,
    source      TEXT NOT NULL,
    imported_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    UNIQUE (tenant_id, kind)
);

CREATE TABLE regions (
    id       INTEGER PRIMARY KEY,
    layer_id INTEGER NOT NULL REFERENCES region_layers (id) ON DELETE CASCADE,
    name     TEXT NOT NULL,
    geometry TEXT NOT NULL,
    min_lon  REAL NOT NULL,
    min_lat  REAL NOT NULL,
    max_lon  REAL NOT NULL,
    max_lat  REAL NOT NULL,
    UNIQUE (layer_id, name)
);

CREATE TABLE contact_regions (
    contact_id INTEGER NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,
    layer_id   INTEGER NOT NULL REFERENCES region_layers (id) ON DELETE CASCADE,
    region_id  INTEGER NOT NULL REFERENCES regions (id) ON DELETE CASCADE,
    method     TEXT NOT NULL,
    PRIMARY KEY (contact_id, layer_id)
) WITHOUT ROWID;
CREATE INDEX contact_regions_by_region ON contact_regions (region_id, contact_id);

CREATE TABLE segments (
    id         INTEGER PRIMARY KEY,
    tenant_id  INTEGER NOT NULL REFERENCES tenants (id),
    name       TEXT NOT NULL,
    expression TEXT NOT NULL,
    created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    UNIQUE (tenant_id, name)
);
