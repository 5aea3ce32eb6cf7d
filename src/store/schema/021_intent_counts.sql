-- piculet schema, version 21: a campaign's replies by intent kept as rows
-- change, in report_count (version 20) as 'intent:' || intent, step,
-- variant and day 0. Counted at each read, the report's intents scanned
-- every reply with an intent of every campaign.
INSERT INTO report_count (campaign_id, what, step, variant, day, n)
    SELECT e.campaign_id, 'intent:' || i.intent, 0, 0, 0, count(*)
    FROM inbound i JOIN enrollment e ON e.id = i.enrollment_id WHERE i.intent != ''
    GROUP BY e.campaign_id, i.intent;

CREATE TRIGGER inbound_intent_counted AFTER INSERT ON inbound
    WHEN NEW.intent != '' AND NEW.enrollment_id IS NOT NULL BEGIN
    INSERT INTO report_count (campaign_id, what, step, variant, day, n)
        SELECT campaign_id, 'intent:' || NEW.intent, 0, 0, 0, 1
        FROM enrollment WHERE id = NEW.enrollment_id
        ON CONFLICT (campaign_id, what, step, variant, day) DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER inbound_intent_taken BEFORE UPDATE OF intent, enrollment_id ON inbound
    WHEN OLD.intent != '' AND OLD.enrollment_id IS NOT NULL BEGIN
    UPDATE report_count SET n = n - 1
        WHERE campaign_id = (SELECT campaign_id FROM enrollment WHERE id = OLD.enrollment_id)
        AND what = 'intent:' || OLD.intent AND step = 0 AND variant = 0 AND day = 0;
END;

CREATE TRIGGER inbound_intent_given AFTER UPDATE OF intent, enrollment_id ON inbound
    WHEN NEW.intent != '' AND NEW.enrollment_id IS NOT NULL BEGIN
    INSERT INTO report_count (campaign_id, what, step, variant, day, n)
        SELECT campaign_id, 'intent:' || NEW.intent, 0, 0, 0, 1
        FROM enrollment WHERE id = NEW.enrollment_id
        ON CONFLICT (campaign_id, what, step, variant, day) DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER inbound_intent_uncounted BEFORE DELETE ON inbound
    WHEN OLD.intent != '' AND OLD.enrollment_id IS NOT NULL BEGIN
    UPDATE report_count SET n = n - 1
        WHERE campaign_id = (SELECT campaign_id FROM enrollment WHERE id = OLD.enrollment_id)
        AND what = 'intent:' || OLD.intent AND step = 0 AND variant = 0 AND day = 0;
END;
