-- piculet schema, version 16: answers written in the dashboard.
--
-- A person answers a reply from the dashboard; the answer goes out through
-- the mailbox the reply came to. Its row is written before the message is
-- sent, under the key the page made for it (request_key): the same answer
-- asked twice (a double click, a retried request) finds its row and is
-- not sent again. An erased person's replies take their answers with them.
CREATE TABLE answer (
    id              INTEGER PRIMARY KEY,
    inbound_id      INTEGER NOT NULL REFERENCES inbound(id) ON DELETE CASCADE,
    mailbox_id      INTEGER NOT NULL REFERENCES mailbox(id) ON DELETE CASCADE,
    request_key     TEXT NOT NULL UNIQUE,
    message_id      TEXT NOT NULL UNIQUE,
    author          TEXT NOT NULL,
    to_address      TEXT NOT NULL,
    subject         TEXT NOT NULL,
    body            TEXT NOT NULL,
    state           TEXT NOT NULL CHECK (state IN ('sending', 'sent', 'failed', 'uncertain')),
    detail          TEXT NOT NULL DEFAULT '',
    created_at      INTEGER NOT NULL,
    sent_at         INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX answer_by_inbound ON answer (inbound_id);
