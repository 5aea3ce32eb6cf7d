#include "cli/cli_prospects.h"

#include "app/app_prospect.h"

#include "base/base_zone.h"
#include "cli/cli_output.h"

#include "base/base_json.h"
#include "cli/cli_exit.h"
#include "cli/cli_options.h"
#include "engine/engine_import.h"
#include "mail/mail_address.h"
#include "store/store.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

const char cli_prospects_usage[] =
        "usage: piculet prospects import FILE.csv [--campaign NAME [--allow-other-campaigns]]\n"
        "                                [--skip-invalid] [--delimiter ,|;|tab]\n"
        "                                [--column HEADER=WHAT...] [--db PATH]\n"
        "       piculet prospects list [--limit N] [--json] [--db PATH]\n"
        "       piculet prospects show EMAIL [--json] [--db PATH]\n"
        "       piculet prospects edit EMAIL [--first-name X] [--last-name X] [--company X]\n"
        "                              [--timezone ZONE] [--field NAME=VALUE...]\n"
        "                              [--status ok|bounced|opted_out|blacklisted] [--db PATH]\n"
        "       piculet prospects remove EMAIL [--db PATH]\n"
        "       piculet prospects resume EMAIL [--db PATH]\n"
        "       piculet prospects stop EMAIL [--db PATH]\n"
        "\n"
        "import: the header row names the columns: email (required), first_name,\n"
        "last_name, company, timezone; any other column becomes a field usable in\n"
        "templates ({{column}}). Values must be UTF-8, addresses valid; duplicates\n"
        "in the file, blacklisted addresses and domains, bounced and opted-out\n"
        "prospects are counted and skipped. The import is one transaction: a bad row\n"
        "stops it with the line and column named and nothing stored (exit 65), unless\n"
        "--skip-invalid, which leaves bad rows out and counts them. Fields are\n"
        "separated by \",\", \";\" or tab, guessed from the header unless --delimiter\n"
        "says; a UTF-8 byte-order mark (Excel) is skipped, and so are columns with\n"
        "no name in the header (a spreadsheet's empty ones) while they stay empty.\n"
        "--column HEADER=WHAT says what a column of another name becomes: email,\n"
        "first_name, last_name, company, timezone, a field's name, or nothing\n"
        "(\"Notes=\") to leave it out; e.g. --column 'E-Mail Adresse=email'\n"
        "--column Vorname=first_name. Columns it does not name are read by name.\n"
        "With --campaign NAME, every prospect imported or updated is enrolled in that\n"
        "campaign in the same transaction; one already queued, active or paused in\n"
        "another campaign is held back (and counted) unless --allow-other-campaigns.\n"
        "\n"
        "show prints a prospect, its fields, its campaigns and its history (what was\n"
        "sent, what came back, pauses, by time); edit changes what is\n"
        "given; remove deletes the prospect with what was sent to it and what it sent\n"
        "(to forget a person; the blacklist keeps what it holds).\n"
        "resume makes the prospect's paused enrollments due again: mail from them that\n"
        "no rule could read holds their sequence until a person looks (piculet\n"
        "replies shows it, \"needs review\"); stop ends their open enrollments, as a\n"
        "reply answered by hand would.\n"
        "\n"
        "The database is --db PATH, else $PICULET_DB, else\n"
        "~/.local/share/piculet/piculet.db.\n";

const char cli_prospects_blacklist_usage[] =
        "usage: piculet blacklist add ADDRESS|@DOMAIN... [--reason TEXT] [--db PATH]\n"
        "       piculet blacklist remove ADDRESS|@DOMAIN... [--db PATH]\n"
        "       piculet blacklist list [--db PATH]\n"
        "\n"
        "Addresses and whole domains piculet never contacts: imports skip them.\n";

static void
print_progress(guint64 rows, void *user_data)
{
	cli_output_eprintf("piculet prospects import: %" G_GUINT64_FORMAT " rows...\n", rows);
}

