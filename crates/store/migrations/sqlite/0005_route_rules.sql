-- The route table: ordered rules that choose among the stored routes by destination prefix, tenant, channel and
-- carrier (dispatch::routing). One document, replaced whole, because the rules' order is their meaning.
-- Mirrors ../postgres/0005_route_rules.sql column for column.
CREATE TABLE route_rules (
    id         INTEGER PRIMARY KEY CHECK (id = 1),
    rules      TEXT NOT NULL,
    updated_at INTEGER NOT NULL
);
