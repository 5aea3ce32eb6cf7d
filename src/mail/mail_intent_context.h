/*
 * mail_intent_context: the reply-intent reader's second look, once the
 * cues are scored: each read again beside the rest of the reply ("not
 * now, not ever" takes back a "later"; "we already use X, but we're not
 * thrilled" takes back a "no"), a colleague added beside a yes, and a
 * reply that is nothing but "Yes.", "Later." or "No.". Each function
 * moves weights in @scores and notes why in its evidence. Shared by the
 * mail_intent_* files alone.
 */
#pragma once

#include "mail/mail_intent_scores.h"

/* The cues read again beside the rest of @body (folded): a later denied,
 * a company's rule, a tool its user would change, a no opened again, a
 * stop of the channel beside a talk, a call back promised if ever needed. */
void mail_intent_context_read(const char *body, MailIntentScores *scores);

/* "Interested - also looping in tom@", "Thursday works, adding my
 * colleague to the invite": a colleague added beside the writer's own yes,
 * not a hand-off (a redirect said outright weighs more). */
void mail_intent_context_keep_added_colleague_aside(const char *body, MailIntentScores *scores);

/* A @body (folded) that is nothing but a yes, a "later" or a no, in the
 * eight languages: "Sure.", "Maybe later.", "Nein.". */
void mail_intent_context_score_bare_answers(const char *body, MailIntentScores *scores);
