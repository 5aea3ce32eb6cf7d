#define G_LOG_DOMAIN "piculet-net"

#include "net/net_conn.h"

#include "net/net_error.h"
#include "net/net_private.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

/* What one read asks of the kernel; lines longer than this grow the buffer
 * up to the caller's maximum. */
#define READ_CHUNK_BYTES 16384
/* Queued output is sent once it reaches this size. */
#define WRITE_FLUSH_BYTES 16384

struct NetConn {
	int fd;
	char *host;
	char *peer; /* "host:port" */
	int timeout_ms;
	gint64 total_deadline_us;  /* monotonic; 0: none (see net_conn_set_deadline) */
	gint64 command_started_us; /* monotonic: net_conn_begin_command */
	int stop_fd;               /* readable: give up any wait at once; -1: none */
	SSL *ssl;
	char *tls_description;

	/* Received bytes: [start, end) are unread. */
	char *in;
	gsize in_size;
	gsize in_start;
	gsize in_end;

	GByteArray *out;

	guint64 bytes_received;
	guint64 bytes_sent;
};

static gint64
deadline_after(int timeout_ms)
{
	return g_get_monotonic_time() + (gint64)timeout_ms * 1000;
}

static int
remaining_ms(gint64 deadline)
{
	gint64 left = deadline - g_get_monotonic_time();
	if (left <= 0)
		return 0;
	return (int)MIN((left + 999) / 1000, G_MAXINT);
}

/* Waits until @fd is ready for @events, @deadline or the connection's total
 * deadline passes, or a stop is asked for through the stop fd. */
static bool
wait_ready(NetConn *conn, short events, gint64 deadline, const char *what, GError **error)
{
	bool total = conn->total_deadline_us > 0 && conn->total_deadline_us < deadline;
	if (total)
		deadline = conn->total_deadline_us;
	for (;;) {
		struct pollfd pfd[2] = {{.fd = conn->fd, .events = events},
		                        {.fd = conn->stop_fd, .events = POLLIN}};
		int left = remaining_ms(deadline);
		if (left == 0) {
			g_set_error(error, NET_ERROR, NET_ERROR_TIMEOUT, "%s: timed out while %s%s",
			            conn->peer, what,
			            total ? " (the whole exchange took too long)" : "");
			return false;
		}
		int n = poll(pfd, conn->stop_fd >= 0 ? 2 : 1, left);
		if (n > 0 && conn->stop_fd >= 0 && pfd[1].revents != 0) {
			g_set_error(error, NET_ERROR, NET_ERROR_STOPPED,
			            "%s: stopped by request while %s", conn->peer, what);
			return false;
		}
		if (n > 0)
			return true;
		if (n < 0 && errno != EINTR) {
			g_set_error(error, NET_ERROR, NET_ERROR_IO, "%s: poll: %s", conn->peer,
			            g_strerror(errno));
			return false;
		}
	}
}

static bool
set_nonblocking(int fd)
{
	int flags = fcntl(fd, F_GETFL);
	return flags >= 0 && fcntl(fd, F_SETFL, flags | O_NONBLOCK) == 0;
}

/* Tries one address; returns the connected socket or -1 with @error set. */
static int
connect_one(NetConn *conn, const struct addrinfo *ai, gint64 deadline, GError **error)
{
	int fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC, ai->ai_protocol);
	if (fd < 0) {
		g_set_error(error, NET_ERROR, NET_ERROR_CONNECT, "%s: socket: %s", conn->peer,
		            g_strerror(errno));
		return -1;
	}
	int one = 1;
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
	if (!set_nonblocking(fd)) {
		g_set_error(error, NET_ERROR, NET_ERROR_IO, "%s: fcntl: %s", conn->peer,
		            g_strerror(errno));
		close(fd);
		return -1;
	}
	if (connect(fd, ai->ai_addr, ai->ai_addrlen) == 0)
		return fd;
	if (errno != EINPROGRESS) {
		g_set_error(error, NET_ERROR, NET_ERROR_CONNECT, "%s: connect: %s", conn->peer,
		            g_strerror(errno));
		close(fd);
		return -1;
	}
	conn->fd = fd;
	if (!wait_ready(conn, POLLOUT, deadline, "connecting", error)) {
		conn->fd = -1;
		close(fd);
		return -1;
	}
	conn->fd = -1;
	int so_error = 0;
	socklen_t len = sizeof so_error;
	if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &so_error, &len) != 0 || so_error != 0) {
		g_set_error(error, NET_ERROR, NET_ERROR_CONNECT, "%s: connect: %s", conn->peer,
		            g_strerror(so_error != 0 ? so_error : errno));
		close(fd);
		return -1;
	}
	return fd;
}

