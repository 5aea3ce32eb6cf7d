#include "cli/cli_db.h"

#include "app/app_db.h"
#include "cli/cli_exit.h"
#include "cli/cli_options.h"
#include "cli/cli_output.h"
#include "store/store.h"

#include <string.h>

const char cli_db_usage[] =
        "usage: piculet db copy --to postgresql://... [--from FILE]\n"
        "       piculet db reopen [--db PATH]\n"
        "\n"
        "copy moves the work from a SQLite file (--from, else the database as\n"
        "configured) to an empty PostgreSQL database: every row (history,\n"
        "cursors, sealed passwords and tokens, ids) in one transaction, each\n"
        "table's count checked on both sides, all or nothing. Stop piculet run\n"
        "on the file first. While it copies, no engine starts on the new\n"
        "database; once it is done, none starts on the file, so that no step is\n"
        "sent from both (reopen takes the file back, should you return to it).\n"
        "The seal key goes along: the new database's key file (key_file, else\n"
        "the user's data folder) is written from the file's when there is none.\n"
        "A password for the server goes in ~/.pgpass, never in --to.\n";

static int
failed(const char *command, const GError *error)
{
	cli_output_eprintf("piculet %s: %s\n", command, error->message);
	return cli_exit_of_error(error);
}

static int
run_copy(int argc, char **argv)
{
	g_autofree char *from = NULL;
	g_autofree char *to = NULL;
	GOptionEntry entries[] = {
	        {"from", 0, 0, G_OPTION_ARG_FILENAME, &from, NULL, NULL},
	        {"to", 0, 0, G_OPTION_ARG_STRING, &to, NULL, NULL},
	        {NULL, 0, 0, 0, NULL, NULL, NULL},
	};
	if (!cli_options_parse("db copy", entries, argc, argv))
		return CLI_EXIT_USAGE;
	g_autofree char *source_path = cli_options_database_path(from);
	if (to == NULL || !store_location_is_server(to) || store_location_is_server(source_path)) {
		cli_output_eprintf("piculet db copy: from a SQLite file (--from, else the database "
		                   "as configured) --to postgresql://...\n");
		return CLI_EXIT_USAGE;
	}
	if (!g_file_test(source_path, G_FILE_TEST_IS_REGULAR)) {
		cli_output_eprintf("piculet db copy: %s: no such database file\n", source_path);
		return CLI_EXIT_NO_INPUT;
	}
	int code = CLI_EXIT_OK;
	g_autoptr(Store) source = cli_options_open_store("db copy", source_path, &code);
	if (source == NULL)
		return code;
	g_autoptr(Store) destination = cli_options_open_store("db copy", to, &code);
	if (destination == NULL)
		return code;
	g_autoptr(GError) error = NULL;
	g_auto(AppDbCopyResult) result = {0};
	if (!app_db_copy(source, destination, &result, &error))
		return failed("db copy", error);
	g_autofree char *shown = store_describe(destination);
	for (guint i = 0; i < result.tables->len; i++) {
		const StoreCount *table = g_ptr_array_index(result.tables, i);
		cli_output_printf("%-18s %10" G_GUINT64_FORMAT " rows\n", table->name, table->n);
	}
	cli_output_printf("copied %" G_GUINT64_FORMAT " rows of %s into %s; every count checked\n",
	                  result.rows, source_path, shown);
	if (result.key_written != NULL)
		cli_output_printf("the seal key, for the new database: %s\n", result.key_written);
	cli_output_printf("run the engines with --db on the new database now; they no longer "
	                  "start on %s\n",
	                  source_path);
	return CLI_EXIT_OK;
}

static int
run_reopen(int argc, char **argv)
{
	g_autofree char *db = NULL;
	GOptionEntry entries[] = {
	        {"db", 0, 0, G_OPTION_ARG_FILENAME, &db, NULL, NULL},
	        {NULL, 0, 0, 0, NULL, NULL, NULL},
	};
	if (!cli_options_parse("db reopen", entries, argc, argv))
		return CLI_EXIT_USAGE;
	int code = CLI_EXIT_OK;
	g_autoptr(Store) store = cli_options_open_store("db reopen", db, &code);
	if (store == NULL)
		return code;
	g_autoptr(GError) error = NULL;
	bool was_moved = false;
	if (!app_db_reopen(store, &was_moved, &error))
		return failed("db reopen", error);
	g_autofree char *shown = store_describe(store);
	cli_output_printf(was_moved ? "%s: engines may run on it again; stop those on the "
	                              "database it was copied to first\n"
	                            : "%s: it was not marked as moved; nothing to do\n",
	                  shown);
	return CLI_EXIT_OK;
}

int
cli_db_run(int argc, char **argv)
{
	if (argc < 2) {
		cli_output_eprintf("piculet db: copy or reopen? (see piculet db --help)\n");
		return CLI_EXIT_USAGE;
	}
	if (strcmp(argv[1], "copy") == 0)
		return run_copy(argc - 1, argv + 1);
	if (strcmp(argv[1], "reopen") == 0)
		return run_reopen(argc - 1, argv + 1);
	cli_output_eprintf("piculet db: no action %s (copy, reopen)\n", argv[1]);
	return CLI_EXIT_USAGE;
}
