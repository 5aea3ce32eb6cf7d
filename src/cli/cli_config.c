#include "cli/cli_config.h"

#include "base/base_error.h"
#include "cli/cli_exit.h"
#include "cli/cli_options.h"
#include "cli/cli_output.h"
#include "engine/engine_guard.h"
#include "engine/engine_run.h"
#include "piculet_config.h"

#include <jansson.h>
#include <stdio.h>
#include <string.h>

typedef enum {
	KIND_PATH,
	KIND_ADDRESS, /* HOST:PORT, port 0 allowed (any free one) */
	KIND_NUMBER,
	KIND_PERCENT, /* "5%" or "2.5%", kept in tenths of a percent */
	KIND_LEVEL,   /* quiet, normal, verbose */
} Kind;

typedef struct {
	const char *group;
	const char *key;
	const char *env;
	const char *flag;     /* the command-line option it backs, or NULL */
	const char *commands; /* the commands whose option it backs, or NULL: all */
	Kind kind;
	gint64 min;
	gint64 max;
	const char *meaning; /* `config show` prints it, with the default in words */
} Row;

static const Row rows[CLI_CONFIG_N_SETTINGS] = {
        [CLI_CONFIG_DATABASE] = {"store", "database", "PICULET_DB", "db", NULL, KIND_PATH, 0, 0,
                                 "the database: a SQLite file, or postgresql://..."},
        [CLI_CONFIG_KEY_FILE] = {"store", "key_file", "PICULET_KEY_FILE", NULL, NULL, KIND_PATH, 0,
                                 0, "the key that seals passwords and tokens"},
        [CLI_CONFIG_CA_FILE] = {"network", "ca_file", "PICULET_CA_FILE", "ca-file", NULL, KIND_PATH,
                                0, 0, "certificates trusted besides the system's"},
        [CLI_CONFIG_DNS_SERVER] = {"network", "dns_server", "PICULET_DNS_SERVER", "dns-server",
                                   NULL, KIND_ADDRESS, 0, 0,
                                   "the DNS server mailbox checks ask (HOST:PORT)"},
        [CLI_CONFIG_LOG_LEVEL] = {"log", "level", "PICULET_LOG_LEVEL", NULL, NULL, KIND_LEVEL, 0, 0,
                                  "quiet, normal or verbose (protocol traces)"},
        [CLI_CONFIG_WORKERS] = {"engine", "workers", "PICULET_WORKERS", "workers", "run tick",
                                KIND_NUMBER, 1, 64, "mailbox worker threads of run and tick"},
        [CLI_CONFIG_POLL] = {"engine", "poll", "PICULET_POLL", "poll", "run", KIND_NUMBER, 1, 3600,
                             "seconds between passes of run at most"},
        [CLI_CONFIG_LEASE] = {"engine", "lease", "PICULET_LEASE", NULL, NULL, KIND_NUMBER, 3, 3600,
                              "seconds an engine holds a mailbox unrenewed (PostgreSQL)"},
        [CLI_CONFIG_RUN_SERVE] = {"engine", "serve", "PICULET_RUN_SERVE", "serve", "run",
                                  KIND_ADDRESS, 0, 0,
                                  "run also serves the HTTP API here (HOST:PORT)"},
        [CLI_CONFIG_SERVE_LISTEN] = {"serve", "listen", "PICULET_LISTEN", "listen", "serve",
                                     KIND_ADDRESS, 0, 0, "where piculet serve listens (HOST:PORT)"},
        [CLI_CONFIG_GUARD_BOUNCE_RATE] = {"guards", "bounce_rate", "PICULET_GUARD_BOUNCE_RATE",
                                          NULL, NULL, KIND_PERCENT, 1, 1000,
                                          "a mailbox pauses at this share of hard bounces"},
        [CLI_CONFIG_GUARD_WINDOW] = {"guards", "window", "PICULET_GUARD_WINDOW", NULL, NULL,
                                     KIND_NUMBER, 1, 100000,
                                     "over a mailbox's prospects last contacted"},
        [CLI_CONFIG_GUARD_MIN_CONTACTED] = {"guards", "min_contacted",
                                            "PICULET_GUARD_MIN_CONTACTED", NULL, NULL, KIND_NUMBER,
                                            1, 100000, "the rate rule waits for this many"},
        [CLI_CONFIG_GUARD_IN_A_ROW] = {"guards", "in_a_row", "PICULET_GUARD_IN_A_ROW", NULL, NULL,
                                       KIND_NUMBER, 1, 10000,
                                       "a mailbox pauses at this many hard bounces in a row"},
};

