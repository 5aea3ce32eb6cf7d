-- piculet schema for PostgreSQL, version 9: SQLite's version 20 (a
-- campaign's report kept as rows change; that file says why and what each
-- count is).
ALTER TABLE message ADD COLUMN replies bigint NOT NULL DEFAULT 0,
    ADD COLUMN auto_replies bigint NOT NULL DEFAULT 0,
    ADD COLUMN bounces bigint NOT NULL DEFAULT 0,
    ADD COLUMN opt_outs bigint NOT NULL DEFAULT 0,
    ADD COLUMN opens bigint NOT NULL DEFAULT 0,
    ADD COLUMN clicks bigint NOT NULL DEFAULT 0;

CREATE TABLE report_count (
    campaign_id     bigint NOT NULL REFERENCES campaign(id) ON DELETE CASCADE,
    what            text NOT NULL,
    step            bigint NOT NULL,
    variant         bigint NOT NULL,
    day             bigint NOT NULL,
    n               bigint NOT NULL,
    PRIMARY KEY (campaign_id, what, step, variant, day)
);

CREATE INDEX event_by_message ON event (message_id) WHERE message_id IS NOT NULL;

UPDATE message SET replies = k.replies, auto_replies = k.auto_replies, bounces = k.bounces,
    opt_outs = k.opt_outs, opens = k.opens, clicks = k.clicks
FROM (SELECT message_id, count(*) FILTER (WHERE kind = 'reply') AS replies,
             count(*) FILTER (WHERE kind = 'auto_reply') AS auto_replies,
             count(*) FILTER (WHERE kind = 'bounce') AS bounces,
             count(*) FILTER (WHERE kind = 'opt_out') AS opt_outs,
             count(*) FILTER (WHERE kind = 'open') AS opens,
             count(*) FILTER (WHERE kind = 'click') AS clicks
      FROM event WHERE message_id IS NOT NULL GROUP BY message_id) AS k
WHERE message.id = k.message_id;

CREATE FUNCTION report_count_add(campaign bigint, counted text, at_step bigint,
                                 at_variant bigint, at_day bigint, delta bigint)
RETURNS void LANGUAGE sql AS $$
    INSERT INTO report_count (campaign_id, what, step, variant, day, n)
        VALUES (campaign, counted, at_step, at_variant, at_day, delta)
        ON CONFLICT (campaign_id, what, step, variant, day)
        DO UPDATE SET n = report_count.n + delta;
$$;

-- What message @m adds to its campaign's report, times @times.
CREATE FUNCTION message_report(m message, times bigint) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    campaign bigint;
BEGIN
    SELECT campaign_id INTO campaign FROM enrollment WHERE id = m.enrollment_id;
    IF campaign IS NULL THEN
        RETURN;
    END IF;
    PERFORM report_count_add(campaign, 'message:' || m.state, m.step, m.variant, 0, times);
    IF m.state = 'sent' AND m.sent_at IS NOT NULL THEN
        PERFORM report_count_add(campaign, 'sent_on', 0, 0, m.sent_at / 86400000000, times);
    END IF;
    IF m.replies != 0 THEN
        PERFORM report_count_add(campaign, 'reply', m.step, m.variant, 0, times * m.replies);
    END IF;
    IF m.replies > 0 THEN
        PERFORM report_count_add(campaign, 'replied', m.step, m.variant, 0, times);
    END IF;
    IF m.auto_replies != 0 THEN
        PERFORM report_count_add(campaign, 'auto_reply', m.step, m.variant, 0,
                                 times * m.auto_replies);
    END IF;
    IF m.bounces != 0 THEN
        PERFORM report_count_add(campaign, 'bounce', m.step, m.variant, 0, times * m.bounces);
    END IF;
    IF m.bounces > 0 THEN
        PERFORM report_count_add(campaign, 'bounced', m.step, m.variant, 0, times);
    END IF;
    IF m.opt_outs != 0 THEN
        PERFORM report_count_add(campaign, 'opt_out', m.step, m.variant, 0, times * m.opt_outs);
    END IF;
    IF m.opt_outs > 0 THEN
        PERFORM report_count_add(campaign, 'opted_out', m.step, m.variant, 0, times);
    END IF;
    IF m.opens > 0 THEN
        PERFORM report_count_add(campaign, 'opened', m.step, m.variant, 0, times);
    END IF;
    IF m.clicks > 0 THEN
        PERFORM report_count_add(campaign, 'clicked', m.step, m.variant, 0, times);
    END IF;
END;
$$;

