-- piculet schema for PostgreSQL, version 13: SQLite's version 24 (one
-- process delivers a database's webhooks; that file says why).
CREATE TABLE webhook_deliverer (
    id              bigint PRIMARY KEY CHECK (id = 1),
    holder          text NOT NULL,
    expires_at      bigint NOT NULL
);
