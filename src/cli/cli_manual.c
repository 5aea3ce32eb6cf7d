#include "cli/cli_manual.h"

#include "cli/cli_command.h"
#include "cli/cli_config.h"
#include "cli/cli_exit.h"
#include "cli/cli_options.h"
#include "piculet_config.h"
#include "store/store.h"

#include <glib.h>
#include <stdio.h>
#include <string.h>

/* One line of text for roff: backslashes and minus signs escaped, a line
 * that would read as a request protected. */
static void
put_text(GString *out, const char *text, gssize length)
{
	if (length < 0)
		length = (gssize)strlen(text);
	if (length > 0 && (text[0] == '.' || text[0] == '\''))
		g_string_append(out, "\\&");
	for (gssize i = 0; i < length; i++) {
		if (text[i] == '\\')
			g_string_append(out, "\\e");
		else if (text[i] == '-')
			g_string_append(out, "\\-");
		else
			g_string_append_c(out, text[i]);
	}
}

static void
put_line(GString *out, const char *text)
{
	put_text(out, text, -1);
	g_string_append_c(out, '\n');
}

static void
put_header(GString *out, const char *title, int section, const char *name, const char *summary)
{
	g_autofree char *upper = g_ascii_strup(title, -1);
	g_string_append_printf(out, ".TH %s %d \"\" \"piculet %s\" \"piculet manual\"\n", upper,
	                       section, PICULET_VERSION);
	g_string_append(out, ".SH NAME\n");
	put_text(out, name, -1);
	g_string_append(out, " \\- ");
	put_line(out, summary);
}

/* A --help text as SYNOPSIS (its first block, "usage: " dropped) and
 * DESCRIPTION (filled paragraphs; indented lines kept as they are). */
static void
put_usage(GString *out, const char *usage)
{
	g_auto(GStrv) lines = g_strsplit(usage, "\n", -1);
	gsize i = 0;
	g_string_append(out, ".SH SYNOPSIS\n.nf\n");
	for (; lines[i] != NULL && lines[i][0] != '\0'; i++) {
		const char *line = lines[i];
		if (g_str_has_prefix(line, "usage: "))
			line += strlen("usage: ");
		else if (g_str_has_prefix(line, "       "))
			line += strlen("       ");
		put_line(out, line);
	}
	g_string_append(out, ".fi\n");
	bool described = false;
	bool verbatim = false;
	for (; lines[i] != NULL; i++) {
		const char *line = lines[i];
		if (line[0] == '\0') {
			if (verbatim) {
				g_string_append(out, ".fi\n");
				verbatim = false;
			}
			continue;
		}
		if (!described) {
			g_string_append(out, ".SH DESCRIPTION\n");
			described = true;
		} else if (i > 0 && lines[i - 1][0] == '\0') {
			g_string_append(out, ".PP\n");
		}
		bool indented = line[0] == ' ';
		if (indented && !verbatim) {
			g_string_append(out, ".nf\n");
			verbatim = true;
		} else if (!indented && verbatim) {
			g_string_append(out, ".fi\n");
			verbatim = false;
		}
		put_line(out, line);
	}
	if (verbatim)
		g_string_append(out, ".fi\n");
}

static void
put_see_also(GString *out, const char *const *pages)
{
	g_string_append(out, ".SH SEE ALSO\n");
	for (gsize i = 0; pages[i] != NULL; i++) {
		const char *open = strchr(pages[i], '(');
		g_string_append(out, ".BR ");
		put_text(out, pages[i], open - pages[i]);
		g_string_append_printf(out, " %s%s\n", open, pages[i + 1] != NULL ? " ," : "");
	}
}

