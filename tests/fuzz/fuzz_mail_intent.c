/*
 * Fuzz target: a reply's text (any bytes, made valid UTF-8 as the message
 * layer does) through intent reading, its dates ("in three weeks", "Q2",
 * "nach Ostern") and referral, and the same text read as an
 * out-of-office's return date. The first byte picks the subject: none, a
 * bare "unsubscribe", or the text itself.
 */
#include "mail/mail_intent.h"
#include "mail/mail_return_date.h"

#include <string.h>

#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size == 0)
		return 0;
	g_autofree char *text = g_utf8_make_valid((const char *)data + 1, (gssize)size - 1);
	const char *subjects[] = {NULL, "Re: unsubscribe", text};
	g_autoptr(GDateTime) sent = g_date_time_new_utc(2026, 12, 2, 10, 0, 0);
	g_autoptr(MailIntentResult) result =
	        mail_intent_read(text, subjects[data[0] % 3], "carol@prospect.test", sent);
	g_assert(result->confidence >= 0 && result->confidence <= 100);
	g_assert(result->evidence != NULL);
	g_assert(result->date == NULL || result->intent == MAIL_INTENT_LATER);
	g_assert(result->referral == NULL || result->intent == MAIL_INTENT_WRONG_PERSON);
	g_autofree char *back = mail_return_date_find(text, sent);
	g_assert(back == NULL || (strlen(back) == 10 && back[4] == '-' && back[7] == '-'));
	MailIntent again;
	g_assert(mail_intent_parse(mail_intent_to_string(result->intent), &again) &&
	         again == result->intent);
	return 0;
}
