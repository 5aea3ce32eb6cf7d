-- piculet schema for PostgreSQL, version 5: SQLite's version 17 (a
-- database moved by `piculet db copy`; that file says why).
CREATE TABLE database_move (
    what            text PRIMARY KEY CHECK (what IN ('copying', 'moved')),
    other           text NOT NULL,
    at              bigint NOT NULL
);
