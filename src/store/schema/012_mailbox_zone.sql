-- piculet schema, version 12: the mailbox's own day.
--
-- A mailbox's daily cap (and its recipient-domain day caps) count its own
-- calendar day, in this IANA time zone.
ALTER TABLE mailbox ADD COLUMN timezone TEXT NOT NULL DEFAULT 'UTC';
