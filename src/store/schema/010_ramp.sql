-- piculet schema, version 10: a new mailbox's ramp-up.
--
-- A mailbox that ramps starts at ramp_start messages a day and may send
-- ramp_step more on each later day it has sent on, up to its daily cap
-- (0 and 0: no ramp).
ALTER TABLE mailbox ADD COLUMN ramp_start INTEGER NOT NULL DEFAULT 0;
ALTER TABLE mailbox ADD COLUMN ramp_step INTEGER NOT NULL DEFAULT 0;
