/*
 * engine_window: when a campaign may send. A window is, per weekday, one
 * span of local wall-clock time ("mon-fri 09:00-17:00; sat 10:00-12:00"),
 * read in a time zone (GTimeZone, IANA names), so 09:00 stays 09:00 across
 * daylight-saving changes. A day without a span is closed.
 *
 * Plain data and pure functions; thread-safe. Times are microseconds since
 * the epoch.
 */
#pragma once

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>

/* Minutes since local midnight, per weekday (0 = Monday ... 6 = Sunday).
 * start == end means closed; otherwise start < end <= 24 * 60. */
typedef struct {
	int start_min[7];
	int end_min[7];
} EngineWindow;

/* "mon-fri 09:00-17:00", "mon,wed 9:00-12:00; sat 10:00-12:00",
 * "daily 08:00-20:00". On failure a short reason (static text). */
bool engine_window_parse(const char *text, EngineWindow *window, const char **reason);

/* "09:00-17:00" into minutes; "closed" or "" is a closed day. */
bool engine_window_parse_span(const char *text, int *start_min, int *end_min, const char **reason);

/* The weekday index (0 = Monday) of "mon", "tuesday", ..., or -1. */
int engine_window_weekday(const char *name);

bool engine_window_is_empty(const EngineWindow *window);

/* "mon-fri 09:00-17:00": a compact writing; newly allocated. */
char *engine_window_format(const EngineWindow *window);

/* The earliest moment at or after @at_us inside the window, read in @zone;
 * -1 when the window is empty. */
int64_t engine_window_next_open(const EngineWindow *window, GTimeZone *zone, int64_t at_us);

/* @at_us moved forward by @days days that have an open span (the time of
 * day kept, in @zone): "3 sending days" skips weekends. */
int64_t engine_window_add_sending_days(const EngineWindow *window, GTimeZone *zone, int64_t at_us,
                                       int days);
