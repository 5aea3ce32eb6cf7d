#include "smtp/smtp_reply.h"

#include "base/base_error.h"

#include <string.h>

struct SmtpReplyReader {
	SmtpReply *reply; /* the reply being assembled; NULL between replies */
	bool complete;
};

SmtpReply *
smtp_reply_new(void)
{
	SmtpReply *reply = g_new0(SmtpReply, 1);
	reply->lines = g_ptr_array_new_with_free_func(g_free);
	return reply;
}

void
smtp_reply_free(SmtpReply *reply)
{
	if (reply == NULL)
		return;
	g_ptr_array_unref(reply->lines);
	g_free(reply);
}

SmtpReply *
smtp_reply_copy(const SmtpReply *reply)
{
	SmtpReply *copy = smtp_reply_new();
	copy->code = reply->code;
	copy->enhanced = reply->enhanced;
	for (guint i = 0; i < reply->lines->len; i++)
		g_ptr_array_add(copy->lines, g_strdup(reply->lines->pdata[i]));
	return copy;
}

char *
smtp_reply_dup_text(const SmtpReply *reply)
{
	GString *text = g_string_new(NULL);
	for (guint i = 0; i < reply->lines->len; i++) {
		if (i > 0)
			g_string_append_c(text, '\n');
		g_string_append(text, reply->lines->pdata[i]);
	}
	return g_string_free(text, FALSE);
}

char *
smtp_reply_dup_summary(const SmtpReply *reply, gsize max_chars)
{
	g_autofree char *text = smtp_reply_dup_text(reply);
	g_autofree char *joined = g_strdup_printf("%d %s", reply->code, text);
	return base_error_printable_dup(joined, -1, max_chars);
}

/* Up to three digits; returns the number of digits read (0 when none). */
static int
read_number(const char *p, int *value)
{
	int n = 0;
	*value = 0;
	while (n < 3 && g_ascii_isdigit(p[n])) {
		*value = *value * 10 + (p[n] - '0');
		n++;
	}
	return n;
}

bool
smtp_reply_parse_enhanced(const char *text, SmtpEnhancedCode *code)
{
	/* RFC 3463 section 2: class "." subject "." detail, subject and detail
	 * 1 to 3 digits, class 2, 4 or 5. */
	SmtpEnhancedCode parsed = {0};
	const char *p = text;
	if (*p != '2' && *p != '4' && *p != '5')
		return false;
	parsed.klass = *p - '0';
	p++;
	if (*p++ != '.')
		return false;
	int n = read_number(p, &parsed.subject);
	if (n == 0 || p[n] != '.')
		return false;
	p += n + 1;
	n = read_number(p, &parsed.detail);
	if (n == 0 || (p[n] != '\0' && p[n] != ' ' && p[n] != '\t'))
		return false;
	*code = parsed;
	return true;
}

SmtpReplyReader *
smtp_reply_reader_new(void)
{
	return g_new0(SmtpReplyReader, 1);
}

void
smtp_reply_reader_free(SmtpReplyReader *reader)
{
	if (reader == NULL)
		return;
	smtp_reply_free(reader->reply);
	g_free(reader);
}

static bool
fail(SmtpReplyReader *reader, GError **error, const char *what, const char *line, gsize length)
{
	g_autofree char *shown = base_error_printable_dup(line, (gssize)length, 80);
	g_set_error(error, SMTP_ERROR, SMTP_ERROR_PROTOCOL, "malformed reply: %s: \"%s\"", what,
	            shown);
	g_clear_pointer(&reader->reply, smtp_reply_free);
	reader->complete = false;
	return false;
}

bool
smtp_reply_reader_feed(SmtpReplyReader *reader, const char *line, gsize length, bool *complete,
                       GError **error)
{
	*complete = false;
	g_return_val_if_fail(!reader->complete, false);

	if (length > SMTP_REPLY_MAX_LINE_BYTES)
		return fail(reader, error, "line too long", line, 40);
	/* RFC 5321 4.2: Reply-code [ SP textstring ] CRLF, or "-" for all
	 * lines but the last. A bare "250" is accepted. */
	if (length < 3)
		return fail(reader, error, "line too short", line, length);
	if (line[0] < '2' || line[0] > '5' || line[1] < '0' || line[1] > '5' ||
	    !g_ascii_isdigit(line[2]))
		return fail(reader, error, "not a reply code", line, length);
	if (length > 3 && line[3] != ' ' && line[3] != '-')
		return fail(reader, error, "no space or hyphen after the code", line, length);
	for (gsize i = 3; i < length; i++) {
		unsigned char c = (unsigned char)line[i];
		if ((c < 0x20 && c != '\t') || c == 0x7f)
			return fail(reader, error, "control character in reply", line, length);
	}
	int code = (line[0] - '0') * 100 + (line[1] - '0') * 10 + (line[2] - '0');
	bool last = length == 3 || line[3] == ' ';

	if (reader->reply == NULL) {
		reader->reply = smtp_reply_new();
		reader->reply->code = code;
	} else if (reader->reply->code != code) {
		return fail(reader, error, "continuation line with another code", line, length);
	}
	if (reader->reply->lines->len >= SMTP_REPLY_MAX_LINES)
		return fail(reader, error, "too many lines in one reply", line, length);

	const char *text = length > 4 ? line + 4 : "";
	gsize text_length = length > 4 ? length - 4 : 0;
	char *copy = g_strndup(text, text_length);
	if (reader->reply->lines->len == 0) {
		SmtpEnhancedCode enhanced;
		/* Only a code of the reply's own class counts (RFC 3463 2). */
		if (smtp_reply_parse_enhanced(copy, &enhanced) && enhanced.klass == line[0] - '0')
			reader->reply->enhanced = enhanced;
	}
	g_ptr_array_add(reader->reply->lines, copy);
	if (last) {
		reader->complete = true;
		*complete = true;
	}
	return true;
}

SmtpReply *
smtp_reply_reader_steal(SmtpReplyReader *reader)
{
	g_return_val_if_fail(reader->complete, NULL);
	reader->complete = false;
	return g_steal_pointer(&reader->reply);
}