static void
put_overview(GString *out)
{
	unsigned n = 0;
	const CliCommand *commands = cli_command_all(&n);
	put_header(out, "piculet", 1, "piculet",
	           "personal cold-email sequences through your own mailbox");
	g_string_append(out, ".SH SYNOPSIS\n.nf\n");
	put_line(out, "piculet [--config FILE] [--db PATH] COMMAND [ARGS...]");
	put_line(out, "piculet COMMAND --help");
	g_string_append(out, ".fi\n.SH DESCRIPTION\n");
	put_line(out, "piculet sends sales-email sequences (an opening email and its follow-ups, "
	              "personalised per prospect) through the user's own mailbox over SMTP, one "
	              "message at a time with random pauses, inside sending windows, threads the "
	              "follow-ups under the first email, and watches the mailbox over IMAP: a "
	              "reply stops the sequence, a bounce stops it and marks the address, an "
	              "auto-reply pauses it, an opt-out blacklists the address.");
	g_string_append(out, ".PP\n");
	put_line(out, "Options before the command apply to all: --config FILE reads only that "
	              "configuration file, --db PATH names the database.");
	g_string_append(out, ".SH COMMANDS\n");
	for (unsigned i = 0; i < n; i++) {
		g_string_append(out, ".TP\n.B ");
		put_line(out, commands[i].name);
		put_text(out, commands[i].summary, -1);
		g_string_append(out, " (");
		g_autofree char *page = g_strdup_printf("piculet-%s", commands[i].name);
		put_text(out, page, -1);
		g_string_append(out, "(1))\n");
	}
	g_string_append(out, ".SH FILES\n.TP\n");
	put_line(out, PICULET_SYSCONFDIR "/piculet/piculet.conf");
	put_line(out, "the system's settings (piculet.conf(5))");
	g_string_append(out, ".TP\n");
	put_line(out, "~/.config/piculet/piculet.conf");
	put_line(out, "the user's settings, over the system's");
	g_string_append(out, ".TP\n");
	put_line(out, "~/.local/share/piculet/piculet.db");
	put_line(out, "the database by default, with secret.key (the seal key of the mailboxes' "
	              "passwords and tokens) beside it");
	g_string_append(out, ".SH ENVIRONMENT\n");
	for (int i = 0; i < CLI_CONFIG_N_SETTINGS; i++) {
		const char *group, *key, *env, *flag, *meaning;
		cli_config_describe((CliConfigSetting)i, &group, &key, &env, &flag, &meaning);
		g_string_append(out, ".TP\n.B ");
		put_line(out, env);
		g_autofree char *text =
		        g_strdup_printf("%s (the setting [%s] %s)", meaning, group, key);
		put_line(out, text);
	}
	g_string_append(out, ".TP\n.B PICULET_CONFIG\n");
	put_line(out, "the one configuration file to read instead of the system's and the user's");
	g_string_append(out, ".SH EXIT STATUS\n");
	for (gsize i = 0; i < cli_exit_count(); i++) {
		int code = 0;
		const char *meaning = cli_exit_describe(i, &code);
		g_string_append_printf(out, ".TP\n.B %d\n", code);
		put_line(out, meaning);
	}
	const char *const see[] = {"piculet.conf(5)", "piculet-campaign(5)", "piculet-run(1)",
	                           NULL};
	put_see_also(out, see);
}

static void
put_configuration(GString *out)
{
	put_header(out, "piculet.conf", 5, "piculet.conf",
	           "the settings every piculet command shares");
	g_string_append(out, ".SH SYNOPSIS\n.nf\n");
	put_line(out, PICULET_SYSCONFDIR "/piculet/piculet.conf");
	put_line(out, "~/.config/piculet/piculet.conf");
	g_string_append(out, ".fi\n.SH DESCRIPTION\n");
	put_line(out, "GLib key-file syntax: [group] lines, key = value lines, # comments. Where a "
	              "value comes from, the later winning: its default; the system file, then the "
	              "user's (or only the file named by piculet --config FILE or "
	              "$PICULET_CONFIG); the setting's environment variable; the command's flag. "
	              "piculet config show prints every setting's value and where it came from. "
	              "An unknown setting or a value of the wrong shape stops every command, "
	              "naming the file and the setting. piculet run reads the files again on "
	              "SIGHUP: the log level and the poll interval change at once, the rest when "
	              "it starts again. No secret belongs here.");
	const char *group_now = NULL;
	for (int i = 0; i < CLI_CONFIG_N_SETTINGS; i++) {
		const char *group, *key, *env, *flag, *meaning;
		cli_config_describe((CliConfigSetting)i, &group, &key, &env, &flag, &meaning);
		if (group_now == NULL || strcmp(group_now, group) != 0) {
			g_autofree char *title = g_strdup_printf("[%s]", group);
			g_string_append(out, ".SH ");
			put_line(out, title);
			group_now = group;
		}
		g_autofree char *fallback = cli_config_dup_default((CliConfigSetting)i);
		g_string_append(out, ".TP\n.B ");
		put_line(out, key);
		put_line(out, meaning);
		g_string_append(out, ".br\n");
		g_autofree char *how =
		        flag != NULL
		                ? g_strdup_printf("Default: %s. Environment: %s. Flag: --%s.",
		                                  fallback, env, flag)
		                : g_strdup_printf("Default: %s. Environment: %s.", fallback, env);
		put_line(out, how);
	}
	const char *const see[] = {"piculet(1)", "piculet-config(1)", NULL};
	put_see_also(out, see);
}

int
cli_manual_print_page(const char *page)
{
	g_autoptr(GString) out = g_string_new(NULL);
	if (strcmp(page, "piculet") == 0) {
		put_overview(out);
	} else if (strcmp(page, "piculet.conf") == 0) {
		put_configuration(out);
	} else {
		const char *name =
		        g_str_has_prefix(page, "piculet-") ? page + strlen("piculet-") : page;
		const CliCommand *command = cli_command_find(name);
		if (command == NULL) {
			fprintf(stderr, "piculet help: no manual page \"%s\"\n", page);
			return CLI_EXIT_USAGE;
		}
		g_autofree char *title = g_strdup_printf("piculet-%s", command->name);
		put_header(out, title, 1, title, command->summary);
		put_usage(out, command->usage);
		const char *const see[] = {"piculet(1)", "piculet.conf(5)", NULL};
		put_see_also(out, see);
	}
	fputs(out->str, stdout);
	return CLI_EXIT_OK;
}

