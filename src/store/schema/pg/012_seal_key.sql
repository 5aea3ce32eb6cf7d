-- piculet schema for PostgreSQL, version 12: SQLite's version 23 (the
-- seal key's fingerprint; that file says why).
CREATE TABLE seal_key (
    id              bigint PRIMARY KEY CHECK (id = 1),
    fingerprint     text NOT NULL,
    recorded_at     bigint NOT NULL
);
