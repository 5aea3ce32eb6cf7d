/*
 * cli_config: the settings every command shares, from piculet.conf (GLib
 * key-file syntax, docs/configuration.md). Where a value comes from, the
 * later winning: its built-in default; the system file
 * (SYSCONFDIR/piculet/piculet.conf) then the user's
 * ($XDG_CONFIG_HOME/piculet/piculet.conf), or instead of both the one file
 * named by `piculet --config FILE` or $PICULET_CONFIG; the setting's
 * environment variable; the command's flag.
 *
 * cli_command_dispatch() loads it once per process (a file that cannot be
 * read, an unknown setting or a bad value stops every command but help and
 * version, naming the file, the setting and what is wanted), and
 * cli_options_parse() gives each command's flags their configured values
 * before its own flags are read, so no command handles files itself.
 * `piculet run` loads it again on SIGHUP. Main thread only.
 */
#pragma once

#include <glib.h>
#include <stdbool.h>

typedef enum {
	CLI_CONFIG_DATABASE,
	CLI_CONFIG_KEY_FILE,
	CLI_CONFIG_CA_FILE,
	CLI_CONFIG_DNS_SERVER,
	CLI_CONFIG_LOG_LEVEL,
	CLI_CONFIG_WORKERS,
	CLI_CONFIG_POLL,
	CLI_CONFIG_LEASE,
	CLI_CONFIG_RUN_SERVE,
	CLI_CONFIG_SERVE_LISTEN,
	CLI_CONFIG_GUARD_BOUNCE_RATE,
	CLI_CONFIG_GUARD_WINDOW,
	CLI_CONFIG_GUARD_MIN_CONTACTED,
	CLI_CONFIG_GUARD_IN_A_ROW,
	CLI_CONFIG_N_SETTINGS
} CliConfigSetting;

typedef struct CliConfig CliConfig;

/* Reads the files the environment points to (see above). */
CliConfig *cli_config_load(GError **error);
void cli_config_free(CliConfig *config);

/* The settings of the file text @text (@length bytes) alone, as if read
 * from a file named @name: no environment, no other file (the fuzz target
 * and the tests). */
CliConfig *cli_config_parse(const char *text, gsize length, const char *name, GError **error);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(CliConfig, cli_config_free)

/* The effective value of @setting (environment over file), or NULL when
 * nothing sets it and the built-in default applies. Borrowed. */
const char *cli_config_get_value(const CliConfig *config, CliConfigSetting setting);

/* The same as a number, or @fallback when unset (values were checked when
 * loaded). Percentages come in tenths of a percent. */
gint64 cli_config_get_number(const CliConfig *config, CliConfigSetting setting, gint64 fallback);

/* The configuration of this process: loaded by the dispatcher, replaced by
 * cli_config_reload(). Never NULL after a successful cli_config_install. */
bool cli_config_install(GError **error);
const CliConfig *cli_config_current(void);

/* Reads the files again; on success the new configuration replaces the
 * current one and *@changed lists in words what changed ("" when nothing
 * did). On failure the current one stays. */
bool cli_config_reload(char **changed, GError **error);

/* Marks that a global flag (--db) set @setting, so `config show` says so. */
void cli_config_note_flag(CliConfigSetting setting, const char *flag);

/* Before a command's options are parsed: each integer option that a
 * setting backs gets the configured value (its flag, parsed next, wins).
 * After: each string option the flag left empty gets it. */
void cli_config_prefill_options(const CliConfig *config, const char *command,
                                const GOptionEntry *entries);
void cli_config_fill_options(const CliConfig *config, const char *command,
                             const GOptionEntry *entries);

/* run's --poll when neither configuration nor flag says. */
#define CLI_CONFIG_DEFAULT_POLL_S 30

/* Setting @setting's names and meaning, for the manual (static strings;
 * @flag NULL when no flag backs it). */
void cli_config_describe(CliConfigSetting setting, const char **group, const char **key,
                         const char **env, const char **flag, const char **meaning);
/* Its built-in default in words. Newly allocated. */
char *cli_config_dup_default(CliConfigSetting setting);

/* The command `piculet config`. */
extern const char cli_config_usage[];
int cli_config_run(int argc, char **argv);