/* --- completion --- */

/* The usage lines of @command ("piculet CMD ..." without the prefix). */
static GPtrArray *
usage_lines(const CliCommand *command)
{
	GPtrArray *found = g_ptr_array_new_with_free_func(g_free);
	g_auto(GStrv) lines = g_strsplit(command->usage, "\n", -1);
	g_autofree char *prefix = g_strdup_printf("piculet %s", command->name);
	for (gsize i = 0; lines[i] != NULL && lines[i][0] != '\0'; i++) {
		const char *at = strstr(lines[i], prefix);
		if (at != NULL)
			g_ptr_array_add(found, g_strstrip(g_strdup(at + strlen(prefix))));
	}
	return found;
}

static void
print_options(const CliCommand *command)
{
	g_autoptr(GHashTable) seen = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	for (const char *p = command->usage; (p = strstr(p, "--")) != NULL;) {
		const char *end = p + 2;
		while (g_ascii_isalnum(*end) || *end == '-')
			end++;
		if (end > p + 2 && g_hash_table_add(seen, g_strndup(p, (gsize)(end - p))))
			printf("%.*s\n", (int)(end - p), p);
		p = end;
	}
	if (g_hash_table_add(seen, g_strdup("--help")))
		printf("--help\n");
}

/* What the database holds for @argument ("ADDRESS" of a mailbox command,
 * "NAME" of a campaign command, "CAMPAIGN"): names, one a line. Nothing
 * when there is no database yet (completion never creates one). */
static void
print_names(const char *command, const char *argument)
{
	bool mailboxes = strcmp(command, "mailbox") == 0 && strcmp(argument, "ADDRESS") == 0;
	bool campaigns = strcmp(argument, "CAMPAIGN") == 0 || strcmp(argument, "[CAMPAIGN]") == 0 ||
	                 (strcmp(command, "campaign") == 0 && strcmp(argument, "NAME") == 0);
	if (!mailboxes && !campaigns)
		return;
	g_autoptr(GError) error = NULL;
	if (cli_config_current() == NULL && !cli_config_install(&error))
		return;
	g_autofree char *path = cli_options_database_path(NULL);
	if (!g_file_test(path, G_FILE_TEST_IS_REGULAR))
		return;
	g_autoptr(Store) store = store_open(path, &error);
	if (store == NULL)
		return;
	if (mailboxes) {
		g_autoptr(GPtrArray) list = store_mailbox_list(store, &error);
		for (guint i = 0; list != NULL && i < list->len; i++)
			printf("%s\n", ((StoreMailbox *)list->pdata[i])->address);
		return;
	}
	g_autoptr(GPtrArray) list = store_campaign_list(store, &error);
	for (guint i = 0; list != NULL && i < list->len; i++)
		printf("%s\n", ((StoreCampaign *)list->pdata[i])->name);
}

int
cli_manual_print_words(int n_words, char **words)
{
	const char *current = n_words > 0 ? words[n_words - 1] : "";
	if (n_words <= 1) {
		unsigned n = 0;
		const CliCommand *commands = cli_command_all(&n);
		for (unsigned i = 0; i < n; i++)
			printf("%s\n", commands[i].name);
		return CLI_EXIT_OK;
	}
	const CliCommand *command = cli_command_find(words[0]);
	if (command == NULL)
		return CLI_EXIT_OK;
	if (current[0] == '-') {
		print_options(command);
		return CLI_EXIT_OK;
	}
	g_autoptr(GPtrArray) lines = usage_lines(command);
	for (guint i = 0; i < lines->len; i++) {
		g_auto(GStrv) parts = g_strsplit(lines->pdata[i], " ", -1);
		if (parts[0] == NULL || parts[0][0] == '\0' || parts[0][0] == '-')
			continue;
		/* "start|pause|resume NAME": words a subcommand may be. */
		bool lowercase = g_ascii_islower(parts[0][0]);
		g_auto(GStrv) subcommands = g_strsplit(parts[0], "|", -1);
		if (n_words == 2) {
			if (lowercase)
				for (gsize s = 0; subcommands[s] != NULL; s++)
					printf("%s\n", subcommands[s]);
			else
				print_names(command->name, parts[0]);
		} else if (n_words == 3 && lowercase && parts[1] != NULL &&
		           g_strv_contains((const char *const *)subcommands, words[1])) {
			print_names(command->name, parts[1]);
		}
	}
	return CLI_EXIT_OK;
}
