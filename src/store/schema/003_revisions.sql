-- piculet schema, version 3: what the engine counted in text becomes
-- columns, and an enrollment gets a revision.
--
-- Several writers change enrollments at once (the engine's mailbox workers,
-- one reading a reply while another sends a follow-up; later the HTTP API):
-- every write of an enrollment row says which revision it read, and a write
-- over a revision it did not read is refused, so no decision made on an
-- old row (a follow-up "sent" over a "replied") can undo a newer one.
ALTER TABLE enrollment ADD COLUMN revision INTEGER NOT NULL DEFAULT 0;

-- Temporary failures in a row and soft bounces so far were read back out
-- of the reason ("retry 2: ...", "soft bounce 1: ..."); they are counts now,
-- taken from those reasons once. The unused "attempts" is the retry count.
ALTER TABLE enrollment RENAME COLUMN attempts TO retries;
UPDATE enrollment SET retries = CAST(substr(reason, 7) AS INTEGER)
    WHERE reason LIKE 'retry %';
ALTER TABLE enrollment ADD COLUMN soft_bounces INTEGER NOT NULL DEFAULT 0;
UPDATE enrollment SET soft_bounces = CAST(substr(reason, 13) AS INTEGER)
    WHERE reason LIKE 'soft bounce %';

-- What a mailbox's pause stops: 'sending' (its mail is still read) or
-- 'reading' (its IMAP failed: it waits altogether); '' when not paused.
-- It was the reason's "IMAP:" prefix.
ALTER TABLE mailbox ADD COLUMN paused_kind TEXT NOT NULL DEFAULT '';
UPDATE mailbox SET paused_kind = CASE
    WHEN paused_reason IS NULL THEN ''
    WHEN paused_reason LIKE 'IMAP:%' THEN 'reading'
    ELSE 'sending' END;

-- Every event says which mailbox it concerns (a mailbox's own pause has no
-- enrollment); older events take it from their message or enrollment.
ALTER TABLE event ADD COLUMN mailbox_id INTEGER REFERENCES mailbox(id);
UPDATE event SET mailbox_id =
    (SELECT m.mailbox_id FROM message m WHERE m.id = event.message_id)
    WHERE message_id IS NOT NULL;
UPDATE event SET mailbox_id =
    (SELECT e.mailbox_id FROM enrollment e WHERE e.id = event.enrollment_id)
    WHERE mailbox_id IS NULL AND enrollment_id IS NOT NULL;
CREATE INDEX event_by_mailbox ON event (mailbox_id, at);