typedef enum { FROM_DEFAULT, FROM_FILE, FROM_ENVIRONMENT, FROM_FLAG } Origin;

typedef struct {
	char *value; /* as written; NULL: the default */
	gint64 number;
	Origin origin;
	char *where; /* the file, the variable or the flag */
} Value;

struct CliConfig {
	Value values[CLI_CONFIG_N_SETTINGS];
	GPtrArray *files; /* "PATH (read)", "PATH (none)" */
};

/* Set by the dispatcher (main thread) and replaced on SIGHUP. */
static CliConfig *current;
static const char *flag_of[CLI_CONFIG_N_SETTINGS];

void
cli_config_free(CliConfig *config)
{
	if (config == NULL)
		return;
	for (int i = 0; i < CLI_CONFIG_N_SETTINGS; i++) {
		g_free(config->values[i].value);
		g_free(config->values[i].where);
	}
	g_ptr_array_unref(config->files);
	g_free(config);
}

static const char *
system_file(void)
{
	return PICULET_SYSCONFDIR "/piculet/piculet.conf";
}

/* Checks @text for @row; *@number its value as a number. */
static bool
check_value(const Row *row, const char *text, gint64 *number, const char **wanted)
{
	*number = 0;
	switch (row->kind) {
	case KIND_PATH:
		*wanted = "a path";
		return text[0] != '\0' && strchr(text, '\n') == NULL;
	case KIND_ADDRESS: {
		*wanted = "HOST:PORT, a literal address like 127.0.0.1:8025 or [::1]:8025";
		g_autofree char *host = NULL;
		g_autofree char *shape = g_str_has_suffix(text, ":0")
		                                 ? g_strndup(text, strlen(text) - 2)
		                                 : g_strdup(text);
		guint16 port = 0;
		return cli_options_parse_host_port(shape, 1, &host, &port, NULL);
	}
	case KIND_NUMBER: {
		*wanted = row->max == 64     ? "a whole number from 1 to 64"
		          : row->max == 3600 ? "a whole number of seconds from 1 to 3600"
		                             : "a whole number, 1 or more";
		guint64 value = 0;
		bool ok = g_ascii_string_to_unsigned(text, 10, (guint64)row->min, (guint64)row->max,
		                                     &value, NULL);
		*number = (gint64)value;
		return ok;
	}
	case KIND_PERCENT: {
		*wanted = "a share like 5% or 2.5%, above 0 and at most 100%";
		g_autofree char *digits = g_strdup(text);
		g_strstrip(digits);
		gsize n = strlen(digits);
		if (n > 0 && digits[n - 1] == '%')
			digits[--n] = '\0';
		char *dot = strchr(digits, '.');
		guint64 whole = 0;
		guint64 tenth = 0;
		if (dot != NULL) {
			*dot = '\0';
			if (strlen(dot + 1) != 1 ||
			    !g_ascii_string_to_unsigned(dot + 1, 10, 0, 9, &tenth, NULL))
				return false;
		}
		if (!g_ascii_string_to_unsigned(digits, 10, 0, 100, &whole, NULL))
			return false;
		*number = (gint64)(whole * 10 + tenth);
		return *number >= row->min && *number <= row->max;
	}
	case KIND_LEVEL:
		*wanted = "quiet, normal or verbose";
		*number = strcmp(text, "quiet") == 0 ? 0 : strcmp(text, "normal") == 0 ? 1 : 2;
		return strcmp(text, "quiet") == 0 || strcmp(text, "normal") == 0 ||
		       strcmp(text, "verbose") == 0;
	}
	return false;
}

