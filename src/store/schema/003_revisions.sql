-- piculet schema, version 3: an enrollment's revision.
--
-- Several writers change enrollments at once (the engine's mailbox workers,
-- one reading a reply while another sends a follow-up; later the HTTP API):
-- every write of an enrollment row says which revision it read, and a write
-- over a revision it did not read is refused, so no decision made on an
-- old row (a follow-up "sent" over a "replied") can undo a newer one.
ALTER TABLE enrollment ADD COLUMN revision INTEGER NOT NULL DEFAULT 0;