NetConn *
net_conn_connect(const char *host, uint16_t port, int timeout_ms, GError **error)
{
	return net_conn_connect_stoppable(host, port, timeout_ms, -1, error);
}

NetConn *
net_conn_connect_stoppable(const char *host, uint16_t port, int timeout_ms, int stop_fd,
                           GError **error)
{
	g_autoptr(NetConn) conn = g_new0(NetConn, 1);
	conn->fd = -1;
	conn->stop_fd = stop_fd >= 0 ? stop_fd : -1;
	conn->timeout_ms = timeout_ms > 0 ? timeout_ms : 30000;
	conn->host = g_strdup(host);
	if (strchr(host, ':') != NULL)
		conn->peer = g_strdup_printf("[%s]:%u", host, port);
	else
		conn->peer = g_strdup_printf("%s:%u", host, port);
	conn->in_size = READ_CHUNK_BYTES;
	conn->in = g_malloc(conn->in_size);
	conn->out = g_byte_array_sized_new(WRITE_FLUSH_BYTES);

	struct addrinfo hints = {.ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM};
	struct addrinfo *list = NULL;
	char service[8];
	g_snprintf(service, sizeof service, "%u", port);
	int rc = getaddrinfo(host, service, &hints, &list);
	if (rc != 0) {
		g_set_error(error, NET_ERROR, NET_ERROR_RESOLVE, "%s: cannot resolve host: %s",
		            conn->peer, gai_strerror(rc));
		return NULL;
	}

	gint64 deadline = deadline_after(conn->timeout_ms);
	g_autoptr(GError) last_error = NULL;
	for (const struct addrinfo *ai = list; ai != NULL; ai = ai->ai_next) {
		g_clear_error(&last_error);
		int fd = connect_one(conn, ai, deadline, &last_error);
		if (fd >= 0) {
			conn->fd = fd;
			break;
		}
	}
	freeaddrinfo(list);
	if (conn->fd < 0) {
		g_propagate_error(error, g_steal_pointer(&last_error));
		return NULL;
	}
	g_debug("%s: connected", conn->peer);
	return g_steal_pointer(&conn);
}

void
net_conn_set_timeout(NetConn *conn, int timeout_ms)
{
	g_return_if_fail(timeout_ms > 0);
	conn->timeout_ms = timeout_ms;
}

void
net_conn_set_deadline(NetConn *conn, gint64 deadline_us)
{
	conn->total_deadline_us = deadline_us > 0 ? deadline_us : 0;
}

void
net_conn_begin_command(NetConn *conn, int timeout_ms)
{
	net_conn_set_timeout(conn, timeout_ms);
	conn->command_started_us = g_get_monotonic_time();
	conn->total_deadline_us = conn->command_started_us + (gint64)timeout_ms * 1000;
}

void
net_conn_extend_command(NetConn *conn, int max_timeouts)
{
	gint64 timeout_us = (gint64)conn->timeout_ms * 1000;
	gint64 cap = conn->command_started_us + max_timeouts * timeout_us;
	conn->total_deadline_us = MIN(g_get_monotonic_time() + timeout_us, cap);
}

void
net_conn_end_command(NetConn *conn)
{
	conn->total_deadline_us = 0;
}

void
net_conn_set_stop_fd(NetConn *conn, int stop_fd)
{
	conn->stop_fd = stop_fd >= 0 ? stop_fd : -1;
}

bool
net_conn_is_tls(const NetConn *conn)
{
	return conn->ssl != NULL;
}

const char *
net_conn_get_tls_description(const NetConn *conn)
{
	return conn->tls_description;
}

const char *
net_conn_get_peer(const NetConn *conn)
{
	return conn->peer;
}

