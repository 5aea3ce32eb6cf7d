/*
 * Fuzz target: the EHLO capability parser, over a reply whose lines are
 * the input's lines.
 */
#include "smtp/smtp_ehlo.h"

#include <stdint.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	g_autoptr(SmtpReply) reply = smtp_reply_new();
	reply->code = 250;
	const char *p = (const char *)data;
	const char *end = p + size;
	while (p < end && reply->lines->len < SMTP_REPLY_MAX_LINES) {
		const char *lf = memchr(p, '\n', (size_t)(end - p));
		size_t length = (size_t)((lf != NULL ? lf : end) - p);
		g_ptr_array_add(reply->lines, g_strndup(p, length));
		p += length + 1;
	}
	SmtpCapabilities capabilities;
	smtp_ehlo_parse(reply, &capabilities);
	return 0;
}