static int
run_import(int argc, char **argv)
{
	gboolean skip_invalid = FALSE;
	gboolean allow_other_campaigns = FALSE;
	g_autofree char *db = NULL;
	g_autofree char *campaign_name = NULL;
	g_autofree char *delimiter = NULL;
	g_auto(GStrv) mapped = NULL;
	GOptionEntry entries[] = {
	        {"skip-invalid", 0, 0, G_OPTION_ARG_NONE, &skip_invalid, NULL, NULL},
	        {"column", 0, 0, G_OPTION_ARG_STRING_ARRAY, &mapped, NULL, NULL},
	        {"delimiter", 0, 0, G_OPTION_ARG_STRING, &delimiter, NULL, NULL},
	        {"campaign", 0, 0, G_OPTION_ARG_STRING, &campaign_name, NULL, NULL},
	        {"allow-other-campaigns", 0, 0, G_OPTION_ARG_NONE, &allow_other_campaigns, NULL,
	         NULL},
	        {"db", 0, 0, G_OPTION_ARG_FILENAME, &db, NULL, NULL},
	        {NULL, 0, 0, 0, NULL, NULL, NULL},
	};
	if (argc < 2 || argv[1][0] == '-') {
		fputs(cli_prospects_usage, stderr);
		return CLI_EXIT_USAGE;
	}
	const char *path = argv[1];
	argv[1] = argv[0];
	if (!cli_options_parse("prospects import", entries, argc - 1, argv + 1))
		return CLI_EXIT_USAGE;
	char separator = '\0';
	if (!engine_import_delimiter_parse(delimiter, &separator)) {
		fputs("piculet prospects import: --delimiter is \",\", \";\" or \"tab\"\n", stderr);
		return CLI_EXIT_USAGE;
	}
	g_autoptr(GHashTable) columns = mapped != NULL ? engine_import_columns_new() : NULL;
	for (gchar **m = mapped; m != NULL && *m != NULL; m++) {
		/* The last "=": a header may hold one, a column's meaning not. */
		char *equals = strrchr(*m, '=');
		g_autoptr(GError) wrong = NULL;
		if (equals == NULL) {
			cli_output_eprintf("piculet prospects import: --column %s: HEADER=WHAT\n",
			                   *m);
			return CLI_EXIT_USAGE;
		}
		*equals = '\0';
		if (!engine_import_columns_add(columns, *m, equals + 1, &wrong)) {
			cli_output_eprintf("piculet prospects import: %s\n", wrong->message);
			return CLI_EXIT_USAGE;
		}
	}
	FILE *file = fopen(path, "rb");
	if (file == NULL) {
		cli_output_eprintf("piculet prospects import: %s: %s\n", path, g_strerror(errno));
		return CLI_EXIT_NO_INPUT;
	}
	int code = CLI_EXIT_OK;
	g_autoptr(Store) store = cli_options_open_store("prospects import", db, &code);
	if (store == NULL) {
		fclose(file);
		return code;
	}
	g_autoptr(GError) error = NULL;
	AppProspectImport options = {.campaign = campaign_name,
	                             .allow_other_campaigns = allow_other_campaigns,
	                             .skip_invalid = skip_invalid,
	                             .delimiter = separator,
	                             .columns = columns,
	                             .progress = print_progress};
	EngineImportSummary summary;
	bool ok = app_prospect_import(store, file, path, &options, &summary, &error);
	fclose(file);
	if (!ok) {
		cli_output_eprintf("piculet prospects import: %s (nothing was imported)\n",
		                   error->message);
		return cli_exit_of_error(error);
	}
	cli_output_printf("%" G_GUINT64_FORMAT " rows: %" G_GUINT64_FORMAT
	                  " imported, %" G_GUINT64_FORMAT " updated, skipped: %" G_GUINT64_FORMAT
	                  " invalid, %" G_GUINT64_FORMAT " duplicate, %" G_GUINT64_FORMAT
	                  " blacklisted, %" G_GUINT64_FORMAT " bounced, %" G_GUINT64_FORMAT
	                  " opted out\n",
	                  summary.rows, summary.imported, summary.updated, summary.invalid,
	                  summary.duplicates, summary.skipped_blacklisted, summary.skipped_bounced,
	                  summary.skipped_opted_out);
	if (campaign_name != NULL)
		cli_output_printf("campaign \"%s\": %" G_GUINT64_FORMAT
		                  " enrolled, %" G_GUINT64_FORMAT
		                  " already in it, %" G_GUINT64_FORMAT
		                  " held back (active in another campaign), "
		                  "%" G_GUINT64_FORMAT " not contactable\n",
		                  campaign_name, summary.enrolled, summary.already_enrolled,
		                  summary.held_other_campaign, summary.not_enrolled);
	return CLI_EXIT_OK;
}

