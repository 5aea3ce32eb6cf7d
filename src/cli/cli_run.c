#include "cli/cli_run.h"

#include "engine/engine_enrollment.h"

#include "app/app_campaign.h"
#include "app/app_db.h"
#include "app/app_reply.h"
#include "app/app_status.h"

#include "base/base_json.h"
#include "base/base_log.h"
#include "base/base_notify.h"
#include "cli/cli_config.h"
#include "cli/cli_exit.h"
#include "cli/cli_options.h"
#include "cli/cli_output.h"
#include "cli/cli_serve.h"
#include "cli/cli_signal.h"
#include "engine/engine_campaign.h"
#include "engine/engine_duration.h"
#include "engine/engine_guard.h"
#include "engine/engine_links.h"
#include "engine/engine_run.h"
#include "engine/engine_seal_key.h"
#include "store/store.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

const char cli_run_usage[] =
        "usage: piculet run [--poll S] [--workers N] [--serve ADDRESS:PORT] [--ca-file FILE]\n"
        "                   [--db PATH] [--trace]\n"
        "\n"
        "Runs the engine until SIGTERM or SIGINT (it finishes the message in flight\n"
        "first). A pass over every running campaign reads each mailbox's new mail and\n"
        "applies it (a reply stops the sequence, a bounce stops it and marks the\n"
        "address, an auto-reply pauses it, an opt-out blacklists the address), then\n"
        "sends what is due, one message at a time per mailbox, inside the window,\n"
        "within the limits. Between passes every mailbox waits in IMAP IDLE on its\n"
        "INBOX, all from one thread, so a pass follows new mail at once; a pass also\n"
        "runs the moment something falls due (a delay, a pacing pause, the end of a\n"
        "pause), and at least every --poll seconds (default 30). Mailboxes are worked\n"
        "by --workers threads (default 4), so a slow or silent server holds up only\n"
        "its own mailbox. One line per send, reply and state change goes to stderr.\n"
        "--serve ADDRESS:PORT also serves the HTTP API and delivers the webhooks in\n"
        "the same process (see piculet serve). Defaults come from piculet.conf\n"
        "([engine] workers, poll, serve; see piculet config). SIGHUP reads it again\n"
        "(the log level and the poll interval change at once). Under systemd it\n"
        "tells the service manager when it is ready, reloading or stopping, and\n"
        "sends the watchdog's keep-alives.\n";

const char cli_run_tick_usage[] =
        "usage: piculet tick [--now DATE [--until DATE --every DURATION]] [--seed N]\n"
        "                    [--workers N] [--ca-file FILE] [--db PATH] [--json]\n"
        "\n"
        "One pass of `piculet run`, then exit: for cron. --now (ISO 8601, like\n"
        "2026-12-01T09:00:00Z) runs the pass as if it were that moment, for tests and\n"
        "demos that play days of a campaign in seconds; with --until and --every\n"
        "(like 2m), passes follow each other on that simulated clock up to --until,\n"
        "as `piculet run` would make them. Mail really goes: use it on a lab or a\n"
        "test mailbox. --seed fixes the random pauses. Prints what was done.\n";

const char cli_run_status_usage[] =
        "usage: piculet status [--now DATE] [--json] [--db PATH]\n"
        "\n"
        "Each mailbox: whether it may send, and if not why (paused and why, waiting\n"
        "for its interval, daily cap reached), and its next send; each campaign's\n"
        "progress.\n";

const char cli_run_report_usage[] =
        "usage: piculet report CAMPAIGN [--json] [--db PATH]\n"
        "\n"
        "Per step: sent, replied, auto-replied, bounced, opted out, uncertain, with\n"
        "rates over the messages sent; then how many replies each intent has\n"
        "(interested, meeting, later, ...: docs/classification.md). With --json, one\n"
        "line per step, then {\"intents\": {...}}.\n";

const char cli_run_replies_usage[] =
        "usage: piculet replies [CAMPAIGN] [--intent INTENT] [--json] [--db PATH]\n"
        "       piculet replies thread ID [--json] [--db PATH]\n"
        "       piculet replies mark ID INTENT [--db PATH]\n"
        "\n"
        "Who answered, when, what the answer means, and its new text (quotes and\n"
        "signature left out), newest first. INTENT is one of interested, meeting,\n"
        "later, not_interested, wrong_person, unsubscribe, needs_review (see\n"
        "docs/classification.md); mail held for a person to look at says so.\n"
        "thread shows reply ID (the #number listed) with what was sent in its sequence\n"
        "and what came back, by time; mark records what a person reads in it (its\n"
        "intent, no more review; no sequence changes).\n";

typedef struct {
	char *db;
	char *ca_file;
	char *now;
	char *until;
	char *every;
	char *serve;  /* run --serve ADDRESS:PORT */
	char *intent; /* replies --intent INTENT */
	int seed;
	int poll_s;
	int workers;
	gboolean json;
	gboolean trace;
} RunArgs;

