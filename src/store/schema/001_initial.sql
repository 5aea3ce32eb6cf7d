-- piculet schema, version 1: the model of docs/ARCHITECTURE.md ("Store").
-- Times are microseconds since the epoch (INTEGER), as everywhere in piculet.

CREATE TABLE mailbox (
    id              INTEGER PRIMARY KEY,
    address         TEXT NOT NULL UNIQUE,
    display_name    TEXT NOT NULL DEFAULT '',
    smtp_host       TEXT NOT NULL,
    smtp_port       INTEGER NOT NULL,
    smtp_security   TEXT NOT NULL,
    smtp_user       TEXT NOT NULL,
    imap_host       TEXT NOT NULL,
    imap_port       INTEGER NOT NULL,
    imap_security   TEXT NOT NULL,
    imap_user       TEXT NOT NULL,
    secret_source   TEXT NOT NULL,          -- env:VAR, file:PATH, cmd:COMMAND, or stored
    secret_sealed   BLOB,                   -- AEAD-sealed secret when stored
    daily_cap       INTEGER NOT NULL DEFAULT 50,
    interval_min_s  INTEGER NOT NULL DEFAULT 60,
    interval_max_s  INTEGER NOT NULL DEFAULT 180,
    signature       TEXT NOT NULL DEFAULT '',
    next_send_at    INTEGER NOT NULL DEFAULT 0,
    paused_reason   TEXT,
    created_at      INTEGER NOT NULL
);

CREATE TABLE mailbox_field (
    mailbox_id      INTEGER NOT NULL REFERENCES mailbox(id) ON DELETE CASCADE,
    name            TEXT NOT NULL,
    value           TEXT NOT NULL,
    PRIMARY KEY (mailbox_id, name)
);

CREATE TABLE mailbox_cursor (
    mailbox_id      INTEGER NOT NULL REFERENCES mailbox(id) ON DELETE CASCADE,
    folder          TEXT NOT NULL,
    uid_validity    INTEGER NOT NULL,
    last_uid        INTEGER NOT NULL,
    highest_modseq  INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (mailbox_id, folder)
);

CREATE TABLE campaign (
    id              INTEGER PRIMARY KEY,
    name            TEXT NOT NULL UNIQUE,
    state           TEXT NOT NULL DEFAULT 'draft', -- draft, running, paused, archived
    definition      TEXT NOT NULL,                 -- the campaign file as given
    created_at      INTEGER NOT NULL
);

CREATE TABLE step (
    campaign_id     INTEGER NOT NULL REFERENCES campaign(id) ON DELETE CASCADE,
    number          INTEGER NOT NULL,
    subject         TEXT,                          -- NULL: a reply in the same thread
    body            TEXT NOT NULL,
    delay_s         INTEGER NOT NULL,
    PRIMARY KEY (campaign_id, number)
);

CREATE TABLE prospect (
    id              INTEGER PRIMARY KEY,
    email           TEXT NOT NULL UNIQUE,          -- normalised
    first_name      TEXT NOT NULL DEFAULT '',
    last_name       TEXT NOT NULL DEFAULT '',
    company         TEXT NOT NULL DEFAULT '',
    timezone        TEXT NOT NULL DEFAULT '',
    status          TEXT NOT NULL DEFAULT 'ok',    -- ok, bounced, opted_out, blacklisted
    fields          TEXT NOT NULL DEFAULT '{}',    -- custom fields, a JSON object of strings
    created_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL
);

CREATE TABLE enrollment (
    id              INTEGER PRIMARY KEY,
    campaign_id     INTEGER NOT NULL REFERENCES campaign(id) ON DELETE CASCADE,
    prospect_id     INTEGER NOT NULL REFERENCES prospect(id) ON DELETE CASCADE,
    mailbox_id      INTEGER REFERENCES mailbox(id),
    state           TEXT NOT NULL DEFAULT 'queued',
    next_step       INTEGER NOT NULL DEFAULT 1,
    next_due_at     INTEGER NOT NULL DEFAULT 0,
    reason          TEXT,
    UNIQUE (campaign_id, prospect_id)
);
CREATE INDEX enrollment_due ON enrollment (state, next_due_at);

CREATE TABLE message (
    id              INTEGER PRIMARY KEY,
    enrollment_id   INTEGER NOT NULL REFERENCES enrollment(id) ON DELETE CASCADE,
    step            INTEGER NOT NULL,
    message_id      TEXT NOT NULL UNIQUE,
    state           TEXT NOT NULL,                 -- sending, sent, failed, uncertain
    smtp_reply      TEXT,
    sent_at         INTEGER,
    UNIQUE (enrollment_id, step)
);

CREATE TABLE event (
    id              INTEGER PRIMARY KEY,
    at              INTEGER NOT NULL,
    kind            TEXT NOT NULL,                 -- sent, reply, auto_reply, bounce, ...
    enrollment_id   INTEGER REFERENCES enrollment(id) ON DELETE SET NULL,
    message_id      INTEGER REFERENCES message(id) ON DELETE SET NULL,
    detail          TEXT NOT NULL DEFAULT ''
);

CREATE TABLE blacklist (
    entry           TEXT PRIMARY KEY,              -- "a@b.c" or "@b.c"
    reason          TEXT NOT NULL DEFAULT '',
    created_at      INTEGER NOT NULL
);

CREATE TABLE inbound (
    id              INTEGER PRIMARY KEY,
    mailbox_id      INTEGER NOT NULL REFERENCES mailbox(id) ON DELETE CASCADE,
    message_id      TEXT,
    enrollment_id   INTEGER REFERENCES enrollment(id) ON DELETE SET NULL,
    class           TEXT NOT NULL,
    from_address    TEXT NOT NULL DEFAULT '',
    subject         TEXT NOT NULL DEFAULT '',
    reply_text      TEXT NOT NULL DEFAULT '',
    received_at     INTEGER NOT NULL,
    UNIQUE (mailbox_id, message_id)
);
