-- piculet schema, version 20: a campaign's report kept as rows change.
--
-- The report (per step: sent, replied, auto-replied, bounced, opted out,
-- uncertain, opened, clicked; per A/B/n variant; per day) was counted at
-- every read by joins over the campaign's messages and all events: a scan
-- of the event table per column, and per message for the variants, so a
-- report over a campaign of a million took seconds. Now each message keeps
-- how many events of each counted kind name it, and report_count keeps the
-- sums, both by triggers as the rows change; a read is a range of a few
-- rows.
ALTER TABLE message ADD COLUMN replies INTEGER NOT NULL DEFAULT 0;
ALTER TABLE message ADD COLUMN auto_replies INTEGER NOT NULL DEFAULT 0;
ALTER TABLE message ADD COLUMN bounces INTEGER NOT NULL DEFAULT 0;
ALTER TABLE message ADD COLUMN opt_outs INTEGER NOT NULL DEFAULT 0;
ALTER TABLE message ADD COLUMN opens INTEGER NOT NULL DEFAULT 0;
ALTER TABLE message ADD COLUMN clicks INTEGER NOT NULL DEFAULT 0;

-- what: 'message:' || state, 'reply', 'auto_reply', 'bounce', 'opt_out'
-- (events), 'replied', 'bounced', 'opted_out', 'opened', 'clicked'
-- (messages with one or more), each per step and variant with day 0; and
-- 'sent_on', 'replied_on' per day (days since 1970, UTC) with step and
-- variant 0. A count that went back to 0 may stay as a row.
CREATE TABLE report_count (
    campaign_id     INTEGER NOT NULL REFERENCES campaign(id) ON DELETE CASCADE,
    what            TEXT NOT NULL,
    step            INTEGER NOT NULL,
    variant         INTEGER NOT NULL,
    day             INTEGER NOT NULL,
    n               INTEGER NOT NULL,
    PRIMARY KEY (campaign_id, what, step, variant, day)
) WITHOUT ROWID;

-- The events a message's counts come from, found without a scan.
CREATE INDEX event_by_message ON event (message_id) WHERE message_id IS NOT NULL;

UPDATE message SET replies = k.replies, auto_replies = k.auto_replies, bounces = k.bounces,
    opt_outs = k.opt_outs, opens = k.opens, clicks = k.clicks
FROM (SELECT message_id, sum(kind = 'reply') AS replies, sum(kind = 'auto_reply') AS auto_replies,
             sum(kind = 'bounce') AS bounces, sum(kind = 'opt_out') AS opt_outs,
             sum(kind = 'open') AS opens, sum(kind = 'click') AS clicks
      FROM event WHERE message_id IS NOT NULL GROUP BY message_id) AS k
WHERE message.id = k.message_id;

-- What one message row adds to its campaign's report; the triggers read it
-- for the row they change (its filter on id reaches every branch: a few
-- lookups by rowid).
CREATE VIEW message_report AS
    SELECT id, enrollment_id, 'message:' || state AS what, step, variant, 0 AS day, 1 AS n
        FROM message
    UNION ALL SELECT id, enrollment_id, 'sent_on', 0, 0, sent_at / 86400000000, 1 FROM message
        WHERE state = 'sent' AND sent_at IS NOT NULL
    UNION ALL SELECT id, enrollment_id, 'reply', step, variant, 0, replies FROM message
        WHERE replies != 0
    UNION ALL SELECT id, enrollment_id, 'replied', step, variant, 0, 1 FROM message
        WHERE replies > 0
    UNION ALL SELECT id, enrollment_id, 'auto_reply', step, variant, 0, auto_replies FROM message
        WHERE auto_replies != 0
    UNION ALL SELECT id, enrollment_id, 'bounce', step, variant, 0, bounces FROM message
        WHERE bounces != 0
    UNION ALL SELECT id, enrollment_id, 'bounced', step, variant, 0, 1 FROM message
        WHERE bounces > 0
    UNION ALL SELECT id, enrollment_id, 'opt_out', step, variant, 0, opt_outs FROM message
        WHERE opt_outs != 0
    UNION ALL SELECT id, enrollment_id, 'opted_out', step, variant, 0, 1 FROM message
        WHERE opt_outs > 0
    UNION ALL SELECT id, enrollment_id, 'opened', step, variant, 0, 1 FROM message
        WHERE opens > 0
    UNION ALL SELECT id, enrollment_id, 'clicked', step, variant, 0, 1 FROM message
        WHERE clicks > 0;