static void
run_args_clear(RunArgs *args)
{
	g_free(args->db);
	g_free(args->ca_file);
	g_free(args->now);
	g_free(args->until);
	g_free(args->every);
	g_free(args->serve);
	g_free(args->intent);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(RunArgs, run_args_clear)

static bool
parse(const char *command, int argc, char **argv, RunArgs *args)
{
	GOptionEntry entries[] = {
	        {"db", 0, 0, G_OPTION_ARG_FILENAME, &args->db, NULL, NULL},
	        {"ca-file", 0, 0, G_OPTION_ARG_FILENAME, &args->ca_file, NULL, NULL},
	        {"now", 0, 0, G_OPTION_ARG_STRING, &args->now, NULL, NULL},
	        {"until", 0, 0, G_OPTION_ARG_STRING, &args->until, NULL, NULL},
	        {"every", 0, 0, G_OPTION_ARG_STRING, &args->every, NULL, NULL},
	        {"seed", 0, 0, G_OPTION_ARG_INT, &args->seed, NULL, NULL},
	        {"poll", 0, 0, G_OPTION_ARG_INT, &args->poll_s, NULL, NULL},
	        {"workers", 0, 0, G_OPTION_ARG_INT, &args->workers, NULL, NULL},
	        {"serve", 0, 0, G_OPTION_ARG_STRING, &args->serve, NULL, NULL},
	        {"intent", 0, 0, G_OPTION_ARG_STRING, &args->intent, NULL, NULL},
	        {"json", 0, 0, G_OPTION_ARG_NONE, &args->json, NULL, NULL},
	        {"trace", 0, 0, G_OPTION_ARG_NONE, &args->trace, NULL, NULL},
	        {NULL, 0, 0, 0, NULL, NULL, NULL},
	};
	return cli_options_parse(command, entries, argc, argv);
}

static int64_t
fixed_clock(void *user_data)
{
	return *(const int64_t *)user_data;
}

static bool
parse_now(const char *command, const char *text, int64_t *now_us)
{
	return cli_options_parse_moment(command, "--now", text, now_us);
}

static void
print_summary(const EngineTickSummary *s, bool json)
{
	if (json) {
		printf("{\"sent\":%u,\"failed\":%u,\"deferred\":%u,\"uncertain\":%u,\"replies\":%u,"
		       "\"auto_replies\":%u,\"bounces\":%u,\"opt_outs\":%u,\"mailboxes_paused\":%u}"
		       "\n",
		       s->sent, s->failed, s->deferred, s->uncertain, s->replies, s->auto_replies,
		       s->bounces, s->opt_outs, s->mailboxes_paused);
		return;
	}
	cli_output_printf(
	        "sent %u, failed %u, deferred %u, uncertain %u; replies %u, auto-replies %u, "
	        "bounces %u, opt-outs %u; mailboxes paused %u\n",
	        s->sent, s->failed, s->deferred, s->uncertain, s->replies, s->auto_replies,
	        s->bounces, s->opt_outs, s->mailboxes_paused);
}

/* The mailbox guards (every campaign of a mailbox together) with what the
 * configuration changes in them. */
static bool
configured_guards(const char *command, EngineGuardRules *rules)
{
	const CliConfig *config = cli_config_current();
	rules->max_bounce_permille = (guint)cli_config_get_number(
	        config, CLI_CONFIG_GUARD_BOUNCE_RATE, rules->max_bounce_permille);
	rules->window =
	        (guint)cli_config_get_number(config, CLI_CONFIG_GUARD_WINDOW, rules->window);
	rules->min_contacted = (guint)cli_config_get_number(config, CLI_CONFIG_GUARD_MIN_CONTACTED,
	                                                    rules->min_contacted);
	rules->max_in_a_row = (guint)cli_config_get_number(config, CLI_CONFIG_GUARD_IN_A_ROW,
	                                                   rules->max_in_a_row);
	if (rules->min_contacted > rules->window) {
		cli_output_eprintf(
		        "piculet %s: [guards] min_contacted (%u) is more than the window "
		        "(%u)\n",
		        command, rules->min_contacted, rules->window);
		return false;
	}
	return true;
}

/* The engine's numbers for /metrics of `run --serve`: an HTTP thread asks
 * while the engine may be going away, so under a lock. */
typedef struct {
	GMutex lock;
	EngineRun *run; /* while the engine exists */
	guint workers;
} RunGauges;

static void
run_gauges_clear(RunGauges *gauges)
{
	g_mutex_clear(&gauges->lock);
}
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(RunGauges, run_gauges_clear)

static void
read_gauges(void *user_data, AppMetricsEngine *out)
{
	RunGauges *gauges = user_data;
	g_mutex_lock(&gauges->lock);
	out->idle_sessions = gauges->run != NULL ? engine_run_get_idle_sessions(gauges->run) : 0;
	out->workers = gauges->workers;
	g_mutex_unlock(&gauges->lock);
}

static void
set_gauges_run(RunGauges *gauges, EngineRun *run)
{
	g_mutex_lock(&gauges->lock);
	gauges->run = run;
	g_mutex_unlock(&gauges->lock);
}

/* Declared after the engine, so it runs before the engine is freed. */
static void
unlink_gauges(RunGauges **gauges)
{
	set_gauges_run(*gauges, NULL);
}

/* What `piculet run` keeps for the service manager and for SIGHUP. */
typedef struct {
	int poll_s;
	bool poll_from_flag; /* --poll given: the configuration does not change it */
	bool trace;          /* --trace given: the log stays verbose */
	int64_t watchdog_us; /* 0: no watchdog */
	int64_t last_keep_alive_us;
} RunService;

static int
service_wait_ms(const RunService *service)
{
	int wait_ms = service->poll_s * 1000;
	/* Keep-alives at a quarter of the interval: a slow pass still fits. */
	if (service->watchdog_us > 0 && service->watchdog_us / 4000 < wait_ms)
		wait_ms = (int)MAX(service->watchdog_us / 4000, 1);
	return wait_ms;
}

static void
service_keep_alive(RunService *service)
{
	int64_t now_us = g_get_monotonic_time();
	if (service->watchdog_us > 0 &&
	    now_us - service->last_keep_alive_us >= service->watchdog_us / 4) {
		base_notify_send("WATCHDOG=1");
		service->last_keep_alive_us = now_us;
	}
}

/* SIGHUP: the configuration read again. The log level and the poll
 * interval change at once; the rest (database, workers, guards, the API's
 * address) when run starts again, which the log says. A wrong file
 * changes nothing. */
static void
service_reload(RunService *service)
{
	base_notify_reloading();
	g_autoptr(GError) error = NULL;
	g_autofree char *changed = NULL;
	if (!cli_config_reload(&changed, &error)) {
		g_warning("configuration not reloaded, the one in force stays: %s", error->message);
		base_notify_send("READY=1\nSTATUS=running (the new configuration was wrong)");
		return;
	}
	const CliConfig *config = cli_config_current();
	if (!service->trace)
		base_log_set_level((BaseLogLevel)cli_config_get_number(config, CLI_CONFIG_LOG_LEVEL,
		                                                       BASE_LOG_NORMAL));
	if (!service->poll_from_flag)
		service->poll_s = (int)cli_config_get_number(config, CLI_CONFIG_POLL,
		                                             CLI_CONFIG_DEFAULT_POLL_S);
	g_message("configuration reloaded: %s%s", changed[0] != '\0' ? changed : "nothing changed",
	          changed[0] != '\0' ? " (log level and poll now; the rest when run restarts)"
	                             : "");
	base_notify_send("READY=1\nSTATUS=running");
}

/* A file: one engine (its lock, held until the store is closed). A
 * server: several, each a node (*@node, a name of its own) with leases on
 * its share of the mailboxes. */
static bool
take_place(const char *command, Store *store, const char *db, char **node, int *code)
{
	g_autofree char *location = cli_options_database_path(db);
	g_autoptr(GError) error = NULL;
	if (!app_db_engine_may_start(store, &error)) {
		cli_output_eprintf("piculet %s: %s\n", command, error->message);
		*code = cli_exit_of_error(error);
		return false;
	}
	if (store_location_is_server(location)) {
		*node = engine_run_node_name();
		g_message("node %s: works its share of the mailboxes", *node);
		return true;
	}
	if (!store_lock_engine(store, &error)) {
		cli_output_eprintf("piculet %s: %s\n", command, error->message);
		*code = cli_exit_of_error(error);
		return false;
	}
	return true;
}

/* A clean stop lets the other engines take this one's mailboxes at once
 * (without it they wait for the leases to expire). */
static int
release_leases(const char *command, EngineRun *run)
{
	g_autoptr(GError) error = NULL;
	if (!engine_run_release(run, &error)) {
		cli_output_eprintf("piculet %s: %s\n", command, error->message);
		return cli_exit_of_error(error);
	}
	return CLI_EXIT_OK;
}

/* This machine's seal key is the database's (engine_seal_key): once the
 * database may be worked on, before a mailbox is claimed, not after its
 * password failed to open. */
static bool
seal_key_checked(const char *command, Store *store, int *code)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(BaseSealKey) key = engine_links_key(store, &error);
	if (key == NULL || !engine_seal_key_check(store, key, &error)) {
		cli_output_eprintf("piculet %s: %s\n", command, error->message);
		*code = cli_exit_of_error(error);
		return false;
	}
	return true;
}

