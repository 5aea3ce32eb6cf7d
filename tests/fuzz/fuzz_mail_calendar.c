/*
 * Fuzz target: an iCalendar object as a message carries it (any bytes,
 * made valid UTF-8 as the message layer does): its method and organiser.
 */
#include "mail/mail_calendar.h"

#include <glib.h>
#include <string.h>

#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	g_autofree char *text = g_utf8_make_valid((const char *)data, (gssize)size);
	MailCalendarMethod method = mail_calendar_method(text);
	g_assert(method >= MAIL_CALENDAR_OTHER && method <= MAIL_CALENDAR_CANCEL);
	g_autofree char *organizer = mail_calendar_organizer(text);
	g_assert(organizer == NULL || (organizer[0] != '\0' && strchr(organizer, '\n') == NULL));
	return 0;
}
