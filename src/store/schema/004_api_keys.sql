-- piculet schema, version 4: the HTTP API's keys.
--
-- A key is shown once, when it is made; only its SHA-256 is kept (a key
-- is 32 random bytes, so a fast hash is enough: there is nothing to guess
-- from). The name is how people and the request log call it.
CREATE TABLE api_key (
    id              INTEGER PRIMARY KEY,
    name            TEXT NOT NULL UNIQUE,
    scope           TEXT NOT NULL CHECK (scope IN ('read', 'write')),
    hash            BLOB NOT NULL UNIQUE,
    created_at      INTEGER NOT NULL
);