INSERT INTO report_count (campaign_id, what, step, variant, day, n)
    SELECT e.campaign_id, r.what, r.step, r.variant, r.day, sum(r.n)
    FROM message_report r JOIN enrollment e ON e.id = r.enrollment_id
    GROUP BY e.campaign_id, r.what, r.step, r.variant, r.day;
INSERT INTO report_count (campaign_id, what, step, variant, day, n)
    SELECT e.campaign_id, 'replied_on', 0, 0, i.received_at / 86400000000, count(*)
    FROM inbound i JOIN enrollment e ON e.id = i.enrollment_id WHERE i.class = 'reply'
    GROUP BY e.campaign_id, i.received_at / 86400000000;

-- A message's share: taken away before the row changes (the view still
-- sees it as it was), given back after.
CREATE TRIGGER message_reported AFTER INSERT ON message BEGIN
    INSERT INTO report_count (campaign_id, what, step, variant, day, n)
        SELECT e.campaign_id, r.what, r.step, r.variant, r.day, r.n
        FROM message_report r JOIN enrollment e ON e.id = r.enrollment_id WHERE r.id = NEW.id
        ON CONFLICT (campaign_id, what, step, variant, day) DO UPDATE SET n = n + excluded.n;
END;

CREATE TRIGGER message_report_taken BEFORE UPDATE OF enrollment_id, step, state, sent_at, variant,
    replies, auto_replies, bounces, opt_outs, opens, clicks ON message BEGIN
    INSERT INTO report_count (campaign_id, what, step, variant, day, n)
        SELECT e.campaign_id, r.what, r.step, r.variant, r.day, -r.n
        FROM message_report r JOIN enrollment e ON e.id = r.enrollment_id WHERE r.id = OLD.id
        ON CONFLICT (campaign_id, what, step, variant, day) DO UPDATE SET n = n + excluded.n;
END;

CREATE TRIGGER message_report_given AFTER UPDATE OF enrollment_id, step, state, sent_at, variant,
    replies, auto_replies, bounces, opt_outs, opens, clicks ON message BEGIN
    INSERT INTO report_count (campaign_id, what, step, variant, day, n)
        SELECT e.campaign_id, r.what, r.step, r.variant, r.day, r.n
        FROM message_report r JOIN enrollment e ON e.id = r.enrollment_id WHERE r.id = NEW.id
        ON CONFLICT (campaign_id, what, step, variant, day) DO UPDATE SET n = n + excluded.n;
END;

CREATE TRIGGER message_unreported BEFORE DELETE ON message BEGIN
    INSERT INTO report_count (campaign_id, what, step, variant, day, n)
        SELECT e.campaign_id, r.what, r.step, r.variant, r.day, -r.n
        FROM message_report r JOIN enrollment e ON e.id = r.enrollment_id WHERE r.id = OLD.id
        ON CONFLICT (campaign_id, what, step, variant, day) DO UPDATE SET n = n + excluded.n;
END;

-- An event of a counted kind counts on the message it names.
CREATE TRIGGER event_reported AFTER INSERT ON event
    WHEN NEW.message_id IS NOT NULL
    AND NEW.kind IN ('reply', 'auto_reply', 'bounce', 'opt_out', 'open', 'click') BEGIN
    UPDATE message SET replies = replies + (NEW.kind = 'reply'),
        auto_replies = auto_replies + (NEW.kind = 'auto_reply'),
        bounces = bounces + (NEW.kind = 'bounce'), opt_outs = opt_outs + (NEW.kind = 'opt_out'),
        opens = opens + (NEW.kind = 'open'), clicks = clicks + (NEW.kind = 'click')
        WHERE id = NEW.message_id;
END;

