-- piculet schema, version 9: guards.
--
-- A campaign or a mailbox that a guard paused (too many hard bounces, a run
-- of them, too many complaints) keeps the rule that fired with its
-- numbers, so that a person resumes it knowingly (--ack-guard). '' when no
-- guard holds it.
ALTER TABLE campaign ADD COLUMN guard TEXT NOT NULL DEFAULT '';
ALTER TABLE mailbox ADD COLUMN guard TEXT NOT NULL DEFAULT '';
-- When a person last acknowledged a guard: the guards count only what was
-- sent after it (the list was cleaned; the old bounces stay history).
ALTER TABLE campaign ADD COLUMN guard_since INTEGER NOT NULL DEFAULT 0;
ALTER TABLE mailbox ADD COLUMN guard_since INTEGER NOT NULL DEFAULT 0;
