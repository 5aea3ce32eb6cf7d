/*
 * engine_pauses: how long each kind of trouble waits, named in one place
 * with its default. A run takes them from EngineRunOptions.pauses (NULL:
 * engine_pauses_default); docs/ARCHITECTURE.md lists them.
 */
#pragma once

#include <stdint.h>

typedef struct {
	int64_t reading_trouble_s;    /* the mailbox's IMAP failed: it waits altogether */
	int64_t connection_trouble_s; /* SMTP unreachable, or cut before a message ended */
	int64_t lasting_trouble_s;    /* SMTP login refused, settings or sender refused */
	int64_t retry_base_s;         /* a temporary refusal of a message, doubled each time */
	int max_retries;              /* refusals in a row before the enrollment fails */
	int64_t soft_bounce_s;        /* a soft bounce (a full mailbox) pauses the enrollment */
	int max_soft_bounces;         /* the one that ends the enrollment */
	int64_t junk_every_s;         /* the Junk folder is read at least this often */
} EnginePauses;

/* 600 s, 300 s, 3600 s, 900 s (15 min, 30, 60, ...), 5, 1 day, 3, 600 s.
 * A throttled mailbox (a quota or rate limit) waits until the next UTC day,
 * and one whose password cannot be read until a person acts. */
extern const EnginePauses engine_pauses_default;
