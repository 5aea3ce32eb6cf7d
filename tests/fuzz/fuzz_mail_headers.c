/*
 * Fuzz target: the header block reader and decoder (RFC 2047, charsets,
 * address lists) over anything a server may hand us.
 */
#include "mail/mail_headers.h"

#include <gmime/gmime.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const fields[] = {"From",       "To",          "Cc",
	                                     "Subject",    "Reply-To",    "Message-ID",
	                                     "References", "Content-Type"};
	static bool initialised;
	if (!initialised) {
		g_mime_init();
		initialised = true;
	}
	g_autoptr(MailHeaders) headers = mail_headers_parse((const char *)data, size);
	for (gsize i = 0; i < G_N_ELEMENTS(fields); i++) {
		g_autofree char *value = mail_headers_dup_decoded(headers, fields[i]);
		if (value != NULL)
			g_assert(g_utf8_validate(value, -1, NULL));
	}
	return 0;
}
