/*
 * Fuzz target: the IMAP response assembler's framing and the typed parser.
 * The input is what a server sends: it is cut into responses the way
 * imap_reader does (a line, and when it ends in {n}, n bytes of literal and
 * the rest of the response), and each response is parsed.
 */
#include "imap/imap_reader.h"
#include "imap/imap_response.h"

#include <stdint.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	ImapLimits limits;
	imap_response_limits_init(&limits);
	limits.max_literal_bytes = 4096;
	limits.max_items = 4096;
	const char *p = (const char *)data;
	const char *end = p + size;
	const char *start = p;

	while (p < end) {
		const char *lf = memchr(p, '\n', (size_t)(end - p));
		if (lf == NULL)
			break;
		size_t length = (size_t)(lf - p);
		if (length > 0 && p[length - 1] == '\r')
			length--;
		gint64 literal = imap_reader_literal_size(p, length);
		p = lf + 1;
		if (literal >= 0) {
			if ((guint64)literal > limits.max_literal_bytes ||
			    (guint64)literal > (guint64)(end - p))
				break;
			p += literal;
			continue;
		}
		g_autoptr(GError) error = NULL;
		g_autoptr(ImapResponse) response =
		        imap_response_parse(start, (gsize)(p - start), &limits, &error);
		if (response != NULL)
			(void)imap_response_has_word(response, "IDLE");
		start = p;
	}
	return 0;
}
