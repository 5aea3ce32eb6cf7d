/* The guards' judgement: each rule at its edge, and the words it says. */
#include "engine/engine_campaign.h"
#include "engine/engine_content.h"
#include "engine/engine_error.h"
#include "engine/engine_guard.h"
#include "engine/engine_mailbox.h"

#include <string.h>

static char *
judge(guint contacted, guint bounced, guint in_a_row, guint sent, guint complaints)
{
	StoreGuardWindow window = {contacted, bounced, in_a_row};
	return engine_guard_judge(&engine_guard_campaign_default, &window, sent, complaints);
}

static void
test_rules_at_their_edges(void)
{
	/* Below the minimum sample, the rate waits. */
	g_assert_null(judge(19, 5, 1, 19, 0));
	/* 3 % is the limit: 1 of 34 (2.9 %) passes, 1 of 33 (3.03 %) fires. */
	g_assert_null(judge(34, 1, 0, 34, 0));
	g_autofree char *rate = judge(33, 1, 0, 33, 0);
	g_assert_nonnull(rate);
	g_assert_cmpstr(rate, ==,
	                "hard bounces: 1 of the last 33 prospects contacted (3.0 %; the limit is "
	                "3.0 %)");
	/* In a row fires before the sample is there. */
	g_autofree char *row = judge(6, 5, 5, 6, 0);
	g_assert_nonnull(strstr(row, "the last 5 prospects contacted all bounced"));
	g_assert_null(judge(6, 4, 4, 6, 0));
	/* Complaints: two at least, and 0.3 % of the messages. */
	g_assert_null(judge(50, 0, 0, 1000, 1));
	g_assert_null(judge(50, 0, 0, 1000, 2));
	g_autofree char *complaints = judge(50, 0, 0, 600, 2);
	g_assert_nonnull(strstr(complaints, "complaints: 2 for 600 messages in 30 days (0.33 %"));
}

static void
test_mailbox_net_is_wider(void)
{
	StoreGuardWindow window = {40, 10, 2};
	g_assert_null(engine_guard_judge(&engine_guard_default, &window, 40, 0));
	StoreGuardWindow enough = {50, 3, 0};
	g_autofree char *words = engine_guard_judge(&engine_guard_default, &enough, 50, 0);
	g_assert_nonnull(strstr(words, "3 of the last 50"));
}

/* A ramp: its start, a step per earlier sending day, never past the cap. */
static void
test_ramp_caps(void)
{
	StoreMailbox m = {.daily_cap = 50, .ramp_start = 10, .ramp_step = 5};
	g_assert_cmpuint(engine_mailbox_day_cap(&m, 0), ==, 10);
	g_assert_cmpuint(engine_mailbox_day_cap(&m, 3), ==, 25);
	g_assert_cmpuint(engine_mailbox_day_cap(&m, 8), ==, 50);
	g_assert_cmpuint(engine_mailbox_day_cap(&m, 4000000000U), ==, 50);
	StoreMailbox flat = {.daily_cap = 50};
	g_assert_cmpuint(engine_mailbox_day_cap(&flat, 9), ==, 50);
	StoreMailbox uncapped = {.daily_cap = 0, .ramp_start = 3, .ramp_step = 0};
	g_assert_cmpuint(engine_mailbox_day_cap(&uncapped, 100), ==, 3);
}

static EngineCampaign *
parse(const char *extra, GError **error)
{
	g_autofree char *text = g_strdup_printf("name: X\nmailboxes: [a@s.test]\n%s"
	                                        "steps:\n  - subject: s\n    body: b\n",
	                                        extra);
	return engine_campaign_parse(text, strlen(text), "x.yaml", error);
}

