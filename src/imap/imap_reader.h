/*
 * imap_reader: assembles one complete response from a connection: a line,
 * and when it ends in a literal marker {n} or {n+}, the n bytes of the
 * literal (checked against the limit before anything is read) and the
 * rest of the response after them, repeatedly. The result is the bytes
 * imap_response_parse() takes.
 *
 * Not thread-safe; one reader per connection.
 */
#pragma once

#include "imap/imap_response.h"
#include "net/net_conn.h"

#include <glib.h>
#include <stdbool.h>

/*
 * Reads one response into @buffer (emptied first). Line, literal and total
 * sizes are bounded by @limits (IMAP_ERROR_PROTOCOL past them); network
 * failures become IMAP_ERROR_TIMEOUT, IMAP_ERROR_CLOSED, IMAP_ERROR_CONNECT.
 */
bool imap_reader_read(NetConn *conn, const ImapLimits *limits, GByteArray *buffer, GError **error);

/* The size of the literal announced at the end of @line ("... {42}" or
 * "{42+}"), or -1 when the line does not end in one. Pure. */
gint64 imap_reader_literal_size(const char *line, gsize length);
