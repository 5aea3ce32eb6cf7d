-- piculet schema, version 23: the seal key's fingerprint.
--
-- Every process that seals or opens this database's secrets, or signs its
-- links, must hold the same key file; a machine with another key would
-- pause the mailboxes it cannot open for every engine and refuse the
-- unsubscribe links the others signed. The first key used records its
-- fingerprint (an HMAC of a fixed label under the key, never the key);
-- any other is refused before it does anything.
CREATE TABLE seal_key (
    id              INTEGER PRIMARY KEY CHECK (id = 1),
    fingerprint     TEXT NOT NULL,
    recorded_at     INTEGER NOT NULL
);
