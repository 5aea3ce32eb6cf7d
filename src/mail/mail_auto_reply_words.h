/* The words responders write, lower case, single spaces
 * (mail_auto_reply_words.c). Read by mail_classify.c alone. */
#pragma once

#include "mail/mail_private.h"

/* In a responder's subject ("out of office", "abwesend", ...). */
extern const MailWordList mail_auto_reply_subjects;
/* At the start of an acknowledgement's own subject. */
extern const MailWordList mail_acknowledgement_subjects;
/* In an out-of-office notice's text. */
extern const MailWordList mail_auto_reply_body;
/* In the notice of someone who has left for good. */
extern const MailWordList mail_departed_body;
/* Words that say a leave is no departure ("has left for the holidays"). */
extern const MailWordList mail_not_departed_body;
