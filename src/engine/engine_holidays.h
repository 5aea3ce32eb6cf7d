/*
 * engine_holidays: named public-holiday calendars, one per country
 * (data/holidays.txt, embedded at build time; its sources are in it): the
 * country-wide public holidays as rules that hold for any year (a date,
 * days from Easter, the nth or last weekday of a month, the first weekday
 * on or after a date; a weekend day observed or substituted on a weekday).
 * A campaign's `holidays: [DE]` sends nothing on them.
 *
 * Pure; the table is read once, and then only read (thread-safe).
 */
#pragma once

#include <glib.h>
#include <stdbool.h>

/* Whether piculet has a calendar for @country ("DE", "US", ...). */
bool engine_holidays_known(const char *country);

/* The countries it has, "AT, AU, ...": a new string. */
char *engine_holidays_countries(void);

/* The name of @country's public holiday on @year-@month-@day, or NULL
 * when it is none (or the country is not known). */
const char *engine_holidays_on(const char *country, int year, int month, int day);

/* Checks @text in the form of data/holidays.txt; ENGINE_ERROR_INPUT
 * naming the line of the first mistake. (The shipped file is checked by
 * the tests; at run time a bad line is left out with a warning.) */
bool engine_holidays_check(const char *text, GError **error);