static bool
set_value(CliConfig *config, int setting, const char *text, Origin origin, const char *where,
          GError **error)
{
	const Row *row = &rows[setting];
	const char *wanted = NULL;
	gint64 number = 0;
	if (!check_value(row, text, &number, &wanted)) {
		g_autofree char *shown = base_error_printable_dup(text, -1, 200);
		if (origin == FROM_FILE)
			g_set_error(error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_INVALID_VALUE,
			            "%s: [%s] %s = \"%s\": expected %s", where, row->group,
			            row->key, shown, wanted);
		else
			g_set_error(error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_INVALID_VALUE,
			            "$%s \"%s\": expected %s", where, shown, wanted);
		return false;
	}
	Value *value = &config->values[setting];
	g_free(value->value);
	g_free(value->where);
	value->value = g_strdup(text);
	value->number = number;
	value->origin = origin;
	value->where = g_strdup(where);
	return true;
}

static int
find_setting(const char *group, const char *key)
{
	for (int i = 0; i < CLI_CONFIG_N_SETTINGS; i++)
		if (strcmp(rows[i].group, group) == 0 && strcmp(rows[i].key, key) == 0)
			return i;
	return -1;
}

/* The settings of @file (read from @path) into @config. */
static bool
take_settings(CliConfig *config, GKeyFile *file, const char *path, GError **error)
{
	g_auto(GStrv) groups = g_key_file_get_groups(file, NULL);
	for (gsize g = 0; groups[g] != NULL; g++) {
		g_auto(GStrv) keys = g_key_file_get_keys(file, groups[g], NULL, NULL);
		for (gsize k = 0; keys != NULL && keys[k] != NULL; k++) {
			int setting = find_setting(groups[g], keys[k]);
			if (setting < 0) {
				g_autofree char *group =
				        base_error_printable_dup(groups[g], -1, 200);
				g_autofree char *key = base_error_printable_dup(keys[k], -1, 200);
				g_set_error(
				        error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_KEY_NOT_FOUND,
				        "%s: [%s] %s: no such setting (piculet config show lists "
				        "them)",
				        path, group, key);
				return false;
			}
			/* The raw value: GLib's unescaping of a bad escape is not
			 * something to build on (it may set its error twice), and no
			 * setting needs one. */
			g_autofree char *text =
			        g_key_file_get_value(file, groups[g], keys[k], NULL);
			if (text == NULL || strchr(text, '\\') != NULL) {
				g_set_error(error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_INVALID_VALUE,
				            "%s: [%s] %s: no backslash escapes here; write the "
				            "value as "
				            "it is",
				            path, groups[g], keys[k]);
				return false;
			}
			g_strstrip(text);
			if (!set_value(config, setting, text, FROM_FILE, path, error))
				return false;
		}
	}
	return true;
}

static bool
read_file(CliConfig *config, const char *path, bool must_exist, GError **error)
{
	g_autoptr(GKeyFile) file = g_key_file_new();
	g_autoptr(GError) local = NULL;
	if (!g_key_file_load_from_file(file, path, G_KEY_FILE_NONE, &local)) {
		if (!must_exist && g_error_matches(local, G_FILE_ERROR, G_FILE_ERROR_NOENT)) {
			g_ptr_array_add(config->files, g_strdup_printf("%s (none)", path));
			return true;
		}
		g_autofree char *shown = base_error_printable_dup(local->message, -1, 300);
		g_set_error(error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_PARSE, "%s: %s", path, shown);
		return false;
	}
	g_ptr_array_add(config->files, g_strdup_printf("%s (read)", path));
	return take_settings(config, file, path, error);
}

