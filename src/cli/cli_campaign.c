#include "cli/cli_campaign.h"

#include "app/app_campaign.h"

#include "base/base_json.h"
#include "cli/cli_exit.h"
#include "cli/cli_options.h"
#include "cli/cli_output.h"
#include "engine/engine_campaign.h"
#include "engine/engine_duration.h"
#include "mail/mail_address.h"
#include "store/store.h"

#include <stdio.h>
#include <string.h>

const char cli_campaign_usage[] =
        "usage: piculet campaign create FILE.yaml [--db PATH]\n"
        "       piculet campaign edit FILE.yaml [--db PATH]\n"
        "       piculet campaign list [--json] [--db PATH]\n"
        "       piculet campaign show NAME [--json] [--db PATH]\n"
        "       piculet campaign start|pause|resume|archive NAME [--ack-guard] [--db PATH]\n"
        "       piculet campaign preview NAME [--prospect EMAIL] [--from DATE] [--db PATH]\n"
        "\n"
        "A campaign file (YAML) names the campaign, its mailboxes, its steps (subject,\n"
        "body, delay like 3d, 36h, 90m; a step without a subject replies in the same\n"
        "thread), the sending window (\"mon-fri 09:00-17:00\" or one line per day),\n"
        "the time zone (IANA name), whether to use each prospect's own zone, the\n"
        "interval between two emails (\"60s-180s\"), the daily limit of opening emails\n"
        "and the policies (stop_on_company_reply, auto_reply: pause|continue|stop,\n"
        "auto_reply_days, list_unsubscribe). Mistakes are reported as FILE:LINE:COLUMN\n"
        "(exit 65). See docs/campaign.md for a full example.\n"
        "\n"
        "create stores a new campaign as a draft; edit replaces the file of the\n"
        "campaign with the same name (steps already sent cannot be removed; what was\n"
        "sent stays); start and resume let `piculet run` send it; pause stops sending\n"
        "until resume; archive ends it for good. A campaign its guard paused (too\n"
        "many hard bounces or complaints: docs/campaign.md) resumes only with\n"
        "--ack-guard, once the list is cleaned.\n"
        "\n"
        "preview prints, for one prospect (--prospect, else the first enrolled), every\n"
        "step as the exact message that would be sent and the earliest moment it\n"
        "could go (from --from DATE, ISO 8601 like 2026-12-01T08:00:00Z, else now),\n"
        "given the window, the time zones and the delays, assuming each step goes at\n"
        "its earliest moment and the mailbox is free.\n";

static char *db_path;
static gboolean json_output;

static const GOptionEntry common_entries[] = {
        {"db", 0, 0, G_OPTION_ARG_FILENAME, &db_path, NULL, NULL},
        {"json", 0, 0, G_OPTION_ARG_NONE, &json_output, NULL, NULL},
        {NULL, 0, 0, 0, NULL, NULL, NULL},
};

/* Takes the one positional argument after the action, then the options. */
static const char *
positional(const char *command, int argc, char **argv, const GOptionEntry *entries)
{
	const char *value = NULL;
	if (!cli_options_parse_after_argument(command, "campaign", entries, argc, argv, &value))
		return NULL;
	return value;
}

static int
store_failure(const char *command, const GError *error)
{
	cli_output_eprintf("piculet %s: %s\n", command, error->message);
	return cli_exit_of_error(error);
}

static int
run_create_or_edit(const char *action, int argc, char **argv)
{
	g_autofree char *command = g_strdup_printf("campaign %s", action);
	const char *path = positional(command, argc, argv, common_entries);
	if (path == NULL)
		return CLI_EXIT_USAGE;
	g_autoptr(GError) error = NULL;
	g_autofree char *text = NULL;
	gsize length = 0;
	if (!g_file_get_contents(path, &text, &length, &error)) {
		cli_output_eprintf("piculet %s: %s\n", command, error->message);
		return CLI_EXIT_NO_INPUT;
	}
	int code = CLI_EXIT_OK;
	g_autoptr(Store) store = cli_options_open_store(command, db_path, &code);
	if (store == NULL)
		return code;
	bool create = strcmp(action, "create") == 0;
	g_autoptr(EngineCampaign) campaign =
	        app_campaign_save(store, text, length, path, create, &error);
	if (campaign == NULL)
		return store_failure(command, error);
	cli_output_printf("campaign \"%s\" %s: %u steps, %u mailboxes%s\n", campaign->name,
	                  create ? "created" : "updated", campaign->steps->len,
	                  campaign->mailboxes->len,
	                  create ? " (a draft: piculet campaign start to send)" : "");
	return CLI_EXIT_OK;
}

