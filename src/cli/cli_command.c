#include "cli/cli_command.h"

#include "base/base_log.h"
#include "cli/cli_backup.h"
#include "cli/cli_campaign.h"
#include "cli/cli_classify.h"
#include "cli/cli_config.h"
#include "cli/cli_db.h"
#include "cli/cli_doctor.h"
#include "cli/cli_exit.h"
#include "cli/cli_inbox.h"
#include "cli/cli_mailbox.h"
#include "cli/cli_manual.h"
#include "cli/cli_oauth.h"
#include "cli/cli_output.h"
#include "cli/cli_prospects.h"
#include "cli/cli_render.h"
#include "cli/cli_run.h"
#include "cli/cli_send.h"
#include "cli/cli_serve.h"
#include "cli/cli_tasks.h"
#include "cli/cli_user.h"
#include "piculet_config.h"
#include "store/store.h"

#include <glib.h>
#include <stdio.h>
#include <string.h>

static int run_help(int argc, char **argv);
static int run_version(int argc, char **argv);

static const CliCommand commands[] = {
        {"help", "show the commands, or one command's help",
         "usage: piculet help [COMMAND]\n"
         "       piculet help --man [PAGE]\n"
         "       piculet help --words WORD...\n"
         "\n"
         "--man writes a manual page in roff (piculet, piculet-COMMAND, piculet.conf),\n"
         "made from the --help texts; --words prints what may complete the last WORD\n"
         "(the shell completions ask it).\n",
         run_help},
        {"apikey", "the keys of the HTTP API: create, list, remove", cli_serve_apikey_usage,
         cli_serve_apikey_run},
        {"backup", "a copy of the database and its key, while run goes on", cli_backup_usage,
         cli_backup_run},
        {"blacklist", "addresses and domains never to contact", cli_prospects_blacklist_usage,
         cli_prospects_blacklist_run},
        {"campaign", "write, preview, start and pause campaigns", cli_campaign_usage,
         cli_campaign_run},
        {"classify", "say what messages are: reply, auto-reply, bounce or other",
         cli_classify_usage, cli_classify_run},
        {"config", "the settings every command shares, and where each comes from", cli_config_usage,
         cli_config_run},
        {"db", "move the work from a SQLite file to PostgreSQL", cli_db_usage, cli_db_run},
        {"doctor", "check the installation: files, database, key, clock, mailboxes",
         cli_doctor_usage, cli_doctor_run},
        {"inbox", "read a mailbox over IMAP: new messages, folders, watch with IDLE",
         cli_inbox_usage, cli_inbox_run},
        {"mailbox", "the mailboxes piculet sends from and watches", cli_mailbox_usage,
         cli_mailbox_run},
        {"oauth", "your OAuth2 clients at Google, Microsoft or your own server", cli_oauth_usage,
         cli_oauth_run},
        {"prospects", "import prospects from CSV; list, show, edit, remove them",
         cli_prospects_usage, cli_prospects_run},
        {"render", "render a template, or a whole message, as it would be sent", cli_render_usage,
         cli_render_run},
        {"replies", "who answered, and what they wrote", cli_run_replies_usage, cli_run_replies},
        {"report", "per step: sent, replied, bounced, opted out", cli_run_report_usage,
         cli_run_report},
        {"restore", "put a backup in place; what went after it is looked for",
         cli_backup_restore_usage, cli_backup_restore_run},
        {"run", "run the engine: send what is due, react to replies", cli_run_usage, cli_run_run},
        {"send", "send a message through an SMTP server (and show the exchange)", cli_send_usage,
         cli_send_run},
        {"serve", "serve the dashboard and the HTTP API (JSON, with API keys)", cli_serve_usage,
         cli_serve_run},
        {"status", "what each mailbox is doing and why it waits", cli_run_status_usage,
         cli_run_status},
        {"tasks", "the calls and other to-dos of task steps; mark them done", cli_tasks_usage,
         cli_tasks_run},
        {"tick", "one pass of the engine, then exit (for cron)", cli_run_tick_usage, cli_run_tick},
        {"user", "the people who sign in to the dashboard", cli_user_usage, cli_user_run},
        {"webhook", "subscriptions to events over HTTP, signed", cli_serve_webhook_usage,
         cli_serve_webhook_run},
        {"version", "print piculet's version", "usage: piculet version\n", run_version},
};

const CliCommand *
cli_command_all(unsigned *n)
{
	*n = G_N_ELEMENTS(commands);
	return commands;
}

const CliCommand *
cli_command_find(const char *name)
{
	for (gsize i = 0; i < G_N_ELEMENTS(commands); i++)
		if (strcmp(commands[i].name, name) == 0)
			return &commands[i];
	return NULL;
}

int
cli_command_wants_help(int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--") == 0)
			return 0;
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0)
			return 1;
	}
	return 0;
}

static void
print_overview(void)
{
	cli_output_printf("piculet %s: personal cold-email sequences through your own mailbox\n\n",
	                  PICULET_VERSION);
	cli_output_printf("usage: piculet [--config FILE] [--db PATH] COMMAND [ARGS...]\n       "
	                  "piculet COMMAND --help\n\n");
	cli_output_printf("Commands:\n");
	for (gsize i = 0; i < G_N_ELEMENTS(commands); i++)
		cli_output_printf("  %-10s %s\n", commands[i].name, commands[i].summary);
	cli_output_printf("\n");
	cli_exit_print_table();
}

