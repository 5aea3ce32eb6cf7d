/* The words of delivery reports (mail_bounce_words.c): what says that a
 * message is one, that it is only late, that the server gave up. Lower
 * case, single spaces. Read by mail_bounce.c alone. */
#pragma once

#include "mail/mail_private.h"

/* In a report's subject, in the languages servers write them in. */
extern const MailWordList mail_bounce_subject_words;
/* In the From of a mail system's own messages ("mailer-daemon",
 * "postmaster", "Microsoft Outlook"). */
extern const MailWordList mail_bounce_daemon_senders;
/* In a report's text: a message that could not be delivered. */
extern const MailWordList mail_bounce_body_words;
/* A warning that the server still tries, or holds the message: it
 * changes nothing. */
extern const MailWordList mail_bounce_delay_words;
/* What says, on its own, that a message is late (not that it arrived):
 * a daemon's plain-text delay warning is a report without any failure
 * wording (Sendmail's "THIS IS A WARNING MESSAGE ONLY", Postfix's
 * "Delayed Mail (still being retried)", Gmail's "temporary problem"). */
extern const MailWordList mail_bounce_late_words;
/* "Not yet delivered" in the other languages: a delay's words, and on
 * their own a sign of a report. */
extern const MailWordList mail_bounce_late_words_abroad;
/* A server that gave up: a delay's words beside these are a failure. */
extern const MailWordList mail_bounce_final_words;
