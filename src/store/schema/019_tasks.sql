-- piculet schema, version 19: task steps.
--
-- A campaign step may be a task for a person (a call, a LinkedIn touch)
-- instead of an email: when a prospect reaches it, a row here, and the
-- enrollment waits (paused, with no end) until a person marks the task
-- done; then the sequence goes on from that moment. One task per
-- enrollment and step, like one message per enrollment and step.
CREATE TABLE task (
    id              INTEGER PRIMARY KEY,
    enrollment_id   INTEGER NOT NULL REFERENCES enrollment(id) ON DELETE CASCADE,
    step            INTEGER NOT NULL,
    kind            TEXT NOT NULL,              -- call, linkedin, other, ...
    note            TEXT NOT NULL DEFAULT '',
    created_at      INTEGER NOT NULL,
    done_at         INTEGER NOT NULL DEFAULT 0, -- 0: open
    done_by         TEXT NOT NULL DEFAULT '',
    UNIQUE (enrollment_id, step)
);
CREATE INDEX task_open ON task (done_at, created_at);
