/*
 * The guards against the mail lab, through the commands a user runs: a
 * list with 8 % bad addresses (2 of 25, refused at RCPT by the lab's
 * Postfix) pauses the campaign at the documented point (20 prospects
 * contacted at least, 3 % of them bounced), nothing more is sent, the
 * campaign says which rule fired with its numbers; resuming needs
 * --ack-guard, and then the rest goes.
 */
#include "helpers/test_lab.h"
#include "helpers/test_setup.h"

#include <string.h>

/* A pass at @now (the tick must succeed). */
static void
tick(TestSetup *setup, const char *now)
{
	test_setup_tick(setup, now, "sent");
}

/* A fresh database with mailbox @address (its password from LAB_PW,
 * then the options @more, NULL-terminated, or NULL). */
static void
set_up(TestSetup *setup, const char *address, const char *const *more)
{
	test_setup_init(setup, "guard");
	test_setup_mailbox(setup, address, more);
}

/* The 23 good addresses of the lab, and where the 2 bad ones go. */
static const char *const good[] = {"carol", "dave",   "erin",  "frank",  "grace",   "heidi",
                                   "ivan",  "judy",   "ken",   "liz",    "mallory", "nina",
                                   "oscar", "peggy",  "quinn", "rupert", "sybil",   "trent",
                                   "uma",   "victor", NULL};
static const char *const company[] = {"ann", "ben", "cat", NULL};

static void
test_bad_list_pauses_the_campaign(void)
{
	const TestLab *lab = test_lab_get();
	g_auto(TestSetup) setup = {0};
	const char *more[] = {"--daily-cap", "500", NULL};
	set_up(&setup, "alice@sender.test", more);
	/* Bad addresses third and twenty-first; the ones after the second
	 * are the last four. */
	GString *csv = g_string_new("email,first_name\n");
	g_autoptr(GPtrArray) order = g_ptr_array_new_with_free_func(g_free);
	for (const char *const *p = good; *p != NULL; p++)
		g_ptr_array_add(order, g_strdup_printf("%s@prospect.test", *p));
	for (const char *const *p = company; *p != NULL; p++)
		g_ptr_array_add(order, g_strdup_printf("%s@acme.test", *p));
	g_ptr_array_insert(order, 2, g_strdup("nobody-guard-1@prospect.test"));
	g_ptr_array_insert(order, 20, g_strdup("nobody-guard-2@prospect.test"));
	for (guint i = 0; i < order->len; i++)
		g_string_append_printf(csv, "%s,P%u\n", (char *)order->pdata[i], i);
	g_assert_cmpuint(order->len, ==, 25);
	test_setup_campaign(&setup, "Guarded",
	                    "name: Guarded\nmailboxes: [alice@sender.test]\ntimezone: UTC\n"
	                    "window: daily 08:00-18:00\ndomain_caps: off\ninterval: 0s\n"
	                    "daily_limit: 100\npolicies:\n  stop_on_company_reply: false\n"
	                    "steps:\n  - subject: \"Guarded {{first_name}} TOKEN\"\n"
	                    "    body: \"Hello. TOKEN\"\n",
	                    csv->str);
	g_string_free(csv, TRUE);

	tick(&setup, "2026-12-01T09:00:00Z");
	/* The first 21 were tried (19 delivered), the rest never. */
	for (guint i = 0; i < order->len; i++) {
		const char *address = order->pdata[i];
		if (g_str_has_prefix(address, "nobody"))
			continue;
		if (i < 21)
			g_assert_true(test_lab_wait_for_count(lab, address, setup.token, 1, 20000));
		else
			g_assert_cmpuint(test_lab_count_text(lab, address, setup.token), ==, 0);
	}
	g_auto(TestCliRun) shown = {0};
	const char *show[] = {"campaign", "show", "Guarded", NULL};
	test_setup_piculet(&setup, &shown, show);
	g_assert_nonnull(strstr(shown.out, "campaign:  Guarded (paused)"));
	g_assert_nonnull(strstr(shown.out,
	                        "guard:     paused by its guard: hard bounces: 2 of the "
	                        "last 21 prospects contacted (9.5 %; the limit is 3.0 %)"));
	g_auto(TestCliRun) status = {0};
	const char *status_args[] = {"status", NULL};
	test_setup_piculet(&setup, &status, status_args);
	g_assert_nonnull(strstr(status.out, "campaign Guarded (paused): 25 enrolled"));
	g_assert_nonnull(
	        strstr(status.out, "; paused by its guard: hard bounces: 2 of the last 21"));
	/* Another pass sends nothing. */
	tick(&setup, "2026-12-01T10:00:00Z");
	g_assert_cmpuint(test_lab_count_text(lab, order->pdata[24], setup.token), ==, 0);

	/* Resuming needs the person to acknowledge the rule. */
	g_auto(TestCliRun) refused = {0};
	const char *resume[] = {"campaign", "resume", "Guarded", NULL};
	test_setup_piculet(&setup, &refused, resume);
	g_assert_cmpint(refused.status, !=, 0);
	g_assert_nonnull(strstr(refused.err, "was paused by its guard: hard bounces: 2 of the last "
	                                     "21"));
	g_assert_nonnull(strstr(refused.err, "--ack-guard"));
	const char *ack[] = {"campaign", "resume", "Guarded", "--ack-guard", NULL};
	test_setup_piculet_ok(&setup, ack);
	tick(&setup, "2026-12-01T11:00:00Z");
	for (guint i = 21; i < order->len; i++)
		g_assert_true(test_lab_wait_for_count(lab, order->pdata[i], setup.token, 1, 20000));
}

