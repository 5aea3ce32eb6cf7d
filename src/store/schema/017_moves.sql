-- piculet schema, version 17: a database moved by `piculet db copy`.
--
-- On the database copied into, a row 'copying' while the copy is under
-- way (and left by a copy that was killed): engines refuse to start on
-- it. On the database copied from, a row 'moved' once the copy is whole:
-- engines refuse to start on the place the work left, so that two places
-- never send the same steps (`piculet db reopen` takes it back).
CREATE TABLE database_move (
    what            TEXT PRIMARY KEY CHECK (what IN ('copying', 'moved')),
    other           TEXT NOT NULL,   -- where from / where to, never a password
    at              INTEGER NOT NULL
);
