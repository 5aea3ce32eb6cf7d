-- piculet schema for PostgreSQL, version 10: SQLite's version 21 (a
-- campaign's replies by intent kept as rows change).
INSERT INTO report_count (campaign_id, what, step, variant, day, n)
    SELECT e.campaign_id, 'intent:' || i.intent, 0, 0, 0, count(*)
    FROM inbound i JOIN enrollment e ON e.id = i.enrollment_id WHERE i.intent != ''
    GROUP BY e.campaign_id, i.intent;

CREATE FUNCTION inbound_intent_counted() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    campaign bigint;
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.intent != '' THEN
        SELECT campaign_id INTO campaign FROM enrollment WHERE id = OLD.enrollment_id;
        IF campaign IS NOT NULL THEN
            PERFORM report_count_add(campaign, 'intent:' || OLD.intent, 0, 0, 0, -1);
        END IF;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        IF NEW.intent != '' THEN
            SELECT campaign_id INTO campaign FROM enrollment WHERE id = NEW.enrollment_id;
            IF campaign IS NOT NULL THEN
                PERFORM report_count_add(campaign, 'intent:' || NEW.intent, 0, 0, 0, 1);
            END IF;
        END IF;
        RETURN NEW;
    END IF;
    RETURN OLD;
END;
$$;

CREATE TRIGGER inbound_intent_counted AFTER INSERT OR DELETE OR UPDATE OF intent, enrollment_id
    ON inbound FOR EACH ROW EXECUTE FUNCTION inbound_intent_counted();