static int
run_engine(const char *command, int argc, char **argv, bool once)
{
	g_auto(RunArgs)
	        args = {.poll_s = CLI_CONFIG_DEFAULT_POLL_S, .workers = ENGINE_RUN_DEFAULT_WORKERS};
	if (!parse(command, argc, argv, &args))
		return CLI_EXIT_USAGE;
	if (args.trace)
		base_log_set_level(BASE_LOG_VERBOSE);
	if (args.poll_s < 1 || args.poll_s > 3600) {
		cli_output_eprintf("piculet %s: --poll is 1 to 3600 seconds\n", command);
		return CLI_EXIT_USAGE;
	}
	if (args.workers < 1 || args.workers > 64) {
		cli_output_eprintf("piculet %s: --workers is 1 to 64\n", command);
		return CLI_EXIT_USAGE;
	}
	int64_t now_us = 0;
	int64_t until_us = 0;
	int64_t every_s = 0;
	const char *reason = NULL;
	if (args.now != NULL && (!once || !parse_now(command, args.now, &now_us))) {
		if (!once)
			cli_output_eprintf("piculet %s: --now is for piculet tick\n", command);
		return CLI_EXIT_USAGE;
	}
	if (once && args.serve != NULL) {
		cli_output_eprintf("piculet %s: --serve is for piculet run\n", command);
		return CLI_EXIT_USAGE;
	}
	if ((args.until != NULL) != (args.every != NULL) ||
	    (args.until != NULL && args.now == NULL)) {
		cli_output_eprintf("piculet %s: --until and --every go together, with --now\n",
		                   command);
		return CLI_EXIT_USAGE;
	}
	if (args.until != NULL && (!parse_now(command, args.until, &until_us) ||
	                           !engine_duration_parse(args.every, &every_s, &reason) ||
	                           every_s < 1 || until_us < now_us)) {
		cli_output_eprintf(
		        "piculet %s: --until after --now, --every like 2m, at least 1s\n", command);
		return CLI_EXIT_USAGE;
	}
	int code = CLI_EXIT_OK;
	/* tick too: SIGTERM ends the pass after the message in flight (or
	 * abandons it before its final dot), never in the middle of it. */
	if (!(once ? cli_signal_install_stop() : cli_signal_install_reload())) {
		cli_output_eprintf("piculet %s: cannot install signal handlers\n", command);
		return CLI_EXIT_SOFTWARE;
	}
	/* With --now, rows the store stamps get the simulated time too; a
	 * stop cuts the store's waits on a silent server short. */
	StoreSettings settings = {.clock = args.now != NULL ? fixed_clock : NULL,
	                          .clock_data = &now_us,
	                          .stop_fd = cli_signal_get_stop_fd()};
	g_autoptr(Store) store = cli_options_open_store_with(command, args.db, &settings, &code);
	if (store == NULL)
		return code;
	g_autoptr(GError) error = NULL;
	g_autofree char *node = NULL;
	if (!take_place(command, store, args.db, &node, &code) ||
	    !seal_key_checked(command, store, &code))
		return code;
	NetTlsOptions tls_options = {.ca_file = args.ca_file};
	g_autoptr(NetTls) tls = net_tls_new(&tls_options, &error);
	if (tls == NULL) {
		cli_output_eprintf("piculet %s: %s\n", command, error->message);
		return CLI_EXIT_CONFIG;
	}
	EngineGuardRules guards = engine_guard_default;
	if (!configured_guards(command, &guards))
		return CLI_EXIT_CONFIG;
	EngineRunOptions options = {.tls = tls,
	                            .guards = &guards,
	                            .ca_file = args.ca_file,
	                            .clock = args.now != NULL ? fixed_clock : NULL,
	                            .clock_data = &now_us,
	                            .seed = (guint32)args.seed,
	                            .workers = (guint)args.workers,
	                            .node = node,
	                            .lease_us = cli_config_get_number(cli_config_current(),
	                                                              CLI_CONFIG_LEASE,
	                                                              ENGINE_RUN_DEFAULT_LEASE_S) *
	                                        G_USEC_PER_SEC,
	                            .stop_fd = cli_signal_get_stop_fd()};
	/* run --serve: the API and the webhooks beside the engine, in one
	 * process (their own connections to the same database). */
	/* Before serving: the API stops before the gauges go. */
	g_auto(RunGauges) gauges = {.workers = (guint)args.workers};
	g_mutex_init(&gauges.lock);
	g_auto(CliServing) serving = {0};
	CliServeSettings serve_settings = {.ca_file = args.ca_file,
	                                   .rate_per_minute = CLI_SERVE_RATE_LIMIT,
	                                   .engine_metrics = read_gauges,
	                                   .engine_metrics_data = &gauges};
	if (args.serve != NULL &&
	    !cli_serve_start(store, args.serve, &serve_settings, &serving, &code))
		return code;
	g_autoptr(EngineRun) run = engine_run_new(store, &options);
	set_gauges_run(&gauges, run);
	__attribute__((cleanup(unlink_gauges))) RunGauges *linked = &gauges;
	(void)linked;
	EngineTickSummary total = {0};
	RunService service = {.poll_s = args.poll_s,
	                      .poll_from_flag = cli_options_given(argc, argv, "poll"),
	                      .trace = args.trace,
	                      .watchdog_us = base_notify_watchdog_us()};
	if (!once)
		base_notify_send("READY=1\nSTATUS=running");
	for (;;) {
		EngineTickSummary summary;
		if (!once) {
			if (!engine_run_dispatch(run, &error)) {
				cli_output_eprintf("piculet %s: %s\n", command, error->message);
				return cli_exit_of_error(error);
			}
			bool news = false;
			/* Wakes when something falls due, not only every --poll. */
			if (!engine_run_wait(run, service_wait_ms(&service),
			                     cli_signal_get_wake_fd(), &news, &error)) {
				cli_output_eprintf("piculet %s: %s\n", command, error->message);
				return cli_exit_of_error(error);
			}
			if (cli_signal_stop_requested()) {
				base_notify_send("STOPPING=1");
				g_message("stopping: signal received");
				return release_leases(command, run);
			}
			if (cli_signal_reload_requested())
				service_reload(&service);
			service_keep_alive(&service);
			continue;
		}
		if (!engine_run_pass(run, &summary, &error)) {
			cli_output_eprintf("piculet %s: %s\n", command, error->message);
			return cli_exit_of_error(error);
		}
		engine_run_summary_add(&total, &summary);
		if (cli_signal_stop_requested()) {
			g_message("stopping: signal received");
			print_summary(&total, args.json);
			return release_leases(command, run);
		}
		if (until_us > 0 && now_us + every_s * G_USEC_PER_SEC <= until_us) {
			now_us += every_s * G_USEC_PER_SEC;
			continue;
		}
		print_summary(&total, args.json);
		return release_leases(command, run);
	}
}

