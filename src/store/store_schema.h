/*
 * store_schema: the versioned migrations of src/store/schema/ (SQLite) and
 * src/store/schema/pg/ (PostgreSQL), embedded at build time.
 * store_schema_migrations[i] takes a database from version i to version
 * i + 1; store_schema_version is the version this program writes. Each
 * engine counts its own versions.
 */
#pragma once

extern const char *const store_schema_migrations[];
extern const unsigned store_schema_version;

extern const char *const store_schema_pg_migrations[];
extern const unsigned store_schema_pg_version;
