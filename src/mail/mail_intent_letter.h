/*
 * mail_intent_letter: the frame of a letter around a reply's own words,
 * for the reply-intent reader: a first line that only greets ("Hi
 * Alice,"), a first sentence that only thanks ("Thanks for reaching
 * out."), the sign-off and the signature below it, a company footer's
 * offers put as the sender ("Want to stop hearing from us? Opt out."),
 * and the lines a mail program writes for its "Unsubscribe" button. Pure
 * functions; every result is newly allocated. Shared by the mail_intent_*
 * files alone.
 */
#pragma once

#include <stdbool.h>

/* Words at most of a name under a sign-off or a bare request ("Stop" /
 * "Bob Miller, CEO"). */
#define MAIL_INTENT_LETTER_NAME_WORDS 4

/* Whether @sentence (folded) speaks as a newsletter's sender does, with
 * one of "from us", "our emails", "von uns", "de notre part", ... as
 * whole words: a stop offered to the reader, no request of the writer's. */
bool mail_intent_letter_speaks_as_sender(const char *sentence);

/* @body (folded) without a footer's question put as the sender and the
 * short answer after it ("Want to stop hearing from us? Opt out."):
 * nothing in them is the writer's. */
char *mail_intent_letter_dup_without_footer_offers(const char *body);

/* @text (the reply's new text) folded, up to its sign-off line. */
char *mail_intent_letter_dup_above_sign_off(const char *text);

/* @text folded up to the end of its sign-off line ("Best regards," and
 * what it holds: "Thanks, remove me."), or NULL when it has no sign-off
 * or a postscript follows it ("P.S.", "PS:"): what is below is a
 * signature's, not the writer's words. */
char *mail_intent_letter_dup_through_sign_off(const char *text);

/* @text (as it is, not folded) without the lines a mail program wrote for
 * its reader's "Unsubscribe" button: what is left is what the person
 * wrote. */
char *mail_intent_letter_dup_without_button_lines(const char *text);

/* The letter's own words, folded: @text above its sign-off, without a
 * first line that only greets, a first sentence that only thanks or a
 * company footer's offers. "Hi Alice,\n\nStop.\n\nBest regards,\nCarol"
 * is a bare "stop" as much as "Stop." is. */
char *mail_intent_letter_dup_core(const char *text);
