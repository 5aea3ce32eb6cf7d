/*
 * base_zone: time zones by IANA name ("Europe/Berlin", "UTC",
 * "America/Argentina/Buenos_Aires"), checked before GLib sees them.
 *
 * A name comes from outside (a campaign file, a CSV row, a flag). GLib
 * takes any path: given "/etc/passwd" or "../../etc/passwd" it reads a file
 * that is not a zone, logs a critical while holding its zone cache's lock,
 * and a log writer that asks GLib for the time then deadlocks. So a name is
 * accepted only when it has the shape of an IANA name (ASCII letters,
 * digits, "_", "-", "+", components joined by "/", no dot, no empty
 * component, at most 64 bytes) and the file of that name under the zone
 * directory ($TZDIR or /usr/share/zoneinfo) starts with the TZif magic.
 *
 * Thread-safe; reads a file per call (callers remember what they checked).
 */
#pragma once

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>

/* Whether @name has the shape of an IANA zone name (no file is read). */
bool base_zone_name_is_valid(const char *name);

/* The zone named @name, or NULL with BASE_ERROR_INVALID saying why. */
GTimeZone *base_zone_new(const char *name, GError **error);

/* @at_us (µs since the epoch) as "2026-12-01T09:00:00Z" (RFC 3339, UTC),
 * newly allocated; NULL for 0 or less (not set). */
char *base_zone_format_utc(int64_t at_us);

/* "2026-12-24" (exactly that shape, @length bytes of @text) as a real
 * calendar date; false otherwise. */
bool base_zone_parse_date(const char *text, gsize length, int *year, int *month, int *day);