static int
run_help(int argc, char **argv)
{
	if (argc < 2) {
		print_overview();
		return CLI_EXIT_OK;
	}
	if (strcmp(argv[1], "--man") == 0)
		return cli_manual_print_page(argc > 2 ? argv[2] : "piculet");
	if (strcmp(argv[1], "--words") == 0)
		return cli_manual_print_words(argc - 2, argv + 2);
	const CliCommand *command = cli_command_find(argv[1]);
	if (command == NULL) {
		cli_output_eprintf("piculet help: no command \"%s\" (see piculet help)\n", argv[1]);
		return CLI_EXIT_USAGE;
	}
	fputs(command->usage, stdout);
	return CLI_EXIT_OK;
}

static int
run_version(int argc, char **argv)
{
	cli_output_printf("piculet %s\n", PICULET_VERSION);
	return CLI_EXIT_OK;
}

/* Global options before the command, git-style: `piculet --db PATH status`
 * (or --db=PATH), `piculet --config FILE run`. They are handed on as
 * $PICULET_DB and $PICULET_CONFIG, which the configuration reads (a
 * command's own --db still wins). Returns the number of arguments taken, or
 * -1 after a message. */
static int
take_global_options(int argc, char **argv)
{
	static const struct {
		const char *flag;
		const char *env;
	} globals[] = {{"--db", "PICULET_DB"}, {"--config", "PICULET_CONFIG"}};
	int i = 1;
	while (i < argc) {
		gsize g = 0;
		gsize n = 0;
		for (; g < G_N_ELEMENTS(globals); g++) {
			n = strlen(globals[g].flag);
			if (strncmp(argv[i], globals[g].flag, n) == 0 &&
			    (argv[i][n] == '\0' || argv[i][n] == '='))
				break;
		}
		if (g == G_N_ELEMENTS(globals))
			break;
		const char *value = NULL;
		if (argv[i][n] == '=') {
			value = argv[i] + n + 1;
			i += 1;
		} else if (i + 1 < argc) {
			value = argv[i + 1];
			i += 2;
		}
		if (value == NULL || value[0] == '\0') {
			cli_output_eprintf("piculet: %s wants a path\n", globals[g].flag);
			return -1;
		}
		g_setenv(globals[g].env, value, TRUE);
		if (g == 0)
			cli_config_note_flag(CLI_CONFIG_DATABASE, "--db");
	}
	return i - 1;
}

/* The value of option @name at argv[*i] (--name=VALUE or --name VALUE),
 * or NULL. */
static const char *
option_value(int argc, char **argv, int i, const char *name)
{
	gsize n = strlen(name);
	if (strncmp(argv[i], name, n) != 0)
		return NULL;
	if (argv[i][n] == '=')
		return argv[i] + n + 1;
	return argv[i][n] == '\0' && i + 1 < argc ? argv[i + 1] : NULL;
}

/* A PostgreSQL URI with its password in --db (or db copy's --to, --from)
 * would show it to every user of the machine (ps): refused, saying where
 * it goes instead. */
static bool
password_in_arguments(int argc, char **argv)
{
	static const char *const options[] = {"--db", "--to", "--from"};
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--") == 0)
			break;
		for (gsize o = 0; o < G_N_ELEMENTS(options); o++) {
			const char *value = option_value(argc, argv, i, options[o]);
			if (value != NULL && store_location_has_password(value)) {
				cli_output_eprintf(
				        "piculet: %s carries a password, which the process list "
				        "shows to everyone on this machine; put it in ~/.pgpass "
				        "(or $PGPASSFILE), or give the URI in $PICULET_DB or "
				        "piculet.conf\n",
				        options[o]);
				return true;
			}
		}
	}
	return false;
}

int
cli_command_dispatch(int argc, char **argv)
{
	if (password_in_arguments(argc, argv))
		return CLI_EXIT_USAGE;
	int taken = take_global_options(argc, argv);
	if (taken < 0)
		return CLI_EXIT_USAGE;
	if (taken > 0) {
		argv[taken] = argv[0];
		argv += taken;
		argc -= taken;
	}
	if (argc < 2) {
		print_overview();
		return CLI_EXIT_USAGE;
	}
	const char *name = argv[1];
	if (strcmp(name, "--version") == 0 || strcmp(name, "-V") == 0)
		return run_version(argc - 1, argv + 1);
	if (strcmp(name, "--help") == 0 || strcmp(name, "-h") == 0)
		return run_help(1, argv + 1);

	const CliCommand *command = cli_command_find(name);
	if (command == NULL) {
		cli_output_eprintf("piculet: no command \"%s\" (see piculet help)\n", name);
		return CLI_EXIT_USAGE;
	}
	if (cli_command_wants_help(argc - 1, argv + 1)) {
		fputs(command->usage, stdout);
		return CLI_EXIT_OK;
	}
	/* help and version work whatever the configuration says. */
	if (command->run == run_help || command->run == run_version)
		return command->run(argc - 1, argv + 1);
	g_autoptr(GError) error = NULL;
	if (!cli_config_install(&error)) {
		cli_output_eprintf("piculet %s: %s\n", name, error->message);
		return CLI_EXIT_CONFIG;
	}
	base_log_set_level((BaseLogLevel)cli_config_get_number(
	        cli_config_current(), CLI_CONFIG_LOG_LEVEL, BASE_LOG_NORMAL));
	return command->run(argc - 1, argv + 1);
}
