-- piculet schema, version 18: A/B/n variants of a step.
--
-- Each message records which variant of its step it carried (0 is A; a
-- step without variants is always 0), so a report splits a step by
-- variant. A step whose campaign asks for a winner gets one row here once
-- the engine has picked it; from then on only that variant is sent. The
-- row stays as decided even when later numbers change.
ALTER TABLE message ADD COLUMN variant INTEGER NOT NULL DEFAULT 0;

CREATE TABLE step_winner (
    campaign_id     INTEGER NOT NULL REFERENCES campaign(id) ON DELETE CASCADE,
    step            INTEGER NOT NULL,
    variant         INTEGER NOT NULL,
    decided_at      INTEGER NOT NULL,
    detail          TEXT NOT NULL DEFAULT '',  -- the numbers and the test, in words
    PRIMARY KEY (campaign_id, step)
);
