-- piculet schema, version 5: webhooks and their outbox.
--
-- A subscription names a URL, the event types it wants ('*': all) and its
-- signing secret, sealed like a mailbox's password. Every event of a type a
-- subscription wants leaves a delivery row in the same transaction as the
-- event itself, with its payload as written then, so a crash loses none;
-- `piculet serve` delivers them in order per subscription, retries with
-- backoff for a day from its first try (its own clock: the event may have
-- been written under a simulated one), then parks them as dead for a
-- person to replay.
CREATE TABLE webhook (
    id              INTEGER PRIMARY KEY,
    url             TEXT NOT NULL,
    events          TEXT NOT NULL DEFAULT '*',     -- space-separated types, or '*'
    secret_sealed   BLOB NOT NULL,
    created_at      INTEGER NOT NULL
);

CREATE TABLE webhook_delivery (
    id              INTEGER PRIMARY KEY,
    webhook_id      INTEGER NOT NULL REFERENCES webhook(id) ON DELETE CASCADE,
    event_id        INTEGER NOT NULL,
    type            TEXT NOT NULL,
    payload         TEXT NOT NULL,
    state           TEXT NOT NULL DEFAULT 'pending'
                    CHECK (state IN ('pending', 'delivered', 'dead')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    created_at      INTEGER NOT NULL,              -- by the writer's clock (tick --now's)
    first_tried_at  INTEGER,                       -- by the deliverer's clock
    next_at         INTEGER NOT NULL,
    last_error      TEXT,
    delivered_at    INTEGER
);

-- The oldest pending delivery of each subscription, found by index.
CREATE INDEX webhook_delivery_pending ON webhook_delivery (webhook_id, state, id);
