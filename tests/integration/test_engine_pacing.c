/*
 * Pacing and windows over a simulated week, against the mail lab: two
 * campaigns share one mailbox; prospects in Berlin and New York; Europe
 * changes to summer time in the middle. The engine runs in this process
 * with a clock the test moves (a pass every 10 simulated minutes), and the
 * record of what was sent is checked against the rules: never two sends
 * of the mailbox closer than the interval, never outside the prospect's
 * window, never more openings a day than the limit, never more than the
 * mailbox's cap, and follow-ups before openings.
 */
#include "engine/engine_run.h"
#include "helpers/test_lab.h"
#include "helpers/test_pg.h"
#include "store/store.h"

#include <string.h>

#define INTERVAL_MIN_S 1200
#define DAILY_LIMIT    4
#define DAILY_CAP      12

static int64_t clock_now;

static int64_t
test_clock(void *user_data)
{
	return clock_now;
}

static int64_t
utc(int y, int mo, int d, int h, int mi)
{
	g_autoptr(GDateTime) t = g_date_time_new_utc(y, mo, d, h, mi, 0);
	return g_date_time_to_unix(t) * G_USEC_PER_SEC;
}

/* Mon-Fri 09:00-17:00 in @zone_name: what the campaigns say, checked here
 * by other means than the engine's. */
static bool
in_window(const char *zone_name, int64_t at_us)
{
	g_autoptr(GTimeZone) zone = g_time_zone_new_identifier(zone_name);
	g_autoptr(GDateTime) t = g_date_time_new_from_unix_utc(at_us / G_USEC_PER_SEC);
	g_autoptr(GDateTime) local = g_date_time_to_timezone(t, zone);
	int weekday = g_date_time_get_day_of_week(local);
	int minute = g_date_time_get_hour(local) * 60 + g_date_time_get_minute(local);
	return weekday <= 5 && minute >= 9 * 60 && minute < 17 * 60;
}

static char *
local_day(const char *zone_name, int64_t at_us)
{
	g_autoptr(GTimeZone) zone = g_time_zone_new_identifier(zone_name);
	g_autoptr(GDateTime) t = g_date_time_new_from_unix_utc(at_us / G_USEC_PER_SEC);
	g_autoptr(GDateTime) local = g_date_time_to_timezone(t, zone);
	return g_date_time_format(local, "%Y-%m-%d");
}

typedef struct {
	const char *email;
	const char *zone;
	const char *campaign;
} Prospect;

static const Prospect prospects[] = {
        {"carol@prospect.test", "Europe/Berlin", "A"},
        {"dave@prospect.test", "America/New_York", "A"},
        {"erin@prospect.test", "Europe/Berlin", "A"},
        {"frank@prospect.test", "America/New_York", "A"},
        {"grace@prospect.test", "Europe/Berlin", "A"},
        {"heidi@prospect.test", "Europe/Berlin", "A"},
        {"ivan@prospect.test", "America/New_York", "A"},
        {"judy@prospect.test", "Europe/Berlin", "A"},
        {"ken@prospect.test", "Europe/Berlin", "B"},
        {"liz@prospect.test", "America/New_York", "B"},
        {"mallory@prospect.test", "Europe/Berlin", "B"},
        {"nina@prospect.test", "Europe/Berlin", "B"},
        {"oscar@prospect.test", "America/New_York", "B"},
        {"peggy@prospect.test", "Europe/Berlin", "B"},
};

static const Prospect *
prospect_of(const char *email)
{
	for (gsize i = 0; i < G_N_ELEMENTS(prospects); i++)
		if (strcmp(prospects[i].email, email) == 0)
			return &prospects[i];
	g_assert_not_reached();
}