static int
run_list(int argc, char **argv)
{
	gboolean json = FALSE;
	int limit = 0;
	g_autofree char *db = NULL;
	GOptionEntry entries[] = {
	        {"json", 0, 0, G_OPTION_ARG_NONE, &json, NULL, NULL},
	        {"limit", 0, 0, G_OPTION_ARG_INT, &limit, NULL, NULL},
	        {"db", 0, 0, G_OPTION_ARG_FILENAME, &db, NULL, NULL},
	        {NULL, 0, 0, 0, NULL, NULL, NULL},
	};
	if (!cli_options_parse("prospects list", entries, argc, argv))
		return CLI_EXIT_USAGE;
	int code = CLI_EXIT_OK;
	g_autoptr(Store) store = cli_options_open_store("prospects list", db, &code);
	if (store == NULL)
		return code;
	g_autoptr(GError) error = NULL;
	g_autoptr(GPtrArray) prospects = store_prospect_list(store, (guint)MAX(limit, 0), &error);
	if (prospects == NULL) {
		cli_output_eprintf("piculet prospects list: %s\n", error->message);
		return cli_exit_of_error(error);
	}
	g_autoptr(GString) line = g_string_new(NULL);
	for (guint i = 0; i < prospects->len; i++) {
		const StoreProspect *p = prospects->pdata[i];
		if (!json) {
			cli_output_printf("%s\t%s %s\t%s\t%s\n", p->email, p->first_name,
			                  p->last_name, p->company, p->status);
			continue;
		}
		g_string_truncate(line, 0);
		app_prospect_append_json(line, p);
		g_string_append_c(line, '\n');
		fputs(line->str, stdout);
	}
	return CLI_EXIT_OK;
}

static char *
normalized_or_usage(const char *command, const char *text)
{
	g_autoptr(GError) error = NULL;
	char *email = mail_address_normalize(text, &error);
	if (email == NULL)
		cli_output_eprintf("piculet prospects %s: \"%s\": %s\n", command, text,
		                   error->message);
	return email;
}

/* The timeline: "  history:" then a line per event (text), or a
 * "history" member closing the campaigns' array (JSON). */
static void
append_timeline(GString *out, const GPtrArray *timeline, bool json)
{
	if (json)
		g_string_append(out, "],\"history\":[");
	else if (timeline->len > 0)
		g_string_append(out, "  history:\n");
	for (guint i = 0; i < timeline->len; i++) {
		const StoreEvent *event = timeline->pdata[i];
		g_autofree char *at = cli_output_time(event->at);
		if (json) {
			if (i > 0)
				g_string_append_c(out, ',');
			g_string_append_c(out, '{');
			base_json_append_member_string(out, "at", at);
			base_json_append_member_string(out, "kind", event->kind);
			base_json_append_member_string(out, "campaign", event->campaign);
			if (event->step > 0)
				base_json_append_member_uint(out, "step", (uint64_t)event->step);
			if (event->mailbox != NULL)
				base_json_append_member_string(out, "mailbox", event->mailbox);
			base_json_append_member_string(out, "detail", event->detail);
			g_string_append_c(out, '}');
			continue;
		}
		g_string_append_printf(out, "    %s %s, campaign %s", at, event->kind,
		                       event->campaign);
		if (event->step > 0)
			g_string_append_printf(out, ", step %d", event->step);
		if (event->mailbox != NULL)
			g_string_append_printf(out, ", %s", event->mailbox);
		if (event->detail[0] != '\0')
			g_string_append_printf(out, ": %s", event->detail);
		g_string_append_c(out, '\n');
	}
	if (json)
		g_string_append_c(out, ']');
}

