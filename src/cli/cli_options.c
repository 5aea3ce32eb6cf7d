#include "cli/cli_options.h"

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
	if (!g_option_context_parse(context, &n_args, &args, &error)) {
		fprintf(stderr, "piculet %s: %s (see piculet %s --help)\n", command, error->message,
		        command);
		return false;
	}
	if (n_args > 1) {
		fprintf(stderr, "piculet %s: unexpected argument \"%s\" (see piculet %s --help)\n",
		        command, args[1], command);
		return false;
	}
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
