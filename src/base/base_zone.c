#include "base/base_zone.h"

#include "base/base_error.h"

#include <stdio.h>
#include <string.h>

#define MAX_ZONE_NAME_BYTES 64

bool
base_zone_name_is_valid(const char *name)
{
	if (name == NULL || name[0] == '\0' || strlen(name) > MAX_ZONE_NAME_BYTES)
		return false;
	bool component_start = true;
	for (const char *p = name; *p != '\0'; p++) {
		char c = *p;
		if (c == '/') {
			if (component_start)
				return false; /* leading "/" or "//" */
			component_start = true;
			continue;
		}
		bool allowed = g_ascii_isalnum(c) || c == '_' || c == '-' || c == '+';
		if (!allowed)
			return false; /* ".", "\", spaces, controls, 8-bit bytes */
		/* Components start with a letter ("Etc/GMT+5", "EST5EDT"), never a
		 * sign or a digit alone. */
		if (component_start && !g_ascii_isalpha(c))
			return false;
		component_start = false;
	}
	return !component_start; /* no trailing "/" */
}

/* Whether the zone file for @name begins with "TZif" (RFC 8536 3.1). */
static bool
zone_file_is_tzif(const char *name)
{
	const char *dir = g_getenv("TZDIR");
	g_autofree char *path = g_build_filename(
	        dir != NULL && dir[0] != '\0' ? dir : "/usr/share/zoneinfo", name, NULL);
	FILE *file = fopen(path, "rbe");
	if (file == NULL)
		return false;
	char magic[4] = {0};
	size_t n = fread(magic, 1, sizeof magic, file);
	fclose(file);
	return n == sizeof magic && memcmp(magic, "TZif", sizeof magic) == 0;
}

GTimeZone *
base_zone_new(const char *name, GError **error)
{
	if (g_strcmp0(name, "UTC") == 0)
		return g_time_zone_new_utc();
	if (!base_zone_name_is_valid(name) || !zone_file_is_tzif(name)) {
		g_autofree char *shown = base_error_printable_dup(name, -1, 80);
		g_set_error(error, BASE_ERROR, BASE_ERROR_INVALID,
		            "\"%s\" is not a known time zone (IANA names like Europe/Berlin or "
		            "America/New_York)",
		            shown);
		return NULL;
	}
	GTimeZone *zone = g_time_zone_new_identifier(name);
	if (zone == NULL) {
		g_autofree char *shown = base_error_printable_dup(name, -1, 80);
		g_set_error(error, BASE_ERROR, BASE_ERROR_INVALID,
		            "\"%s\" is not a known time zone", shown);
	}
	return zone;
}

char *
base_zone_format_utc(int64_t at_us)
{
	if (at_us <= 0)
		return NULL;
	g_autoptr(GDateTime) moment = g_date_time_new_from_unix_utc(at_us / G_USEC_PER_SEC);
	return moment != NULL ? g_date_time_format(moment, "%Y-%m-%dT%H:%M:%SZ") : NULL;
}

bool
base_zone_parse_date(const char *text, gsize length, int *year, int *month, int *day)
{
	if (length != 10 || text[4] != '-' || text[7] != '-')
		return false;
	for (gsize i = 0; i < length; i++)
		if (i != 4 && i != 7 && !g_ascii_isdigit(text[i]))
			return false;
	*year = (int)g_ascii_strtoull(text, NULL, 10);
	*month = (int)g_ascii_strtoull(text + 5, NULL, 10);
	*day = (int)g_ascii_strtoull(text + 8, NULL, 10);
	g_autoptr(GDateTime) date = g_date_time_new_utc(*year, *month, *day, 0, 0, 0);
	return date != NULL && g_date_time_get_day_of_month(date) == *day;
}
