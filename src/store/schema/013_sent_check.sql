-- piculet schema, version 13: a database that is a backup knows it.
--
-- `piculet backup` stamps every mailbox of the copy with the moment it was
-- taken. A database used from such a copy (restored, by piculet restore or
-- by hand) looks in each mailbox's Sent folder for mail sent since then
-- that it does not know before that mailbox sends again; 0: nothing to
-- look for.
ALTER TABLE mailbox ADD COLUMN sent_check_since INTEGER NOT NULL DEFAULT 0;