/* `guards: off` in the campaign file: the same list goes out whole. */
static void
test_guards_off(void)
{
	const TestLab *lab = test_lab_get();
	g_auto(TestSetup) setup = {0};
	set_up(&setup, "alice@sender.test", NULL);
	GString *csv = g_string_new("email,first_name\n");
	for (guint i = 0; i < 6; i++)
		g_string_append_printf(csv, "nobody-open-%u@prospect.test,N\n", i);
	g_string_append(csv, "uma@prospect.test,Uma\n");
	test_setup_campaign(
	        &setup, "Open",
	        "name: Open\nmailboxes: [alice@sender.test]\ntimezone: UTC\n"
	        "window: daily 08:00-18:00\ndomain_caps: off\ninterval: 0s\nguards: off\n"
	        "steps:\n  - subject: \"Open TOKEN\"\n    body: \"Hello. TOKEN\"\n",
	        csv->str);
	g_string_free(csv, TRUE);
	tick(&setup, "2026-12-01T09:00:00Z");
	/* Six bounces in a row would have fired "in a row" (5). */
	g_assert_true(test_lab_wait_for_count(lab, "uma@prospect.test", setup.token, 1, 20000));
}

/* How many of @prospects' INBOX messages hold @token, once that reaches
 * @expected or 20 s pass (deliveries go through Postfix and LMTP). */
static guint
received(const char *const *prospects, const char *token, guint expected)
{
	const TestLab *lab = test_lab_get();
	gint64 deadline = g_get_monotonic_time() + 20 * G_USEC_PER_SEC;
	for (;;) {
		guint n = 0;
		for (const char *const *p = prospects; *p != NULL; p++)
			n += test_lab_count_text(lab, *p, token);
		if (n >= expected || g_get_monotonic_time() > deadline)
			return n;
		g_usleep(10000); /* polling Maildirs, as test_lab_wait_for_message does */
	}
}

/* A ramping mailbox: 2 on its first sending day, one more each later one,
 * up to its cap of 4, counted per day over a simulated week. */
