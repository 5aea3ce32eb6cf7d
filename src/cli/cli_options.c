#include "cli/cli_options.h"

#include "cli/cli_config.h"
#include "cli/cli_exit.h"
#include "cli/cli_output.h"

#include <stdio.h>
#include <string.h>

bool
cli_options_parse(const char *command, const GOptionEntry *entries, int argc, char **argv)
{
	g_autoptr(GOptionContext) context = g_option_context_new(NULL);
	g_autoptr(GError) error = NULL;
	g_autofree char **args = g_new0(char *, (gsize)argc + 1);
	int n_args = argc;

	/* GOptionContext edits the vector it is given; keep the caller's. */
	memcpy(args, argv, sizeof(char *) * (gsize)argc);
	g_option_context_set_help_enabled(context, FALSE);
	g_option_context_add_main_entries(context, entries, NULL);
	/* Configured values first; the command line's flags then win. */
	cli_config_prefill_options(cli_config_current(), command, entries);
	if (!g_option_context_parse(context, &n_args, &args, &error)) {
		cli_output_eprintf("piculet %s: %s (see piculet %s --help)\n", command,
		                   error->message, command);
		return false;
	}
	if (n_args > 1) {
		cli_output_eprintf(
		        "piculet %s: unexpected argument \"%s\" (see piculet %s --help)\n", command,
		        args[1], command);
		return false;
	}
	cli_config_fill_options(cli_config_current(), command, entries);
	return true;
}

bool
cli_options_parse_host_port(const char *text, guint16 default_port, char **host, guint16 *port,
                            GError **error)
{
	const char *port_text = NULL;
	g_autofree char *name = NULL;

	if (text[0] == '[') {
		const char *close = strchr(text, ']');
		if (close == NULL || (close[1] != '\0' && close[1] != ':')) {
			g_set_error(error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
			            "\"%s\" is not [ADDRESS]:PORT", text);
			return false;
		}
		name = g_strndup(text + 1, (gsize)(close - text - 1));
		port_text = close[1] == ':' ? close + 2 : NULL;
	} else {
		const char *colon = strrchr(text, ':');
		if (colon != NULL && strchr(text, ':') != colon) {
			g_set_error(error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
			            "write an IPv6 address as [%s]:PORT", text);
			return false;
		}
		name = colon != NULL ? g_strndup(text, (gsize)(colon - text)) : g_strdup(text);
		port_text = colon != NULL ? colon + 1 : NULL;
	}
	if (name[0] == '\0') {
		g_set_error(error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE, "no host in \"%s\"",
		            text);
		return false;
	}
	guint64 value = default_port;
	if (port_text != NULL &&
	    !g_ascii_string_to_unsigned(port_text, 10, 1, 65535, &value, NULL)) {
		g_set_error(error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
		            "\"%s\" is not a port (1-65535)", port_text);
		return false;
	}
	*host = g_steal_pointer(&name);
	*port = (guint16)value;
	return true;
}

BaseSecret *
cli_options_load_secret(const char *env, const char *file, const char *command, GError **error)
{
	if (env != NULL)
		return base_secret_new_from_env(env, error);
	if (file != NULL)
		return base_secret_new_from_file(file, error);
	return base_secret_new_from_command(command, error);
}

bool
cli_options_parse_after_argument(const char *command, const char *help, const GOptionEntry *entries,
                                 int argc, char **argv, const char **argument)
{
	if (argc < 2 || argv[1][0] == '-') {
		cli_output_eprintf("piculet %s: which one? (see piculet %s --help)\n", command,
		                   help);
		return false;
	}
	*argument = argv[1];
	argv[1] = argv[0];
	return cli_options_parse(command, entries, argc - 1, argv + 1);
}

bool
cli_options_parse_array(const char *command, GArray *entries, int argc, char **argv)
{
	GOptionEntry end = {NULL, 0, 0, 0, NULL, NULL, NULL};
	g_array_append_val(entries, end);
	return cli_options_parse(command, (const GOptionEntry *)(void *)entries->data, argc, argv);
}

void
cli_options_connection_clear(CliConnectionArgs *args)
{
	g_free(args->user);
	g_free(args->password_env);
	g_free(args->password_file);
	g_free(args->password_cmd);
	g_free(args->ca_file);
}

