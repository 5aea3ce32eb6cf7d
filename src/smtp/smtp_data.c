#include "smtp/smtp_data.h"

#include <string.h>

struct SmtpDataEncoder {
	bool at_line_start; /* the next byte starts a line */
	bool pending_cr;    /* the last byte was a CR not yet written */
};

SmtpDataEncoder *
smtp_data_encoder_new(void)
{
	SmtpDataEncoder *encoder = g_new0(SmtpDataEncoder, 1);
	encoder->at_line_start = true;
	return encoder;
}

void
smtp_data_encoder_free(SmtpDataEncoder *encoder)
{
	g_free(encoder);
}

static void
end_line(SmtpDataEncoder *encoder, GByteArray *out)
{
	g_byte_array_append(out, (const guint8 *)"\r\n", 2);
	encoder->at_line_start = true;
	encoder->pending_cr = false;
}

void
smtp_data_encoder_push(SmtpDataEncoder *encoder, const void *data, gsize n, GByteArray *out)
{
	const guint8 *p = data;
	const guint8 *end = p + n;

	while (p < end) {
		if (encoder->pending_cr) {
			/* CRLF, or a bare CR that becomes CRLF. */
			end_line(encoder, out);
			if (*p == '\n')
				p++;
			continue;
		}
		if (*p == '\r') {
			encoder->pending_cr = true;
			p++;
			continue;
		}
		if (*p == '\n') {
			end_line(encoder, out);
			p++;
			continue;
		}
		if (encoder->at_line_start && *p == '.')
			g_byte_array_append(out, (const guint8 *)".", 1);
		/* Copy the run up to the next line end in one go. */
		const guint8 *run_end = p;
		while (run_end < end && *run_end != '\r' && *run_end != '\n')
			run_end++;
		g_byte_array_append(out, p, (guint)(run_end - p));
		encoder->at_line_start = false;
		p = run_end;
	}
}

void
smtp_data_encoder_finish(SmtpDataEncoder *encoder, GByteArray *out)
{
	if (encoder->pending_cr || !encoder->at_line_start)
		end_line(encoder, out);
	g_byte_array_append(out, (const guint8 *)".\r\n", 3);
	encoder->at_line_start = true;
	encoder->pending_cr = false;
}
