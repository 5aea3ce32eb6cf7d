-- piculet schema for PostgreSQL, version 6: SQLite's version 18 (A/B/n
-- variants of a step; that file says why).
ALTER TABLE message ADD COLUMN variant bigint NOT NULL DEFAULT 0;

CREATE TABLE step_winner (
    campaign_id     bigint NOT NULL REFERENCES campaign(id) ON DELETE CASCADE,
    step            bigint NOT NULL,
    variant         bigint NOT NULL,
    decided_at      bigint NOT NULL,
    detail          text NOT NULL DEFAULT '',
    PRIMARY KEY (campaign_id, step)
);