static void
create_campaign(Store *store, const char *name, int n_steps, const char *token)
{
	g_autoptr(GError) error = NULL;
	GString *yaml = g_string_new(NULL);
	g_string_append_printf(
	        yaml,
	        "name: %s\nmailboxes: [bob@sender.test]\ntimezone: Europe/Berlin\n"
	        "use_prospect_timezone: true\nwindow: mon-fri 09:00-17:00\ndomain_caps: off\n"
	        "interval: 20m-40m\ndaily_limit: %d\nsteps:\n",
	        name, DAILY_LIMIT);
	StoreStepInput steps[3];
	for (int i = 0; i < n_steps; i++) {
		if (i == 0)
			g_string_append_printf(yaml, "  - subject: \"%s %s\"\n", name, token);
		else
			g_string_append(yaml, "  - delay: 1d\n");
		g_string_append_printf(yaml, "    body: \"step %d {{first_name}}\"\n", i + 1);
		steps[i] = (StoreStepInput){i == 0 ? "s" : NULL, "b", i == 0 ? 0 : 86400};
	}
	const char *mailboxes[] = {"bob@sender.test"};
	StoreCampaignInput input = {.name = name,
	                            .definition = yaml->str,
	                            .steps = steps,
	                            .n_steps = (gsize)n_steps,
	                            .mailboxes = mailboxes,
	                            .n_mailboxes = 1};
	int64_t id = 0;
	g_assert_true(store_campaign_create(store, &input, &id, &error));
	g_string_free(yaml, TRUE);
	bool found = false;
	g_assert_true(store_campaign_set_state(store, name, "running", &found, &error));
	for (gsize i = 0; i < G_N_ELEMENTS(prospects); i++) {
		if (strcmp(prospects[i].campaign, name) != 0)
			continue;
		StoreProspectInput p = {.email = prospects[i].email,
		                        .first_name = "P",
		                        .timezone = prospects[i].zone};
		StoreProspectResult result;
		g_assert_true(store_prospect_put(store, &p, &result, &error));
		StoreEnrollResult enrolled;
		g_assert_true(store_enrollment_add(store, id, prospects[i].email, true, &enrolled,
		                                   &error));
		g_assert_cmpint(enrolled, ==, STORE_ENROLL_ADDED);
	}
}

typedef struct {
	int64_t at;
	int step;
	const char *email;
	const char *campaign;
} Sent;

static gint
by_time(gconstpointer a, gconstpointer b)
{
	const Sent *x = a;
	const Sent *y = b;
	return x->at < y->at ? -1 : x->at > y->at;
}