int
cli_run_run(int argc, char **argv)
{
	return run_engine("run", argc, argv, false);
}

int
cli_run_tick(int argc, char **argv)
{
	return run_engine("tick", argc, argv, true);
}

/* "2 paused (the first resumes at T: auto-reply: back on 2026-12-10), 1
 * uncertain (a person must look: ...)", or "" when nothing waits. */
static char *
describe_waiting(const AppMailboxStatus *status)
{
	GString *text = g_string_new(NULL);
	const StoreEnrollment *paused = status->first_paused;
	const StoreEnrollment *uncertain = status->first_uncertain;
	if (paused != NULL && paused->next_due_at == ENGINE_ENROLLMENT_HELD) {
		g_string_append_printf(text, "%u paused (%s held until a person looks: %s)",
		                       status->n_paused, paused->email,
		                       paused->reason != NULL ? paused->reason : "");
	} else if (paused != NULL) {
		g_autofree char *until = cli_output_time(paused->next_due_at);
		g_string_append_printf(text, "%u paused (%s resumes at %s: %s)", status->n_paused,
		                       paused->email, until,
		                       paused->reason != NULL ? paused->reason : "");
	}
	if (uncertain != NULL)
		g_string_append_printf(text, "%s%u uncertain, waiting for a person (%s: %s)",
		                       text->len > 0 ? ", " : "", status->n_uncertain,
		                       uncertain->email,
		                       uncertain->reason != NULL ? uncertain->reason : "");
	return g_string_free(text, FALSE);
}