static int
run_show(int argc, char **argv)
{
	gboolean json = FALSE;
	g_autofree char *db = NULL;
	GOptionEntry entries[] = {
	        {"json", 0, 0, G_OPTION_ARG_NONE, &json, NULL, NULL},
	        {"db", 0, 0, G_OPTION_ARG_FILENAME, &db, NULL, NULL},
	        {NULL, 0, 0, 0, NULL, NULL, NULL},
	};
	if (argc < 2 || argv[1][0] == '-') {
		fputs(cli_prospects_usage, stderr);
		return CLI_EXIT_USAGE;
	}
	g_autofree char *email = normalized_or_usage("show", argv[1]);
	if (email == NULL)
		return CLI_EXIT_DATA;
	argv[1] = argv[0];
	if (!cli_options_parse("prospects show", entries, argc - 1, argv + 1))
		return CLI_EXIT_USAGE;
	int code = CLI_EXIT_OK;
	g_autoptr(Store) store = cli_options_open_store("prospects show", db, &code);
	if (store == NULL)
		return code;
	g_autoptr(GError) error = NULL;
	g_autoptr(AppProspectCard) card = app_prospect_get(store, email, &error);
	if (card == NULL) {
		cli_output_eprintf("piculet prospects show: %s\n", error->message);
		return cli_exit_of_error(error);
	}
	const StoreProspect *p = card->prospect;
	g_autoptr(GString) out = g_string_new(NULL);
	if (json) {
		app_prospect_append_json(out, p);
		/* The object goes on: the campaigns and the history. */
		g_string_truncate(out, out->len - 1);
		base_json_append_key(out, "campaigns");
		g_string_append_c(out, '[');
	} else {
		g_string_append_printf(out, "%s: %s %s, %s (%s), status %s\n", p->email,
		                       p->first_name, p->last_name, p->company,
		                       p->timezone[0] != '\0' ? p->timezone : "no time zone",
		                       p->status);
		GHashTableIter iter;
		gpointer key, value;
		g_hash_table_iter_init(&iter, p->fields);
		while (g_hash_table_iter_next(&iter, &key, &value))
			g_string_append_printf(out, "  %s: %s\n", (char *)key, (char *)value);
	}
	for (guint i = 0; i < card->campaigns->len; i++) {
		const AppProspectCampaign *c = card->campaigns->pdata[i];
		const StoreEnrollment *e = c->enrollment;
		if (json) {
			if (i > 0)
				g_string_append_c(out, ',');
			g_string_append_c(out, '{');
			base_json_append_member_string(out, "campaign", c->campaign);
			base_json_append_member_string(out, "state", e->state);
			base_json_append_member_uint(out, "next_step", (uint64_t)e->next_step);
			if (e->reason != NULL)
				base_json_append_member_string(out, "reason", e->reason);
			g_string_append_c(out, '}');
		} else {
			g_string_append_printf(out, "  campaign %s: %s, next step %d%s%s\n",
			                       c->campaign, e->state, e->next_step,
			                       e->reason != NULL ? ": " : "",
			                       e->reason != NULL ? e->reason : "");
		}
	}
	append_timeline(out, card->timeline, json);
	if (json) {
		g_string_append(out, "}\n");
		fputs(out->str, stdout);
	} else {
		cli_output_puts(out->str);
	}
	return CLI_EXIT_OK;
}

