/*
 * mail_calendar: what an iCalendar object carried by mail says (RFC 5545,
 * iTIP RFC 5546): its method (an invitation, an answer, a cancellation)
 * and who organises the event. Folded lines are read unfolded. Pure.
 */
#pragma once

typedef enum {
	MAIL_CALENDAR_OTHER,   /* no METHOD, or one of no meaning here (PUBLISH) */
	MAIL_CALENDAR_REQUEST, /* an invitation, or an update of one */
	MAIL_CALENDAR_REPLY,   /* an attendee's answer */
	MAIL_CALENDAR_CANCEL,  /* the organiser called it off */
} MailCalendarMethod;

MailCalendarMethod mail_calendar_method(const char *calendar);

/* The organiser's address (ORGANIZER's "mailto:" value), lower case, newly
 * allocated, or NULL. */
char *mail_calendar_organizer(const char *calendar);