/* Why the mailbox sends or does not, in words. */
static char *
describe_activity(const AppMailboxStatus *status)
{
	const StoreMailbox *m = status->mailbox;
	switch (status->activity) {
	case APP_MAILBOX_PAUSED: {
		g_autofree char *until = cli_output_time(m->paused_until);
		return g_strdup_printf("paused: %s (until %s)", m->paused_reason,
		                       m->paused_until > 0 ? until : "resumed by hand");
	}
	case APP_MAILBOX_CAPPED:
		if (status->ramp_day > 0)
			return g_strdup_printf("ramping up: day %u's %u sent (cap %d)",
			                       status->ramp_day, status->day_cap, m->daily_cap);
		return g_strdup_printf("daily cap of %d reached", m->daily_cap);
	case APP_MAILBOX_PACING:
		return g_strdup("waiting for its interval");
	case APP_MAILBOX_SENDING:
		return g_strdup("sending: steps are due now");
	case APP_MAILBOX_WAITING: {
		g_autofree char *when = cli_output_time(status->next_due_at);
		return g_strdup_printf("waiting: the next step is due at %s (delays and windows)",
		                       when);
	}
	case APP_MAILBOX_FROZEN: {
		g_autofree char *until = cli_output_time(m->freeze_until);
		return g_strdup_printf("frozen until %s (its mail is still read)", until);
	}
	case APP_MAILBOX_IDLE:
		break;
	}
	return g_strdup("idle: nothing to send");
}

int
cli_run_status(int argc, char **argv)
{
	g_auto(RunArgs) args = {0};
	if (!parse("status", argc, argv, &args))
		return CLI_EXIT_USAGE;
	int64_t now_us = g_get_real_time();
	if (args.now != NULL && !parse_now("status", args.now, &now_us))
		return CLI_EXIT_USAGE;
	int code = CLI_EXIT_OK;
	g_autoptr(Store) store = cli_options_open_store("status", args.db, &code);
	if (store == NULL)
		return code;
	g_autoptr(GError) error = NULL;
	g_autoptr(GPtrArray) statuses = app_status_mailboxes(store, now_us, &error);
	g_autoptr(GPtrArray) campaigns =
	        statuses != NULL ? store_campaign_list(store, &error) : NULL;
	if (campaigns == NULL) {
		cli_output_eprintf("piculet status: %s\n", error->message);
		return cli_exit_of_error(error);
	}
	g_autoptr(GString) line = g_string_new(NULL);
	for (guint i = 0; i < statuses->len; i++) {
		const AppMailboxStatus *status = statuses->pdata[i];
		const StoreMailbox *m = status->mailbox;
		g_autofree char *why = describe_activity(status);
		g_autofree char *waiting = describe_waiting(status);
		if (waiting[0] != '\0') {
			/* "idle" would hide what waits: name it and until when. */
			bool idle = status->activity == APP_MAILBOX_IDLE;
			g_autofree char *both = g_strdup_printf("%s%s%s", idle ? "" : why,
			                                        idle ? "waiting: " : "; ", waiting);
			g_free(why);
			why = g_steal_pointer(&both);
		}
		g_autofree char *next = cli_output_time(m->next_send_at);
		if (args.json) {
			g_string_assign(line, "{");
			base_json_append_member_string(line, "mailbox", m->address);
			base_json_append_member_string(line, "state", why);
			base_json_append_member_uint(line, "sent_today", status->sent_today);
			base_json_append_member_uint(line, "day_cap", status->day_cap);
			base_json_append_member_uint(line, "ramp_day", status->ramp_day);
			base_json_append_member_uint(line, "complaints_30d",
			                             status->complaints_30d);
			base_json_append_member_string(line, "next_send_at", next);
			if (status->engine != NULL)
				base_json_append_member_string(line, "engine", status->engine);
			if (status->last_error_at != 0) {
				g_autofree char *at = cli_output_time(status->last_error_at);
				base_json_append_member_string(line, "last_error_at", at);
				base_json_append_member_string(line, "last_error",
				                               status->last_error);
			}
			g_string_append(line, "}");
			printf("%s\n", line->str);
		} else {
			g_autofree char *complaints =
			        status->complaints_30d > 0
			                ? g_strdup_printf("; %u spam complaint(s) in 30 days",
			                                  status->complaints_30d)
			                : g_strdup("");
			g_autofree char *engine =
			        status->engine != NULL
			                ? g_strdup_printf("; worked by %s", status->engine)
			                : g_strdup("");
			cli_output_printf("%s: %s; %u sent today%s; not before %s%s\n", m->address,
			                  why, status->sent_today, complaints, next, engine);
			/* A pause says its own reason above; an earlier trouble is
			 * worth a line while it is recent. */
			if (status->last_error_at != 0 && m->paused_reason == NULL) {
				g_autofree char *at = cli_output_time(status->last_error_at);
				cli_output_printf("  last error %s: %s\n", at, status->last_error);
			}
		}
	}
	for (guint i = 0; !args.json && i < campaigns->len; i++) {
		const StoreCampaign *c = campaigns->pdata[i];
		cli_output_printf("campaign %s (%s): %" G_GUINT64_FORMAT
		                  " enrolled, %" G_GUINT64_FORMAT " in progress, %" G_GUINT64_FORMAT
		                  " sent, %" G_GUINT64_FORMAT " replied, %" G_GUINT64_FORMAT
		                  " uncertain%s%s\n",
		                  c->name, c->state, c->n_enrolled, c->n_active, c->n_sent,
		                  c->n_replied, c->n_uncertain,
		                  c->guard != NULL && c->guard[0] != '\0' ? "; paused by its " : "",
		                  c->guard != NULL ? c->guard : "");
	}
	return CLI_EXIT_OK;
}

