-- piculet schema for PostgreSQL, version 8: the fence covers a message's
-- deletion too. An engine that began a send as its lease ran out takes
-- the record back ("not sent"); once another engine holds the mailbox,
-- that record is the new holder's to settle, and the deletion is refused
-- like any late write.
CREATE OR REPLACE FUNCTION piculet_fenced() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    fence text := current_setting('piculet.fence', true);
    fenced bigint;
    held bigint;
    touched jsonb;
BEGIN
    IF TG_OP = 'DELETE' THEN
        touched := to_jsonb(OLD);
    ELSE
        touched := to_jsonb(NEW);
    END IF;
    IF fence IS NOT NULL AND fence <> '' THEN
        fenced := split_part(fence, ':', 1)::bigint;
        IF (touched ->> TG_ARGV[0])::bigint IS NOT DISTINCT FROM fenced THEN
            SELECT token INTO held FROM mailbox_lease WHERE mailbox_id = fenced FOR SHARE;
            IF held IS DISTINCT FROM split_part(fence, ':', 2)::bigint THEN
                RAISE EXCEPTION 'mailbox % is held by another engine now (lease % is gone)',
                    fenced, split_part(fence, ':', 2) USING ERRCODE = 'P0L01';
            END IF;
        END IF;
    END IF;
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    RETURN NEW;
END;
$$;

CREATE TRIGGER message_fenced_delete BEFORE DELETE ON message
    FOR EACH ROW EXECUTE FUNCTION piculet_fenced('mailbox_id');
