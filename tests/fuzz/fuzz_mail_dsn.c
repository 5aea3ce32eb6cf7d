/*
 * Fuzz target: the RFC 3464 delivery-status reader.
 */
#include "mail/mail_dsn.h"

#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	g_autofree char *text = g_strndup((const char *)data, size);
	g_autoptr(GPtrArray) recipients = mail_dsn_parse(text);
	for (guint i = 0; i < recipients->len; i++)
		g_assert(((MailDsnRecipient *)recipients->pdata[i])->recipient != NULL);
	return 0;
}
