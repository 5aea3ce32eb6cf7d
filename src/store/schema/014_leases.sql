-- piculet schema, version 14: several engines share one database.
--
-- Each `piculet run` is a node with a name of its own, alive until its
-- expires_at; it holds a lease on each mailbox it works, until the lease's
-- expires_at, with a fencing token that grows with every new holder. A node
-- renews both every pass; one that stops loses them when they expire. The
-- writes of a node about a mailbox are fenced by the token it holds (a
-- connection's fence: store_sql_lease.c): the database refuses them once
-- the lease has another holder.
CREATE TABLE engine_node (
    name            TEXT PRIMARY KEY,
    seen_at         INTEGER NOT NULL,
    expires_at      INTEGER NOT NULL
);

CREATE TABLE mailbox_lease (
    mailbox_id      INTEGER PRIMARY KEY REFERENCES mailbox(id) ON DELETE CASCADE,
    holder          TEXT NOT NULL DEFAULT '',   -- a node's name; '' when let go
    token           INTEGER NOT NULL DEFAULT 0,
    expires_at      INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX mailbox_lease_by_holder ON mailbox_lease (holder);