static double
rate(guint64 part, guint64 whole)
{
	return whole > 0 ? 100.0 * (double)part / (double)whole : 0.0;
}

/* What the replies meant: "replies by intent: later 3, interested 2". */
static void
print_intents(const GPtrArray *counts, bool json)
{
	g_autoptr(GString) line = g_string_new(json ? "{\"intents\":{" : "replies by intent:");
	for (guint i = 0; i < counts->len; i++) {
		const StoreCount *count = counts->pdata[i];
		if (json) {
			if (i > 0)
				g_string_append_c(line, ',');
			base_json_append_string(line, count->name);
			g_string_append_printf(line, ":%" G_GUINT64_FORMAT, count->n);
		} else {
			g_string_append_printf(line, "%s %s %" G_GUINT64_FORMAT, i > 0 ? "," : "",
			                       count->name, count->n);
		}
	}
	if (json)
		g_string_append(line, "}}");
	else if (counts->len == 0)
		g_string_append(line, " none yet");
	if (json)
		printf("%s\n", line->str);
	else
		cli_output_printf("%s\n", line->str);
}

/* The winner of step @step among @winners, or NULL. */
static const StoreWinner *
winner_of(const GArray *winners, int step)
{
	for (guint i = 0; i < winners->len; i++)
		if (g_array_index(winners, StoreWinner, i).step == step)
			return &g_array_index(winners, StoreWinner, i);
	return NULL;
}

/* Each variant of the steps that have them, and the winners with why. */
static void
print_variants(const GArray *variants, const GArray *winners, bool json)
{
	if (!json && variants->len > 0)
		cli_output_printf("variants   sent    replied  bounced  opted-out\n");
	for (guint i = 0; i < variants->len; i++) {
		const StoreVariantReport *v = &g_array_index(variants, StoreVariantReport, i);
		const StoreWinner *w = winner_of(winners, v->step);
		bool won = w != NULL && w->variant == v->variant;
		char letter = engine_campaign_variant_letter(v->variant);
		if (json) {
			printf("{\"step\":%d,\"variant\":\"%c\",\"sent\":%" G_GUINT64_FORMAT
			       ",\"replied\":%" G_GUINT64_FORMAT ",\"bounced\":%" G_GUINT64_FORMAT
			       ",\"opted_out\":%" G_GUINT64_FORMAT
			       ",\"reply_rate\":%.1f,\"winner\":%s}\n",
			       v->step, letter, v->sent, v->replied, v->bounced, v->opted_out,
			       rate(v->replied, v->sent), won ? "true" : "false");
			continue;
		}
		cli_output_printf("%d %c %9" G_GUINT64_FORMAT " %5" G_GUINT64_FORMAT
		                  " (%4.1f%%) %6" G_GUINT64_FORMAT " %10" G_GUINT64_FORMAT "%s\n",
		                  v->step, letter, v->sent, v->replied, rate(v->replied, v->sent),
		                  v->bounced, v->opted_out, won ? "  winner" : "");
	}
	for (guint i = 0; !json && i < winners->len; i++) {
		const StoreWinner *w = &g_array_index(winners, StoreWinner, i);
		g_autoptr(GDateTime) at =
		        g_date_time_new_from_unix_utc(w->decided_at / G_USEC_PER_SEC);
		g_autofree char *when = g_date_time_format(at, "%Y-%m-%d %H:%M UTC");
		cli_output_printf("step %d: %s (picked %s; only %c is sent since)\n", w->step,
		                  w->detail, when, engine_campaign_variant_letter(w->variant));
	}
}

