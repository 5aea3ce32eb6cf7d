/* The guards' judgement: each rule at its edge, and the words it says. */
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

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/engine/guard/rules-at-their-edges", test_rules_at_their_edges);
	g_test_add_func("/engine/guard/mailbox-net-is-wider", test_mailbox_net_is_wider);
	g_test_add_func("/engine/guard/ramp-caps", test_ramp_caps);
	return g_test_run();
}
