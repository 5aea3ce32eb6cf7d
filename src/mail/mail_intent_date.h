/*
 * mail_intent_date: the day a reply means by "later": "check back in Q2",
 * "next quarter", "in January", "in three weeks", "nach Ostern", "après
 * l'été", "el año que viene", in the eight languages mail_intent reads.
 * The next such day after @today (the reply's date): a quarter or a month
 * already begun is next year's. Pure.
 */
#pragma once

#include <glib.h>

/* @text: lower case, white space folded. "YYYY-MM-DD", newly allocated,
 * or NULL when the text says no time. */
char *mail_intent_date_find(const char *text, const GDate *today);
