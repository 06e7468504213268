-- The API's tables: messages sent through it, beside the queue's own row (messages.id), with the Twilio-shaped
-- sid, what the developer asked for (body, media, callback, validity, schedule) and the status-callback outbox;
-- idempotency keys; Messaging Services; and the inbound webhooks.
-- A trigger marks the callback owed whenever the queue moves the message's status, whichever path moved it
-- (claim, settlement, receipt, expiry, cancel), in the same transaction: no change of status is missed and
-- none needs the API's code on the dispatch path. Mirrors ../postgres/0007_api_messages.sql column for column.
CREATE TABLE api_messages (
    message_id         INTEGER PRIMARY KEY REFERENCES messages (id) ON DELETE CASCADE,
    tenant_id          INTEGER NOT NULL REFERENCES tenants (id),
    sid                TEXT NOT NULL UNIQUE,
    direction          TEXT NOT NULL,
    from_number        TEXT NOT NULL,
    to_number          TEXT NOT NULL,
    body               TEXT NOT NULL,
    media              TEXT NOT NULL,
    messaging_service  TEXT,
    status_callback    TEXT,
    validity_s         INTEGER,
    send_at            INTEGER,
    send_as_mms        BOOLEAN NOT NULL,
    created_ms         INTEGER NOT NULL,
    updated_ms         INTEGER NOT NULL,
    notified_status    TEXT,
    callback_due_ms    INTEGER,
    callback_attempts  INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX api_messages_list ON api_messages (tenant_id, message_id);
CREATE INDEX api_messages_to ON api_messages (tenant_id, to_number, message_id);
CREATE INDEX api_messages_from ON api_messages (tenant_id, from_number, message_id);
CREATE INDEX api_messages_callbacks ON api_messages (callback_due_ms) WHERE callback_due_ms IS NOT NULL;

CREATE TRIGGER api_messages_status_changed AFTER UPDATE OF status ON messages
WHEN OLD.status <> NEW.status
BEGIN
    -- Due now, with a fresh count of tries: the retries belong to the status being told.
    UPDATE api_messages SET callback_due_ms = 0, callback_attempts = 0
    WHERE message_id = NEW.id AND status_callback IS NOT NULL;
END;

-- The first answer to each Idempotency-Key, per account, kept 24 hours: a replay gets it again, a replay with other
-- parameters is refused. Written in the transaction that queues the message, so a retry storm sends once.
CREATE TABLE idempotency_keys (
    tenant_id     INTEGER NOT NULL REFERENCES tenants (id),
    key           TEXT NOT NULL,
    request_hash  TEXT NOT NULL,
    status        INTEGER NOT NULL,
    response      TEXT NOT NULL,
    message_sid   TEXT,
    created_ms    INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, key)
);
CREATE INDEX idempotency_keys_age ON idempotency_keys (created_ms);
-- A redacted message's text must not live on in the answers kept for replays.
CREATE INDEX idempotency_keys_message ON idempotency_keys (message_sid) WHERE message_sid IS NOT NULL;

-- Messaging Services: a sender pool of the account's own numbers, with Twilio's sticky-sender and area-code
-- match switches, and the service's callbacks.
CREATE TABLE messaging_services (
    id                  INTEGER PRIMARY KEY,
    tenant_id           INTEGER NOT NULL REFERENCES tenants (id),
    sid                 TEXT NOT NULL UNIQUE,
    friendly_name       TEXT NOT NULL,
    sticky_sender       BOOLEAN NOT NULL,
    area_code_geomatch  BOOLEAN NOT NULL,
    status_callback     TEXT,
    inbound_request_url TEXT,
    created_ms          INTEGER NOT NULL
);
CREATE INDEX messaging_services_tenant ON messaging_services (tenant_id);
CREATE TABLE messaging_service_numbers (
    service_id INTEGER NOT NULL REFERENCES messaging_services (id) ON DELETE CASCADE,
    phone      TEXT NOT NULL,
    PRIMARY KEY (service_id, phone)
);

-- Inbound messages for the developer: a number's (or its service's) webhook, and the inbound message's own
-- Twilio-shaped sid; the inbox row is the webhook's outbox, as api_messages is the status callbacks'.
ALTER TABLE numbers ADD COLUMN sms_url TEXT;
ALTER TABLE inbox ADD COLUMN sid TEXT;
ALTER TABLE inbox ADD COLUMN webhook_url TEXT;
ALTER TABLE inbox ADD COLUMN webhook_due_ms INTEGER;
ALTER TABLE inbox ADD COLUMN webhook_attempts INTEGER NOT NULL DEFAULT 0;
CREATE UNIQUE INDEX inbox_sid ON inbox (sid);
CREATE INDEX inbox_webhooks ON inbox (webhook_due_ms) WHERE webhook_due_ms IS NOT NULL;
