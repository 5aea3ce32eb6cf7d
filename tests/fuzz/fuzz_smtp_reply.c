/*
 * Fuzz target: the SMTP reply reader and the outcome classifier. The input
 * is what a server sends: lines split at LF (a CR before it is dropped, as
 * the network layer does).
 */
#include "smtp/smtp_outcome.h"
#include "smtp/smtp_reply.h"

#include <stdint.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	g_autoptr(SmtpReplyReader) reader = smtp_reply_reader_new();
	const char *p = (const char *)data;
	const char *end = p + size;

	while (p < end) {
		const char *lf = memchr(p, '\n', (size_t)(end - p));
		size_t length = (size_t)((lf != NULL ? lf : end) - p);
		size_t line_length = length > 0 && p[length - 1] == '\r' ? length - 1 : length;
		bool complete = false;
		g_autoptr(GError) error = NULL;
		if (smtp_reply_reader_feed(reader, p, line_length, &complete, &error) && complete) {
			g_autoptr(SmtpReply) reply = smtp_reply_reader_steal(reader);
			for (int stage = SMTP_STAGE_GREETING; stage <= SMTP_STAGE_QUIT; stage++)
				(void)smtp_outcome_classify(reply, (SmtpStage)stage);
			(void)smtp_outcome_advise(reply, false);
			(void)smtp_outcome_advise(reply, true);
			g_free(smtp_reply_dup_summary(reply, 200));
		}
		p += length + 1;
	}
	return 0;
}
