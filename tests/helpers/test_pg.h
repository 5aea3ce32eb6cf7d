/*
 * test_pg: a fresh PostgreSQL database of the test lab's server
 * (scripts/pg-lab, which run-tests starts) for one test.
 */
#pragma once

#include <glib.h>

/* True when this test is to run on PostgreSQL: $PICULET_TEST_STORE is
 * "postgresql" (meson registers the back-end-neutral tests twice). */
gboolean test_pg_wanted(void);

/* A new, empty database named after @prefix; its libpq URI. Fails the
 * test, saying why, when the lab's server is not there. */
char *test_pg_database_new(const char *prefix);

/* Where a test's database is: @dir/@name.db, or on PostgreSQL a new
 * database named after @name. */
char *test_pg_store_location(const char *dir, const char *name);

/* All the database of @uri holds, as pg_dump writes it (*@length bytes). */
char *test_pg_database_dump(const char *uri, gsize *length);

/* Drops the database of @uri (no connection may be left on it). */
void test_pg_database_drop(const char *uri);
