-- Accounts: each tenant becomes an account with a Twilio-shaped id (AC + 32 hex), an optional parent (the agency
-- that owns it), and an auth token stored as an argon2id hash; API keys (SK + 32 hex) with scopes and hashed
-- secrets; and sender numbers, each owned by one account. The default tenant (id 1) keeps no sid until it is
-- given one. Mirrors ../postgres/0006_accounts.sql column for column.
ALTER TABLE tenants ADD COLUMN sid TEXT;
ALTER TABLE tenants ADD COLUMN parent_id INTEGER REFERENCES tenants (id);
ALTER TABLE tenants ADD COLUMN auth_token_hash TEXT;
ALTER TABLE tenants ADD COLUMN status TEXT NOT NULL DEFAULT 'active';
ALTER TABLE tenants ADD COLUMN created_ms INTEGER;
CREATE UNIQUE INDEX tenants_sid ON tenants (sid);
CREATE INDEX tenants_parent ON tenants (parent_id);

CREATE TABLE api_keys (
    id          INTEGER PRIMARY KEY,
    tenant_id   INTEGER NOT NULL REFERENCES tenants (id),
    sid         TEXT NOT NULL UNIQUE,
    name        TEXT NOT NULL,
    secret_hash TEXT NOT NULL,
    scopes      TEXT NOT NULL,
    created_at  INTEGER NOT NULL,
    revoked_at  INTEGER
);
CREATE INDEX api_keys_tenant ON api_keys (tenant_id);

CREATE TABLE numbers (
    id         INTEGER PRIMARY KEY,
    tenant_id  INTEGER NOT NULL REFERENCES tenants (id),
    phone      TEXT NOT NULL UNIQUE,
    created_at INTEGER NOT NULL
);
CREATE INDEX numbers_tenant ON numbers (tenant_id);
