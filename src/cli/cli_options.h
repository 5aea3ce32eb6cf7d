/*
 * cli_options: argument parsing shared by the commands.
 */
#pragma once

#include "base/base_secret.h"
#include "net/net_tls.h"
#include "store/store.h"

#include <glib.h>
#include <stdbool.h>

/* Parses @argv (argv[0] is the command name) against @entries; no
 * positional arguments allowed. Prints "piculet COMMAND: problem" on
 * stderr and returns false on a bad command line. */
bool cli_options_parse(const char *command, const GOptionEntry *entries, int argc, char **argv);

/* "ACTION ARGUMENT [options]" (argv[0] the action, argv[1] its one
 * argument, not an option): the argument in *@argument, then the options.
 * False after "piculet COMMAND: which one? (see piculet HELP --help)" or
 * the options' message. */
/* @text, an ISO 8601 moment ("2026-12-01T09:00:00Z"; UTC when it names
 * no zone), into *@at_us; false after saying what is wrong with @option. */
bool cli_options_parse_moment(const char *command, const char *option, const char *text,
                              int64_t *at_us);

bool cli_options_parse_after_argument(const char *command, const char *help,
                                      const GOptionEntry *entries, int argc, char **argv,
                                      const char **argument);

/* The same for entries gathered in a GArray of GOptionEntry (no
 * terminator needed). */
bool cli_options_parse_array(const char *command, GArray *entries, int argc, char **argv);

/* "host", "host:port", "[v6]", "[v6]:port" → host and port (the default
 * when absent). */
bool cli_options_parse_host_port(const char *text, guint16 default_port, char **host, guint16 *port,
                                 GError **error);

/* The secret named by whichever of --password-env VAR, --password-file FILE,
 * --password-cmd CMD was given (exactly one is not NULL). */
BaseSecret *cli_options_load_secret(const char *env, const char *file, const char *command,
                                    GError **error);

/* The options every command that talks to a server shares: security mode,
 * login, trust, deadline, trace. One definition, so `send` and `inbox`
 * spell and check them alike. */
typedef struct {
	gboolean tls;
	gboolean starttls;
	gboolean plain;
	char *user;
	char *password_env;
	char *password_file;
	char *password_cmd;
	gboolean oauth2;
	char *ca_file;
	gboolean insecure;
	gboolean allow_plaintext_auth;
	int timeout_s;
	gboolean trace;
} CliConnectionArgs;

void cli_options_connection_clear(CliConnectionArgs *args);

/* Appends the GOptionEntry rows for @args to @entries. */
void cli_options_add_connection(GArray *entries, CliConnectionArgs *args);

/* What is wrong with the connection options ("choose one of --tls, ..."),
 * or NULL. With @user_required, --user and one password option must be
 * there; without, a password option still needs --user. */
const char *cli_options_check_connection(const CliConnectionArgs *args, bool user_required);

/* The TLS settings the options ask for (--ca-file, --insecure). */
NetTls *cli_options_new_tls(const CliConnectionArgs *args, GError **error);

/* Opens the database at @db (--db), else $PICULET_DB, else the default;
 * on failure prints "piculet COMMAND: why" and sets *@code (75 when
 * another piculet holds it, 78 for a newer schema, else 74). */
Store *cli_options_open_store(const char *command, const char *db, int *code);
/* The same with the store's settings (its clock, its key path). */
Store *cli_options_open_store_with(const char *command, const char *db,
                                   const StoreSettings *settings, int *code);

/* The database's path: @db (a --db flag), else as configured (piculet.conf,
 * $PICULET_DB), else the default. Newly allocated. */
char *cli_options_database_path(const char *db);
/* The seal key's file the configuration names ([store] key_file,
 * $PICULET_KEY_FILE), or NULL: the store's default. Borrowed. */
const char *cli_options_key_file(void);

/* Whether the command line @argv has the option --@long_name itself
 * (given, not configured). */
bool cli_options_given(int argc, char **argv, const char *long_name);
