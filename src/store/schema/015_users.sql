-- piculet schema, version 15: the dashboard's people and their sessions.
--
-- A user signs in to `piculet serve`'s dashboard with an address and a
-- password; only the password's memory-hard hash is kept (app_user), in
-- its own self-describing text. A session is a random cookie of which
-- only the SHA-256 is kept, with the token a page must send back with
-- every change (CSRF). A password change ends every session of its user.
CREATE TABLE app_user (
    id              INTEGER PRIMARY KEY,
    email           TEXT NOT NULL UNIQUE,
    role            TEXT NOT NULL CHECK (role IN ('owner', 'member', 'viewer')),
    password_hash   TEXT NOT NULL,
    created_at      INTEGER NOT NULL
);

CREATE TABLE user_session (
    token_hash      BLOB PRIMARY KEY,
    user_id         INTEGER NOT NULL REFERENCES app_user(id) ON DELETE CASCADE,
    csrf            TEXT NOT NULL,
    created_at      INTEGER NOT NULL,
    expires_at      INTEGER NOT NULL
);
CREATE INDEX user_session_by_user ON user_session (user_id);
