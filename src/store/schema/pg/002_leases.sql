-- piculet schema for PostgreSQL, version 2: SQLite's version 14 (several
-- engines share one database: nodes, mailbox leases, fencing tokens), and
-- the fence itself.
CREATE TABLE engine_node (
    name            text PRIMARY KEY,
    seen_at         bigint NOT NULL,
    expires_at      bigint NOT NULL
);

CREATE TABLE mailbox_lease (
    mailbox_id      bigint PRIMARY KEY REFERENCES mailbox(id) ON DELETE CASCADE,
    holder          text NOT NULL DEFAULT '',
    token           bigint NOT NULL DEFAULT 0,
    expires_at      bigint NOT NULL DEFAULT 0
);
CREATE INDEX mailbox_lease_by_holder ON mailbox_lease (holder);

-- A connection that works a mailbox sets piculet.fence to 'MAILBOX:TOKEN'
-- (store_lease_fence); a write of a row about that mailbox is refused
-- (SQLSTATE P0L01) unless TOKEN is still its lease's. The lease row is
-- read FOR SHARE: a takeover waits for the write, or the write sees it.
-- TG_ARGV[0] names the row's mailbox column.
CREATE FUNCTION piculet_fenced() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    fence text := current_setting('piculet.fence', true);
    fenced bigint;
    held bigint;
BEGIN
    IF fence IS NULL OR fence = '' THEN
        RETURN NEW;
    END IF;
    fenced := split_part(fence, ':', 1)::bigint;
    IF (to_jsonb(NEW) ->> TG_ARGV[0])::bigint IS DISTINCT FROM fenced THEN
        RETURN NEW;
    END IF;
    SELECT token INTO held FROM mailbox_lease WHERE mailbox_id = fenced FOR SHARE;
    IF held IS DISTINCT FROM split_part(fence, ':', 2)::bigint THEN
        RAISE EXCEPTION 'mailbox % is held by another engine now (lease % is gone)',
            fenced, split_part(fence, ':', 2) USING ERRCODE = 'P0L01';
    END IF;
    RETURN NEW;
END;
$$;

CREATE TRIGGER message_fenced BEFORE INSERT OR UPDATE ON message
    FOR EACH ROW EXECUTE FUNCTION piculet_fenced('mailbox_id');
CREATE TRIGGER enrollment_fenced BEFORE INSERT OR UPDATE ON enrollment
    FOR EACH ROW EXECUTE FUNCTION piculet_fenced('mailbox_id');
CREATE TRIGGER mailbox_fenced BEFORE UPDATE ON mailbox
    FOR EACH ROW EXECUTE FUNCTION piculet_fenced('id');
