/*
 * mail_machine: mail that no person wrote and that is neither a report
 * nor a responder's: read and delivery receipts, a recall, a list's or a
 * sending service's message, a no-reply sender's, a challenge-response
 * filter's notice, a shop's or a phone system's notification, a mailing
 * with an opt-out footer, and whatever a daemon, a null Return-Path or a
 * service writing on someone's behalf sent. Each test says why, for the
 * evidence. Pure; shared inside the message layer (mail_classify) and its
 * tests.
 */
#pragma once

#include "mail/mail_message.h"

#include <stdbool.h>

/* Whether @message bears a list's, a bulk sender's or a receipt's mark;
 * *@why (newly allocated) then names it. *@weak: only a mark that mail
 * systems also put on a person's mail (a gateway's List-Unsubscribe, a
 * server's Precedence: bulk, a list's on an answer in a thread), not a
 * list's own message, a service's or a no-reply sender's. @precedence,
 * @from, @subject: those headers in lower case, or NULL; @head: the
 * text's first bytes, lower case, or NULL. */
bool mail_machine_is_bulk(const MailMessage *message, const char *precedence, const char *from,
                          const char *subject, const char *head, char **why, bool *weak);

/* What says no person wrote @message, when nothing else made sense of it
 * (then it is `other`, for a person to look at), or NULL. @from: the From
 * header in lower case, or NULL. */
const char *mail_machine_not_a_person(const MailMessage *message, const char *from);

/* Whether @message is a shop's, a billing system's, a phone system's or a
 * network's notification, by its template's words in @head (the text's
 * first bytes, lower case), with no person's words in it. */
bool mail_machine_reads_as_a_notification(const MailMessage *message, const char *head);

/* Whether @message is a mailing with an opt-out footer ("if you no longer
 * wish to receive ...") and no person's words, not an answer (@subject,
 * lower case, has no "Re:") nor an invitation. @head: the text's first
 * bytes, lower case. */
bool mail_machine_has_mailing_footer(const MailMessage *message, const char *head,
                                     const char *subject);

/* Whether @message is a challenge-response filter's notice; *@waiting
 * then says whether it holds our message until someone acts (a person
 * should look) or only says we are on its list. @head: the text's first
 * bytes, lower case. */
bool mail_machine_is_challenge(const MailMessage *message, const char *head, bool *waiting);

/* Whether @from (a From header, lower case) is a sender no person writes
 * from: "no-reply@", "noreply@", "do-not-reply@", ... (a prospect may
 * well answer from marketing@ or info@). */
bool mail_machine_is_no_reply_sender(const char *from);
