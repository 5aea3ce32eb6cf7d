#include "engine/engine_duration.h"
#include "engine/engine_window.h"

/* Microseconds of a wall-clock moment in @zone_name. */
static int64_t
at(const char *zone_name, int y, int mo, int d, int h, int mi)
{
	g_autoptr(GTimeZone) zone = g_time_zone_new_identifier(zone_name);
	g_assert_nonnull(zone);
	g_autoptr(GDateTime) moment = g_date_time_new(zone, y, mo, d, h, mi, 0);
	return g_date_time_to_unix(moment) * G_USEC_PER_SEC;
}

static void
test_duration(void)
{
	static const struct {
		const char *text;
		int64_t seconds;
	} good[] = {{"90m", 5400},     {"36h", 129600},      {"3d", 259200}, {"1w", 604800},
	            {"1d12h", 129600}, {"1d 2h 30m", 95400}, {"45s", 45},    {"0s", 0}};
	for (gsize i = 0; i < G_N_ELEMENTS(good); i++) {
		int64_t seconds = -1;
		const char *reason = NULL;
		g_assert_true(engine_duration_parse(good[i].text, &seconds, &reason));
		g_assert_cmpint(seconds, ==, good[i].seconds);
	}
	static const char *const bad[] = {"", "3", "d", "3x", "-1d", "400d", "3d ago", "1.5h"};
	for (gsize i = 0; i < G_N_ELEMENTS(bad); i++) {
		int64_t seconds = 0;
		const char *reason = NULL;
		g_assert_false(engine_duration_parse(bad[i], &seconds, &reason));
		g_assert_nonnull(reason);
	}
	int64_t min_s = 0;
	int64_t max_s = 0;
	const char *reason = NULL;
	g_assert_true(engine_duration_parse_range("60s-180s", &min_s, &max_s, &reason));
	g_assert_cmpint(min_s, ==, 60);
	g_assert_cmpint(max_s, ==, 180);
	g_assert_true(engine_duration_parse_range("2m", &min_s, &max_s, &reason));
	g_assert_cmpint(min_s, ==, 120);
	g_assert_cmpint(max_s, ==, 120);
	g_assert_false(engine_duration_parse_range("3m-1m", &min_s, &max_s, &reason));
	g_assert_cmpstr(reason, ==, "the range ends before it starts");
	g_autofree char *text = engine_duration_format(95400);
	g_assert_cmpstr(text, ==, "1d 2h 30m");
}

static void
test_parse(void)
{
	EngineWindow window;
	const char *reason = NULL;
	g_assert_true(engine_window_parse("mon-fri 09:00-17:00", &window, &reason));
	g_assert_cmpint(window.start_min[0], ==, 9 * 60);
	g_assert_cmpint(window.end_min[4], ==, 17 * 60);
	g_assert_cmpint(window.end_min[5], ==, 0);
	g_autofree char *text = engine_window_format(&window);
	g_assert_cmpstr(text, ==, "mon-fri 09:00-17:00");

	g_assert_true(engine_window_parse("mon,wed 9:00-12:00; sat 10:00-24:00", &window, &reason));
	g_autofree char *text2 = engine_window_format(&window);
	g_assert_cmpstr(text2, ==, "mon 09:00-12:00; wed 09:00-12:00; sat 10:00-24:00");

	g_assert_true(engine_window_parse("fri-mon 08:00-09:00", &window, &reason));
	g_assert_cmpint(window.end_min[6], ==, 9 * 60);
	g_assert_cmpint(window.end_min[2], ==, 0);

	static const struct {
		const char *text;
		const char *reason;
	} bad[] = {
	        {"mon-fri 17:00-09:00", "the window ends before it starts"},
	        {"mon-fri 09:00", "expected hours like 09:00-17:00"},
	        {"someday 09:00-17:00", "expected days like mon-fri, mon,wed,fri or daily"},
	        {"mon-fri 25:00-26:00", "expected hours like 09:00-17:00 (HH:MM, 00:00 to 24:00)"},
	        {"mon 09:00-10:00; mon 11:00-12:00", "a day is named twice"},
	        {"", "the window has no open hours"},
	        {"mon-fri", "expected days and hours, like \"mon-fri 09:00-17:00\""},
	};
	for (gsize i = 0; i < G_N_ELEMENTS(bad); i++) {
		reason = NULL;
		g_assert_false(engine_window_parse(bad[i].text, &window, &reason));
		g_assert_cmpstr(reason, ==, bad[i].reason);
	}
}

