/*
 * mail_responder: whether a message is a responder's (an out-of-office,
 * a vacation notice, a ticket system's acknowledgement, a notice that the
 * box's owner has left) rather than a person's answer, and what it says:
 * the day its writer is back, or that they left and whom to write to
 * instead. By marks only responders write (Auto-Submitted: auto-replied,
 * X-Autoreply, Exchange's loop header, ...), then by a subject or words at
 * the top in the eight languages and more, never over a quote of ours or
 * words that say what a person wants. Pure; shared inside the message
 * layer (mail_classify) and its tests.
 */
#pragma once

#include "mail/mail_classify.h"
#include "mail/mail_message.h"

#include <stdbool.h>

/* How much of the text (from its top) is searched for a responder's
 * sentences: a template says what it is at the top. */
#define MAIL_RESPONDER_TOP_BYTES 1024

/* The part of @subject (lower case) a responder wrote: what stands before
 * the first answer prefix ("automatic reply: re: our subject" →
 * "automatic reply: "). Words after a "Re:" are our own subject's ("Re:
 * Absence tracking at Acme" is a person's answer). Newly allocated. */
char *mail_responder_part(const char *subject);

/* The mark only a responder writes on @message, named for the evidence,
 * or NULL: such marks win over list marks (a vacation notice sent to a
 * list still says Precedence: bulk). @auto_submitted and @precedence are
 * those headers in lower case, or NULL. */
const char *mail_responder_mark(const MailMessage *message, const char *auto_submitted,
                                const char *precedence);

/* The sign that @message is a responder's when it bears no such mark,
 * named for the evidence, or NULL: a responder's subject, a departure or
 * an absence told at the top of @text (its first bytes, lower case), an
 * Auto-Submitted answer in a thread. @subject: lower case, or NULL;
 * @machine_marked: a list's or bulk mark or a null Return-Path is on it
 * (then a responder's acknowledgement subject is enough). */
const char *mail_responder_sign(const MailMessage *message, const char *auto_submitted,
                                const char *subject, const char *text, bool machine_marked);

/* Fills @result as an auto-reply for the reason @why: departed (with the
 * colleague it names) or the day its writer is back, read in @head (the
 * text's first bytes, lower case) or the responder's part of the subject,
 * after the message's Date. */
void mail_responder_classify(const MailMessage *message, const char *head, const char *why,
                             MailClassification *result);

/* Whether @text says what its writer wants: interest, a meeting, a no, a
 * stop, or a question to us. A responder's notice names a return and
 * whom to write to (a "later" and a "wrong person" of their own), never
 * these; nor does a ticket system's acknowledgement. */
bool mail_responder_says_what_a_person_wants(const char *text);

/* @own without its sentences that speak to the reader (what to do if
 * something cannot wait, offers on the reader's condition, "Interested in
 * our products?"): no one's wish. Newly allocated. */
char *mail_responder_dup_without_words_to_the_reader(const char *own);