int
cli_run_report(int argc, char **argv)
{
	g_auto(RunArgs) args = {0};
	if (argc < 2 || argv[1][0] == '-') {
		fputs(cli_run_report_usage, stderr);
		return CLI_EXIT_USAGE;
	}
	const char *name = argv[1];
	argv[1] = argv[0];
	if (!parse("report", argc - 1, argv + 1, &args))
		return CLI_EXIT_USAGE;
	int code = CLI_EXIT_OK;
	g_autoptr(Store) store = cli_options_open_store("report", args.db, &code);
	if (store == NULL)
		return code;
	g_autoptr(GError) error = NULL;
	g_autoptr(StoreCampaign) campaign = NULL;
	g_autoptr(GArray) report = app_campaign_report(store, name, &campaign, &error);
	if (report == NULL) {
		cli_output_eprintf("piculet report: %s\n", error->message);
		return cli_exit_of_error(error);
	}
	/* Opens and clicks are columns of a campaign that tracks them. */
	g_autoptr(EngineCampaign) parsed = engine_campaign_parse(
	        campaign->definition, strlen(campaign->definition), campaign->name, NULL);
	bool tracked = parsed != NULL && (parsed->track_opens || parsed->track_clicks);
	if (!args.json)
		cli_output_printf(
		        "campaign %s (%s)\nstep       sent    replied  auto-replied  bounced  "
		        "opted-out  "
		        "uncertain%s\n",
		        campaign->name, campaign->state, tracked ? "     opened    clicked" : "");
	for (guint i = 0; i < report->len; i++) {
		const StoreStepReport *r = &g_array_index(report, StoreStepReport, i);
		if (args.json) {
			printf("{\"step\":%d,\"sent\":%" G_GUINT64_FORMAT
			       ",\"replied\":%" G_GUINT64_FORMAT
			       ",\"auto_replied\":%" G_GUINT64_FORMAT
			       ",\"bounced\":%" G_GUINT64_FORMAT ",\"opted_out\":%" G_GUINT64_FORMAT
			       ",\"uncertain\":%" G_GUINT64_FORMAT ",\"opened\":%" G_GUINT64_FORMAT
			       ",\"clicked\":%" G_GUINT64_FORMAT ",\"reply_rate\":%.1f}\n",
			       r->step, r->sent, r->replied, r->auto_replied, r->bounced,
			       r->opted_out, r->uncertain, r->opened, r->clicked,
			       rate(r->replied, r->sent));
			continue;
		}
		cli_output_printf("%-6d %8" G_GUINT64_FORMAT " %5" G_GUINT64_FORMAT
		                  " (%4.1f%%) %6" G_GUINT64_FORMAT " %10" G_GUINT64_FORMAT
		                  " %10" G_GUINT64_FORMAT " %10" G_GUINT64_FORMAT,
		                  r->step, r->sent, r->replied, rate(r->replied, r->sent),
		                  r->auto_replied, r->bounced, r->opted_out, r->uncertain);
		if (tracked)
			cli_output_printf(" %5" G_GUINT64_FORMAT " (%3.0f%%) %4" G_GUINT64_FORMAT
			                  " (%3.0f%%)",
			                  r->opened, rate(r->opened, r->sent), r->clicked,
			                  rate(r->clicked, r->sent));
		cli_output_printf("\n");
	}
	g_autoptr(GArray) winners = NULL;
	g_autoptr(GArray) variants = app_campaign_variants(store, name, &winners, &error);
	if (variants == NULL) {
		cli_output_eprintf("piculet report: %s\n", error->message);
		return cli_exit_of_error(error);
	}
	print_variants(variants, winners, args.json);
	g_autoptr(GPtrArray) counts = app_campaign_intents(store, name, &error);
	if (counts == NULL) {
		cli_output_eprintf("piculet report: %s\n", error->message);
		return cli_exit_of_error(error);
	}
	print_intents(counts, args.json);
	return CLI_EXIT_OK;
}

/* A reply's members in --json output (its time under @time_key). */
static void
append_reply_members(GString *line, const StoreReply *r, const char *time_key, const char *when)
{
	base_json_append_member_uint(line, "id", (uint64_t)r->id);
	base_json_append_member_string(line, "campaign", r->campaign);
	base_json_append_member_string(line, "prospect", r->email);
	base_json_append_member_string(line, "from", r->from_address);
	base_json_append_member_string(line, "class", r->klass);
	base_json_append_member_string(line, time_key, when);
	base_json_append_member_string(line, "subject", r->subject);
	base_json_append_member_string(line, "text", r->reply_text);
	if (r->intent[0] != '\0')
		base_json_append_member_string(line, "intent", r->intent);
	if (r->intent_date[0] != '\0')
		base_json_append_member_string(line, "date", r->intent_date);
	if (r->referral[0] != '\0')
		base_json_append_member_string(line, "referral", r->referral);
	base_json_append_key(line, "needs_review");
	g_string_append(line, r->needs_review ? "true" : "false");
}

/* ", later until 2027-04-01", ", needs review": what a reply means, for people. */
static char *
describe_intent(const StoreReply *r)
{
	GString *out = g_string_new(NULL);
	if (r->intent[0] != '\0')
		g_string_append_printf(out, ", %s", r->intent);
	if (r->intent_date[0] != '\0')
		g_string_append_printf(out, " until %s", r->intent_date);
	if (r->referral[0] != '\0')
		g_string_append_printf(out, ": ask %s", r->referral);
	if (r->needs_review && strcmp(r->intent, "needs_review") != 0)
		g_string_append(out, ", needs review");
	return g_string_free(out, FALSE);
}