char *
net_conn_dup_local_address(const NetConn *conn)
{
	struct sockaddr_storage address = {0};
	socklen_t length = sizeof address;
	char text[INET6_ADDRSTRLEN];

	if (getsockname(conn->fd, (struct sockaddr *)&address, &length) != 0)
		return NULL;
	const void *raw = address.ss_family == AF_INET6
	                          ? (const void *)&((struct sockaddr_in6 *)&address)->sin6_addr
	                          : (const void *)&((struct sockaddr_in *)&address)->sin_addr;
	if (inet_ntop(address.ss_family, raw, text, sizeof text) == NULL)
		return NULL;
	return g_strdup(text);
}

void
net_conn_get_traffic(const NetConn *conn, guint64 *received, guint64 *sent)
{
	*received = conn->bytes_received;
	*sent = conn->bytes_sent;
	if (conn->ssl != NULL) {
		/* Through TLS, count what crossed the socket, not the plaintext. */
		BIO *bio = SSL_get_rbio(conn->ssl);
		*received = conn->bytes_received + BIO_number_read(bio);
		*sent = conn->bytes_sent + BIO_number_written(SSL_get_wbio(conn->ssl));
	}
}

int
net_conn_get_fd(const NetConn *conn)
{
	return conn->fd;
}

static bool
is_ip_literal(const char *host)
{
	unsigned char buffer[sizeof(struct in6_addr)];
	return inet_pton(AF_INET, host, buffer) == 1 || inet_pton(AF_INET6, host, buffer) == 1;
}

/* Waits as OpenSSL asks after a WANT_READ/WANT_WRITE; false on any other
 * result, with @error set. */
static bool
tls_wait(NetConn *conn, int ssl_result, gint64 deadline, const char *what, GError **error)
{
	int code = SSL_get_error(conn->ssl, ssl_result);
	switch (code) {
	case SSL_ERROR_WANT_READ:
		return wait_ready(conn, POLLIN, deadline, what, error);
	case SSL_ERROR_WANT_WRITE:
		return wait_ready(conn, POLLOUT, deadline, what, error);
	case SSL_ERROR_ZERO_RETURN:
		ERR_clear_error();
		g_set_error(error, NET_ERROR, NET_ERROR_CLOSED,
		            "%s: server closed the connection while %s", conn->peer, what);
		return false;
	case SSL_ERROR_SYSCALL:
		if (errno == 0 || errno == ECONNRESET || errno == EPIPE) {
			ERR_clear_error();
			g_set_error(error, NET_ERROR, NET_ERROR_CLOSED,
			            "%s: server closed the connection while %s", conn->peer, what);
			return false;
		}
		ERR_clear_error();
		g_set_error(error, NET_ERROR, NET_ERROR_IO, "%s: %s while %s", conn->peer,
		            g_strerror(errno), what);
		return false;
	default: {
		g_autofree char *why = net_tls_dup_openssl_errors();
		g_set_error(error, NET_ERROR, NET_ERROR_TLS, "%s: TLS error while %s: %s",
		            conn->peer, what, why);
		return false;
	}
	}
}

static bool
handshake(NetConn *conn, NetTls *tls, GError **error)
{
	gint64 deadline = deadline_after(conn->timeout_ms);
	for (;;) {
		ERR_clear_error();
		int rc = SSL_connect(conn->ssl);
		if (rc == 1)
			return true;
		long verify = SSL_get_verify_result(conn->ssl);
		if (verify != X509_V_OK && !net_tls_is_insecure(tls)) {
			ERR_clear_error();
			g_set_error(error, NET_ERROR, NET_ERROR_CERTIFICATE,
			            "%s: certificate not trusted: %s", conn->peer,
			            X509_verify_cert_error_string(verify));
			return false;
		}
		if (!tls_wait(conn, rc, deadline, "negotiating TLS", error))
			return false;
	}
}

