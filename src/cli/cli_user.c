#include "cli/cli_user.h"

#include "app/app_user.h"
#include "base/base_secret.h"
#include "cli/cli_exit.h"
#include "cli/cli_options.h"
#include "cli/cli_output.h"

#include <stdio.h>
#include <string.h>

const char cli_user_usage[] =
        "usage: piculet user add EMAIL [--role owner|member|viewer] PASSWORD-SOURCE [--db PATH]\n"
        "       piculet user password EMAIL PASSWORD-SOURCE [--db PATH]\n"
        "       piculet user role EMAIL --role owner|member|viewer [--db PATH]\n"
        "       piculet user list [--db PATH]\n"
        "       piculet user remove EMAIL [--db PATH]\n"
        "\n"
        "The people who sign in to the dashboard (piculet serve, at its root). The\n"
        "password comes from --password-env VAR, --password-file FILE (its first\n"
        "line) or --password-stdin (the first line read), never from the command\n"
        "line; it has at least 10 characters and only its scrypt hash is kept. A\n"
        "viewer reads; a member (the default) also changes campaigns, mailboxes,\n"
        "prospects and replies; an owner also manages webhooks. password ends every\n"
        "session of the user; remove ends them too.\n";

typedef struct {
	char *db;
	char *role;
	char *password_env;
	char *password_file;
	gboolean password_stdin;
} UserArgs;

static void
user_args_clear(UserArgs *args)
{
	g_free(args->db);
	g_free(args->role);
	g_free(args->password_env);
	g_free(args->password_file);
}
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(UserArgs, user_args_clear)

/* The password from the one source given; NULL (said why) otherwise. */
static BaseSecret *
password_of(const char *command, const UserArgs *args)
{
	int given = (args->password_env != NULL) + (args->password_file != NULL) +
	            (args->password_stdin ? 1 : 0);
	if (given != 1) {
		cli_output_eprintf("piculet %s: give one of --password-env, --password-file, "
		                   "--password-stdin\n",
		                   command);
		return NULL;
	}
	g_autoptr(GError) error = NULL;
	BaseSecret *secret = args->password_env != NULL
	                             ? base_secret_new_from_env(args->password_env, &error)
	                     : args->password_file != NULL
	                             ? base_secret_new_from_file(args->password_file, &error)
	                             : base_secret_new_from_file("/dev/stdin", &error);
	if (secret == NULL)
		cli_output_eprintf("piculet %s: %s\n", command, error->message);
	return secret;
}

static int
failed(const char *command, const GError *error)
{
	cli_output_eprintf("piculet %s: %s\n", command, error->message);
	return cli_exit_of_error(error);
}

static int
list_users(Store *store)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GPtrArray) users = store_user_list(store, &error);
	if (users == NULL)
		return failed("user list", error);
	for (guint i = 0; i < users->len; i++) {
		const StoreUser *user = users->pdata[i];
		g_autofree char *made = cli_output_time(user->created_at);
		cli_output_printf("%s\t%s\tadded %s\n", user->email, user->role, made);
	}
	return CLI_EXIT_OK;
}

static bool
role_of(const char *command, const char *name, AppUserRole *role)
{
	if (app_user_role_parse(name, role))
		return true;
	cli_output_eprintf("piculet %s: --role is owner, member or viewer\n", command);
	return false;
}

/* Does @action for @email; the store open. */
static int
act(Store *store, const char *action, const char *command, const char *email, const UserArgs *args)
{
	g_autoptr(GError) error = NULL;
	AppUserRole role = APP_USER_MEMBER;
	if (strcmp(action, "add") == 0 || strcmp(action, "password") == 0) {
		if (args->role != NULL && !role_of(command, args->role, &role))
			return CLI_EXIT_USAGE;
		g_autoptr(BaseSecret) password = password_of(command, args);
		if (password == NULL)
			return CLI_EXIT_USAGE;
		bool ok = strcmp(action, "add") == 0
		                  ? app_user_add(store, email, role, base_secret_get(password),
		                                 &error)
		                  : app_user_set_password(store, email, base_secret_get(password),
		                                          &error);
		if (!ok)
			return failed(command, error);
		cli_output_eprintf("piculet %s: %s %s\n", command, email,
		                   strcmp(action, "add") == 0 ? "added"
		                                              : "has a new password; signed out");
		return CLI_EXIT_OK;
	}
	if (strcmp(action, "role") == 0) {
		if (args->role == NULL) {
			cli_output_eprintf("piculet %s: say --role\n", command);
			return CLI_EXIT_USAGE;
		}
		if (!role_of(command, args->role, &role))
			return CLI_EXIT_USAGE;
		return app_user_set_role(store, email, role, &error) ? CLI_EXIT_OK
		                                                     : failed(command, error);
	}
	return app_user_remove(store, email, &error) ? CLI_EXIT_OK : failed(command, error);
}

int
cli_user_run(int argc, char **argv)
{
	g_auto(UserArgs) args = {0};
	GOptionEntry entries[] = {
	        {"db", 0, 0, G_OPTION_ARG_FILENAME, &args.db, NULL, NULL},
	        {"role", 0, 0, G_OPTION_ARG_STRING, &args.role, NULL, NULL},
	        {"password-env", 0, 0, G_OPTION_ARG_STRING, &args.password_env, NULL, NULL},
	        {"password-file", 0, 0, G_OPTION_ARG_FILENAME, &args.password_file, NULL, NULL},
	        {"password-stdin", 0, 0, G_OPTION_ARG_NONE, &args.password_stdin, NULL, NULL},
	        {NULL, 0, 0, 0, NULL, NULL, NULL},
	};
	const char *action = argc >= 2 ? argv[1] : "";
	const char *email = NULL;
	g_autofree char *command = g_strconcat("user ", action, NULL);
	if (strcmp(action, "list") == 0) {
		if (!cli_options_parse(command, entries, argc - 1, argv + 1))
			return CLI_EXIT_USAGE;
	} else if (strcmp(action, "add") == 0 || strcmp(action, "password") == 0 ||
	           strcmp(action, "role") == 0 || strcmp(action, "remove") == 0) {
		if (!cli_options_parse_after_argument(command, "user", entries, argc - 1, argv + 1,
		                                      &email))
			return CLI_EXIT_USAGE;
	} else {
		fputs(cli_user_usage, stderr);
		return CLI_EXIT_USAGE;
	}
	int code = CLI_EXIT_OK;
	g_autoptr(Store) store = cli_options_open_store("user", args.db, &code);
	if (store == NULL)
		return code;
	if (strcmp(action, "list") == 0)
		return list_users(store);
	return act(store, action, command, email, &args);
}
