/* The public-holiday calendars: the shipped file reads whole, and its
 * rules give the days each country's own list gives (checked against the
 * sources named in data/holidays.txt for 2022 to 2028). */
#include "engine/engine_campaign.h"
#include "engine/engine_holidays.h"
#include "engine/engine_holidays_data.h"

#include <stdio.h>
#include <string.h>

static void
test_shipped_file(void)
{
	g_autoptr(GError) error = NULL;
	g_assert_true(engine_holidays_check(engine_holidays_data, &error));
	g_assert_no_error(error);
	g_autofree char *countries = engine_holidays_countries();
	g_assert_cmpstr(countries, ==,
	                "AT, AU, BE, CA, DE, DK, ES, FI, FR, GB, IT, NL, NO, PL, PT, SE, US");
	g_assert_true(engine_holidays_known("DE"));
	g_assert_false(engine_holidays_known("XX"));
}

static void
test_known_days(void)
{
	static const struct {
		const char *country;
		const char *date;
		const char *name; /* NULL: no holiday */
	} cases[] = {
	        /* Easter, from its computation: 2024-03-31, 2026-04-05, 2027-03-28. */
	        {"DE", "2024-03-29", "Good Friday"},
	        {"DE", "2026-04-03", "Good Friday"},
	        {"DE", "2026-04-05", NULL},
	        {"DE", "2026-04-06", "Easter Monday"},
	        {"DE", "2026-05-14", "Ascension Day"},
	        {"DE", "2026-05-25", "Whit Monday"},
	        {"DE", "2026-10-03", "German Unity Day"},
	        {"DE", "2026-12-24", NULL},
	        {"DE", "2026-12-26", "Second Day of Christmas"},
	        {"AT", "2027-05-27", "Corpus Christi"},
	        /* The US: nth and last Mondays, a Saturday observed on Friday,
	         * next year's New Year's Day observed this year. */
	        {"US", "2026-01-19", "Martin Luther King Jr. Day"},
	        {"US", "2026-02-16", "Washington's Birthday"},
	        {"US", "2026-05-25", "Memorial Day"},
	        {"US", "2026-07-03", "Independence Day"},
	        {"US", "2026-07-04", "Independence Day"},
	        {"US", "2026-09-07", "Labor Day"},
	        {"US", "2026-11-26", "Thanksgiving Day"},
	        {"US", "2027-12-24", "Christmas Day"},
	        {"US", "2027-12-31", "New Year's Day"},
	        {"US", "2020-06-19", NULL},
	        {"US", "2026-06-19", "Juneteenth"},
	        /* England and Wales: substitute days skip one another. */
	        {"GB", "2026-05-04", "Early May bank holiday"},
	        {"GB", "2026-08-31", "Summer bank holiday"},
	        {"GB", "2026-12-28", "Boxing Day"},
	        {"GB", "2027-12-27", "Christmas Day"},
	        {"GB", "2027-12-28", "Boxing Day"},
	        {"GB", "2022-12-27", "Christmas Day"},
	        {"GB", "2022-12-26", "Boxing Day"},
	        /* On-or-after rules, Sunday moved back, years from and until. */
	        {"SE", "2026-06-19", "Midsummer Eve"},
	        {"SE", "2026-10-31", "All Saints' Day"},
	        {"CA", "2026-05-18", "Victoria Day"},
	        {"NL", "2025-04-26", "King's Day"},
	        {"NL", "2025-04-27", NULL},
	        {"NL", "2026-04-27", "King's Day"},
	        {"PL", "2024-12-24", NULL},
	        {"PL", "2025-12-24", "Christmas Eve"},
	        {"DK", "2023-05-05", "Great Prayer Day"},
	        {"DK", "2024-04-26", NULL},
	        {"XX", "2026-01-01", NULL},
	};
	for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
		int year = 0;
		int month = 0;
		int day = 0;
		g_assert_cmpint(sscanf(cases[i].date, "%d-%d-%d", &year, &month, &day), ==, 3);
		const char *got = engine_holidays_on(cases[i].country, year, month, day);
		if (g_strcmp0(got, cases[i].name) != 0)
			g_error("%s %s: \"%s\", not \"%s\"", cases[i].country, cases[i].date,
			        got != NULL ? got : "(none)",
			        cases[i].name != NULL ? cases[i].name : "(none)");
	}
}