static void
test_ramp_up(void)
{
	g_auto(TestSetup) setup = {0};
	const char *more[] = {"--daily-cap", "4", "--ramp", "2+1/day", NULL};
	set_up(&setup, "bob@sender.test", more);
	const char *prospects[13] = {NULL};
	GString *csv = g_string_new("email,first_name\n");
	g_autoptr(GPtrArray) owned = g_ptr_array_new_with_free_func(g_free);
	for (guint i = 0; i < 12; i++) {
		char *address = g_strdup_printf("%s@prospect.test", good[i]);
		g_ptr_array_add(owned, address);
		prospects[i] = address;
		g_string_append_printf(csv, "%s,P\n", address);
	}
	test_setup_campaign(&setup, "Ramp",
	                    "name: Ramp\nmailboxes: [bob@sender.test]\ntimezone: UTC\n"
	                    "window: daily 08:00-18:00\ndomain_caps: off\ninterval: 0s\n"
	                    "daily_limit: 100\npolicies:\n  stop_on_company_reply: false\n"
	                    "steps:\n  - subject: \"Ramp TOKEN\"\n    body: \"Hello. TOKEN\"\n",
	                    csv->str);
	g_string_free(csv, TRUE);

	tick(&setup, "2026-12-01T09:00:00Z");
	g_assert_cmpuint(received(prospects, setup.token, 2), ==, 2);
	tick(&setup, "2026-12-01T12:00:00Z");
	g_auto(TestCliRun) status = {0};
	const char *status_args[] = {"status", "--now", "2026-12-01T12:30:00Z", NULL};
	test_setup_piculet(&setup, &status, status_args);
	g_assert_nonnull(strstr(status.out, "ramping up: day 1's 2 sent (cap 4)"));
	g_assert_cmpuint(received(prospects, setup.token, 2), ==, 2);
	/* Day 2: three; day 3: four (the cap); day 4: the last three. */
	tick(&setup, "2026-12-02T09:00:00Z");
	g_assert_cmpuint(received(prospects, setup.token, 5), ==, 5);
	tick(&setup, "2026-12-03T09:00:00Z");
	g_assert_cmpuint(received(prospects, setup.token, 9), ==, 9);
	tick(&setup, "2026-12-04T09:00:00Z");
	g_assert_cmpuint(received(prospects, setup.token, 12), ==, 12);
}

/* Recipient-domain caps: one message an hour and two a day to each
 * company's domain from one mailbox, over two simulated days. */
static void
test_domain_caps(void)
{
	g_auto(TestSetup) setup = {0};
	set_up(&setup, "alice@sender.test", NULL);
	const char *acme[] = {"ann@acme.test", "ben@acme.test", "cat@acme.test", NULL};
	const char *prospect[] = {"carol@prospect.test", "dave@prospect.test", "erin@prospect.test",
	                          NULL};
	g_autofree char *csv =
	        g_strdup_printf("email,first_name\n%s,A\n%s,B\n%s,C\n%s,D\n%s,E\n%s,F\n", acme[0],
	                        acme[1], acme[2], prospect[0], prospect[1], prospect[2]);
	test_setup_campaign(&setup, "Caps",
	                    "name: Caps\nmailboxes: [alice@sender.test]\ntimezone: UTC\n"
	                    "window: daily 08:00-18:00\ninterval: 0s\ndaily_limit: 100\n"
	                    "domain_caps:\n  per_hour: 1\n  per_day: 2\n"
	                    "policies:\n  stop_on_company_reply: false\n"
	                    "steps:\n  - subject: \"Caps TOKEN\"\n    body: \"Hello. TOKEN\"\n",
	                    csv);

	tick(&setup, "2026-12-01T09:00:00Z");
	g_assert_cmpuint(received(acme, setup.token, 1), ==, 1);
	g_assert_cmpuint(received(prospect, setup.token, 1), ==, 1);
	tick(&setup, "2026-12-01T09:30:00Z");
	g_assert_cmpuint(received(acme, setup.token, 1), ==, 1);
	g_assert_cmpuint(received(prospect, setup.token, 1), ==, 1);
	tick(&setup, "2026-12-01T10:01:00Z");
	g_assert_cmpuint(received(acme, setup.token, 2), ==, 2);
	g_assert_cmpuint(received(prospect, setup.token, 2), ==, 2);
	/* Two a day: the third waits for tomorrow. */
	tick(&setup, "2026-12-01T11:02:00Z");
	g_assert_cmpuint(received(acme, setup.token, 2), ==, 2);
	g_assert_cmpuint(received(prospect, setup.token, 2), ==, 2);
	tick(&setup, "2026-12-02T09:00:00Z");
	g_assert_cmpuint(received(acme, setup.token, 3), ==, 3);
	g_assert_cmpuint(received(prospect, setup.token, 3), ==, 3);
}

/* Forty prospects at one company (crowd.test) and twenty at a domain the
 * campaign calls a public provider (prospect.test, not capped), the
 * default caps (3 an hour, 10 a day to one domain from one mailbox), a
 * tick each hour of a morning over four simulated days: the company gets
 * 3, 6, 9, 10 each day and never more, the others all go at once. */
