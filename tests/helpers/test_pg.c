#include "helpers/test_pg.h"

#include <gio/gio.h>
#include <libpq-fe.h>
#include <string.h>
#include <unistd.h>

gboolean
test_pg_wanted(void)
{
	return g_strcmp0(g_getenv("PICULET_TEST_STORE"), "postgresql") == 0;
}

static const char *
lab_socket(void)
{
	const char *socket = g_getenv("PICULET_TEST_PG_SOCKET");
	if (socket == NULL || socket[0] == '\0')
		g_error("no PostgreSQL lab: $PICULET_TEST_PG_SOCKET is not set (scripts/run-tests "
		        "starts one with scripts/pg-lab; so does make test)");
	return socket;
}

static char *
uri_of(const char *name)
{
	return g_strdup_printf("postgresql:///%s?host=%s&user=piculet", name, lab_socket());
}

/* Runs @before, the database name @name quoted as an identifier, then
 * @after, on the lab's own database "piculet". */
static void
run_on_lab(const char *before, const char *name, const char *after)
{
	g_autofree char *uri = uri_of("piculet");
	PGconn *conn = PQconnectdb(uri);
	if (PQstatus(conn) != CONNECTION_OK)
		g_error("PostgreSQL lab %s: %s", uri, PQerrorMessage(conn));
	char *quoted = PQescapeIdentifier(conn, name, strlen(name));
	g_autofree char *sql = g_strconcat(before, quoted, after, NULL);
	PQfreemem(quoted);
	PGresult *result = PQexec(conn, sql);
	if (PQresultStatus(result) != PGRES_COMMAND_OK)
		g_error("%s: %s", sql, PQresultErrorMessage(result));
	PQclear(result);
	PQfinish(conn);
}

char *
test_pg_database_new(const char *prefix)
{
	static unsigned count;
	g_autofree char *name =
	        g_strdup_printf("%s_%d_%u_%08x", prefix, (int)getpid(), count++, g_random_int());
	g_strdelimit(name, "-./", '_');
	run_on_lab("CREATE DATABASE ", name, "");
	return uri_of(name);
}

char *
test_pg_store_location(const char *dir, const char *name)
{
	if (test_pg_wanted())
		return test_pg_database_new(name);
	g_autofree char *file = g_strconcat(name, ".db", NULL);
	return g_build_filename(dir, file, NULL);
}

char *
test_pg_database_dump(const char *uri, gsize *length)
{
	g_autoptr(GError) error = NULL;
	const char *argv[] = {"pg_dump", "--no-owner", uri, NULL};
	g_autoptr(GSubprocess) dump =
	        g_subprocess_newv(argv, G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error);
	g_assert_no_error(error);
	g_autoptr(GBytes) out = NULL;
	g_assert_true(g_subprocess_communicate(dump, NULL, NULL, &out, NULL, &error));
	g_assert_no_error(error);
	g_assert_true(g_subprocess_get_if_exited(dump));
	g_assert_cmpint(g_subprocess_get_exit_status(dump), ==, 0);
	return g_bytes_unref_to_data(g_steal_pointer(&out), length);
}

void
test_pg_database_drop(const char *uri)
{
	const char *start = strstr(uri, ":///");
	g_assert_nonnull(start);
	start += 4;
	g_autofree char *name = g_strndup(start, strcspn(start, "?"));
	run_on_lab("DROP DATABASE IF EXISTS ", name, " WITH (FORCE)");
}
