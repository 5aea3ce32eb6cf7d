/* The words of machines' notifications that answer nothing: an order
 * shipped, an invoice, a voicemail, a reminder, an invitation to a
 * network (mail_notification_words.c). Lower case, single spaces. Read by
 * mail_classify.c alone. */
#pragma once

#include "mail/mail_private.h"

/* In a notification's text, in the eight languages. */
extern const MailWordList mail_notification_body;
