/*
 * net_conn: one TCP connection to a server, plain or TLS, with deadlines and
 * bounded reads. It knows nothing of the protocol spoken over it.
 *
 * - Connect by host name or IP literal (IPv4 or IPv6), trying each address
 *   in turn within one connect deadline.
 * - TLS either at once (implicit TLS) or later in place (STARTTLS), through
 *   net_conn_start_tls(). Certificate and host name are verified as the
 *   NetTls says.
 * - Every read and write has a deadline of `timeout_ms` from the moment it
 *   starts; a silent peer ends in NET_ERROR_TIMEOUT, never a hang.
 * - Lines are read with a maximum length; a longer line ends in
 *   NET_ERROR_LIMIT without growing memory past the maximum.
 * - Writes are buffered until net_conn_flush() (or until the buffer holds
 *   16 KiB), so a protocol can pipeline several commands in one packet.
 *
 * Threading: a NetConn is used by one thread at a time.
 * Signals: writing to a closed peer raises SIGPIPE; a program using this
 * layer ignores SIGPIPE (the piculet command and the tests do).
 * Ownership: net_conn_connect() returns a new connection the caller frees
 * with net_conn_free(), which closes it. Lines returned are borrowed and valid
 * until the next read.
 */
#pragma once

#include "net/net_tls.h"

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>

typedef struct NetConn NetConn;

/* Opens a TCP connection to @host:@port within @timeout_ms. The
 * connection's read/write timeout starts equal to @timeout_ms. */
NetConn *net_conn_connect(const char *host, uint16_t port, int timeout_ms, GError **error);

/* As net_conn_connect; while connecting, and in every later wait, the
 * connection also watches @stop_fd (>= 0; -1 for none): once it is
 * readable, the wait ends at once in NET_ERROR_STOPPED. The fd is
 * borrowed and never read. */
NetConn *net_conn_connect_stoppable(const char *host, uint16_t port, int timeout_ms, int stop_fd,
                                    GError **error);

/* The deadline of each later read and write, in milliseconds (> 0). */
void net_conn_set_timeout(NetConn *conn, int timeout_ms);

/*
 * A total deadline (monotonic microseconds, as g_get_monotonic_time(); 0
 * clears it) that caps every read and write until it is changed, whatever
 * their own timeout: a protocol sets it for a whole command and its reply,
 * so a server that trickles a line at a time cannot hold the caller
 * longer than that. Passing it is NET_ERROR_TIMEOUT.
 */
void net_conn_set_deadline(NetConn *conn, gint64 deadline_us);

/*
 * One command of a protocol and its whole reply within @timeout_ms: each
 * read and write within it (net_conn_set_timeout) and all of them together
 * (a total deadline from now), so a server that trickles a line at a time
 * cannot hold the caller longer. SMTP and IMAP both bound their commands
 * with this.
 */
void net_conn_begin_command(NetConn *conn, int timeout_ms);
/* Progress on a long command (IMAP: each message of a big FETCH): its
 * total deadline moves to one timeout from now, but never past
 * @max_timeouts timeouts from its beginning. */
void net_conn_extend_command(NetConn *conn, int max_timeouts);
/* The command is over: no total deadline until the next one. */
void net_conn_end_command(NetConn *conn);

/* Changes the stop fd (see net_conn_connect_stoppable); -1 for none. */
void net_conn_set_stop_fd(NetConn *conn, int stop_fd);

/*
 * Starts TLS on the connection (at once for implicit TLS, or after the
 * protocol's STARTTLS exchange). Verifies the certificate for the host the
 * connection was made to, and sends it as SNI when it is a name. Fails when
 * bytes the peer sent in clear are still unread: such bytes were pushed
 * before the handshake and must never be read as if they came over TLS
 * (the STARTTLS command-injection defence: call
 * net_conn_discard_buffered() first if the protocol allows it).
 */
bool net_conn_start_tls(NetConn *conn, NetTls *tls, GError **error);

/*
 * TLS after a protocol's STARTTLS exchange, for SMTP and IMAP alike: drops
 * (with a warning naming how many) the bytes that came in clear after the
 * server's go-ahead, which could be an attacker's and must never be read as
 * if they came over TLS, then starts TLS as net_conn_start_tls() does.
 */
bool net_conn_start_tls_after_starttls(NetConn *conn, NetTls *tls, GError **error);

/* True once TLS is up. */
bool net_conn_is_tls(const NetConn *conn);

/* A short description of the TLS session ("TLSv1.3 TLS_AES_256_GCM_SHA384"),
 * or NULL without TLS. Borrowed. */
const char *net_conn_get_tls_description(const NetConn *conn);

/*
 * Reads one line ending in LF (CRLF or bare LF). On success @line points to
 * its bytes without the line end, @length is their number; both stay valid
 * until the next read. A line longer than @max_bytes ends in
 * NET_ERROR_LIMIT; end of stream in the middle of a line or before it in
 * NET_ERROR_CLOSED.
 */
bool net_conn_read_line(NetConn *conn, gsize max_bytes, const char **line, gsize *length,
                        GError **error);

/* Reads exactly @n bytes into @buffer. */
bool net_conn_read_exact(NetConn *conn, void *buffer, gsize n, GError **error);

/* Bytes already received and not yet read (in our buffer or OpenSSL's). */
gsize net_conn_get_buffered(const NetConn *conn);

/* Drops the bytes already received and not yet read; returns their number. */
gsize net_conn_discard_buffered(NetConn *conn);

/* Queues @n bytes for sending; sends when 16 KiB are queued. */
bool net_conn_write(NetConn *conn, const void *data, gsize n, GError **error);

/* Sends everything queued. */
bool net_conn_flush(NetConn *conn, GError **error);

/* The socket's descriptor, for poll()ing many idle connections at once. */
int net_conn_get_fd(const NetConn *conn);

/* The local end's IP address as text ("127.0.0.1", "::1"); newly
 * allocated, NULL when unknown. */
char *net_conn_dup_local_address(const NetConn *conn);

/* Bytes received and sent on this connection so far, as they crossed the
 * socket (TLS records included): for diagnostics and benchmarks. */
void net_conn_get_traffic(const NetConn *conn, guint64 *received, guint64 *sent);

/* "host:port" as given to net_conn_connect(). Borrowed. */
const char *net_conn_get_peer(const NetConn *conn);

void net_conn_free(NetConn *conn);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(NetConn, net_conn_free)
