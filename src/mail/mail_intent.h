/*
 * mail_intent: what a person's reply means, by rules (no network, no
 * model), in English, German, French, Spanish, Italian, Dutch, Polish and
 * Portuguese. Documented with examples in docs/classification.md.
 *
 * - unsubscribe: an explicit request to receive no more mail ("remove me",
 *   "abmelden", "retirez-moi de votre liste", a subject "unsubscribe" with
 *   an empty body). Never "not now", never "not interested": only this
 *   intent blacklists, so it is the one that must not be invented.
 * - wrong_person: "not the right person", "I have left", with the address
 *   of the colleague referred to when the text gives one.
 * - later: "not now", "check back in Q2", "nach Ostern", with the date
 *   meant when one is said (the next occurrence after the reply's date).
 * - meeting: asks for or accepts a time ("does Tuesday 3pm work?").
 * - not_interested: "no thanks", "we already use X".
 * - interested: "sounds interesting, send me more".
 * - needs_review: none of these, or signals that disagree.
 *
 * Each comes with a confidence (0 to 100); below 60 the reply also says
 * needs_review. Pure: the reply's new text (mail_reply_text), its subject
 * and its date in.
 */
#pragma once

#include <glib.h>
#include <stdbool.h>

typedef enum {
	MAIL_INTENT_NEEDS_REVIEW,
	MAIL_INTENT_INTERESTED,
	MAIL_INTENT_MEETING,
	MAIL_INTENT_LATER,
	MAIL_INTENT_NOT_INTERESTED,
	MAIL_INTENT_WRONG_PERSON,
	MAIL_INTENT_UNSUBSCRIBE,
} MailIntent;

#define MAIL_INTENT_COUNT 7

typedef struct {
	MailIntent intent;
	int confidence;    /* 0 to 100 */
	bool needs_review; /* unsure: a person should look */
	char *date;        /* later: "YYYY-MM-DD" when a time is said, else NULL */
	char *referral;    /* wrong_person: the address referred to, else NULL */
	char *evidence;    /* the phrases that decided */
} MailIntentResult;

/* @text: the reply's new text (no quote, no signature); @subject: its
 * Subject or NULL; @sender: its From address (not a referral) or NULL;
 * @sent: its Date, the reference for dates, or NULL (then only dates with
 * a year are given). */
MailIntentResult *mail_intent_read(const char *text, const char *subject, const char *sender,
                                   GDateTime *sent);
void mail_intent_result_free(MailIntentResult *result);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(MailIntentResult, mail_intent_result_free)

/* "interested", "meeting", ...; "needs_review" for NEEDS_REVIEW. */
const char *mail_intent_to_string(MailIntent intent);
/* false when @name is none of them. */
bool mail_intent_parse(const char *name, MailIntent *intent);
