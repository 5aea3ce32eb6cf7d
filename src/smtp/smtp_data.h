/*
 * smtp_data: the streaming encoder of a message for the DATA command
 * (RFC 5321 4.5.2 and 2.3.8): every line end becomes CRLF (bare LF and bare
 * CR included), a line starting with "." gets one more ".", and the end
 * adds CRLF when the last line had none, then ".\r\n". Feed the message in
 * pieces of any size; the output does not depend on where they are cut.
 * Pure; one encoder per message.
 */
#pragma once

#include <glib.h>
#include <stdbool.h>

typedef struct SmtpDataEncoder SmtpDataEncoder;

SmtpDataEncoder *smtp_data_encoder_new(void);
void smtp_data_encoder_free(SmtpDataEncoder *encoder);

/* Appends the encoding of @n bytes of @data to @out. */
void smtp_data_encoder_push(SmtpDataEncoder *encoder, const void *data, gsize n, GByteArray *out);

/* Appends the end of the message and the terminating ".\r\n" to @out. The
 * encoder is then ready for another message. */
void smtp_data_encoder_finish(SmtpDataEncoder *encoder, GByteArray *out);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(SmtpDataEncoder, smtp_data_encoder_free)