static int
run_edit(int argc, char **argv)
{
	g_autofree char *db = NULL;
	g_autofree char *first_name = NULL;
	g_autofree char *last_name = NULL;
	g_autofree char *company = NULL;
	g_autofree char *zone_name = NULL;
	g_autofree char *status = NULL;
	g_auto(GStrv) fields = NULL;
	GOptionEntry entries[] = {
	        {"first-name", 0, 0, G_OPTION_ARG_STRING, &first_name, NULL, NULL},
	        {"last-name", 0, 0, G_OPTION_ARG_STRING, &last_name, NULL, NULL},
	        {"company", 0, 0, G_OPTION_ARG_STRING, &company, NULL, NULL},
	        {"timezone", 0, 0, G_OPTION_ARG_STRING, &zone_name, NULL, NULL},
	        {"field", 0, 0, G_OPTION_ARG_STRING_ARRAY, &fields, NULL, NULL},
	        {"status", 0, 0, G_OPTION_ARG_STRING, &status, NULL, NULL},
	        {"db", 0, 0, G_OPTION_ARG_FILENAME, &db, NULL, NULL},
	        {NULL, 0, 0, 0, NULL, NULL, NULL},
	};
	if (argc < 2 || argv[1][0] == '-') {
		fputs(cli_prospects_usage, stderr);
		return CLI_EXIT_USAGE;
	}
	g_autofree char *email = normalized_or_usage("edit", argv[1]);
	if (email == NULL)
		return CLI_EXIT_DATA;
	argv[1] = argv[0];
	if (!cli_options_parse("prospects edit", entries, argc - 1, argv + 1))
		return CLI_EXIT_USAGE;
	g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func(g_free);
	g_autoptr(GPtrArray) values = g_ptr_array_new_with_free_func(g_free);
	for (char **f = fields; f != NULL && *f != NULL; f++) {
		const char *eq = strchr(*f, '=');
		if (eq == NULL || eq == *f || strpbrk(*f, "\r\n") != NULL) {
			cli_output_eprintf(
			        "piculet prospects edit: --field wants NAME=VALUE on one "
			        "line, not \"%s\"\n",
			        *f);
			return CLI_EXIT_USAGE;
		}
		g_ptr_array_add(names, g_strndup(*f, (gsize)(eq - *f)));
		g_ptr_array_add(values, g_strdup(eq + 1));
	}
	int code = CLI_EXIT_OK;
	g_autoptr(Store) store = cli_options_open_store("prospects edit", db, &code);
	if (store == NULL)
		return code;
	g_autoptr(GError) error = NULL;
	AppProspectEdit edit = {
	        .email = email,
	        .first_name = first_name,
	        .last_name = last_name,
	        .company = company,
	        .timezone = zone_name,
	        .field_names = (const char *const *)names->pdata,
	        .field_values = (const char *const *)values->pdata,
	        .n_fields = names->len,
	        .status = status,
	};
	AppProspectEdited edited = APP_PROSPECT_UPDATED;
	g_autofree char *old_status = NULL;
	if (!app_prospect_edit(store, &edit, &edited, &old_status, &error)) {
		cli_output_eprintf("piculet prospects edit: %s\n", error->message);
		return cli_exit_of_error(error);
	}
	if (edited == APP_PROSPECT_KEPT)
		cli_output_printf(
		        "prospect %s kept as it was: %s (use --status ok to change that)\n", email,
		        old_status);
	else
		cli_output_printf("prospect %s updated\n", email);
	return CLI_EXIT_OK;
}

/* remove, resume, stop: an action on one prospect. */
static int
run_on_one(const char *action, int argc, char **argv)
{
	g_autofree char *db = NULL;
	GOptionEntry entries[] = {
	        {"db", 0, 0, G_OPTION_ARG_FILENAME, &db, NULL, NULL},
	        {NULL, 0, 0, 0, NULL, NULL, NULL},
	};
	if (argc < 2 || argv[1][0] == '-') {
		fputs(cli_prospects_usage, stderr);
		return CLI_EXIT_USAGE;
	}
	g_autofree char *email = normalized_or_usage(action, argv[1]);
	if (email == NULL)
		return CLI_EXIT_DATA;
	argv[1] = argv[0];
	g_autofree char *command = g_strdup_printf("prospects %s", action);
	if (!cli_options_parse(command, entries, argc - 1, argv + 1))
		return CLI_EXIT_USAGE;
	int code = CLI_EXIT_OK;
	g_autoptr(Store) store = cli_options_open_store(command, db, &code);
	if (store == NULL)
		return code;
	g_autoptr(GError) error = NULL;
	guint n = 0;
	bool ok = strcmp(action, "resume") == 0 ? app_prospect_resume(store, email, &n, &error)
	          : strcmp(action, "stop") == 0 ? app_prospect_stop(store, email, &n, &error)
	                                        : app_prospect_remove(store, email, &error);
	if (!ok) {
		cli_output_eprintf("piculet %s: %s\n", command, error->message);
		return cli_exit_of_error(error);
	}
	if (strcmp(action, "resume") == 0)
		cli_output_printf("prospect %s: %u paused enrollment(s) due again\n", email, n);
	else if (strcmp(action, "stop") == 0)
		cli_output_printf("prospect %s: %u enrollment(s) stopped\n", email, n);
	else
		cli_output_printf("prospect %s removed\n", email);
	return CLI_EXIT_OK;
}