static void
append_campaign_json(GString *line, const StoreCampaign *c)
{
	g_string_append_c(line, '{');
	base_json_append_member_string(line, "name", c->name);
	base_json_append_member_string(line, "state", c->state);
	g_string_append_printf(
	        line,
	        ",\"steps\":%u,\"enrolled\":%" G_GUINT64_FORMAT ",\"active\":%" G_GUINT64_FORMAT
	        ",\"sent\":%" G_GUINT64_FORMAT ",\"replied\":%" G_GUINT64_FORMAT
	        ",\"uncertain\":%" G_GUINT64_FORMAT,
	        c->n_steps, c->n_enrolled, c->n_active, c->n_sent, c->n_replied, c->n_uncertain);
	base_json_append_member_string(line, "guard", c->guard != NULL ? c->guard : "");
	g_string_append_c(line, '}');
}

static int
run_list(int argc, char **argv)
{
	if (!cli_options_parse("campaign list", common_entries, argc, argv))
		return CLI_EXIT_USAGE;
	int code = CLI_EXIT_OK;
	g_autoptr(Store) store = cli_options_open_store("campaign list", db_path, &code);
	if (store == NULL)
		return code;
	g_autoptr(GError) error = NULL;
	g_autoptr(GPtrArray) campaigns = store_campaign_list(store, &error);
	if (campaigns == NULL)
		return store_failure("campaign list", error);
	g_autoptr(GString) line = g_string_new(NULL);
	for (guint i = 0; i < campaigns->len; i++) {
		const StoreCampaign *c = campaigns->pdata[i];
		if (json_output) {
			g_string_truncate(line, 0);
			append_campaign_json(line, c);
			printf("%s\n", line->str);
		} else {
			bool guarded = c->guard != NULL && c->guard[0] != '\0';
			cli_output_printf("%s\t%s\t%u steps\t%" G_GUINT64_FORMAT
			                  " enrolled\t%" G_GUINT64_FORMAT
			                  " sent\t%" G_GUINT64_FORMAT " replied%s%s\n",
			                  c->name, c->state, c->n_steps, c->n_enrolled, c->n_sent,
			                  c->n_replied, guarded ? "\tpaused by its " : "",
			                  guarded ? c->guard : "");
		}
	}
	return CLI_EXIT_OK;
}

static StoreCampaign *
find_campaign(const char *command, Store *store, const char *name, int *code)
{
	g_autoptr(GError) error = NULL;
	StoreCampaign *campaign = app_campaign_get(store, name, &error);
	if (campaign == NULL)
		*code = store_failure(command, error);
	return campaign;
}

static EngineCampaign *
parse_stored(const char *command, const StoreCampaign *stored, int *code)
{
	g_autoptr(GError) error = NULL;
	EngineCampaign *campaign = app_campaign_parse_stored(stored, &error);
	if (campaign == NULL)
		*code = store_failure(command, error);
	return campaign;
}

