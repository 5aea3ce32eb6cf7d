/*
 * engine_duration: the durations people write in campaign files: "90m",
 * "36h", "3d", "1w", "1d12h", "45s"; and ranges of them ("60s-180s").
 * A bare number is refused: "3" could mean anything. Pure.
 */
#pragma once

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>

/* The longest duration accepted: a year, far beyond any sane delay. */
#define ENGINE_DURATION_MAX_S ((int64_t)366 * 86400)

/* Parses @text into seconds. On failure a short reason in @reason (static
 * text) and false. */
bool engine_duration_parse(const char *text, int64_t *seconds, const char **reason);

/* Parses "MIN-MAX" (or one duration, meaning MIN = MAX). */
bool engine_duration_parse_range(const char *text, int64_t *min_s, int64_t *max_s,
                                 const char **reason);

/* "3d", "36h", "1d 2h 30m": the shortest writing of @seconds; newly
 * allocated. */
char *engine_duration_format(int64_t seconds);