static void
test_bad_lines(void)
{
	static const struct {
		const char *text;
		const char *message;
	} cases[] = {
	        {"# ok\nDE 13-01 Nothing\n", "holidays:2: a rule is MM-DD"},
	        {"de 01-01 New Year\n", "holidays:1: a country is two capital letters"},
	        {"DE 01-01\n", "holidays:1: expected COUNTRY RULE NAME"},
	        {"DE 01-01 observed\n", "holidays:1: the holiday's name is missing"},
	        {"DE mon5-01 Too many\n", "holidays:1: a rule is"},
	        {"DE easter+x Nothing\n", "holidays:1: a rule is"},
	        {"DE 02-30 Never\n", "holidays:1: a rule is"},
	};
	for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autoptr(GError) error = NULL;
		g_assert_false(engine_holidays_check(cases[i].text, &error));
		if (strstr(error->message, cases[i].message) == NULL)
			g_error("case %" G_GSIZE_FORMAT ": \"%s\" lacks \"%s\"", i, error->message,
			        cases[i].message);
	}
}

static void
test_in_a_campaign(void)
{
	const char *text = "name: x\nmailboxes: [a@b.test]\ntimezone: Europe/Berlin\n"
	                   "window: daily 09:00-17:00\nholidays: [de, 2026-12-28]\n"
	                   "steps:\n  - subject: S\n    body: B\n";
	g_autoptr(GError) error = NULL;
	g_autoptr(EngineCampaign) campaign =
	        engine_campaign_parse(text, strlen(text), "x.yaml", &error);
	g_assert_no_error(error);
	g_autoptr(GTimeZone) zone = g_time_zone_new_identifier("Europe/Berlin");
	/* 24 December 2026, 10:00 in Berlin: Christmas, the 26th (both
	 * German holidays), the 27th open, then the date of the file. */
	g_autoptr(GDateTime) eve = g_date_time_new(zone, 2026, 12, 25, 10, 0, 0);
	int64_t next = engine_campaign_next_open(campaign, zone,
	                                         g_date_time_to_unix(eve) * G_USEC_PER_SEC);
	g_autoptr(GDateTime) expected = g_date_time_new(zone, 2026, 12, 27, 9, 0, 0);
	g_assert_cmpint(next, ==, g_date_time_to_unix(expected) * G_USEC_PER_SEC);
	g_autoptr(GDateTime) monday = g_date_time_new(zone, 2026, 12, 28, 9, 30, 0);
	next = engine_campaign_next_open(campaign, zone,
	                                 g_date_time_to_unix(monday) * G_USEC_PER_SEC);
	g_autoptr(GDateTime) tuesday = g_date_time_new(zone, 2026, 12, 29, 9, 0, 0);
	g_assert_cmpint(next, ==, g_date_time_to_unix(tuesday) * G_USEC_PER_SEC);

	const char *unknown = "name: x\nmailboxes: [a@b.test]\nholidays: [XX]\n"
	                      "steps:\n  - subject: S\n    body: B\n";
	g_autoptr(GError) refused = NULL;
	g_assert_null(engine_campaign_parse(unknown, strlen(unknown), "x.yaml", &refused));
	g_assert_nonnull(strstr(refused->message, "x.yaml:3:12: holidays: piculet has no calendar "
	                                          "for \"XX\" (it has AT, AU,"));
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/engine/holidays/shipped-file", test_shipped_file);
	g_test_add_func("/engine/holidays/known-days", test_known_days);
	g_test_add_func("/engine/holidays/bad-lines", test_bad_lines);
	g_test_add_func("/engine/holidays/in-a-campaign", test_in_a_campaign);
	return g_test_run();
}
