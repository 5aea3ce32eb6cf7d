#include "engine/engine_window.h"

#include <string.h>

static const char *const day_names[7] = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};
static const char *const day_long_names[7] = {"monday", "tuesday",  "wednesday", "thursday",
                                              "friday", "saturday", "sunday"};

int
engine_window_weekday(const char *name)
{
	for (int i = 0; i < 7; i++)
		if (g_ascii_strcasecmp(name, day_names[i]) == 0 ||
		    g_ascii_strcasecmp(name, day_long_names[i]) == 0)
			return i;
	return -1;
}

/* "9:00", "09:30", "24:00" into minutes. */
static bool
parse_clock(const char *text, int *minutes)
{
	gsize length = strlen(text);
	if (length < 4 || length > 5 || text[length - 3] != ':')
		return false;
	for (gsize i = 0; i < length; i++)
		if (i != length - 3 && !g_ascii_isdigit(text[i]))
			return false;
	int hours = length == 5 ? (text[0] - '0') * 10 + (text[1] - '0') : text[0] - '0';
	int mins = (text[length - 2] - '0') * 10 + (text[length - 1] - '0');
	if (mins > 59 || hours > 24 || (hours == 24 && mins != 0))
		return false;
	*minutes = hours * 60 + mins;
	return true;
}

bool
engine_window_parse_span(const char *text, int *start_min, int *end_min, const char **reason)
{
	g_autofree char *span = g_strstrip(g_strdup(text));
	if (span[0] == '\0' || g_ascii_strcasecmp(span, "closed") == 0) {
		*start_min = *end_min = 0;
		return true;
	}
	char *dash = strchr(span, '-');
	if (dash == NULL) {
		*reason = "expected hours like 09:00-17:00";
		return false;
	}
	*dash = '\0';
	g_strstrip(span);
	char *end_text = g_strstrip(dash + 1);
	if (!parse_clock(span, start_min) || !parse_clock(end_text, end_min)) {
		*reason = "expected hours like 09:00-17:00 (HH:MM, 00:00 to 24:00)";
		return false;
	}
	if (*end_min <= *start_min) {
		*reason = "the window ends before it starts";
		return false;
	}
	return true;
}

/* "mon-fri", "mon,wed,fri", "daily", "sat" into a set of weekdays. */
static bool
parse_days(const char *text, bool days[7], const char **reason)
{
	if (g_ascii_strcasecmp(text, "daily") == 0) {
		for (int i = 0; i < 7; i++)
			days[i] = true;
		return true;
	}
	g_auto(GStrv) items = g_strsplit(text, ",", -1);
	for (char **item = items; *item != NULL; item++) {
		g_strstrip(*item);
		char *dash = strchr(*item, '-');
		int first;
		int last;
		if (dash != NULL) {
			*dash = '\0';
			first = engine_window_weekday(g_strstrip(*item));
			last = engine_window_weekday(g_strstrip(dash + 1));
		} else {
			first = last = engine_window_weekday(*item);
		}
		if (first < 0 || last < 0) {
			*reason = "expected days like mon-fri, mon,wed,fri or daily";
			return false;
		}
		/* "fri-mon" wraps over the weekend. */
		for (int d = first;; d = (d + 1) % 7) {
			days[d] = true;
			if (d == last)
				break;
		}
	}
	return true;
}

bool
engine_window_parse(const char *text, EngineWindow *window, const char **reason)
{
	EngineWindow parsed = {0};
	bool any = false;
	g_auto(GStrv) groups = g_strsplit(text, ";", -1);
	for (char **group = groups; *group != NULL; group++) {
		char *item = g_strstrip(*group);
		if (item[0] == '\0')
			continue;
		char *space = strchr(item, ' ');
		if (space == NULL) {
			*reason = "expected days and hours, like \"mon-fri 09:00-17:00\"";
			return false;
		}
		*space = '\0';
		bool days[7] = {false};
		int start = 0;
		int end = 0;
		if (!parse_days(item, days, reason) ||
		    !engine_window_parse_span(space + 1, &start, &end, reason))
			return false;
		for (int d = 0; d < 7; d++) {
			if (!days[d])
				continue;
			if (parsed.end_min[d] != parsed.start_min[d]) {
				*reason = "a day is named twice";
				return false;
			}
			parsed.start_min[d] = start;
			parsed.end_min[d] = end;
		}
		any = true;
	}
	if (!any || engine_window_is_empty(&parsed)) {
		*reason = "the window has no open hours";
		return false;
	}
	*window = parsed;
	return true;
}

