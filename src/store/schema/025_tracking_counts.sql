-- piculet schema, version 25: the opens and clicks of a message count once
-- per batch of them.
--
-- A tracked image fetched a thousand times in a second was a thousand
-- updates of its message, each through the message's own triggers: more
-- than a third of what writing a fetch cost. The store now adds the opens
-- and clicks it writes to their messages itself (store_event_add,
-- store_event_add_all: one update per message per batch); this trigger
-- counts the other kinds. An event deleted or changed counts as before
-- (event_rereported, event_unreported), so a message's opens are still
-- the number of its open events.
DROP TRIGGER event_reported;

CREATE TRIGGER event_reported AFTER INSERT ON event
    WHEN NEW.message_id IS NOT NULL
    AND NEW.kind IN ('reply', 'auto_reply', 'bounce', 'opt_out') BEGIN
    UPDATE message SET replies = replies + (NEW.kind = 'reply'),
        auto_replies = auto_replies + (NEW.kind = 'auto_reply'),
        bounces = bounces + (NEW.kind = 'bounce'), opt_outs = opt_outs + (NEW.kind = 'opt_out')
        WHERE id = NEW.message_id;
END;
