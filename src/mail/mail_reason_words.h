/* The words a bounce's text gives its reason in, by reason (lower case,
 * single spaces; mail_reason_words.c). Read by mail_reason.c alone. */
#pragma once

#include "mail/mail_private.h"

extern const MailWordList mail_reason_sender_words;
extern const MailWordList mail_reason_mail_from_words;
extern const MailWordList mail_reason_listing_words;
extern const MailWordList mail_reason_sending_quota_words;
extern const MailWordList mail_reason_greylist_and_rate_words;
extern const MailWordList mail_reason_full_words;
extern const MailWordList mail_reason_too_big_words;
extern const MailWordList mail_reason_spam_words;
extern const MailWordList mail_reason_content_words;
extern const MailWordList mail_reason_client_words;
extern const MailWordList mail_reason_policy_words;
extern const MailWordList mail_reason_directory_words;
extern const MailWordList mail_reason_not_accepted_words;
extern const MailWordList mail_reason_host_unknown_words;
extern const MailWordList mail_reason_suspended_words;
extern const MailWordList mail_reason_user_unknown_words;
extern const MailWordList mail_reason_recipient_nouns;
extern const MailWordList mail_reason_absence_words;
extern const MailWordList mail_reason_routing_words;
extern const MailWordList mail_reason_expired_words;
extern const MailWordList mail_reason_connection_words;
extern const MailWordList mail_reason_network_words;