int
cli_prospects_run(int argc, char **argv)
{
	if (argc >= 2 && strcmp(argv[1], "import") == 0)
		return run_import(argc - 1, argv + 1);
	if (argc >= 2 && strcmp(argv[1], "list") == 0)
		return run_list(argc - 1, argv + 1);
	if (argc >= 2 && strcmp(argv[1], "show") == 0)
		return run_show(argc - 1, argv + 1);
	if (argc >= 2 && strcmp(argv[1], "edit") == 0)
		return run_edit(argc - 1, argv + 1);
	if (argc >= 2 && (strcmp(argv[1], "remove") == 0 || strcmp(argv[1], "resume") == 0 ||
	                  strcmp(argv[1], "stop") == 0))
		return run_on_one(argv[1], argc - 1, argv + 1);
	fputs(cli_prospects_usage, stderr);
	return CLI_EXIT_USAGE;
}

/* "someone@x.y" normalised, or "@x.y" lower-cased. */
static char *
blacklist_entry(const char *text, GError **error)
{
	if (text[0] == '@') {
		g_autofree char *probe = g_strdup_printf("x%s", text);
		g_autofree char *normal = mail_address_normalize(probe, error);
		return normal != NULL ? g_strdup(normal + 1) : NULL;
	}
	return mail_address_normalize(text, error);
}

int
cli_prospects_blacklist_run(int argc, char **argv)
{
	g_autofree char *db = NULL;
	g_autofree char *reason = NULL;
	GOptionEntry entries[] = {
	        {"db", 0, 0, G_OPTION_ARG_FILENAME, &db, NULL, NULL},
	        {"reason", 0, 0, G_OPTION_ARG_STRING, &reason, NULL, NULL},
	        {NULL, 0, 0, 0, NULL, NULL, NULL},
	};
	g_autoptr(GOptionContext) context = g_option_context_new(NULL);
	g_autoptr(GError) error = NULL;
	g_option_context_set_help_enabled(context, FALSE);
	g_option_context_add_main_entries(context, entries, NULL);
	if (!g_option_context_parse(context, &argc, &argv, &error) || argc < 2) {
		cli_output_eprintf("piculet blacklist: %s\n",
		                   error != NULL ? error->message : "add, remove or list?");
		return CLI_EXIT_USAGE;
	}
	const char *action = argv[1];
	int code = CLI_EXIT_OK;
	g_autoptr(Store) store = cli_options_open_store("blacklist", db, &code);
	if (store == NULL)
		return code;
	if (strcmp(action, "list") == 0) {
		g_autoptr(GPtrArray) entries_list = store_blacklist_list(store, &error);
		if (entries_list == NULL) {
			cli_output_eprintf("piculet blacklist: %s\n", error->message);
			return cli_exit_of_error(error);
		}
		for (guint i = 0; i < entries_list->len; i++)
			cli_output_printf("%s\n", (char *)entries_list->pdata[i]);
		return CLI_EXIT_OK;
	}
	bool add = strcmp(action, "add") == 0;
	if ((!add && strcmp(action, "remove") != 0) || argc < 3) {
		fputs(cli_prospects_blacklist_usage, stderr);
		return CLI_EXIT_USAGE;
	}
	for (int i = 2; i < argc; i++) {
		g_autofree char *entry = blacklist_entry(argv[i], &error);
		bool removed = false;
		if (entry == NULL) {
			cli_output_eprintf("piculet blacklist: \"%s\": %s\n", argv[i],
			                   error->message);
			return CLI_EXIT_DATA;
		}
		if (add ? !store_blacklist_add(store, entry, reason, &error)
		        : !store_blacklist_remove(store, entry, &removed, &error)) {
			cli_output_eprintf("piculet blacklist: %s\n", error->message);
			return cli_exit_of_error(error);
		}
		if (!add && !removed)
			cli_output_eprintf("piculet blacklist: %s was not on the blacklist\n",
			                   entry);
	}
	return CLI_EXIT_OK;
}