static void
test_next_open(void)
{
	EngineWindow window;
	const char *reason = NULL;
	g_assert_true(engine_window_parse("mon-fri 09:00-17:00", &window, &reason));
	g_autoptr(GTimeZone) berlin = g_time_zone_new_identifier("Europe/Berlin");
	/* 2026-11-26 is a Thursday. Inside: unchanged. */
	int64_t inside = at("Europe/Berlin", 2026, 11, 26, 10, 30);
	g_assert_cmpint(engine_window_next_open(&window, berlin, inside), ==, inside);
	/* Before the start: the start of the same day. */
	g_assert_cmpint(
	        engine_window_next_open(&window, berlin, at("Europe/Berlin", 2026, 11, 26, 7, 0)),
	        ==, at("Europe/Berlin", 2026, 11, 26, 9, 0));
	/* Friday after hours: Monday 09:00. */
	g_assert_cmpint(
	        engine_window_next_open(&window, berlin, at("Europe/Berlin", 2026, 11, 27, 17, 0)),
	        ==, at("Europe/Berlin", 2026, 11, 30, 9, 0));
	/* The same UTC moment read in New York: still Thursday morning there. */
	g_autoptr(GTimeZone) new_york = g_time_zone_new_identifier("America/New_York");
	int64_t berlin_evening = at("Europe/Berlin", 2026, 11, 26, 18, 0);
	g_assert_cmpint(engine_window_next_open(&window, new_york, berlin_evening), ==,
	                berlin_evening);
	/* Across the spring change (2027-03-28, Sunday): Monday 09:00 local is
	 * 07:00 UTC, not 08:00. */
	int64_t monday = engine_window_next_open(&window, berlin, at("UTC", 2027, 3, 27, 12, 0));
	g_assert_cmpint(monday, ==, at("UTC", 2027, 3, 29, 7, 0));
	/* And the autumn one (2027-10-31): Monday 09:00 is 08:00 UTC. */
	monday = engine_window_next_open(&window, berlin, at("UTC", 2027, 10, 30, 12, 0));
	g_assert_cmpint(monday, ==, at("UTC", 2027, 11, 1, 8, 0));
	EngineWindow closed = {0};
	g_assert_cmpint(engine_window_next_open(&closed, berlin, inside), ==, -1);
}

static void
test_sending_days(void)
{
	EngineWindow window;
	const char *reason = NULL;
	g_assert_true(engine_window_parse("mon-fri 09:00-17:00", &window, &reason));
	g_autoptr(GTimeZone) berlin = g_time_zone_new_identifier("Europe/Berlin");
	/* Thursday + 3 sending days = Tuesday, same time of day. */
	int64_t thursday = at("Europe/Berlin", 2026, 11, 26, 10, 15);
	g_assert_cmpint(engine_window_add_sending_days(&window, berlin, thursday, 3), ==,
	                at("Europe/Berlin", 2026, 12, 1, 10, 15));
	g_assert_cmpint(engine_window_add_sending_days(&window, berlin, thursday, 0), ==, thursday);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/engine/duration", test_duration);
	g_test_add_func("/engine/window/parse", test_parse);
	g_test_add_func("/engine/window/next-open", test_next_open);
	g_test_add_func("/engine/window/sending-days", test_sending_days);
	return g_test_run();
}
