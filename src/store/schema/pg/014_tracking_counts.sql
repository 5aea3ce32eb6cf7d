-- piculet schema (PostgreSQL), version 14: the opens and clicks of a
-- message count once per batch of them (as SQLite's version 25). The store
-- adds the opens and clicks it writes to their messages itself, one update
-- per message per batch; the trigger counts the other kinds on insert, and
-- every kind on delete or change, as before.
CREATE OR REPLACE FUNCTION event_reported() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.message_id IS NOT NULL THEN
        PERFORM event_count_on(OLD.message_id, OLD.kind, -1);
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        IF NEW.message_id IS NOT NULL
           AND (TG_OP = 'UPDATE' OR NEW.kind NOT IN ('open', 'click')) THEN
            PERFORM event_count_on(NEW.message_id, NEW.kind, 1);
        END IF;
        RETURN NEW;
    END IF;
    RETURN OLD;
END;
$$;