static void
test_week(void)
{
	const TestLab *lab = test_lab_get();
	g_autoptr(GError) error = NULL;
	g_autofree char *dir = g_dir_make_tmp("piculet-pacing-XXXXXX", NULL);
	g_autofree char *db = test_pg_store_location(dir, "piculet");
	g_autofree char *token = g_uuid_string_random();
	g_autoptr(Store) store = store_open(db, &error);
	g_assert_no_error(error);
	g_setenv("LAB_PW", lab->password, TRUE);
	StoreMailboxInput bob = {.address = "bob@sender.test",
	                         .display_name = "Bob",
	                         .smtp_host = "127.0.0.1",
	                         .smtp_port = lab->submission_port,
	                         .smtp_security = "starttls",
	                         .smtp_user = "bob@sender.test",
	                         .imap_host = "127.0.0.1",
	                         .imap_port = lab->imaps_port,
	                         .imap_security = "tls",
	                         .imap_user = "bob@sender.test",
	                         .secret_source = "env:LAB_PW",
	                         .daily_cap = DAILY_CAP,
	                         .interval_min_s = 60,
	                         .interval_max_s = 60};
	g_assert_true(store_mailbox_add(store, &bob, NULL, &error));
	create_campaign(store, "A", 3, token);
	create_campaign(store, "B", 2, token);

	NetTlsOptions tls_options = {.ca_file = lab->ca_file};
	g_autoptr(NetTls) tls = net_tls_new(&tls_options, &error);
	EngineRunOptions options = {.tls = tls, .clock = test_clock, .seed = 42};
	/* Wednesday 24 March 2027 to Wednesday 31 March; Europe moves to
	 * summer time on Sunday the 28th. */
	int64_t end = utc(2027, 3, 31, 23, 0);
	guint passes = 0;
	g_autoptr(EngineRun) run = engine_run_new(store, &options);
	for (clock_now = utc(2027, 3, 24, 0, 0); clock_now < end;
	     clock_now += (int64_t)600 * G_USEC_PER_SEC) {
		EngineTickSummary summary;
		if (!engine_run_pass(run, &summary, &error))
			g_error("pass at %" G_GINT64_FORMAT ": %s", clock_now, error->message);
		g_assert_cmpuint(summary.mailboxes_paused, ==, 0);
		passes++;
	}

	/* What was sent, in order. */
	g_autoptr(GArray) sent = g_array_new(FALSE, TRUE, sizeof(Sent));
	const char *names[] = {"A", "B"};
	for (gsize c = 0; c < G_N_ELEMENTS(names); c++) {
		g_autoptr(StoreCampaign) campaign = store_campaign_get(store, names[c], &error);
		g_autoptr(GPtrArray) enrollments =
		        store_enrollment_list(store, campaign->id, 0, &error);
		for (guint i = 0; i < enrollments->len; i++) {
			const StoreEnrollment *e = enrollments->pdata[i];
			g_autoptr(GPtrArray) messages =
			        store_message_list_for_enrollment(store, e->id, &error);
			for (guint k = 0; k < messages->len; k++) {
				const StoreMessage *m = messages->pdata[k];
				g_assert_cmpstr(m->state, ==, "sent");
				Sent s = {m->sent_at, m->step, prospect_of(e->email)->email,
				          names[c]};
				g_array_append_val(sent, s);
			}
			/* Everyone got everything within the week. */
			g_assert_cmpstr(e->state, ==, "completed");
		}
	}
	g_array_sort(sent, by_time);
	g_assert_cmpuint(sent->len, ==, 8 * 3 + 6 * 2);
	g_autoptr(GHashTable) openings =
	        g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	g_autoptr(GHashTable) per_day =
	        g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	for (guint i = 0; i < sent->len; i++) {
		const Sent *s = &g_array_index(sent, Sent, i);
		const Prospect *p = prospect_of(s->email);
		/* Inside the prospect's own window, summer time or not. */
		if (!in_window(p->zone, s->at))
			g_error("%s step %d sent outside its window", s->email, s->step);
		/* The pause between two sends of the mailbox. */
		if (i > 0) {
			const Sent *before = &g_array_index(sent, Sent, i - 1);
			g_assert_cmpint(s->at - before->at, >=,
			                (int64_t)INTERVAL_MIN_S * G_USEC_PER_SEC);
		}
		/* Openings per campaign per (Berlin) day, and the mailbox's cap
		 * per UTC day. */
		g_autofree char *day = local_day("Europe/Berlin", s->at);
		if (s->step == 1) {
			char *key = g_strdup_printf("%s %s", s->campaign, day);
			guint n = GPOINTER_TO_UINT(g_hash_table_lookup(openings, key)) + 1;
			g_assert_cmpuint(n, <=, DAILY_LIMIT);
			g_hash_table_insert(openings, key, GUINT_TO_POINTER(n));
		}
		char *utc_day = local_day("UTC", s->at);
		guint n = GPOINTER_TO_UINT(g_hash_table_lookup(per_day, utc_day)) + 1;
		g_assert_cmpuint(n, <=, DAILY_CAP);
		g_hash_table_insert(per_day, utc_day, GUINT_TO_POINTER(n));
		/* Follow-ups first: no opening went while a follow-up that could
		 * go (due, its window open) waited. */
		if (s->step != 1)
			continue;
		for (guint j = 0; j < sent->len; j++) {
			const Sent *f = &g_array_index(sent, Sent, j);
			if (f->step == 1 || f->at <= s->at)
				continue;
			int64_t previous = 0;
			for (guint k = 0; k < sent->len; k++) {
				const Sent *q = &g_array_index(sent, Sent, k);
				if (strcmp(q->email, f->email) == 0 && q->step == f->step - 1)
					previous = q->at;
			}
			int64_t due = previous + (int64_t)86400 * G_USEC_PER_SEC;
			if (due <= s->at && in_window(prospect_of(f->email)->zone, s->at))
				g_error("opening to %s went before the due follow-up to %s",
				        s->email, f->email);
		}
	}
	g_test_message("%u passes, %u messages", passes, sent->len);
	g_unsetenv("LAB_PW");
	g_autofree char *command = g_strdup_printf("rm -rf '%s'", dir);
	g_spawn_command_line_sync(command, NULL, NULL, NULL, NULL);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_log_set_handler("piculet-engine", G_LOG_LEVEL_MESSAGE, g_log_default_handler, NULL);
	g_test_add_func("/engine/pacing/a-week-of-two-campaigns-on-one-mailbox", test_week);
	return g_test_run();
}
