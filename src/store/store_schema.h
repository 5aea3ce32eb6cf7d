/*
 * store_schema: the versioned migrations of src/store/schema/, embedded at
 * build time. store_schema_migrations[i] takes a database from version i to
 * version i + 1; store_schema_version is the version this program writes.
 */
#pragma once

extern const char *const store_schema_migrations[];
extern const unsigned store_schema_version;
