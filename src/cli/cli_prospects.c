#include "cli/cli_prospects.h"

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
        "                                [--skip-invalid] [--db PATH]\n"
        "       piculet prospects list [--limit N] [--json] [--db PATH]\n"
        "\n"
        "import: the header row names the columns: email (required), first_name,\n"
        "last_name, company, timezone; any other column becomes a field usable in\n"
        "templates ({{column}}). Values must be UTF-8, addresses valid; duplicates\n"
        "in the file, blacklisted addresses and domains, bounced and opted-out\n"
        "prospects are counted and skipped. The import is one transaction: a bad row\n"
        "stops it with the line and column named and nothing stored (exit 65), unless\n"
        "--skip-invalid, which leaves bad rows out and counts them.\n"
        "With --campaign NAME, every prospect imported or updated is enrolled in that\n"
        "campaign in the same transaction; one already queued, active or paused in\n"
        "another campaign is held back (and counted) unless --allow-other-campaigns.\n"
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
	fprintf(stderr, "piculet prospects import: %" G_GUINT64_FORMAT " rows...\n", rows);
}

static int
run_import(int argc, char **argv)
{
	gboolean skip_invalid = FALSE;
	gboolean allow_other_campaigns = FALSE;
	g_autofree char *db = NULL;
	g_autofree char *campaign_name = NULL;
	GOptionEntry entries[] = {
	        {"skip-invalid", 0, 0, G_OPTION_ARG_NONE, &skip_invalid, NULL, NULL},
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
	FILE *file = fopen(path, "rb");
	if (file == NULL) {
		fprintf(stderr, "piculet prospects import: %s: %s\n", path, g_strerror(errno));
		return CLI_EXIT_NO_INPUT;
	}
	int code = CLI_EXIT_OK;
	g_autoptr(Store) store = cli_options_open_store("prospects import", db, &code);
	if (store == NULL) {
		fclose(file);
		return code;
	}
	g_autoptr(GError) error = NULL;
	EngineImportOptions options = {.skip_invalid = skip_invalid,
	                               .progress = print_progress,
	                               .allow_other_campaigns = allow_other_campaigns};
	if (campaign_name != NULL) {
		g_autoptr(StoreCampaign) campaign =
		        store_campaign_get(store, campaign_name, &error);
		if (campaign == NULL || strcmp(campaign->state, "archived") == 0) {
			fprintf(stderr, "piculet prospects import: %s\n",
			        error != NULL      ? error->message
			        : campaign == NULL ? "no such campaign (see piculet campaign list)"
			                           : "the campaign is archived");
			fclose(file);
			return error != NULL ? CLI_EXIT_IO : CLI_EXIT_DATA;
		}
		options.campaign_id = campaign->id;
	}
	EngineImportSummary summary;
	bool ok = engine_import_prospects(store, file, path, &options, &summary, &error);
	fclose(file);
	if (!ok) {
		fprintf(stderr, "piculet prospects import: %s (nothing was imported)\n",
		        error->message);
		return error->domain == ENGINE_ERROR && error->code == ENGINE_ERROR_INPUT
		               ? CLI_EXIT_DATA
		               : CLI_EXIT_IO;
	}
	printf("%" G_GUINT64_FORMAT " rows: %" G_GUINT64_FORMAT " imported, %" G_GUINT64_FORMAT
	       " updated, skipped: %" G_GUINT64_FORMAT " invalid, %" G_GUINT64_FORMAT
	       " duplicate, %" G_GUINT64_FORMAT " blacklisted, %" G_GUINT64_FORMAT
	       " bounced, %" G_GUINT64_FORMAT " opted out\n",
	       summary.rows, summary.imported, summary.updated, summary.invalid, summary.duplicates,
	       summary.skipped_blacklisted, summary.skipped_bounced, summary.skipped_opted_out);
	if (campaign_name != NULL)
		printf("campaign \"%s\": %" G_GUINT64_FORMAT " enrolled, %" G_GUINT64_FORMAT
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
		fprintf(stderr, "piculet prospects list: %s\n", error->message);
		return CLI_EXIT_IO;
	}
	g_autoptr(GString) line = g_string_new(NULL);
	for (guint i = 0; i < prospects->len; i++) {
		const StoreProspect *p = prospects->pdata[i];
		if (!json) {
			printf("%s\t%s %s\t%s\t%s\n", p->email, p->first_name, p->last_name,
			       p->company, p->status);
			continue;
		}
		g_string_assign(line, "{");
		base_json_append_member_string(line, "email", p->email);
		base_json_append_member_string(line, "first_name", p->first_name);
		base_json_append_member_string(line, "last_name", p->last_name);
		base_json_append_member_string(line, "company", p->company);
		base_json_append_member_string(line, "timezone", p->timezone);
		base_json_append_member_string(line, "status", p->status);
		base_json_append_key(line, "fields");
		g_string_append_c(line, '{');
		GHashTableIter iter;
		gpointer key, value;
		g_hash_table_iter_init(&iter, p->fields);
		while (g_hash_table_iter_next(&iter, &key, &value))
			base_json_append_member_string(line, key, value);
		g_string_append(line, "}}\n");
		fputs(line->str, stdout);
	}
	return CLI_EXIT_OK;
}

int
cli_prospects_run(int argc, char **argv)
{
	if (argc >= 2 && strcmp(argv[1], "import") == 0)
		return run_import(argc - 1, argv + 1);
	if (argc >= 2 && strcmp(argv[1], "list") == 0)
		return run_list(argc - 1, argv + 1);
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
		fprintf(stderr, "piculet blacklist: %s\n",
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
			fprintf(stderr, "piculet blacklist: %s\n", error->message);
			return CLI_EXIT_IO;
		}
		for (guint i = 0; i < entries_list->len; i++)
			printf("%s\n", (char *)entries_list->pdata[i]);
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
			fprintf(stderr, "piculet blacklist: \"%s\": %s\n", argv[i], error->message);
			return CLI_EXIT_DATA;
		}
		if (add ? !store_blacklist_add(store, entry, reason, &error)
		        : !store_blacklist_remove(store, entry, &removed, &error)) {
			fprintf(stderr, "piculet blacklist: %s\n", error->message);
			return CLI_EXIT_IO;
		}
		if (!add && !removed)
			fprintf(stderr, "piculet blacklist: %s was not on the blacklist\n", entry);
	}
	return CLI_EXIT_OK;
}
