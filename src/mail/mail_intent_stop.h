/*
 * mail_intent_stop: whether a reply asks to receive no more mail, as the
 * reply-intent reader needs it told apart from everything that only
 * sounds like it: a footer's "To unsubscribe, click here", a question
 * about how our tool handles opt-outs, "we unsubscribed last year", a
 * request for a colleague, "take me off the CC", a stop of one address
 * for another. Only this intent blacklists, so these are the checks that
 * keep it from being invented. Pure functions over folded text
 * (mail_intent_text); shared by the mail_intent_* files alone.
 */
#pragma once

#include <stdbool.h>

/* Whether a stop cue @phrase found at @at in @text is the writer's own
 * request: not in a footer, a link, a question about the process or about
 * others, a story told in the past, a thing spoken of ("opt-out rates"),
 * another list of ours, one conversation's copies. (Negation is read
 * apart: mail_intent_negation_before.) */
bool mail_intent_stop_counts(const char *text, const char *at, const char *phrase);

/* Whether the words right after a cue ending at @after name someone else
 * than the writer: a colleague, or an address that is not @sender's (NULL:
 * unknown, any address). */
bool mail_intent_stop_is_about_someone_else(const char *after, const char *sender);

/* Whether @text asks to take another person off a list ("remove my
 * colleague bob@x, he left"): that address is no one to write to instead. */
bool mail_intent_stop_asks_to_remove_another(const char *text, const char *sender);

/* Whether @text (folded), trimmed of punctuation, is a request to stop
 * and nothing else: "Unsubscribe", "Bitte aufhören", "Désinscription". */
bool mail_intent_stop_is_bare(const char *text);

/* "Stop" or "Unsubscribe" alone on the first line of @text, with nothing
 * but a name under it: the whole request. */
bool mail_intent_stop_first_line_is_bare(const char *text);

/* A stop said alone as the last sentence of @body, a command: "You've
 * emailed me four times. Stop." ("Stop. I'm not interested" opens with a
 * cry, and is read by its words.) */
bool mail_intent_stop_last_sentence_is_bare(const char *body);

/* Whether the stop at @at is of one address for another the writer gives
 * (not @sender's own): "Don't email me at this address, I've moved to
 * x@y", "Please remove me and add my colleague x@y instead". No stop of
 * all mail: the hand-off reads the new one. */
bool mail_intent_stop_of_one_address(const char *text, const char *at, const char *sender);