CliConfig *
cli_config_parse(const char *text, gsize length, const char *name, GError **error)
{
	g_autoptr(CliConfig) config = g_new0(CliConfig, 1);
	config->files = g_ptr_array_new_with_free_func(g_free);
	g_autoptr(GKeyFile) file = g_key_file_new();
	g_autoptr(GError) local = NULL;
	if (!g_key_file_load_from_data(file, text, length, G_KEY_FILE_NONE, &local)) {
		g_autofree char *shown = base_error_printable_dup(local->message, -1, 300);
		g_set_error(error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_PARSE, "%s: %s", name, shown);
		return NULL;
	}
	if (!take_settings(config, file, name, error))
		return NULL;
	return g_steal_pointer(&config);
}

CliConfig *
cli_config_load(GError **error)
{
	g_autoptr(CliConfig) config = g_new0(CliConfig, 1);
	config->files = g_ptr_array_new_with_free_func(g_free);
	const char *chosen = g_getenv("PICULET_CONFIG");
	if (chosen != NULL && chosen[0] != '\0') {
		if (!read_file(config, chosen, true, error))
			return NULL;
	} else {
		g_autofree char *user =
		        g_build_filename(g_get_user_config_dir(), "piculet", "piculet.conf", NULL);
		if (!read_file(config, system_file(), false, error) ||
		    !read_file(config, user, false, error))
			return NULL;
	}
	for (int i = 0; i < CLI_CONFIG_N_SETTINGS; i++) {
		const char *text = g_getenv(rows[i].env);
		if (text != NULL && text[0] != '\0' &&
		    !set_value(config, i, text, FROM_ENVIRONMENT, rows[i].env, error))
			return NULL;
		if (flag_of[i] != NULL && config->values[i].origin == FROM_ENVIRONMENT) {
			config->values[i].origin = FROM_FLAG;
			g_free(config->values[i].where);
			config->values[i].where = g_strdup(flag_of[i]);
		}
	}
	return g_steal_pointer(&config);
}

const char *
cli_config_get_value(const CliConfig *config, CliConfigSetting setting)
{
	return config != NULL ? config->values[setting].value : NULL;
}

gint64
cli_config_get_number(const CliConfig *config, CliConfigSetting setting, gint64 fallback)
{
	if (config == NULL || config->values[setting].value == NULL)
		return fallback;
	return config->values[setting].number;
}

bool
cli_config_install(GError **error)
{
	CliConfig *config = cli_config_load(error);
	if (config == NULL)
		return false;
	cli_config_free(current);
	current = config;
	return true;
}

const CliConfig *
cli_config_current(void)
{
	return current;
}

bool
cli_config_reload(char **changed, GError **error)
{
	CliConfig *config = cli_config_load(error);
	if (config == NULL)
		return false;
	GString *words = g_string_new(NULL);
	for (int i = 0; i < CLI_CONFIG_N_SETTINGS; i++) {
		const char *before = cli_config_get_value(current, (CliConfigSetting)i);
		const char *after = config->values[i].value;
		if (g_strcmp0(before, after) != 0)
			g_string_append_printf(words, "%s%s.%s %s -> %s",
			                       words->len > 0 ? ", " : "", rows[i].group,
			                       rows[i].key, before != NULL ? before : "(default)",
			                       after != NULL ? after : "(default)");
	}
	cli_config_free(current);
	current = config;
	*changed = g_string_free(words, FALSE);
	return true;
}

void
cli_config_note_flag(CliConfigSetting setting, const char *flag)
{
	flag_of[setting] = flag;
}

static bool
backs(const Row *row, const GOptionEntry *entry, const char *command)
{
	if (row->flag == NULL || strcmp(row->flag, entry->long_name) != 0)
		return false;
	if (row->commands == NULL)
		return true;
	g_auto(GStrv) names = g_strsplit(row->commands, " ", -1);
	return command != NULL && g_strv_contains((const char *const *)names, command);
}

