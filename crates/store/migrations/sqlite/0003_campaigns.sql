-- Campaigns and dispatch: campaigns with their lifecycle, the message queue, opt-outs and the consent ledger,
-- the inbox, and link clicks. Mirrors ../postgres/0003_campaigns.sql column for column.
-- Instants on the hot path are INTEGER milliseconds since the Unix epoch: compared and ordered as numbers,
-- identical on both backends.

-- `definition` is the campaign as canvass-campaigns reads it (JSON). `frozen_through` is the highest contact id
-- the segment may reach, fixed at launch; `expanded_through` is the keyset cursor, committed with each chunk.
CREATE TABLE campaigns (
    id               INTEGER PRIMARY KEY,
    tenant_id        INTEGER NOT NULL REFERENCES tenants (id),
    name             TEXT NOT NULL,
    definition       TEXT NOT NULL,
    state            TEXT NOT NULL,
    frozen_through   INTEGER,
    expanded_through INTEGER NOT NULL DEFAULT 0,
    created_at       INTEGER NOT NULL,
    updated_at       INTEGER NOT NULL,
    UNIQUE (tenant_id, name)
);

-- Every lifecycle change, kept.
CREATE TABLE campaign_events (
    id          INTEGER PRIMARY KEY,
    campaign_id INTEGER NOT NULL REFERENCES campaigns (id) ON DELETE CASCADE,
    at          INTEGER NOT NULL,
    from_state  TEXT,
    to_state    TEXT NOT NULL,
    note        TEXT
);
CREATE INDEX campaign_events_by_campaign ON campaign_events (campaign_id, id);

-- One row per recipient per campaign (or per API message): the queue's unit of work and its outcome.
-- `due_at` is when to look at the row next: queued → earliest send; sending → lease end; sent → receipt deadline.
-- It is NULL once the status is terminal, so the partial index holds only live work.
CREATE TABLE messages (
    id           INTEGER PRIMARY KEY,
    tenant_id    INTEGER NOT NULL REFERENCES tenants (id),
    campaign_id  INTEGER REFERENCES campaigns (id),
    contact_id   INTEGER,
    phone        TEXT NOT NULL,
    variant      TEXT NOT NULL,
    channel      TEXT,
    sender       TEXT,
    status       TEXT NOT NULL,
    due_at       INTEGER,
    attempts     INTEGER NOT NULL DEFAULT 0,
    lease_owner  TEXT,
    route        TEXT,
    carrier_id   TEXT,
    error_code   TEXT,
    error_detail TEXT,
    segments     INTEGER,
    expires_at   INTEGER,
    created_at   INTEGER NOT NULL,
    sent_at      INTEGER,
    done_at      INTEGER
);
CREATE INDEX messages_due ON messages (status, due_at) WHERE due_at IS NOT NULL;
CREATE INDEX messages_carrier ON messages (carrier_id) WHERE carrier_id IS NOT NULL;
CREATE INDEX messages_campaign ON messages (campaign_id, status);
CREATE INDEX messages_contact ON messages (contact_id, created_at);

-- Numbers that said STOP, per tenant: checked before every send, whether or not the number is a contact.
CREATE TABLE opt_outs (
    tenant_id INTEGER NOT NULL REFERENCES tenants (id),
    phone     TEXT NOT NULL,
    at        INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, phone)
) WITHOUT ROWID;

-- Every opt-in and opt-out with its source and evidence; kept four years (see docs/compliance.md).
CREATE TABLE consent_ledger (
    id        INTEGER PRIMARY KEY,
    tenant_id INTEGER NOT NULL REFERENCES tenants (id),
    phone     TEXT NOT NULL,
    kind      TEXT NOT NULL,
    source    TEXT NOT NULL,
    evidence  TEXT,
    at        INTEGER NOT NULL
);
CREATE INDEX consent_ledger_by_phone ON consent_ledger (tenant_id, phone, at);
CREATE INDEX consent_ledger_by_time ON consent_ledger (at);

-- Replies, per contact. `media` is a JSON array of {content_type, blob} with blobs in the blob store.
CREATE TABLE inbox (
    id          INTEGER PRIMARY KEY,
    tenant_id   INTEGER NOT NULL REFERENCES tenants (id),
    contact_id  INTEGER,
    phone       TEXT NOT NULL,
    to_number   TEXT NOT NULL,
    body        TEXT,
    media       TEXT NOT NULL DEFAULT '[]',
    keyword     TEXT,
    carrier_id  TEXT,
    received_at INTEGER NOT NULL
);
CREATE INDEX inbox_by_phone ON inbox (tenant_id, phone, id);

-- Clicks on tracked links and views of landing pages; the message row says campaign, variant and contact.
CREATE TABLE link_events (
    id         INTEGER PRIMARY KEY,
    message_id INTEGER NOT NULL REFERENCES messages (id),
    kind       TEXT NOT NULL,
    at         INTEGER NOT NULL,
    user_agent TEXT
);
CREATE INDEX link_events_by_message ON link_events (message_id);
