/*
 * mail_intent_condition: interest said under a condition is no interest.
 * "If we're interested, we'll contact you", "Bei Interesse melden wir
 * uns", "Si nos interesa, le contactaremos": the polite way of saying no,
 * in the eight languages. On folded text (lower case, one space between
 * words, as mail_intent reads it). Pure.
 */
#pragma once

#include <stdbool.h>

/* Whether a condition opens the clause that holds @at ("if we're
 * [interested]", "bei [Interesse]", "se saremo [interessati]"): a word of
 * condition after the clause's last comma or stop and before @at. */
bool mail_intent_condition_before(const char *text, const char *at);

/* Whether @text promises to get back to us should a need or an interest
 * arise, in one sentence ("we'll be in touch if there's a need", "nous
 * reviendrons vers vous si besoin", "odezwiemy się, jeśli będziemy
 * zainteresowani"): a no, politely. */
bool mail_intent_condition_promises_if_needed(const char *text);
