-- piculet schema, version 24: one process delivers a database's webhooks.
--
-- Several `piculet serve` (and `run --serve`) may share a database; each
-- has a deliverer, and each listed the same due deliveries and posted
-- them: every event reached the receiver once per process. The deliverer
-- that holds this row's lease (until expires_at, the database's clock)
-- delivers; the others wait, and take over when it stops or its lease
-- runs out.
CREATE TABLE webhook_deliverer (
    id              INTEGER PRIMARY KEY CHECK (id = 1),
    holder          TEXT NOT NULL,
    expires_at      INTEGER NOT NULL
);
