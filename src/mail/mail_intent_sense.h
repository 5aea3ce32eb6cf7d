/*
 * mail_intent_sense: whether a cue of the reply-intent reader, found in a
 * reply's folded text, is said in the sense its intent needs: not turned
 * around by a negation ("not interested"), not inside a link, not a
 * "send me" of nothing ("send me no more"), not "pass this along", not an
 * interest under a condition ("if we're interested") or taken back by a
 * "but" and a no, not a "contact" of someone else, and for a stop every
 * check of mail_intent_stop. Pure functions; shared by the mail_intent_*
 * files alone.
 */
#pragma once

#include "mail/mail_intent_cues.h"

#include <stdbool.h>

/* Whether @cue, found at @at in @text (it starts a word there), counts. */
bool mail_intent_sense_counts(const char *text, const char *at, const MailIntentCue *cue);

/* Where @cue stands in @text (a short one: a subject, a clause) at a
 * word's start and in its sense, or NULL. */
const char *mail_intent_sense_find(const char *text, const MailIntentCue *cue);

/* Whether a message noun ("an email", "eine Mail", "un courriel", ...)
 * follows @after within a few words of its sentence: a "send me" that
 * asks to be written to ("send me an email in January"), not for
 * something. */
bool mail_intent_sense_asks_for_a_message(const char *after);