static void
test_forty_at_one_domain(void)
{
	const TestLab *lab = test_lab_get();
	g_auto(TestSetup) setup = {0};
	const char *more[] = {"--daily-cap", "500", NULL};
	set_up(&setup, "bob@sender.test", more);
	GString *csv = g_string_new("email,first_name\n");
	for (int i = 0; i < 40; i++)
		g_string_append_printf(csv, "c%02d@%s,C%02d\n", i, lab->crowd_domain, i);
	g_autoptr(GPtrArray) others = g_ptr_array_new_with_free_func(g_free);
	for (const char *const *p = good; *p != NULL; p++) {
		g_ptr_array_add(others, g_strdup_printf("%s@prospect.test", *p));
		g_string_append_printf(csv, "%s,P\n",
		                       (const char *)g_ptr_array_index(others, others->len - 1));
	}
	g_ptr_array_add(others, NULL);
	const char *const *other = (const char *const *)others->pdata;
	test_setup_campaign(&setup, "Forty",
	                    "name: Forty\nmailboxes: [bob@sender.test]\ntimezone: UTC\n"
	                    "window: daily 08:00-18:00\ninterval: 0s\ndaily_limit: 100\n"
	                    "policies:\n  stop_on_company_reply: false\n"
	                    "  public_domains: [prospect.test]\n"
	                    "steps:\n  - subject: \"Forty TOKEN\"\n    body: \"Hello. TOKEN\"\n",
	                    csv->str);
	g_string_free(csv, TRUE);
	guint to_crowd = 0;
	for (int day = 1; day <= 4; day++) {
		static const guint through_the_day[] = {3, 6, 9, 10, 10};
		for (int hour = 8; hour <= 12; hour++) {
			/* A minute later each hour: the last hour's messages are
			 * then older than an hour. */
			g_autofree char *now =
			        g_strdup_printf("2026-12-%02dT%02d:%02d:00Z", day, hour, hour - 8);
			tick(&setup, now);
			guint expected = to_crowd + through_the_day[hour - 8];
			g_assert_true(test_lab_wait_for_count(lab, lab->crowd_mailbox, setup.token,
			                                      expected, 20000));
			g_assert_cmpuint(test_lab_count_text(lab, lab->crowd_mailbox, setup.token),
			                 ==, expected);
		}
		to_crowd += 10;
		if (day == 1)
			g_assert_cmpuint(received(other, setup.token, 20), ==, 20);
	}
	g_assert_cmpuint(to_crowd, ==, 40);
	/* All forty reached: the rest of the week sends nothing. */
	tick(&setup, "2026-12-05T08:00:00Z");
	g_assert_cmpuint(test_lab_count_text(lab, lab->crowd_mailbox, setup.token), ==, 40);
	g_assert_cmpuint(received(other, setup.token, 20), ==, 20);
}

/* Nothing goes on a holiday of the campaign; the day after, it does. */
static void
test_holiday(void)
{
	g_auto(TestSetup) setup = {0};
	set_up(&setup, "alice@sender.test", NULL);
	const char *prospects[] = {"trent@prospect.test", NULL};
	test_setup_campaign(&setup, "Holiday",
	                    "name: Holiday\nmailboxes: [alice@sender.test]\ntimezone: UTC\n"
	                    "window: daily 08:00-18:00\ninterval: 0s\nholidays: [2026-12-01]\n"
	                    "steps:\n  - subject: \"Holiday TOKEN\"\n    body: \"Hello. TOKEN\"\n",
	                    "email,first_name\ntrent@prospect.test,Trent\n");
	tick(&setup, "2026-12-01T09:00:00Z");
	tick(&setup, "2026-12-01T17:00:00Z");
	g_assert_cmpuint(test_lab_count_text(test_lab_get(), prospects[0], setup.token), ==, 0);
	tick(&setup, "2026-12-02T09:00:00Z");
	g_assert_cmpuint(received(prospects, setup.token, 1), ==, 1);
}

/* A country's calendar: nothing on Germany's two days of Christmas (in
 * the campaign's zone); on the Sunday after, the window being daily, it
 * goes. */