bool
engine_window_is_empty(const EngineWindow *window)
{
	for (int d = 0; d < 7; d++)
		if (window->end_min[d] > window->start_min[d])
			return false;
	return true;
}

char *
engine_window_format(const EngineWindow *window)
{
	GString *text = g_string_new(NULL);
	int d = 0;
	while (d < 7) {
		if (window->end_min[d] <= window->start_min[d]) {
			d++;
			continue;
		}
		int last = d;
		while (last + 1 < 7 && window->start_min[last + 1] == window->start_min[d] &&
		       window->end_min[last + 1] == window->end_min[d])
			last++;
		if (text->len > 0)
			g_string_append(text, "; ");
		if (last == d)
			g_string_append(text, day_names[d]);
		else
			g_string_append_printf(text, "%s-%s", day_names[d], day_names[last]);
		g_string_append_printf(text, " %02d:%02d-%02d:%02d", window->start_min[d] / 60,
		                       window->start_min[d] % 60, window->end_min[d] / 60,
		                       window->end_min[d] % 60);
		d = last + 1;
	}
	return g_string_free(text, FALSE);
}

static GDateTime *
date_time_at(GTimeZone *zone, int64_t at_us)
{
	g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc(at_us / G_USEC_PER_SEC);
	g_autoptr(GDateTime) exact = g_date_time_add(utc, at_us % G_USEC_PER_SEC);
	return g_date_time_to_timezone(exact, zone);
}

/* The moment of local @minutes on @date in @zone. GLib moves a time that
 * does not exist (in a spring-forward gap) to one that does. */
static int64_t
local_moment(GTimeZone *zone, const GDate *date, int minutes)
{
	if (minutes >= 24 * 60) {
		GDate next = *date;
		g_date_add_days(&next, 1);
		return local_moment(zone, &next, minutes - 24 * 60);
	}
	g_autoptr(GDateTime) moment =
	        g_date_time_new(zone, g_date_get_year(date), g_date_get_month(date),
	                        g_date_get_day(date), minutes / 60, minutes % 60, 0);
	return g_date_time_to_unix(moment) * G_USEC_PER_SEC;
}

static void
local_date(GTimeZone *zone, int64_t at_us, GDate *date)
{
	g_autoptr(GDateTime) local = date_time_at(zone, at_us);
	g_date_clear(date, 1);
	g_date_set_dmy(date, (GDateDay)g_date_time_get_day_of_month(local),
	               (GDateMonth)g_date_time_get_month(local),
	               (GDateYear)g_date_time_get_year(local));
}

int64_t
engine_window_next_open(const EngineWindow *window, GTimeZone *zone, int64_t at_us)
{
	if (engine_window_is_empty(window))
		return -1;
	GDate date;
	local_date(zone, at_us, &date);
	/* A week and a day covers every window, whatever today is. */
	for (int offset = 0; offset < 8; offset++) {
		int d = (int)g_date_get_weekday(&date) - 1;
		if (window->end_min[d] > window->start_min[d]) {
			int64_t start = local_moment(zone, &date, window->start_min[d]);
			int64_t end = local_moment(zone, &date, window->end_min[d]);
			if (at_us < end)
				return MAX(at_us, start);
		}
		g_date_add_days(&date, 1);
	}
	return -1;
}

int64_t
engine_window_add_sending_days(const EngineWindow *window, GTimeZone *zone, int64_t at_us, int days)
{
	if (engine_window_is_empty(window) || days <= 0)
		return at_us;
	g_autoptr(GDateTime) local = date_time_at(zone, at_us);
	int minutes = g_date_time_get_hour(local) * 60 + g_date_time_get_minute(local);
	GDate date;
	local_date(zone, at_us, &date);
	int counted = 0;
	while (counted < days) {
		g_date_add_days(&date, 1);
		int d = (int)g_date_get_weekday(&date) - 1;
		if (window->end_min[d] > window->start_min[d])
			counted++;
	}
	int64_t seconds_us = (int64_t)g_date_time_get_second(local) * G_USEC_PER_SEC +
	                     g_date_time_get_microsecond(local);
	return local_moment(zone, &date, minutes) + seconds_us;
}