/* The campaign file's guards and domain caps: defaults, changes, mistakes. */
static void
test_campaign_file_keys(void)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(EngineCampaign) plain = parse("", &error);
	g_assert_no_error(error);
	g_assert_true(plain->guards_on);
	g_assert_cmpuint(plain->guards.max_bounce_permille, ==, 30);
	g_assert_cmpint(plain->domain_per_hour, ==, ENGINE_CAMPAIGN_DOMAIN_PER_HOUR);
	g_assert_cmpint(plain->domain_per_day, ==, ENGINE_CAMPAIGN_DOMAIN_PER_DAY);
	g_autoptr(EngineCampaign) changed =
	        parse("guards:\n  bounce_rate: 2.5%\n  window: 80\n  in_a_row: 0\n"
	              "  complaint_rate: 0.1%\ndomain_caps:\n  per_hour: 5\n  per_day: 0\n",
	              &error);
	g_assert_no_error(error);
	g_assert_cmpuint(changed->guards.max_bounce_permille, ==, 25);
	g_assert_cmpuint(changed->guards.window, ==, 80);
	g_assert_cmpuint(changed->guards.max_in_a_row, ==, 0);
	g_assert_cmpuint(changed->guards.max_complaint_per_100k, ==, 100);
	g_assert_cmpint(changed->domain_per_hour, ==, 5);
	g_assert_cmpint(changed->domain_per_day, ==, 0);
	g_autoptr(EngineCampaign) off = parse("guards: off\ndomain_caps: off\n", &error);
	g_assert_no_error(error);
	g_assert_false(off->guards_on);
	g_assert_cmpint(off->domain_per_hour, ==, 0);
	static const struct {
		const char *extra;
		const char *says;
	} wrong[] = {
	        {"guards: maybe\n", "guards: expected off"},
	        {"guards:\n  bounce_rate: lots\n", "bounce_rate: expected a share like"},
	        {"guards:\n  bounce_rate: 300%\n", "bounce_rate: expected a share"},
	        {"guards:\n  window: 10\n  min_contacted: 20\n", "more than the window"},
	        {"guards:\n  colour: red\n", "guards: unknown key \"colour\""},
	        {"domain_caps:\n  per_week: 3\n", "domain_caps: unknown key \"per_week\""},
	};
	for (gsize i = 0; i < G_N_ELEMENTS(wrong); i++) {
		g_clear_error(&error);
		EngineCampaign *none = parse(wrong[i].extra, &error);
		g_assert_null(none);
		g_assert_error(error, ENGINE_ERROR, ENGINE_ERROR_INPUT);
		if (strstr(error->message, wrong[i].says) == NULL)
			g_error("\"%s\" does not say \"%s\"", error->message, wrong[i].says);
	}
}

/* Holidays: the window's next open moment moves past them, in the send's
 * zone; dates are checked. */
static void
test_holidays(void)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(EngineCampaign) campaign =
	        parse("timezone: Europe/Berlin\nwindow: daily 09:00-17:00\n"
	              "holidays: [2026-12-24, 2026-12-25]\n",
	              &error);
	g_assert_no_error(error);
	g_autoptr(GTimeZone) berlin = g_time_zone_new_identifier("Europe/Berlin");
	/* 2026-12-24 10:00 in Berlin (09:00 UTC): the 26th at 09:00 Berlin. */
	g_autoptr(GDateTime) eve = g_date_time_new_utc(2026, 12, 24, 9, 0, 0);
	int64_t open = engine_campaign_next_open(campaign, berlin,
	                                         g_date_time_to_unix(eve) * G_USEC_PER_SEC);
	g_autoptr(GDateTime) expected = g_date_time_new_utc(2026, 12, 26, 8, 0, 0);
	g_assert_cmpint(open, ==, g_date_time_to_unix(expected) * G_USEC_PER_SEC);
	/* A day before: as the window says. */
	g_autoptr(GDateTime) before = g_date_time_new_utc(2026, 12, 23, 9, 0, 0);
	g_assert_cmpint(engine_campaign_next_open(campaign, berlin,
	                                          g_date_time_to_unix(before) * G_USEC_PER_SEC),
	                ==, g_date_time_to_unix(before) * G_USEC_PER_SEC);
	const char *wrong[] = {"holidays: [2026-02-30]\n", "holidays: [24.12.2026]\n",
	                       "holidays: 2026-12-24\n", "holidays: [2026-12-24x]\n", NULL};
	for (const char *const *w = wrong; *w != NULL; w++) {
		g_clear_error(&error);
		g_assert_null(parse(*w, &error));
		g_assert_error(error, ENGINE_ERROR, ENGINE_ERROR_INPUT);
		g_assert_nonnull(strstr(error->message, "holidays:"));
	}
}

