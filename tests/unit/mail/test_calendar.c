/*
 * What an iCalendar object says: its method, and its organiser as an
 * address, also when the line is folded or a parameter holds a colon.
 */
#include "mail/mail_calendar.h"

#include <glib.h>

static void
test_method(void)
{
	g_assert_cmpint(mail_calendar_method("BEGIN:VCALENDAR\r\nMETHOD:REQUEST\r\n"), ==,
	                MAIL_CALENDAR_REQUEST);
	g_assert_cmpint(mail_calendar_method("BEGIN:VCALENDAR\nmethod:reply\n"), ==,
	                MAIL_CALENDAR_REPLY);
	g_assert_cmpint(mail_calendar_method("METH\r\n OD:CANCEL\r\n"), ==, MAIL_CALENDAR_CANCEL);
	g_assert_cmpint(mail_calendar_method("METHOD:PUBLISH\n"), ==, MAIL_CALENDAR_OTHER);
	/* a property that only begins with the name */
	g_assert_cmpint(mail_calendar_method("METHODS:REQUEST\n"), ==, MAIL_CALENDAR_OTHER);
	g_assert_cmpint(mail_calendar_method("BEGIN:VEVENT\nEND:VEVENT\n"), ==,
	                MAIL_CALENDAR_OTHER);
	g_assert_cmpint(mail_calendar_method(""), ==, MAIL_CALENDAR_OTHER);
	g_assert_cmpint(mail_calendar_method(NULL), ==, MAIL_CALENDAR_OTHER);
}

static void
test_organizer(void)
{
	g_autofree char *plain = mail_calendar_organizer("ORGANIZER:mailto:Dora@Prospect.test\n");
	g_assert_cmpstr(plain, ==, "dora@prospect.test");
	g_autofree char *quoted = mail_calendar_organizer(
	        "ORGANIZER;CN=\"Prospect: Dora\":MAILTO:dora@prospect.test\r\n");
	g_assert_cmpstr(quoted, ==, "dora@prospect.test");
	g_autofree char *folded = mail_calendar_organizer(
	        "ORGANIZER;CN=Carol Prospect:mailto:carol@pros\r\n pect.test\r\nEND:VEVENT\r\n");
	g_assert_cmpstr(folded, ==, "carol@prospect.test");
	g_assert_null(mail_calendar_organizer("ORGANIZER;CN=Carol\n"));
	g_assert_null(mail_calendar_organizer("ORGANIZER:https://cal.example/x\n"));
	g_assert_null(mail_calendar_organizer("ORGANIZER:mailto:\n"));
	g_assert_null(mail_calendar_organizer("ATTENDEE:mailto:alice@sender.test\n"));
	g_assert_null(mail_calendar_organizer(NULL));
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/mail/calendar/method", test_method);
	g_test_add_func("/mail/calendar/organizer", test_organizer);
	return g_test_run();
}
