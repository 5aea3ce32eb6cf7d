#include "imap/imap_reader.h"

#include "imap/imap_error.h"
#include "net/net_error.h"

#include <string.h>

gint64
imap_reader_literal_size(const char *line, gsize length)
{
	if (length < 3 || line[length - 1] != '}')
		return -1;
	gsize end = length - 1;
	if (line[end - 1] == '+')
		end--;
	gsize start = end;
	while (start > 0 && g_ascii_isdigit(line[start - 1]))
		start--;
	if (start == end || start == 0 || line[start - 1] != '{' || end - start > 10)
		return -1;
	gint64 n = 0;
	for (gsize i = start; i < end; i++)
		n = n * 10 + (line[i] - '0');
	return n;
}

static void
convert_net_error(GError *net_error, GError **error)
{
	g_set_error_literal(error, IMAP_ERROR, imap_error_code_of_net(net_error),
	                    net_error->message);
	g_error_free(net_error);
}

bool
imap_reader_read(NetConn *conn, const ImapLimits *limits, GByteArray *buffer, GError **error)
{
	g_byte_array_set_size(buffer, 0);
	for (;;) {
		const char *line = NULL;
		gsize length = 0;
		GError *net_error = NULL;
		if (!net_conn_read_line(conn, limits->max_line_bytes, &line, &length, &net_error)) {
			convert_net_error(net_error, error);
			return false;
		}
		gint64 literal = imap_reader_literal_size(line, length);
		if (buffer->len + length + 2 > limits->max_response_bytes) {
			g_set_error(error, IMAP_ERROR, IMAP_ERROR_PROTOCOL,
			            "response larger than %zu bytes", limits->max_response_bytes);
			return false;
		}
		g_byte_array_append(buffer, (const guint8 *)line, (guint)length);
		g_byte_array_append(buffer, (const guint8 *)"\r\n", 2);
		if (literal < 0)
			return true;
		/* The size is checked before a single byte of it is read. */
		if ((guint64)literal > limits->max_literal_bytes ||
		    buffer->len + (guint64)literal > limits->max_response_bytes) {
			g_set_error(error, IMAP_ERROR, IMAP_ERROR_PROTOCOL,
			            "literal of %" G_GINT64_FORMAT
			            " bytes is over the limit of %zu",
			            literal, limits->max_literal_bytes);
			return false;
		}
		guint at = buffer->len;
		g_byte_array_set_size(buffer, at + (guint)literal);
		if (!net_conn_read_exact(conn, buffer->data + at, (gsize)literal, &net_error)) {
			convert_net_error(net_error, error);
			return false;
		}
	}
}
