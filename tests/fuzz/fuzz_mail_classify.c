/*
 * Fuzz target: a whole incoming message through parsing, classification,
 * return-date reading and reply-text extraction.
 */
#include "mail/mail_classify.h"
#include "mail/mail_message.h"
#include "mail/mail_reply_text.h"

#include <gmime/gmime.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static bool initialised;
	if (!initialised) {
		g_mime_init();
		initialised = true;
	}
	g_autoptr(MailMessage) message = mail_message_parse((const char *)data, size);
	g_autoptr(MailClassification) result = mail_classify_message(message);
	g_autofree char *text = mail_reply_text_extract(mail_message_get_text(message));
	g_assert(g_utf8_validate(text, -1, NULL));
	g_assert(result->evidence != NULL);
	return 0;
}