void
cli_options_add_connection(GArray *entries, CliConnectionArgs *args)
{
	const GOptionEntry rows[] = {
	        {"tls", 0, 0, G_OPTION_ARG_NONE, &args->tls, NULL, NULL},
	        {"starttls", 0, 0, G_OPTION_ARG_NONE, &args->starttls, NULL, NULL},
	        {"plain", 0, 0, G_OPTION_ARG_NONE, &args->plain, NULL, NULL},
	        {"user", 0, 0, G_OPTION_ARG_STRING, &args->user, NULL, NULL},
	        {"password-env", 0, 0, G_OPTION_ARG_STRING, &args->password_env, NULL, NULL},
	        {"password-file", 0, 0, G_OPTION_ARG_FILENAME, &args->password_file, NULL, NULL},
	        {"password-cmd", 0, 0, G_OPTION_ARG_STRING, &args->password_cmd, NULL, NULL},
	        {"oauth2", 0, 0, G_OPTION_ARG_NONE, &args->oauth2, NULL, NULL},
	        {"ca-file", 0, 0, G_OPTION_ARG_FILENAME, &args->ca_file, NULL, NULL},
	        {"insecure", 0, 0, G_OPTION_ARG_NONE, &args->insecure, NULL, NULL},
	        {"allow-plaintext-auth", 0, 0, G_OPTION_ARG_NONE, &args->allow_plaintext_auth, NULL,
	         NULL},
	        {"timeout", 0, 0, G_OPTION_ARG_INT, &args->timeout_s, NULL, NULL},
	        {"trace", 0, 0, G_OPTION_ARG_NONE, &args->trace, NULL, NULL},
	};
	g_array_append_vals(entries, rows, G_N_ELEMENTS(rows));
}

const char *
cli_options_check_connection(const CliConnectionArgs *args, bool user_required)
{
	int n_modes = !!args->starttls + !!args->tls + !!args->plain;
	int n_secrets = (args->password_env != NULL) + (args->password_file != NULL) +
	                (args->password_cmd != NULL);
	if (n_modes > 1)
		return "choose one of --starttls, --tls, --plain";
	if (user_required && args->user == NULL)
		return "--user is required";
	if (args->user != NULL && n_secrets != 1)
		return "--user needs exactly one of --password-env, --password-file, "
		       "--password-cmd";
	if (args->user == NULL && n_secrets > 0)
		return "a password option needs --user";
	if (args->timeout_s < 0 || args->timeout_s > 86400)
		return "--timeout must be between 1 and 86400 seconds";
	return NULL;
}

NetTls *
cli_options_new_tls(const CliConnectionArgs *args, GError **error)
{
	NetTlsOptions options = {.ca_file = args->ca_file, .insecure = args->insecure};
	return net_tls_new(&options, error);
}

Store *
cli_options_open_store(const char *command, const char *db, int *code)
{
	return cli_options_open_store_with(command, db, NULL, code);
}

Store *
cli_options_open_store_with(const char *command, const char *db, const StoreSettings *settings,
                            int *code)
{
	g_autoptr(GError) error = NULL;
	g_autofree char *path = cli_options_database_path(db);
	StoreSettings with_key = {0};
	if (settings != NULL)
		with_key = *settings;
	if (with_key.key_path == NULL)
		with_key.key_path = cli_options_key_file();
	Store *store = store_open_with(path, &with_key, &error);
	if (store == NULL) {
		cli_output_eprintf("piculet %s: %s\n", command, error->message);
		*code = cli_exit_of_error(error);
	}
	return store;
}

bool
cli_options_given(int argc, char **argv, const char *long_name)
{
	gsize n = strlen(long_name);
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--") == 0)
			return false;
		if (strncmp(argv[i], "--", 2) == 0 && strncmp(argv[i] + 2, long_name, n) == 0 &&
		    (argv[i][2 + n] == '\0' || argv[i][2 + n] == '='))
			return true;
	}
	return false;
}

const char *
cli_options_key_file(void)
{
	return cli_config_get_value(cli_config_current(), CLI_CONFIG_KEY_FILE);
}

char *
cli_options_database_path(const char *db)
{
	if (db != NULL)
		return g_strdup(db);
	const char *configured = cli_config_get_value(cli_config_current(), CLI_CONFIG_DATABASE);
	return configured != NULL ? g_strdup(configured) : store_default_path();
}

bool
cli_options_parse_moment(const char *command, const char *option, const char *text, int64_t *at_us)
{
	g_autoptr(GTimeZone) utc = g_time_zone_new_utc();
	g_autoptr(GDateTime) moment = g_date_time_new_from_iso8601(text, utc);
	if (moment == NULL) {
		cli_output_eprintf("piculet %s: %s \"%s\": expected a moment like "
		                   "2026-12-01T09:00:00Z\n",
		                   command, option, text);
		return false;
	}
	*at_us = g_date_time_to_unix(moment) * G_USEC_PER_SEC + g_date_time_get_microsecond(moment);
	return true;
}