static void
test_calendar_holiday(void)
{
	g_auto(TestSetup) setup = {0};
	set_up(&setup, "alice@sender.test", NULL);
	const char *prospects[] = {"victor@prospect.test", NULL};
	test_setup_campaign(&setup, "Calendar",
	                    "name: Calendar\nmailboxes: [alice@sender.test]\n"
	                    "timezone: Europe/Berlin\nwindow: daily 08:00-18:00\ninterval: 0s\n"
	                    "holidays: [DE]\n"
	                    "steps:\n  - subject: \"Calendar TOKEN\"\n    body: \"Hello. TOKEN\"\n",
	                    "email,first_name\nvictor@prospect.test,Victor\n");
	tick(&setup, "2026-12-25T09:00:00Z");
	tick(&setup, "2026-12-26T16:00:00Z");
	g_assert_cmpuint(test_lab_count_text(test_lab_get(), prospects[0], setup.token), ==, 0);
	g_auto(TestCliRun) preview = {0};
	const char *preview_args[] = {"campaign", "preview",    "Calendar",
	                              "--from",   "2026-12-25", NULL};
	test_setup_piculet(&setup, &preview, preview_args);
	g_assert_nonnull(
	        strstr(preview.out, "=== step 1: earliest Sun 2026-12-27 08:00 Europe/Berlin"));
	tick(&setup, "2026-12-27T09:00:00Z");
	g_assert_cmpuint(received(prospects, setup.token, 1), ==, 1);
}

/* A frozen mailbox sends nothing inside its freeze, says so, and goes on
 * after it. */
static void
test_freeze(void)
{
	g_auto(TestSetup) setup = {0};
	const char *more[] = {"--freeze", "2026-12-01..2026-12-01", NULL};
	set_up(&setup, "bob@sender.test", more);
	const char *prospects[] = {"sybil@prospect.test", NULL};
	test_setup_campaign(&setup, "Frozen",
	                    "name: Frozen\nmailboxes: [bob@sender.test]\ntimezone: UTC\n"
	                    "window: daily 08:00-18:00\ninterval: 0s\n"
	                    "steps:\n  - subject: \"Frozen TOKEN\"\n    body: \"Hello. TOKEN\"\n",
	                    "email,first_name\nsybil@prospect.test,Sybil\n");
	tick(&setup, "2026-12-01T09:00:00Z");
	g_auto(TestCliRun) status = {0};
	const char *status_args[] = {"status", "--now", "2026-12-01T10:00:00Z", NULL};
	test_setup_piculet(&setup, &status, status_args);
	g_assert_nonnull(strstr(status.out, "bob@sender.test: frozen until 2026-12-02T00:00:00Z"));
	g_assert_cmpuint(test_lab_count_text(test_lab_get(), prospects[0], setup.token), ==, 0);
	tick(&setup, "2026-12-02T09:00:00Z");
	g_assert_cmpuint(received(prospects, setup.token, 1), ==, 1);
}

/* The mailbox's own day: a cap of one a day in New York lets one go at
 * 18:00 there, none at 20:00 (a new UTC day already), the next at 01:00. */
static void
test_mailbox_day(void)
{
	g_auto(TestSetup) setup = {0};
	const char *more[] = {"--daily-cap", "1", "--timezone", "America/New_York", NULL};
	set_up(&setup, "bob@sender.test", more);
	const char *prospects[] = {"oscar@prospect.test", "peggy@prospect.test",
	                           "quinn@prospect.test", NULL};
	test_setup_campaign(
	        &setup, "Day",
	        "name: Day\nmailboxes: [bob@sender.test]\ntimezone: UTC\n"
	        "use_prospect_timezone: false\nwindow: daily 00:00-24:00\ninterval: 0s\n"
	        "domain_caps: off\n"
	        "steps:\n  - subject: \"Day TOKEN\"\n    body: \"Hello. TOKEN\"\n",
	        "email,first_name\noscar@prospect.test,O\npeggy@prospect.test,P\n"
	        "quinn@prospect.test,Q\n");
	tick(&setup, "2026-12-01T23:00:00Z");
	g_assert_cmpuint(received(prospects, setup.token, 1), ==, 1);
	tick(&setup, "2026-12-02T01:00:00Z");
	g_auto(TestCliRun) status = {0};
	const char *status_args[] = {"status", "--now", "2026-12-02T01:30:00Z", NULL};
	test_setup_piculet(&setup, &status, status_args);
	g_assert_nonnull(strstr(status.out, "bob@sender.test: daily cap of 1 reached"));
	g_assert_cmpuint(received(prospects, setup.token, 1), ==, 1);
	tick(&setup, "2026-12-02T06:00:00Z");
	g_assert_cmpuint(received(prospects, setup.token, 2), ==, 2);
}

/* A ramping mailbox counts its sending days as calendar days in its own
 * zone: 01:00 UTC is still the evening of its first day in New York, so
 * its ramp (1, then 2) allows nothing more until its own next day. */
