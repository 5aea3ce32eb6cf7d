/*
 * mail_return_date: the day someone is back, read from the text of an
 * out-of-office reply in English, German, French, Spanish, Italian, Dutch,
 * Polish or Portuguese: "I'm back on 3 March", "ab dem 12.03. wieder im
 * Büro", "de retour le 5 avril", "hasta el 5 de abril", "fino al 5 aprile",
 * "tot en met 5 april", "do 5 kwietnia", "até 5 de abril", "March 3rd, 2027",
 * "2027-03-05".
 *
 * A date after a word like "back", "wieder", "retour", "rientro", "terug"
 * is the return day and wins; a date after "until", "bis", "hasta", "fino",
 * "tot en met", "do", "até", "through", or the second date of a range
 * ("2.12.–13.12.", "from 2 December to 13 December") is the last day away,
 * so the day after it is returned; otherwise the latest date mentioned. "The
 * 14th" after such a word is the next 14th; with no date at all, a weekday
 * or "tomorrow" after such a word ("back on Monday", "bis Freitag") is the
 * next such day. Dates before @sent_at (the
 * message's Date) or more than a year after it are ignored; a date without
 * a year is the next such day, unless it passed in the last 45 days (an
 * out-of-office left on too long: the day is returned as it is, past).
 * Pure.
 */
#pragma once

#include <glib.h>

/* "YYYY-MM-DD", newly allocated, or NULL when the text names no such day. */
char *mail_return_date_find(const char *text, GDateTime *sent_at);

/* The month (1 to 12) whose name, in one of the eight languages, starts at
 * @p (lower case) and ends at a word boundary, with its *@length; 0 when
 * none does. */
int mail_return_date_month_at(const char *p, gsize *length);

/* The Monday of ISO 8601 week @week (1 to 53) of @year, newly allocated,
 * or NULL when that year has no such week (a 53rd in a year of 52). */
GDate *mail_return_date_iso_week_monday(int week, int year);