SELECT message_report(m, 1) FROM message m;
INSERT INTO report_count (campaign_id, what, step, variant, day, n)
    SELECT e.campaign_id, 'replied_on', 0, 0, i.received_at / 86400000000, count(*)
    FROM inbound i JOIN enrollment e ON e.id = i.enrollment_id WHERE i.class = 'reply'
    GROUP BY e.campaign_id, i.received_at / 86400000000;

CREATE FUNCTION message_reported() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        PERFORM message_report(OLD, -1);
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        PERFORM message_report(NEW, 1);
        RETURN NEW;
    END IF;
    RETURN OLD;
END;
$$;

CREATE TRIGGER message_reported AFTER INSERT OR DELETE OR UPDATE OF enrollment_id, step, state,
    sent_at, variant, replies, auto_replies, bounces, opt_outs, opens, clicks ON message
    FOR EACH ROW EXECUTE FUNCTION message_reported();

-- The counted kinds of event on the message each names.
CREATE FUNCTION event_count_on(message_row bigint, kind text, delta bigint)
RETURNS void LANGUAGE sql AS $$
    UPDATE message SET replies = replies + CASE WHEN kind = 'reply' THEN delta ELSE 0 END,
        auto_replies = auto_replies + CASE WHEN kind = 'auto_reply' THEN delta ELSE 0 END,
        bounces = bounces + CASE WHEN kind = 'bounce' THEN delta ELSE 0 END,
        opt_outs = opt_outs + CASE WHEN kind = 'opt_out' THEN delta ELSE 0 END,
        opens = opens + CASE WHEN kind = 'open' THEN delta ELSE 0 END,
        clicks = clicks + CASE WHEN kind = 'click' THEN delta ELSE 0 END
        WHERE id = message_row
        AND kind IN ('reply', 'auto_reply', 'bounce', 'opt_out', 'open', 'click');
$$;

CREATE FUNCTION event_reported() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.message_id IS NOT NULL THEN
        PERFORM event_count_on(OLD.message_id, OLD.kind, -1);
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        IF NEW.message_id IS NOT NULL THEN
            PERFORM event_count_on(NEW.message_id, NEW.kind, 1);
        END IF;
        RETURN NEW;
    END IF;
    RETURN OLD;
END;
$$;

CREATE TRIGGER event_reported AFTER INSERT OR DELETE OR UPDATE OF message_id, kind ON event
    FOR EACH ROW EXECUTE FUNCTION event_reported();

-- Replies per day, from the replies read.
CREATE FUNCTION inbound_reported() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    campaign bigint;
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.class = 'reply' THEN
        SELECT campaign_id INTO campaign FROM enrollment WHERE id = OLD.enrollment_id;
        IF campaign IS NOT NULL THEN
            PERFORM report_count_add(campaign, 'replied_on', 0, 0,
                                     OLD.received_at / 86400000000, -1);
        END IF;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        IF NEW.class = 'reply' THEN
            SELECT campaign_id INTO campaign FROM enrollment WHERE id = NEW.enrollment_id;
            IF campaign IS NOT NULL THEN
                PERFORM report_count_add(campaign, 'replied_on', 0, 0,
                                         NEW.received_at / 86400000000, 1);
            END IF;
        END IF;
        RETURN NEW;
    END IF;
    RETURN OLD;
END;
$$;

CREATE TRIGGER inbound_reported AFTER INSERT OR DELETE OR UPDATE OF class, enrollment_id,
    received_at ON inbound FOR EACH ROW EXECUTE FUNCTION inbound_reported();

-- An enrollment's messages and replies leave the counts while it is
-- still there to say whose they were: they go first, each through its
-- own triggers (this replaces version 1's count of them here).
CREATE OR REPLACE FUNCTION enrollment_counted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        PERFORM campaign_count_add(NEW.campaign_id, NEW.state, 1);
        RETURN NEW;
    ELSIF TG_OP = 'UPDATE' THEN
        IF OLD.state IS DISTINCT FROM NEW.state THEN
            PERFORM campaign_count_add(OLD.campaign_id, OLD.state, -1);
            PERFORM campaign_count_add(NEW.campaign_id, NEW.state, 1);
        END IF;
        RETURN NEW;
    END IF;
    DELETE FROM message WHERE enrollment_id = OLD.id;
    UPDATE inbound SET enrollment_id = NULL WHERE enrollment_id = OLD.id;
    PERFORM campaign_count_add(OLD.campaign_id, OLD.state, -1);
    RETURN OLD;
END;
$$;