static bool
warns(GPtrArray *warnings, const char *text)
{
	for (guint i = 0; i < warnings->len; i++)
		if (strstr(warnings->pdata[i], text) != NULL)
			return true;
	return false;
}

/* The preview's content check: each warning with its place; a plain,
 * short, personal email draws none. */
static void
test_content_check(void)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(EngineCampaign) plain = parse("", &error);
	g_assert_no_error(error);
	g_autoptr(GPtrArray) none = engine_content_check(plain);
	g_assert_cmpuint(none->len, ==, 0);

	GString *long_body = g_string_new(NULL);
	for (int i = 0; i < 210; i++)
		g_string_append(long_body, "word ");
	g_autofree char *text = g_strdup_printf(
	        "name: X\nmailboxes: [a@s.test]\npolicies:\n  list_unsubscribe: true\n"
	        "steps:\n"
	        "  - subject: \"A FREE OFFER FOR YOU, a very long subject line that goes on and "
	        "on\"\n"
	        "    body: |\n      Hi {{first_name}},\n      Click here: https://bit.ly/x and "
	        "https://a.test https://b.test!!\n      <img src=\"https://t.test/p.png\">\n"
	        "  - delay: 2d\n    body: \"%s\"\n",
	        long_body->str);
	g_string_free(long_body, TRUE);
	g_autoptr(EngineCampaign) loud =
	        engine_campaign_parse(text, strlen(text), "x.yaml", &error);
	g_assert_no_error(error);
	g_autoptr(GPtrArray) warnings = engine_content_check(loud);
	g_assert_true(warns(warnings, "step 1 subject:1: \"free\" is a word spam filters"));
	g_assert_true(warns(warnings, "step 1 subject:1: words in capitals"));
	g_assert_true(warns(warnings, "step 1 subject: 66 characters"));
	g_assert_true(warns(warnings, "step 1 body:2: \"click here\""));
	g_assert_true(warns(warnings, "step 1 body:2: a link shortener (bit.ly)"));
	g_assert_true(warns(warnings, "step 1 body:2: \"!!\""));
	g_assert_true(warns(warnings, "step 1 body:3: an image"));
	g_assert_true(warns(warnings, "step 1 body: 4 links"));
	g_assert_true(warns(warnings, "step 2 body: 210 words"));
	g_assert_true(warns(warnings, "asks for an unsubscribe (list_unsubscribe)"));
	/* "freedom" is not "free"; {{FIELDS}} are not shouting. */
	g_autoptr(EngineCampaign) calm = parse("", &error);
	EngineCampaignStep *step = calm->steps->pdata[0];
	g_free(step->body);
	step->body = g_strdup("Freedom of choice for {{FIRST}} {{LAST}} {{CO}} here.");
	g_autoptr(GPtrArray) quiet = engine_content_check(calm);
	g_assert_cmpuint(quiet->len, ==, 0);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/engine/guard/rules-at-their-edges", test_rules_at_their_edges);
	g_test_add_func("/engine/guard/mailbox-net-is-wider", test_mailbox_net_is_wider);
	g_test_add_func("/engine/guard/ramp-caps", test_ramp_caps);
	g_test_add_func("/engine/guard/campaign-file-keys", test_campaign_file_keys);
	g_test_add_func("/engine/guard/holidays", test_holidays);
	g_test_add_func("/engine/guard/content-check", test_content_check);
	return g_test_run();
}
