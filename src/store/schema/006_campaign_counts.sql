-- piculet schema, version 6: a campaign's counts kept as rows change.
--
-- A campaign's row is shown with how many are enrolled, in progress,
-- replied, and how many of its messages went or may have gone. Counting
-- those at every read costs a scan of the campaign's enrollments (90 ms
-- over a million), so the API's report could not answer fifty clients in
-- time. Triggers keep one row per campaign and enrollment state, and per
-- campaign and message state ("message:sent"), as the rows change; a read
-- is a few index lookups.
CREATE TABLE campaign_count (
    campaign_id     INTEGER NOT NULL REFERENCES campaign(id) ON DELETE CASCADE,
    what            TEXT NOT NULL,                 -- an enrollment state, or 'message:' || state
    n               INTEGER NOT NULL,
    PRIMARY KEY (campaign_id, what)
) WITHOUT ROWID;

INSERT INTO campaign_count (campaign_id, what, n)
    SELECT campaign_id, state, count(*) FROM enrollment GROUP BY campaign_id, state;
INSERT INTO campaign_count (campaign_id, what, n)
    SELECT e.campaign_id, 'message:' || m.state, count(*)
    FROM message m JOIN enrollment e ON e.id = m.enrollment_id
    GROUP BY e.campaign_id, m.state;

CREATE TRIGGER enrollment_counted AFTER INSERT ON enrollment BEGIN
    INSERT INTO campaign_count (campaign_id, what, n) VALUES (NEW.campaign_id, NEW.state, 1)
        ON CONFLICT (campaign_id, what) DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER enrollment_recounted AFTER UPDATE OF state ON enrollment
    WHEN OLD.state IS NOT NEW.state BEGIN
    UPDATE campaign_count SET n = n - 1 WHERE campaign_id = OLD.campaign_id AND what = OLD.state;
    INSERT INTO campaign_count (campaign_id, what, n) VALUES (NEW.campaign_id, NEW.state, 1)
        ON CONFLICT (campaign_id, what) DO UPDATE SET n = n + 1;
END;

-- Before: its messages (deleted with it, by cascade) are still there to
-- count; their own delete trigger then finds no enrollment and does
-- nothing (SQLite fires triggers for cascades).
CREATE TRIGGER enrollment_uncounted BEFORE DELETE ON enrollment BEGIN
    UPDATE campaign_count SET n = n - 1 WHERE campaign_id = OLD.campaign_id AND what = OLD.state;
    UPDATE campaign_count SET n = n - (SELECT count(*) FROM message m
                                       WHERE m.enrollment_id = OLD.id
                                       AND 'message:' || m.state = campaign_count.what)
        WHERE campaign_id = OLD.campaign_id AND what LIKE 'message:%';
END;

CREATE TRIGGER message_counted AFTER INSERT ON message BEGIN
    INSERT INTO campaign_count (campaign_id, what, n)
        SELECT campaign_id, 'message:' || NEW.state, 1 FROM enrollment WHERE id = NEW.enrollment_id
        ON CONFLICT (campaign_id, what) DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER message_recounted AFTER UPDATE OF state ON message
    WHEN OLD.state IS NOT NEW.state BEGIN
    UPDATE campaign_count SET n = n - 1
        WHERE what = 'message:' || OLD.state
        AND campaign_id = (SELECT campaign_id FROM enrollment WHERE id = OLD.enrollment_id);
    INSERT INTO campaign_count (campaign_id, what, n)
        SELECT campaign_id, 'message:' || NEW.state, 1 FROM enrollment WHERE id = NEW.enrollment_id
        ON CONFLICT (campaign_id, what) DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER message_uncounted AFTER DELETE ON message BEGIN
    UPDATE campaign_count SET n = n - 1
        WHERE what = 'message:' || OLD.state
        AND campaign_id = (SELECT campaign_id FROM enrollment WHERE id = OLD.enrollment_id);
END;

-- An event may concern a whole campaign (its last enrollment ended), not
-- one enrollment: then it names the campaign itself.
ALTER TABLE event ADD COLUMN campaign_id INTEGER REFERENCES campaign(id) ON DELETE CASCADE;