bool
net_conn_start_tls(NetConn *conn, NetTls *tls, GError **error)
{
	g_return_val_if_fail(conn->ssl == NULL, false);
	if (conn->in_end > conn->in_start) {
		g_set_error(error, NET_ERROR, NET_ERROR_TLS,
		            "%s: server sent %zu bytes in clear before TLS started", conn->peer,
		            conn->in_end - conn->in_start);
		return false;
	}
	conn->ssl = SSL_new(net_tls_get_ctx(tls));
	if (conn->ssl == NULL || SSL_set_fd(conn->ssl, conn->fd) != 1) {
		g_autofree char *why = net_tls_dup_openssl_errors();
		g_set_error(error, NET_ERROR, NET_ERROR_TLS, "%s: cannot start TLS: %s", conn->peer,
		            why);
		return false;
	}
	if (is_ip_literal(conn->host)) {
		X509_VERIFY_PARAM *param = SSL_get0_param(conn->ssl);
		X509_VERIFY_PARAM_set1_ip_asc(param, conn->host);
	} else {
		SSL_set_tlsext_host_name(conn->ssl, conn->host);
		SSL_set1_host(conn->ssl, conn->host);
	}
	if (net_tls_is_insecure(tls))
		g_warning("%s: TLS certificate NOT verified (--insecure): anyone on the path can "
		          "read and change this connection",
		          conn->peer);
	if (!handshake(conn, tls, error))
		return false;
	conn->tls_description = g_strdup_printf("%s %s", SSL_get_version(conn->ssl),
	                                        SSL_get_cipher_name(conn->ssl));
	g_debug("%s: TLS up (%s)", conn->peer, conn->tls_description);
	return true;
}

/* Reads what is available (at least one byte) into the input buffer. */
static bool
fill(NetConn *conn, gint64 deadline, GError **error)
{
	if (conn->in_start > 0 && conn->in_start == conn->in_end)
		conn->in_start = conn->in_end = 0;
	if (conn->in_end == conn->in_size) {
		/* Compact before growing. */
		memmove(conn->in, conn->in + conn->in_start, conn->in_end - conn->in_start);
		conn->in_end -= conn->in_start;
		conn->in_start = 0;
	}
	g_assert(conn->in_end < conn->in_size);
	void *dest = conn->in + conn->in_end;
	gsize room = conn->in_size - conn->in_end;

	for (;;) {
		if (conn->ssl != NULL) {
			size_t got = 0;
			ERR_clear_error();
			int rc = SSL_read_ex(conn->ssl, dest, room, &got);
			if (rc == 1) {
				conn->in_end += got;
				return true;
			}
			if (!tls_wait(conn, rc, deadline, "reading", error))
				return false;
			continue;
		}
		ssize_t got = recv(conn->fd, dest, room, 0);
		if (got > 0) {
			conn->in_end += (gsize)got;
			conn->bytes_received += (guint64)got;
			return true;
		}
		if (got == 0) {
			g_set_error(error, NET_ERROR, NET_ERROR_CLOSED,
			            "%s: server closed the connection", conn->peer);
			return false;
		}
		if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) {
			if (!wait_ready(conn, POLLIN, deadline, "reading", error))
				return false;
			continue;
		}
		g_set_error(error, NET_ERROR, errno == ECONNRESET ? NET_ERROR_CLOSED : NET_ERROR_IO,
		            "%s: read: %s", conn->peer, g_strerror(errno));
		return false;
	}
}

bool
net_conn_read_line(NetConn *conn, gsize max_bytes, const char **line, gsize *length, GError **error)
{
	gint64 deadline = deadline_after(conn->timeout_ms);
	gsize scanned = 0;

	for (;;) {
		const char *start = conn->in + conn->in_start;
		gsize avail = conn->in_end - conn->in_start;
		const char *lf = memchr(start + scanned, '\n', avail - scanned);
		if (lf != NULL) {
			gsize n = (gsize)(lf - start);
			if (n > max_bytes) {
				g_set_error(error, NET_ERROR, NET_ERROR_LIMIT,
				            "%s: line longer than %zu bytes", conn->peer,
				            max_bytes);
				return false;
			}
			conn->in_start += n + 1;
			if (n > 0 && start[n - 1] == '\r')
				n--;
			*line = start;
			*length = n;
			return true;
		}
		scanned = avail;
		/* +2: room for the CRLF of a line of exactly max_bytes. */
		if (avail > max_bytes + 1) {
			g_set_error(error, NET_ERROR, NET_ERROR_LIMIT,
			            "%s: line longer than %zu bytes", conn->peer, max_bytes);
			return false;
		}
		if (conn->in_start > 0 && conn->in_end == conn->in_size) {
			memmove(conn->in, start, avail);
			conn->in_start = 0;
			conn->in_end = avail;
		} else if (conn->in_end == conn->in_size) {
			conn->in_size = MIN(conn->in_size * 2, max_bytes + 2 + READ_CHUNK_BYTES);
			conn->in = g_realloc(conn->in, conn->in_size);
		}
		if (!fill(conn, deadline, error))
			return false;
	}
}

