-- piculet schema, version 2: what campaigns and the engine need.

-- The mailboxes a campaign sends from (its file's "mailboxes").
CREATE TABLE campaign_mailbox (
    campaign_id     INTEGER NOT NULL REFERENCES campaign(id) ON DELETE CASCADE,
    mailbox_id      INTEGER NOT NULL REFERENCES mailbox(id),
    PRIMARY KEY (campaign_id, mailbox_id)
);
CREATE INDEX campaign_mailbox_by_mailbox ON campaign_mailbox (mailbox_id);

ALTER TABLE campaign ADD COLUMN updated_at INTEGER NOT NULL DEFAULT 0;

-- When the enrollment was made (openings go out in this order), when its
-- last step was really sent, and until when it is paused (auto-reply).
ALTER TABLE enrollment ADD COLUMN created_at INTEGER NOT NULL DEFAULT 0;
ALTER TABLE enrollment ADD COLUMN last_sent_at INTEGER NOT NULL DEFAULT 0;
ALTER TABLE enrollment ADD COLUMN attempts INTEGER NOT NULL DEFAULT 0;
CREATE INDEX enrollment_by_prospect ON enrollment (prospect_id, state);
CREATE INDEX enrollment_by_mailbox_due ON enrollment (mailbox_id, state, next_due_at);
CREATE INDEX enrollment_queued ON enrollment (campaign_id, state, next_due_at, id);

-- The mailbox a message went through, its subject, when it was begun, so
-- limits are counted per mailbox and day and threads can be rebuilt.
ALTER TABLE message ADD COLUMN mailbox_id INTEGER REFERENCES mailbox(id);
ALTER TABLE message ADD COLUMN subject TEXT NOT NULL DEFAULT '';
ALTER TABLE message ADD COLUMN created_at INTEGER NOT NULL DEFAULT 0;
CREATE INDEX message_by_mailbox_created ON message (mailbox_id, created_at);
CREATE INDEX message_by_step_created ON message (step, created_at);
CREATE INDEX message_by_state ON message (state);

CREATE INDEX event_by_enrollment ON event (enrollment_id);

ALTER TABLE mailbox ADD COLUMN paused_until INTEGER NOT NULL DEFAULT 0;
