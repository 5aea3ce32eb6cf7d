-- piculet schema, version 22: an open or a click counts at the price of
-- one row.
--
-- Version 20's message triggers take a message's whole share of the report
-- away before any counted column changes and give it back after: for an
-- open, two reads of every branch of message_report and a dozen upserts
-- of report_count, to change at most one row ('opened' on the first open).
-- Now they run only when something other than the opens and clicks
-- changes; when only those change, 'opened' and 'clicked' move when they
-- cross zero, and nothing else is touched. The counts are the same.
DROP TRIGGER message_report_taken;
DROP TRIGGER message_report_given;

CREATE TRIGGER message_report_taken BEFORE UPDATE OF enrollment_id, step, state, sent_at, variant,
    replies, auto_replies, bounces, opt_outs, opens, clicks ON message
    WHEN OLD.enrollment_id IS NOT NEW.enrollment_id OR OLD.step IS NOT NEW.step
    OR OLD.state IS NOT NEW.state OR OLD.sent_at IS NOT NEW.sent_at
    OR OLD.variant IS NOT NEW.variant OR OLD.replies IS NOT NEW.replies
    OR OLD.auto_replies IS NOT NEW.auto_replies OR OLD.bounces IS NOT NEW.bounces
    OR OLD.opt_outs IS NOT NEW.opt_outs BEGIN
    INSERT INTO report_count (campaign_id, what, step, variant, day, n)
        SELECT e.campaign_id, r.what, r.step, r.variant, r.day, -r.n
        FROM message_report r JOIN enrollment e ON e.id = r.enrollment_id WHERE r.id = OLD.id
        ON CONFLICT (campaign_id, what, step, variant, day) DO UPDATE SET n = n + excluded.n;
END;

CREATE TRIGGER message_report_given AFTER UPDATE OF enrollment_id, step, state, sent_at, variant,
    replies, auto_replies, bounces, opt_outs, opens, clicks ON message
    WHEN OLD.enrollment_id IS NOT NEW.enrollment_id OR OLD.step IS NOT NEW.step
    OR OLD.state IS NOT NEW.state OR OLD.sent_at IS NOT NEW.sent_at
    OR OLD.variant IS NOT NEW.variant OR OLD.replies IS NOT NEW.replies
    OR OLD.auto_replies IS NOT NEW.auto_replies OR OLD.bounces IS NOT NEW.bounces
    OR OLD.opt_outs IS NOT NEW.opt_outs BEGIN
    INSERT INTO report_count (campaign_id, what, step, variant, day, n)
        SELECT e.campaign_id, r.what, r.step, r.variant, r.day, r.n
        FROM message_report r JOIN enrollment e ON e.id = r.enrollment_id WHERE r.id = NEW.id
        ON CONFLICT (campaign_id, what, step, variant, day) DO UPDATE SET n = n + excluded.n;
END;

-- Only the opens or clicks changed (the triggers above did not run): the
-- message is opened or clicked, or no longer is, when its count crosses
-- zero.
CREATE TRIGGER message_opens_reported AFTER UPDATE OF opens, clicks ON message
    WHEN OLD.enrollment_id IS NEW.enrollment_id AND OLD.step IS NEW.step
    AND OLD.state IS NEW.state AND OLD.sent_at IS NEW.sent_at
    AND OLD.variant IS NEW.variant AND OLD.replies IS NEW.replies
    AND OLD.auto_replies IS NEW.auto_replies AND OLD.bounces IS NEW.bounces
    AND OLD.opt_outs IS NEW.opt_outs
    AND ((OLD.opens > 0) != (NEW.opens > 0) OR (OLD.clicks > 0) != (NEW.clicks > 0)) BEGIN
    INSERT INTO report_count (campaign_id, what, step, variant, day, n)
        SELECT e.campaign_id, 'opened', NEW.step, NEW.variant, 0,
               (NEW.opens > 0) - (OLD.opens > 0)
        FROM enrollment e WHERE e.id = NEW.enrollment_id AND (OLD.opens > 0) != (NEW.opens > 0)
        ON CONFLICT (campaign_id, what, step, variant, day) DO UPDATE SET n = n + excluded.n;
    INSERT INTO report_count (campaign_id, what, step, variant, day, n)
        SELECT e.campaign_id, 'clicked', NEW.step, NEW.variant, 0,
               (NEW.clicks > 0) - (OLD.clicks > 0)
        FROM enrollment e WHERE e.id = NEW.enrollment_id AND (OLD.clicks > 0) != (NEW.clicks > 0)
        ON CONFLICT (campaign_id, what, step, variant, day) DO UPDATE SET n = n + excluded.n;
END;
