-- Carrier routes: named connections to carriers, their settings as JSON (the server's route spec). Routes live
-- in the database, not the bootstrap file, so the API and the dashboard can edit them.
-- Mirrors ../sqlite/0004_routes.sql column for column.
CREATE TABLE routes (
    name       TEXT PRIMARY KEY,
    spec       TEXT NOT NULL,
    enabled    BOOLEAN NOT NULL DEFAULT true,
    updated_at BIGINT NOT NULL
);
