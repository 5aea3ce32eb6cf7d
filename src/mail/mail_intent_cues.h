/* The reply-intent reader's cues: phrases (lower case, single spaces,
 * "'" for apostrophes), each with the intent it speaks for and its
 * weight. Read by mail_intent.c alone. */
#pragma once

#include "mail/mail_intent.h"

#include <glib.h>

typedef struct {
	const char *phrase;
	MailIntent intent;
	int weight; /* MAIL_INTENT_DATED(w): w, only when the text says a date too */
} MailIntentCue;

#define MAIL_INTENT_DATED(weight) (-(weight))

extern const MailIntentCue mail_intent_cues[];
extern const gsize mail_intent_n_cues;
