#include "mail/mail_calendar.h"

#include <glib.h>
#include <stdbool.h>
#include <string.h>

/* @calendar with its folded lines joined (a line end followed by a space
 * or a tab continues the line) and its line ends made "\n". */
static char *
dup_unfolded(const char *calendar)
{
	GString *out = g_string_sized_new(strlen(calendar));
	for (const char *p = calendar; *p != '\0'; p++) {
		if (*p == '\r')
			continue;
		if (*p == '\n' && (p[1] == ' ' || p[1] == '\t')) {
			p++;
			continue;
		}
		g_string_append_c(out, *p);
	}
	return g_string_free(out, FALSE);
}

/* The value of the first property named @name (with or without
 * parameters: "ORGANIZER;CN=x:mailto:y"), newly allocated, or NULL. */
static char *
dup_property(const char *unfolded, const char *name)
{
	gsize length = strlen(name);
	for (const char *line = unfolded; line != NULL && *line != '\0';) {
		const char *end = strchr(line, '\n');
		gsize line_length = end != NULL ? (gsize)(end - line) : strlen(line);
		if (line_length > length && g_ascii_strncasecmp(line, name, length) == 0 &&
		    (line[length] == ':' || line[length] == ';')) {
			/* The value follows the first colon outside a quoted
			 * parameter ("CN=\"Doe: Jane\""). */
			bool quoted = false;
			for (gsize i = length; i < line_length; i++) {
				if (line[i] == '"')
					quoted = !quoted;
				else if (line[i] == ':' && !quoted)
					return g_strndup(line + i + 1, line_length - i - 1);
			}
			return NULL;
		}
		line = end != NULL ? end + 1 : NULL;
	}
	return NULL;
}

/* The trimmed value of property @name of @calendar (NULL: none). */
static char *
dup_value(const char *calendar, const char *name)
{
	if (calendar == NULL)
		return NULL;
	g_autofree char *unfolded = dup_unfolded(calendar);
	char *value = dup_property(unfolded, name);
	return value != NULL ? g_strstrip(value) : NULL;
}

MailCalendarMethod
mail_calendar_method(const char *calendar)
{
	g_autofree char *method = dup_value(calendar, "METHOD");
	if (method == NULL)
		return MAIL_CALENDAR_OTHER;
	if (g_ascii_strcasecmp(method, "REQUEST") == 0)
		return MAIL_CALENDAR_REQUEST;
	if (g_ascii_strcasecmp(method, "REPLY") == 0)
		return MAIL_CALENDAR_REPLY;
	if (g_ascii_strcasecmp(method, "CANCEL") == 0)
		return MAIL_CALENDAR_CANCEL;
	return MAIL_CALENDAR_OTHER;
}

char *
mail_calendar_organizer(const char *calendar)
{
	g_autofree char *organizer = dup_value(calendar, "ORGANIZER");
	if (organizer == NULL || g_ascii_strncasecmp(organizer, "mailto:", 7) != 0 ||
	    organizer[7] == '\0')
		return NULL;
	return g_ascii_strdown(organizer + 7, -1);
}