static void
apply(const CliConfig *config, const GOptionEntry *entries, const char *command, bool before)
{
	for (const GOptionEntry *entry = entries; entry->long_name != NULL; entry++) {
		for (int i = 0; i < CLI_CONFIG_N_SETTINGS; i++) {
			const Value *value = &config->values[i];
			if (value->value == NULL || !backs(&rows[i], entry, command))
				continue;
			if (before && entry->arg == G_OPTION_ARG_INT)
				*(int *)entry->arg_data = (int)value->number;
			else if (!before &&
			         (entry->arg == G_OPTION_ARG_STRING ||
			          entry->arg == G_OPTION_ARG_FILENAME) &&
			         *(char **)entry->arg_data == NULL)
				*(char **)entry->arg_data = g_strdup(value->value);
		}
	}
}

void
cli_config_prefill_options(const CliConfig *config, const char *command,
                           const GOptionEntry *entries)
{
	if (config != NULL)
		apply(config, entries, command, true);
}

void
cli_config_fill_options(const CliConfig *config, const char *command, const GOptionEntry *entries)
{
	if (config != NULL)
		apply(config, entries, command, false);
}

char *
cli_config_dup_default(CliConfigSetting setting)
{
	const EngineGuardRules *guards = &engine_guard_default;
	switch (setting) {
	case CLI_CONFIG_DATABASE:
		return g_build_filename(g_get_user_data_dir(), "piculet", "piculet.db", NULL);
	case CLI_CONFIG_KEY_FILE:
		return g_strdup("(secret.key beside a SQLite file; with PostgreSQL in the user's "
		                "data folder)");
	case CLI_CONFIG_CA_FILE:
		return g_strdup("(none: the system's trust store only)");
	case CLI_CONFIG_DNS_SERVER:
		return g_strdup("(none: the system's resolver)");
	case CLI_CONFIG_LOG_LEVEL:
		return g_strdup("normal");
	case CLI_CONFIG_WORKERS:
		return g_strdup_printf("%u", (guint)ENGINE_RUN_DEFAULT_WORKERS);
	case CLI_CONFIG_POLL:
		return g_strdup_printf("%d", CLI_CONFIG_DEFAULT_POLL_S);
	case CLI_CONFIG_LEASE:
		return g_strdup_printf("%d", ENGINE_RUN_DEFAULT_LEASE_S);
	case CLI_CONFIG_RUN_SERVE:
		return g_strdup("(none: run serves no API)");
	case CLI_CONFIG_SERVE_LISTEN:
		return g_strdup("127.0.0.1:8025");
	case CLI_CONFIG_GUARD_BOUNCE_RATE:
		return g_strdup_printf("%u.%u%%", guards->max_bounce_permille / 10,
		                       guards->max_bounce_permille % 10);
	case CLI_CONFIG_GUARD_WINDOW:
		return g_strdup_printf("%u", guards->window);
	case CLI_CONFIG_GUARD_MIN_CONTACTED:
		return g_strdup_printf("%u", guards->min_contacted);
	case CLI_CONFIG_GUARD_IN_A_ROW:
		return g_strdup_printf("%u", guards->max_in_a_row);
	case CLI_CONFIG_N_SETTINGS:
		break;
	}
	return g_strdup("");
}

static const char *
origin_name(Origin origin)
{
	switch (origin) {
	case FROM_FILE:
		return "file";
	case FROM_ENVIRONMENT:
		return "environment";
	case FROM_FLAG:
		return "flag";
	case FROM_DEFAULT:
		break;
	}
	return "default";
}

const char cli_config_usage[] =
        "usage: piculet config show [--json]\n"
        "       piculet config check\n"
        "\n"
        "The settings every command shares (docs/configuration.md), from\n"
        "/etc/piculet/piculet.conf (" PICULET_SYSCONFDIR "/piculet/piculet.conf as built)\n"
        "then ~/.config/piculet/piculet.conf, or only the file --config FILE or\n"
        "$PICULET_CONFIG names; each setting's environment variable overrides the\n"
        "files, a command's flag overrides both. GLib key-file syntax:\n"
        "\n"
        "  [store]\n"
        "  database = /var/lib/piculet/piculet.db\n"
        "  [engine]\n"
        "  workers = 8\n"
        "\n"
        "show prints every setting's effective value and where it came from (the\n"
        "default, a file, a variable, a flag), and which files were read. check\n"
        "reads them and says whether they are right (exit 78 if not): before a\n"
        "reload (SIGHUP), piculet run keeps its configuration when the new one is\n"
        "wrong.\n";