static int
run_show(int argc, char **argv)
{
	const char *name = positional("campaign show", argc, argv, common_entries);
	if (name == NULL)
		return CLI_EXIT_USAGE;
	int code = CLI_EXIT_OK;
	g_autoptr(Store) store = cli_options_open_store("campaign show", db_path, &code);
	if (store == NULL)
		return code;
	g_autoptr(StoreCampaign) stored = find_campaign("campaign show", store, name, &code);
	if (stored == NULL)
		return code;
	g_autoptr(EngineCampaign) campaign = parse_stored("campaign show", stored, &code);
	if (campaign == NULL)
		return code;
	if (json_output) {
		g_autoptr(GString) line = g_string_new(NULL);
		append_campaign_json(line, stored);
		g_string_truncate(line, line->len - 1);
		base_json_append_member_string(line, "definition", stored->definition);
		g_string_append_c(line, '}');
		printf("%s\n", line->str);
		return CLI_EXIT_OK;
	}
	g_autofree char *window = engine_window_format(&campaign->window);
	g_autofree char *interval_min = engine_duration_format(campaign->interval_min_s);
	g_autofree char *interval_max = engine_duration_format(campaign->interval_max_s);
	g_autoptr(GString) mailboxes = g_string_new(NULL);
	for (guint i = 0; i < campaign->mailboxes->len; i++)
		g_string_append_printf(mailboxes, "%s%s", i > 0 ? ", " : "",
		                       (const char *)campaign->mailboxes->pdata[i]);
	cli_output_printf("campaign:  %s (%s)\n", stored->name, stored->state);
	if (stored->guard != NULL && stored->guard[0] != '\0')
		cli_output_printf("guard:     paused by its %s (resume with --ack-guard)\n",
		                  stored->guard);
	cli_output_printf("mailboxes: %s\n", mailboxes->str);
	cli_output_printf("window:    %s, %s%s\n", window, campaign->timezone,
	                  campaign->use_prospect_timezone ? " (or the prospect's own zone)" : "");
	cli_output_printf("interval:  %s to %s between two emails of a mailbox\n", interval_min,
	                  interval_max);
	cli_output_printf("limit:     %d opening emails a day\n", campaign->daily_limit);
	cli_output_printf(
	        "policies:  %s on company reply; auto-reply: %s (%d days); List-Unsubscribe: %s\n",
	        campaign->stop_on_company_reply ? "stop" : "go on",
	        engine_campaign_auto_reply_name(campaign->auto_reply), campaign->auto_reply_days,
	        campaign->list_unsubscribe ? "yes" : "no");
	for (guint i = 0; i < campaign->steps->len; i++) {
		const EngineCampaignStep *step = campaign->steps->pdata[i];
		g_autofree char *delay = engine_duration_format(step->delay_s);
		cli_output_printf("step %u:    %s%s%s\n", i + 1, i == 0 ? "at once" : "after ",
		                  i == 0 ? "" : delay,
		                  step->task != NULL      ? ", a task for a person"
		                  : step->subject != NULL ? ""
		                                          : " (reply in the thread)");
		if (step->task != NULL) {
			g_autofree char *words = app_campaign_task_words(step);
			cli_output_printf("           %s\n", words);
		}
		if (step->variants == NULL && step->subject != NULL)
			cli_output_printf("           subject: %s\n", step->subject);
		for (guint v = 0; step->variants != NULL && v < step->variants->len; v++) {
			const EngineCampaignVariant *variant = step->variants->pdata[v];
			cli_output_printf("           variant %c: %s\n",
			                  engine_campaign_variant_letter((int)v),
			                  variant->subject != NULL ? variant->subject
			                                           : "(reply in the thread)");
		}
		if (step->variants != NULL && step->winner.after > 0)
			cli_output_printf("           winner: after %d sent of each, at %d %% "
			                  "confidence\n",
			                  step->winner.after, step->winner.confidence);
	}
	cli_output_printf("prospects: %" G_GUINT64_FORMAT " enrolled, %" G_GUINT64_FORMAT
	                  " in progress, %" G_GUINT64_FORMAT " replied; %" G_GUINT64_FORMAT
	                  " messages sent, %" G_GUINT64_FORMAT " uncertain\n",
	                  stored->n_enrolled, stored->n_active, stored->n_replied, stored->n_sent,
	                  stored->n_uncertain);
	return CLI_EXIT_OK;
}

/* start, pause, resume, archive (app_campaign_act). */
static int
run_state(const char *action_name, int argc, char **argv)
{
	g_autofree char *command = g_strdup_printf("campaign %s", action_name);
	gboolean ack_guard = FALSE;
	const GOptionEntry entries[] = {
	        {"db", 0, 0, G_OPTION_ARG_FILENAME, &db_path, NULL, NULL},
	        {"json", 0, 0, G_OPTION_ARG_NONE, &json_output, NULL, NULL},
	        {"ack-guard", 0, 0, G_OPTION_ARG_NONE, &ack_guard, NULL, NULL},
	        {NULL, 0, 0, 0, NULL, NULL, NULL},
	};
	const char *name = positional(command, argc, argv, entries);
	if (name == NULL)
		return CLI_EXIT_USAGE;
	EngineCampaignAction action = ENGINE_CAMPAIGN_START;
	if (!engine_lifecycle_action_parse(action_name, &action))
		return CLI_EXIT_USAGE;
	int code = CLI_EXIT_OK;
	g_autoptr(Store) store = cli_options_open_store(command, db_path, &code);
	if (store == NULL)
		return code;
	g_autoptr(GError) error = NULL;
	EngineCampaignState state = ENGINE_CAMPAIGN_DRAFT;
	if (!app_campaign_act(store, name, action, ack_guard, &state, &error))
		return store_failure(command, error);
	cli_output_printf("campaign \"%s\": %s\n", name, engine_lifecycle_campaign_name(state));
	return CLI_EXIT_OK;
}

