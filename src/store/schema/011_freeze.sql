-- piculet schema, version 11: a mailbox's freeze.
--
-- From freeze_from to freeze_until (microseconds, UTC) the mailbox sends
-- nothing (its mail is still read); 0 and 0: no freeze.
ALTER TABLE mailbox ADD COLUMN freeze_from INTEGER NOT NULL DEFAULT 0;
ALTER TABLE mailbox ADD COLUMN freeze_until INTEGER NOT NULL DEFAULT 0;