/* replies thread ID: the conversation by time. */
static int
replies_thread(int64_t id, const RunArgs *args, Store *store)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(AppReplyThread) thread = app_reply_thread(store, id, &error);
	if (thread == NULL) {
		cli_output_eprintf("piculet replies: %s\n", error->message);
		return cli_exit_of_error(error);
	}
	g_autoptr(GString) line = g_string_new(NULL);
	for (guint i = 0; i < thread->turns->len; i++) {
		const AppReplyTurn *turn = &g_array_index(thread->turns, AppReplyTurn, i);
		g_autofree char *when = cli_output_time(turn->at);
		const StoreMessage *m = turn->sent;
		const StoreReply *in = turn->received;
		if (m != NULL && args->json) {
			g_string_assign(line, "{\"direction\":\"sent\"");
			base_json_append_member_uint(line, "step", (uint64_t)m->step);
			base_json_append_member_string(line, "subject", m->subject);
			base_json_append_member_string(line, "state", m->state);
			base_json_append_member_string(line, "at", when);
			g_string_append(line, "}");
			printf("%s\n", line->str);
		} else if (m != NULL) {
			cli_output_printf("%s  sent step %d (%s): %s\n", when, m->step, m->state,
			                  m->subject != NULL ? m->subject : "");
		} else if (in != NULL && args->json) {
			g_string_assign(line, "{\"direction\":\"received\"");
			append_reply_members(line, in, "at", when);
			g_string_append(line, "}");
			printf("%s\n", line->str);
		} else if (in != NULL) {
			g_autofree char *meaning = describe_intent(in);
			cli_output_printf("%s  #%" G_GINT64_FORMAT " from %s (%s%s)\n  %s\n", when,
			                  in->id, in->from_address, in->klass, meaning,
			                  in->reply_text);
		}
	}
	return CLI_EXIT_OK;
}

/* "thread ID" / "mark ID INTENT" when @argv says so: *@id set. */
static bool
replies_action(int argc, char **argv, const char *action, int64_t *id)
{
	guint64 value = 0;
	if (argc < 3 || strcmp(argv[1], action) != 0 ||
	    !g_ascii_string_to_unsigned(argv[2], 10, 1, G_MAXINT64, &value, NULL))
		return false;
	*id = (int64_t)value;
	return true;
}

int
cli_run_replies(int argc, char **argv)
{
	g_auto(RunArgs) args = {0};
	const char *name = NULL;
	int64_t id = 0;
	bool thread = replies_action(argc, argv, "thread", &id);
	bool mark = !thread && replies_action(argc, argv, "mark", &id);
	const char *intent = NULL;
	if (mark && (argc < 4 || argv[3][0] == '-')) {
		fputs(cli_run_replies_usage, stderr);
		return CLI_EXIT_USAGE;
	}
	if (thread || mark) {
		intent = mark ? argv[3] : NULL;
		int skip = mark ? 3 : 2;
		argv[skip] = argv[0];
		argc -= skip;
		argv += skip;
	}
	if (argc >= 2 && argv[1][0] != '-') {
		name = argv[1];
		argv[1] = argv[0];
		argc--;
		argv++;
	}
	if (!parse("replies", argc, argv, &args))
		return CLI_EXIT_USAGE;
	int code = CLI_EXIT_OK;
	g_autoptr(Store) store = cli_options_open_store("replies", args.db, &code);
	if (store == NULL)
		return code;
	g_autoptr(GError) error = NULL;
	if (thread)
		return replies_thread(id, &args, store);
	if (mark) {
		if (!app_reply_mark(store, id, intent, &error)) {
			cli_output_eprintf("piculet replies: %s\n", error->message);
			return cli_exit_of_error(error);
		}
		cli_output_printf("reply #%" G_GINT64_FORMAT ": %s\n", id, intent);
		return CLI_EXIT_OK;
	}
	g_autoptr(GPtrArray) replies =
	        app_campaign_replies(store, name, args.intent, NULL, 0, 0, &error);
	if (replies == NULL) {
		cli_output_eprintf("piculet replies: %s\n", error->message);
		return cli_exit_of_error(error);
	}
	g_autoptr(GString) line = g_string_new(NULL);
	for (guint i = 0; i < replies->len; i++) {
		const StoreReply *r = replies->pdata[i];
		g_autofree char *when = cli_output_time(r->received_at);
		if (args.json) {
			g_string_assign(line, "{");
			append_reply_members(line, r, "received_at", when);
			g_string_append(line, "}");
			printf("%s\n", line->str);
		} else {
			g_autofree char *meaning = describe_intent(r);
			cli_output_printf("%s  #%" G_GINT64_FORMAT "  %s  %s (%s%s)%s%s\n  %s\n\n",
			                  when, r->id, r->campaign, r->from_address, r->klass,
			                  meaning,
			                  strcmp(r->from_address, r->email) != 0 ? " for " : "",
			                  strcmp(r->from_address, r->email) != 0 ? r->email : "",
			                  r->reply_text);
		}
	}
	return CLI_EXIT_OK;
}
