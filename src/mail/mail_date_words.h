/* The names of months and days that dates are written with
 * (mail_date_words.c), lower case. Read by mail_return_date.c alone (the
 * intent's date reader asks it: mail_return_date_month_at). */
#pragma once

#include <glib.h>

typedef struct {
	const char *name; /* "january", "janv", "stycznia", "декабря", ... */
	int month;        /* 1 to 12 */
} MailDateMonthName;

typedef struct {
	const char *name; /* "monday", "mittwoch", "tomorrow", ... */
	int weekday;      /* GDateWeekday; 0: tomorrow */
} MailDateDayName;

/* Month names and the forms dates use, in the eight languages we read
 * (English, German, French, Spanish, Italian, Dutch, Polish genitive and
 * nominative, Portuguese) and Russian, accented and unaccented, and the
 * abbreviations calendars print ("4 janv.", "3. Dez.", "4 ene"; not the
 * English words "set", "ago" and "out"). */
extern const MailDateMonthName mail_date_words_months[];
extern const gsize mail_date_words_n_months;

/* Days of the week and "tomorrow" in the eight languages. */
extern const MailDateDayName mail_date_words_days[];
extern const gsize mail_date_words_n_days;