bool
net_conn_read_exact(NetConn *conn, void *buffer, gsize n, GError **error)
{
	gint64 deadline = deadline_after(conn->timeout_ms);
	char *dest = buffer;

	while (n > 0) {
		if (conn->in_end == conn->in_start && !fill(conn, deadline, error))
			return false;
		gsize take = MIN(n, conn->in_end - conn->in_start);
		memcpy(dest, conn->in + conn->in_start, take);
		conn->in_start += take;
		dest += take;
		n -= take;
	}
	return true;
}

gsize
net_conn_get_buffered(const NetConn *conn)
{
	gsize n = conn->in_end - conn->in_start;
	if (conn->ssl != NULL)
		n += (gsize)SSL_pending(conn->ssl);
	return n;
}

bool
net_conn_start_tls_after_starttls(NetConn *conn, NetTls *tls, GError **error)
{
	gsize injected = net_conn_discard_buffered(conn);
	if (injected > 0)
		g_warning("%s: discarded %zu bytes the server sent in clear after its STARTTLS "
		          "reply",
		          conn->peer, injected);
	return net_conn_start_tls(conn, tls, error);
}

gsize
net_conn_discard_buffered(NetConn *conn)
{
	gsize n = conn->in_end - conn->in_start;
	conn->in_start = conn->in_end = 0;
	return n;
}

static bool
send_all(NetConn *conn, const guint8 *data, gsize n, GError **error)
{
	gint64 deadline = deadline_after(conn->timeout_ms);

	while (n > 0) {
		if (conn->ssl != NULL) {
			size_t sent = 0;
			ERR_clear_error();
			int rc = SSL_write_ex(conn->ssl, data, n, &sent);
			if (rc == 1) {
				data += sent;
				n -= sent;
				continue;
			}
			if (!tls_wait(conn, rc, deadline, "writing", error))
				return false;
			continue;
		}
		ssize_t sent = send(conn->fd, data, n, MSG_NOSIGNAL);
		if (sent >= 0) {
			conn->bytes_sent += (guint64)sent;
			data += sent;
			n -= (gsize)sent;
			continue;
		}
		if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) {
			if (!wait_ready(conn, POLLOUT, deadline, "writing", error))
				return false;
			continue;
		}
		g_set_error(error, NET_ERROR,
		            errno == EPIPE || errno == ECONNRESET ? NET_ERROR_CLOSED : NET_ERROR_IO,
		            "%s: write: %s", conn->peer, g_strerror(errno));
		return false;
	}
	return true;
}

bool
net_conn_flush(NetConn *conn, GError **error)
{
	if (conn->out->len == 0)
		return true;
	bool ok = send_all(conn, conn->out->data, conn->out->len, error);
	g_byte_array_set_size(conn->out, 0);
	return ok;
}

bool
net_conn_write(NetConn *conn, const void *data, gsize n, GError **error)
{
	if (conn->out->len + n > WRITE_FLUSH_BYTES) {
		if (!net_conn_flush(conn, error))
			return false;
		if (n >= WRITE_FLUSH_BYTES)
			return send_all(conn, data, n, error);
	}
	g_byte_array_append(conn->out, data, (guint)n);
	return true;
}

void
net_conn_free(NetConn *conn)
{
	if (conn == NULL)
		return;
	if (conn->ssl != NULL) {
		/* Best effort, never waiting: the peer may be gone. */
		SSL_set_quiet_shutdown(conn->ssl, 1);
		SSL_free(conn->ssl);
	}
	if (conn->fd >= 0)
		close(conn->fd);
	g_free(conn->tls_description);
	g_free(conn->host);
	g_free(conn->peer);
	g_free(conn->in);
	if (conn->out != NULL)
		g_byte_array_unref(conn->out);
	g_free(conn);
}