static char *
format_moment(int64_t at_us, GTimeZone *zone)
{
	g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc(at_us / G_USEC_PER_SEC);
	g_autoptr(GDateTime) local = g_date_time_to_timezone(utc, zone);
	g_autofree char *local_text = g_date_time_format(local, "%a %Y-%m-%d %H:%M");
	g_autofree char *utc_text = cli_output_time(at_us);
	return g_strdup_printf("%s %s (%s)", local_text, g_time_zone_get_identifier(zone),
	                       utc_text);
}

static int
run_preview(int argc, char **argv)
{
	g_autofree char *prospect_arg = NULL;
	g_autofree char *from_arg = NULL;
	GOptionEntry entries[] = {
	        {"prospect", 0, 0, G_OPTION_ARG_STRING, &prospect_arg, NULL, NULL},
	        {"from", 0, 0, G_OPTION_ARG_STRING, &from_arg, NULL, NULL},
	        {"db", 0, 0, G_OPTION_ARG_FILENAME, &db_path, NULL, NULL},
	        {NULL, 0, 0, 0, NULL, NULL, NULL},
	};
	const char *name = positional("campaign preview", argc, argv, entries);
	if (name == NULL)
		return CLI_EXIT_USAGE;
	g_autoptr(GError) error = NULL;
	g_autofree char *email = NULL;
	if (prospect_arg != NULL &&
	    (email = mail_address_normalize(prospect_arg, &error)) == NULL) {
		cli_output_eprintf("piculet campaign preview: --prospect \"%s\": %s\n",
		                   prospect_arg, error->message);
		return CLI_EXIT_USAGE;
	}
	int code = CLI_EXIT_OK;
	g_autoptr(Store) store = cli_options_open_store("campaign preview", db_path, &code);
	if (store == NULL)
		return code;
	g_autoptr(AppCampaignPreview) preview =
	        app_campaign_preview(store, name, email, from_arg, g_get_real_time(), &error);
	if (preview == NULL)
		return store_failure("campaign preview", error);
	cli_output_printf("preview of campaign \"%s\" for %s, from %s\n\n", name, preview->email,
	                  preview->mailbox);
	for (guint i = 0; i < preview->steps->len; i++) {
		const AppPreviewStep *step = preview->steps->pdata[i];
		if (step->skipped != NULL) {
			cli_output_printf("=== step %d: skipped for this prospect: %s\n\n",
			                  step->step, step->skipped);
			continue;
		}
		g_autofree char *when = format_moment(step->earliest_us, preview->zone);
		if (step->task != NULL) {
			cli_output_printf(
			        "=== step %d: earliest %s: a %s (the next step waits until "
			        "it is done: piculet tasks)\n\n",
			        step->step, when, step->task);
			continue;
		}
		if (step->variant >= 0)
			cli_output_printf(
			        "=== step %d: earliest %s (variant %c of %u)\n", step->step, when,
			        engine_campaign_variant_letter(step->variant), step->n_variants);
		else
			cli_output_printf("=== step %d: earliest %s\n", step->step, when);
		/* The message as it would go, byte for byte. */
		fwrite(g_bytes_get_data(step->message, NULL), 1, g_bytes_get_size(step->message),
		       stdout);
		cli_output_printf("\n");
	}
	if (preview->warnings->len > 0) {
		cli_output_printf("=== content warnings (nothing was changed)\n");
		for (guint i = 0; i < preview->warnings->len; i++)
			cli_output_printf("warning: %s\n",
			                  (const char *)preview->warnings->pdata[i]);
	}
	return CLI_EXIT_OK;
}

int
cli_campaign_run(int argc, char **argv)
{
	const char *action = argc >= 2 ? argv[1] : "";
	int code;
	if (strcmp(action, "create") == 0 || strcmp(action, "edit") == 0)
		code = run_create_or_edit(action, argc - 1, argv + 1);
	else if (strcmp(action, "list") == 0)
		code = run_list(argc - 1, argv + 1);
	else if (strcmp(action, "show") == 0)
		code = run_show(argc - 1, argv + 1);
	else if (strcmp(action, "start") == 0 || strcmp(action, "pause") == 0 ||
	         strcmp(action, "resume") == 0 || strcmp(action, "archive") == 0)
		code = run_state(action, argc - 1, argv + 1);
	else if (strcmp(action, "preview") == 0)
		code = run_preview(argc - 1, argv + 1);
	else {
		fputs(cli_campaign_usage, stderr);
		code = CLI_EXIT_USAGE;
	}
	g_clear_pointer(&db_path, g_free);
	return code;
}
