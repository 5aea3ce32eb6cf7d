/*
 * mail_intent_negation: whether a cue of the reply-intent reader is said
 * the other way round: a negation right before it ("not interested",
 * "nicht wirklich interessiert"), or a thing refused whose clause holds it
 * ("not something we're interested in"). Pure functions over folded text
 * (mail_intent_text); shared by the mail_intent_* files alone.
 */
#pragma once

#include <stdbool.h>

/* Whether a negation ("not", "n't", "nicht", "pas", "nie", ...) stands
 * right before @at in @text, one word at most between ("not really
 * interested"), with no stop or comma between. */
bool mail_intent_negation_before(const char *text, const char *at);

/* Whether the clause holding @at opens with a thing refused and goes on
 * about it: "not something we're interested in", "non è un argomento che
 * ci interessa", "kein Thema, das uns interessiert" (not "not a bad
 * idea"). */
bool mail_intent_negation_refuses_thing_before(const char *text, const char *at);
