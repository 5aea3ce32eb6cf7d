-- piculet schema (PostgreSQL), version 11: an open or a click counts at
-- the price of one row (as SQLite's version 22). Version 9's trigger takes
-- a message's whole share of the report away and gives it back at every
-- change of a counted column: for an open, a dozen upserts to change at
-- most one row. When only the opens and clicks change, 'opened' and
-- 'clicked' now move when they cross zero, and nothing else is touched.
CREATE OR REPLACE FUNCTION message_reported() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    campaign bigint;
BEGIN
    IF TG_OP = 'UPDATE'
       AND (OLD.enrollment_id, OLD.step, OLD.state, OLD.sent_at, OLD.variant, OLD.replies,
            OLD.auto_replies, OLD.bounces, OLD.opt_outs)
           IS NOT DISTINCT FROM (NEW.enrollment_id, NEW.step, NEW.state, NEW.sent_at,
                                 NEW.variant, NEW.replies, NEW.auto_replies, NEW.bounces,
                                 NEW.opt_outs) THEN
        IF (OLD.opens > 0) = (NEW.opens > 0) AND (OLD.clicks > 0) = (NEW.clicks > 0) THEN
            RETURN NEW;
        END IF;
        SELECT campaign_id INTO campaign FROM enrollment WHERE id = NEW.enrollment_id;
        IF campaign IS NULL THEN
            RETURN NEW;
        END IF;
        IF (OLD.opens > 0) != (NEW.opens > 0) THEN
            PERFORM report_count_add(campaign, 'opened', NEW.step, NEW.variant, 0,
                                     CASE WHEN NEW.opens > 0 THEN 1 ELSE -1 END);
        END IF;
        IF (OLD.clicks > 0) != (NEW.clicks > 0) THEN
            PERFORM report_count_add(campaign, 'clicked', NEW.step, NEW.variant, 0,
                                     CASE WHEN NEW.clicks > 0 THEN 1 ELSE -1 END);
        END IF;
        RETURN NEW;
    END IF;
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
