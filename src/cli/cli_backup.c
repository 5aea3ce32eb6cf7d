#include "cli/cli_backup.h"

#include "app/app_backup.h"
#include "cli/cli_exit.h"
#include "cli/cli_options.h"
#include "cli/cli_output.h"
#include "store/store.h"

#include <sys/stat.h>

const char cli_backup_usage[] =
        "usage: piculet backup FILE [--db PATH]\n"
        "\n"
        "Writes a consistent copy of the database to FILE and its seal key to\n"
        "FILE.key (both 0600; the key opens the mailboxes' passwords and tokens:\n"
        "keep it as safe as they are). piculet run may go on meanwhile. FILE is\n"
        "written beside itself and renamed into place, so a backup cut short\n"
        "leaves the last good one. A database restored from it (piculet restore)\n"
        "first looks in each mailbox's Sent folder for what was sent after the\n"
        "backup, and holds those sequences for a look instead of sending a step\n"
        "twice. For PostgreSQL (later) use pg_dump.\n";

const char cli_backup_restore_usage[] =
        "usage: piculet restore FILE [--replace] [--db PATH]\n"
        "\n"
        "Puts the backup FILE (and FILE.key) in place as the database. With\n"
        "--replace an existing database is moved aside (PATH.before-restore), and\n"
        "so is a different key; never while piculet run or another process has\n"
        "the database open. The next run looks in each mailbox's Sent folder for\n"
        "mail sent since the backup was taken, and holds (uncertain) the sequences\n"
        "of the people it went to: nothing is sent twice.\n";

static bool
same_file(const char *a, const char *b)
{
	struct stat one;
	struct stat two;
	return stat(a, &one) == 0 && stat(b, &two) == 0 && one.st_dev == two.st_dev &&
	       one.st_ino == two.st_ino;
}

int
cli_backup_run(int argc, char **argv)
{
	g_autofree char *db = NULL;
	GOptionEntry entries[] = {
	        {"db", 0, 0, G_OPTION_ARG_FILENAME, &db, NULL, NULL},
	        {NULL, 0, 0, 0, NULL, NULL, NULL},
	};
	const char *destination = NULL;
	if (!cli_options_parse_after_argument("backup", "backup", entries, argc, argv,
	                                      &destination))
		return CLI_EXIT_USAGE;
	int code = CLI_EXIT_OK;
	g_autoptr(Store) store = cli_options_open_store("backup", db, &code);
	if (store == NULL)
		return code;
	g_autofree char *path = cli_options_database_path(db);
	if (same_file(path, destination)) {
		cli_output_eprintf("piculet backup: %s is the database itself\n", destination);
		return CLI_EXIT_USAGE;
	}
	g_autoptr(GError) error = NULL;
	AppBackupResult result;
	if (!app_backup_create(store, destination, &result, &error)) {
		cli_output_eprintf("piculet backup: %s\n", error->message);
		return cli_exit_of_error(error);
	}
	cli_output_printf("backup: %s%s\n", destination,
	                  result.key_copied ? " and its seal key " : " (no seal key yet)");
	if (result.key_copied)
		cli_output_printf("        %s.key\n", destination);
	return CLI_EXIT_OK;
}

int
cli_backup_restore_run(int argc, char **argv)
{
	g_autofree char *db = NULL;
	gboolean replace = FALSE;
	GOptionEntry entries[] = {
	        {"db", 0, 0, G_OPTION_ARG_FILENAME, &db, NULL, NULL},
	        {"replace", 0, 0, G_OPTION_ARG_NONE, &replace, NULL, NULL},
	        {NULL, 0, 0, 0, NULL, NULL, NULL},
	};
	const char *backup = NULL;
	if (!cli_options_parse_after_argument("restore", "restore", entries, argc, argv, &backup))
		return CLI_EXIT_USAGE;
	g_autofree char *path = cli_options_database_path(db);
	if (store_location_is_server(path)) {
		cli_output_eprintf("piculet restore: writes a SQLite file; a PostgreSQL database "
		                   "is restored with pg_restore\n");
		return CLI_EXIT_USAGE;
	}
	g_autoptr(GError) error = NULL;
	g_auto(AppRestoreResult) result = {0};
	if (!app_backup_restore(backup, path, replace, &result, &error)) {
		cli_output_eprintf("piculet restore: %s\n", error->message);
		return cli_exit_of_error(error);
	}
	cli_output_printf("restored %s as %s\n", backup, path);
	if (result.moved_aside != NULL)
		cli_output_printf("the database it replaced: %s\n", result.moved_aside);
	if (result.key_moved_aside != NULL)
		cli_output_printf("the seal key it replaced: %s\n", result.key_moved_aside);
	if (!result.key_restored)
		cli_output_printf("no %s.key beside the backup: sealed passwords and tokens stay "
		                  "closed until the key is put beside the database\n",
		                  backup);
	if (result.taken_at > 0) {
		g_autofree char *when = cli_output_time(result.taken_at);
		cli_output_printf("taken at %s: before sending, %u mailbox%s will look in the Sent "
		                  "folder for what went after\n",
		                  when, result.n_mailboxes, result.n_mailboxes == 1 ? "" : "es");
	}
	return CLI_EXIT_OK;
}