static int
show(bool json)
{
	const CliConfig *config = current;
	if (json) {
		json_t *settings = json_object();
		for (int i = 0; i < CLI_CONFIG_N_SETTINGS; i++) {
			const Value *value = &config->values[i];
			g_autofree char *name =
			        g_strdup_printf("%s.%s", rows[i].group, rows[i].key);
			g_autofree char *fallback = cli_config_dup_default((CliConfigSetting)i);
			json_object_set_new(settings, name,
			                    json_pack("{s:s?, s:s, s:s, s:s?, s:s, s:s?, s:s}",
			                              "value", value->value, "default", fallback,
			                              "from", origin_name(value->origin), "where",
			                              value->where, "env", rows[i].env, "flag",
			                              rows[i].flag, "meaning", rows[i].meaning));
		}
		json_t *files = json_array();
		for (guint i = 0; i < config->files->len; i++)
			json_array_append_new(files, json_string(config->files->pdata[i]));
		json_t *all = json_pack("{s:o, s:o}", "settings", settings, "files", files);
		g_autofree char *text = json_dumps(all, JSON_SORT_KEYS | JSON_COMPACT);
		json_decref(all);
		cli_output_printf("%s\n", text);
		return CLI_EXIT_OK;
	}
	const char *group = NULL;
	for (int i = 0; i < CLI_CONFIG_N_SETTINGS; i++) {
		const Value *value = &config->values[i];
		if (group == NULL || strcmp(group, rows[i].group) != 0) {
			group = rows[i].group;
			cli_output_printf("%s[%s]\n", i > 0 ? "\n" : "", group);
		}
		g_autofree char *fallback = cli_config_dup_default((CliConfigSetting)i);
		g_autofree char *from =
		        value->origin == FROM_DEFAULT
		                ? g_strdup("default")
		                : g_strdup_printf("%s %s%s", origin_name(value->origin),
		                                  value->origin == FROM_ENVIRONMENT ? "$" : "",
		                                  value->where);
		cli_output_printf("%s = %s    # %s; from %s\n", rows[i].key,
		                  value->value != NULL ? value->value : fallback, rows[i].meaning,
		                  from);
	}
	cli_output_printf("\n# files:");
	for (guint i = 0; i < config->files->len; i++)
		cli_output_printf(" %s", (const char *)config->files->pdata[i]);
	cli_output_printf("\n");
	return CLI_EXIT_OK;
}

int
cli_config_run(int argc, char **argv)
{
	gboolean json = FALSE;
	GOptionEntry entries[] = {
	        {"json", 0, 0, G_OPTION_ARG_NONE, &json, NULL, NULL},
	        {NULL, 0, 0, 0, NULL, NULL, NULL},
	};
	if (argc < 2 || (strcmp(argv[1], "show") != 0 && strcmp(argv[1], "check") != 0)) {
		cli_output_eprintf("piculet config: show or check? (see piculet config --help)\n");
		return CLI_EXIT_USAGE;
	}
	bool check = strcmp(argv[1], "check") == 0;
	if (!cli_options_parse(check ? "config check" : "config show", entries, argc - 1, argv + 1))
		return CLI_EXIT_USAGE;
	/* The dispatcher loaded it already: a wrong file never gets here. */
	if (check) {
		cli_output_printf("configuration ok\n");
		return CLI_EXIT_OK;
	}
	return show(json);
}

void
cli_config_describe(CliConfigSetting setting, const char **group, const char **key,
                    const char **env, const char **flag, const char **meaning)
{
	const Row *row = &rows[setting];
	*group = row->group;
	*key = row->key;
	*env = row->env;
	*flag = row->flag;
	*meaning = row->meaning;
}