static void
test_ramp_in_mailbox_zone(void)
{
	g_auto(TestSetup) setup = {0};
	const char *more[] = {"--daily-cap",      "3", "--ramp", "1+1/day", "--timezone",
	                      "America/New_York", NULL};
	set_up(&setup, "bob@sender.test", more);
	const char *prospects[] = {"rupert@prospect.test", "sybil@prospect.test",
	                           "trent@prospect.test", "uma@prospect.test", NULL};
	test_setup_campaign(
	        &setup, "RampZone",
	        "name: RampZone\nmailboxes: [bob@sender.test]\ntimezone: UTC\n"
	        "use_prospect_timezone: false\nwindow: daily 00:00-24:00\ninterval: 0s\n"
	        "domain_caps: off\n"
	        "steps:\n  - subject: \"RampZone TOKEN\"\n    body: \"Hello. TOKEN\"\n",
	        "email,first_name\nrupert@prospect.test,R\nsybil@prospect.test,S\n"
	        "trent@prospect.test,T\numa@prospect.test,U\n");
	tick(&setup, "2026-12-01T23:00:00Z");
	g_assert_cmpuint(received(prospects, setup.token, 1), ==, 1);
	/* A new UTC day, the same day in New York: still day 1 of the ramp. */
	tick(&setup, "2026-12-02T01:00:00Z");
	g_auto(TestCliRun) status = {0};
	const char *status_args[] = {"status", "--now", "2026-12-02T01:30:00Z", NULL};
	test_setup_piculet(&setup, &status, status_args);
	g_assert_nonnull(strstr(status.out, "ramping up: day 1's 1 sent (cap 3)"));
	g_assert_cmpuint(received(prospects, setup.token, 1), ==, 1);
	/* Its own second day: two. */
	tick(&setup, "2026-12-02T06:00:00Z");
	g_assert_cmpuint(received(prospects, setup.token, 3), ==, 3);
}

/* `campaign preview` ends with the content check's warnings, each with
 * its place; the texts stay as written. */
static void
test_preview_warns(void)
{
	g_auto(TestSetup) setup = {0};
	set_up(&setup, "alice@sender.test", NULL);
	test_setup_campaign(&setup, "Loud",
	                    "name: Loud\nmailboxes: [alice@sender.test]\ntimezone: UTC\n"
	                    "steps:\n  - subject: \"Loud TOKEN\"\n"
	                    "    body: \"Hello.\\nClick here: https://bit.ly/abc TOKEN\"\n",
	                    "email,first_name\numa@prospect.test,Uma\n");
	g_auto(TestCliRun) preview = {0};
	const char *args[] = {"campaign", "preview", "Loud", "--from", "2026-12-01", NULL};
	test_setup_piculet(&setup, &preview, args);
	g_assert_cmpint(preview.status, ==, 0);
	g_assert_nonnull(strstr(preview.out, "=== content warnings (nothing was changed)\n"));
	g_assert_nonnull(strstr(preview.out, "warning: step 1 body:2: \"click here\" is a word"));
	g_assert_nonnull(strstr(preview.out, "warning: step 1 body:2: a link shortener (bit.ly)"));
	g_assert_nonnull(strstr(preview.out, "Click here: https://bit.ly/abc"));
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/engine/guard/bad-list-pauses-the-campaign",
	                test_bad_list_pauses_the_campaign);
	g_test_add_func("/engine/guard/guards-off", test_guards_off);
	g_test_add_func("/engine/guard/ramp-up-per-sending-day", test_ramp_up);
	g_test_add_func("/engine/guard/recipient-domain-caps", test_domain_caps);
	g_test_add_func("/engine/guard/forty-at-one-domain-over-days", test_forty_at_one_domain);
	g_test_add_func("/engine/guard/nothing-on-a-holiday", test_holiday);
	g_test_add_func("/engine/guard/nothing-on-a-calendar-holiday", test_calendar_holiday);
	g_test_add_func("/engine/guard/nothing-in-a-freeze", test_freeze);
	g_test_add_func("/engine/guard/the-mailbox-own-day", test_mailbox_day);
	g_test_add_func("/engine/guard/ramp-in-the-mailbox-zone", test_ramp_in_mailbox_zone);
	g_test_add_func("/engine/guard/preview-warns", test_preview_warns);
	return g_test_run();
}