CREATE TRIGGER event_rereported AFTER UPDATE OF message_id, kind ON event BEGIN
    UPDATE message SET replies = replies - (OLD.kind = 'reply'),
        auto_replies = auto_replies - (OLD.kind = 'auto_reply'),
        bounces = bounces - (OLD.kind = 'bounce'), opt_outs = opt_outs - (OLD.kind = 'opt_out'),
        opens = opens - (OLD.kind = 'open'), clicks = clicks - (OLD.kind = 'click')
        WHERE id = OLD.message_id
        AND OLD.kind IN ('reply', 'auto_reply', 'bounce', 'opt_out', 'open', 'click');
    UPDATE message SET replies = replies + (NEW.kind = 'reply'),
        auto_replies = auto_replies + (NEW.kind = 'auto_reply'),
        bounces = bounces + (NEW.kind = 'bounce'), opt_outs = opt_outs + (NEW.kind = 'opt_out'),
        opens = opens + (NEW.kind = 'open'), clicks = clicks + (NEW.kind = 'click')
        WHERE id = NEW.message_id
        AND NEW.kind IN ('reply', 'auto_reply', 'bounce', 'opt_out', 'open', 'click');
END;

CREATE TRIGGER event_unreported AFTER DELETE ON event
    WHEN OLD.message_id IS NOT NULL
    AND OLD.kind IN ('reply', 'auto_reply', 'bounce', 'opt_out', 'open', 'click') BEGIN
    UPDATE message SET replies = replies - (OLD.kind = 'reply'),
        auto_replies = auto_replies - (OLD.kind = 'auto_reply'),
        bounces = bounces - (OLD.kind = 'bounce'), opt_outs = opt_outs - (OLD.kind = 'opt_out'),
        opens = opens - (OLD.kind = 'open'), clicks = clicks - (OLD.kind = 'click')
        WHERE id = OLD.message_id;
END;

-- Replies per day, from the replies read.
CREATE TRIGGER inbound_reported AFTER INSERT ON inbound
    WHEN NEW.class = 'reply' AND NEW.enrollment_id IS NOT NULL BEGIN
    INSERT INTO report_count (campaign_id, what, step, variant, day, n)
        SELECT campaign_id, 'replied_on', 0, 0, NEW.received_at / 86400000000, 1
        FROM enrollment WHERE id = NEW.enrollment_id
        ON CONFLICT (campaign_id, what, step, variant, day) DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER inbound_report_taken BEFORE UPDATE OF class, enrollment_id, received_at ON inbound
    WHEN OLD.class = 'reply' AND OLD.enrollment_id IS NOT NULL BEGIN
    UPDATE report_count SET n = n - 1
        WHERE campaign_id = (SELECT campaign_id FROM enrollment WHERE id = OLD.enrollment_id)
        AND what = 'replied_on' AND step = 0 AND variant = 0
        AND day = OLD.received_at / 86400000000;
END;

CREATE TRIGGER inbound_report_given AFTER UPDATE OF class, enrollment_id, received_at ON inbound
    WHEN NEW.class = 'reply' AND NEW.enrollment_id IS NOT NULL BEGIN
    INSERT INTO report_count (campaign_id, what, step, variant, day, n)
        SELECT campaign_id, 'replied_on', 0, 0, NEW.received_at / 86400000000, 1
        FROM enrollment WHERE id = NEW.enrollment_id
        ON CONFLICT (campaign_id, what, step, variant, day) DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER inbound_unreported BEFORE DELETE ON inbound
    WHEN OLD.class = 'reply' AND OLD.enrollment_id IS NOT NULL BEGIN
    UPDATE report_count SET n = n - 1
        WHERE campaign_id = (SELECT campaign_id FROM enrollment WHERE id = OLD.enrollment_id)
        AND what = 'replied_on' AND step = 0 AND variant = 0
        AND day = OLD.received_at / 86400000000;
END;

-- An enrollment's messages and replies leave the counts while it is
-- still there to say whose they were: they go first, each through its
-- own triggers (this replaces version 6's count of them here).
DROP TRIGGER enrollment_uncounted;
CREATE TRIGGER enrollment_uncounted BEFORE DELETE ON enrollment BEGIN
    DELETE FROM message WHERE enrollment_id = OLD.id;
    UPDATE inbound SET enrollment_id = NULL WHERE enrollment_id = OLD.id;
    UPDATE campaign_count SET n = n - 1 WHERE campaign_id = OLD.campaign_id AND what = OLD.state;
END;
