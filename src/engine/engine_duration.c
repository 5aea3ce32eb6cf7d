#include "engine/engine_duration.h"

#include <string.h>

static int64_t
unit_seconds(char unit)
{
	switch (unit) {
	case 's':
		return 1;
	case 'm':
		return 60;
	case 'h':
		return 3600;
	case 'd':
		return 86400;
	case 'w':
		return (int64_t)7 * 86400;
	default:
		return 0;
	}
}

static bool
parse_span(const char *text, gsize length, int64_t *seconds, const char **reason)
{
	int64_t total = 0;
	gsize i = 0;
	bool any = false;
	while (i < length) {
		while (i < length && text[i] == ' ')
			i++;
		if (i == length)
			break;
		if (!g_ascii_isdigit(text[i])) {
			*reason = "expected a number and a unit (s, m, h, d, w), like \"3d\"";
			return false;
		}
		int64_t number = 0;
		while (i < length && g_ascii_isdigit(text[i])) {
			number = number * 10 + (text[i] - '0');
			if (number > ENGINE_DURATION_MAX_S) {
				*reason = "too long: at most a year";
				return false;
			}
			i++;
		}
		int64_t unit = i < length ? unit_seconds(text[i]) : 0;
		if (unit == 0) {
			*reason = "a number needs a unit: s, m, h, d or w (\"90m\", \"3d\")";
			return false;
		}
		i++;
		total += number * unit;
		if (total > ENGINE_DURATION_MAX_S) {
			*reason = "too long: at most a year";
			return false;
		}
		any = true;
	}
	if (!any) {
		*reason = "empty duration";
		return false;
	}
	*seconds = total;
	return true;
}

bool
engine_duration_parse(const char *text, int64_t *seconds, const char **reason)
{
	return parse_span(text, strlen(text), seconds, reason);
}

bool
engine_duration_parse_range(const char *text, int64_t *min_s, int64_t *max_s, const char **reason)
{
	const char *dash = strchr(text, '-');
	if (dash == NULL) {
		if (!parse_span(text, strlen(text), min_s, reason))
			return false;
		*max_s = *min_s;
		return true;
	}
	if (!parse_span(text, (gsize)(dash - text), min_s, reason) ||
	    !parse_span(dash + 1, strlen(dash + 1), max_s, reason))
		return false;
	if (*max_s < *min_s) {
		*reason = "the range ends before it starts";
		return false;
	}
	return true;
}

char *
engine_duration_format(int64_t seconds)
{
	static const struct {
		char unit;
		int64_t seconds;
	} units[] = {{'d', 86400}, {'h', 3600}, {'m', 60}, {'s', 1}};
	if (seconds <= 0)
		return g_strdup("0s");
	GString *text = g_string_new(NULL);
	for (gsize i = 0; i < G_N_ELEMENTS(units); i++) {
		int64_t count = seconds / units[i].seconds;
		if (count == 0)
			continue;
		seconds -= count * units[i].seconds;
		g_string_append_printf(text, "%s%" G_GINT64_FORMAT "%c", text->len > 0 ? " " : "",
		                       count, units[i].unit);
	}
	return g_string_free(text, FALSE);
}
