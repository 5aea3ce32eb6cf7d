#include "test_fault_server.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

/* How long any one step of a script may wait for the client. */
#define STEP_TIMEOUT_MS 10000

struct TestFaultServer {
	int listen_fd;
	uint16_t port;
	char **lines;
	GThread *thread;
	char *problem; /* set by the thread */

	int fd;
	SSL_CTX *ctx;
	SSL *ssl;
	GString *in;
};

static bool
wait_fd(int fd, short events)
{
	struct pollfd pfd = {.fd = fd, .events = events};
	return poll(&pfd, 1, STEP_TIMEOUT_MS) > 0;
}

static bool
send_bytes(TestFaultServer *server, const char *data, gsize n)
{
	while (n > 0) {
		ssize_t sent;
		if (server->ssl != NULL) {
			int rc = SSL_write(server->ssl, data, (int)MIN(n, (gsize)G_MAXINT));
			sent = rc > 0 ? rc : -1;
		} else {
			sent = send(server->fd, data, n, MSG_NOSIGNAL);
		}
		if (sent < 0)
			return false; /* the client left: the script decides if that was wrong */
		data += sent;
		n -= (gsize)sent;
	}
	return true;
}

/* Reads one line into @line (without line end); false at end of stream. */
static bool
read_line(TestFaultServer *server, GString *line)
{
	for (;;) {
		char *lf = memchr(server->in->str, '\n', server->in->len);
		if (lf != NULL) {
			gsize n = (gsize)(lf - server->in->str);
			g_string_truncate(line, 0);
			g_string_append_len(line, server->in->str,
			                    (gssize)(n > 0 && lf[-1] == '\r' ? n - 1 : n));
			g_string_erase(server->in, 0, (gssize)n + 1);
			return true;
		}
		char buffer[4096];
		ssize_t got;
		if (server->ssl != NULL) {
			got = SSL_read(server->ssl, buffer, sizeof buffer);
		} else {
			if (!wait_fd(server->fd, POLLIN))
				return false;
			got = recv(server->fd, buffer, sizeof buffer, 0);
		}
		if (got <= 0)
			return false;
		g_string_append_len(server->in, buffer, got);
	}
}

static char *
unescape(const char *text)
{
	GString *out = g_string_new(NULL);
	for (const char *p = text; *p != '\0'; p++) {
		if (*p == '\\' && p[1] == 'r') {
			g_string_append_c(out, '\r');
			p++;
		} else if (*p == '\\' && p[1] == 'n') {
			g_string_append_c(out, '\n');
			p++;
		} else if (*p == '\\' && p[1] == '\\') {
			g_string_append_c(out, '\\');
			p++;
		} else {
			g_string_append_c(out, *p);
		}
	}
	return g_string_free(out, FALSE);
}

static bool
start_tls(TestFaultServer *server)
{
	g_autofree char *cert =
	        g_test_build_filename(G_TEST_DIST, "data", "tls", "server.crt", NULL);
	g_autofree char *key =
	        g_test_build_filename(G_TEST_DIST, "data", "tls", "server.key", NULL);
	server->ctx = SSL_CTX_new(TLS_server_method());
	if (SSL_CTX_use_certificate_chain_file(server->ctx, cert) != 1 ||
	    SSL_CTX_use_PrivateKey_file(server->ctx, key, SSL_FILETYPE_PEM) != 1)
		return false;
	server->ssl = SSL_new(server->ctx);
	SSL_set_fd(server->ssl, server->fd);
	return SSL_accept(server->ssl) == 1;
}

/* Plays one script line; false (with server->problem) ends the script. */
static bool
play_line(TestFaultServer *server, const char *line, GString *got)
{
	if (g_str_has_prefix(line, "S: ") || strcmp(line, "S:") == 0) {
		g_autofree char *text = g_strdup_printf("%s\r\n", line[2] ? line + 3 : "");
		send_bytes(server, text, strlen(text));
	} else if (g_str_has_prefix(line, "RAW: ")) {
		g_autofree char *text = unescape(line + 5);
		send_bytes(server, text, strlen(text));
	} else if (g_str_has_prefix(line, "C: ") || strcmp(line, "C:") == 0) {
		const char *prefix = line[2] != '\0' ? line + 3 : "";
		if (!read_line(server, got)) {
			server->problem = g_strdup_printf("expected \"%s\", client closed", prefix);
			return false;
		}
		if (g_ascii_strncasecmp(got->str, prefix, strlen(prefix)) != 0) {
			server->problem =
			        g_strdup_printf("expected \"%s\", got \"%s\"", prefix, got->str);
			return false;
		}
	} else if (strcmp(line, "DATA") == 0) {
		do {
			if (!read_line(server, got)) {
				server->problem = g_strdup("client closed during DATA");
				return false;
			}
		} while (strcmp(got->str, ".") != 0);
	} else if (strcmp(line, "DRAIN") == 0 || strcmp(line, "HANG") == 0) {
		while (read_line(server, got))
			;
	} else if (strcmp(line, "EOF") == 0) {
		if (read_line(server, got)) {
			server->problem = g_strdup_printf(
			        "expected the client to close, got \"%s\"", got->str);
			return false;
		}
	} else if (strcmp(line, "CLOSE") == 0) {
		/* A cut, not a goodbye: with linger 0 the kernel answers with a
		 * reset at once, even while the client is still writing. */
		struct linger linger = {.l_onoff = 1, .l_linger = 0};
		setsockopt(server->fd, SOL_SOCKET, SO_LINGER, &linger, sizeof linger);
		if (server->ssl != NULL) {
			SSL_free(server->ssl);
			server->ssl = NULL;
		}
		close(server->fd);
		server->fd = -1;
		return false;
	} else if (g_str_has_prefix(line, "BIGLINE ")) {
		gsize n = (gsize)g_ascii_strtoull(line + 8, NULL, 10);
		g_autofree char *chunk = g_strnfill(65536, 'x');
		for (gsize sent = 0; sent < n; sent += 65536)
			if (!send_bytes(server, chunk, MIN((gsize)65536, n - sent)))
				break;
	} else if (g_str_has_prefix(line, "DRIP ")) {
		/* A server that keeps talking without ever finishing: the
		 * pacing is the fault itself, not a wait for the client. */
		char *rest = NULL;
		guint64 n = g_ascii_strtoull(line + 5, &rest, 10);
		guint64 ms = g_ascii_strtoull(rest, &rest, 10);
		g_autofree char *text = g_strdup_printf("%s\r\n", *rest == ' ' ? rest + 1 : rest);
		for (guint64 i = 0; i < n; i++) {
			if (!send_bytes(server, text, strlen(text)))
				break;
			g_usleep((gulong)ms * 1000);
		}
	} else if (strcmp(line, "TLS") == 0) {
		if (!start_tls(server)) {
			server->problem = g_strdup("TLS handshake with the client failed");
			return false;
		}
	} else if (line[0] != '#' && line[0] != '\0') {
		server->problem = g_strdup_printf("bad script line \"%s\"", line);
		return false;
	}
	return true;
}

static gpointer
serve(gpointer data)
{
	TestFaultServer *server = data;
	g_autoptr(GString) got = g_string_new(NULL);

	if (!wait_fd(server->listen_fd, POLLIN)) {
		server->problem = g_strdup("no client connected");
		return NULL;
	}
	server->fd = accept(server->listen_fd, NULL, NULL);
	if (server->fd < 0) {
		server->problem = g_strdup_printf("accept: %s", g_strerror(errno));
		return NULL;
	}
	/* Bounds the blocking reads of TLS mode too. */
	struct timeval timeout = {.tv_sec = STEP_TIMEOUT_MS / 1000};
	setsockopt(server->fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
	for (char **line = server->lines; *line != NULL; line++)
		if (!play_line(server, g_strchomp(*line), got))
			break;
	if (server->ssl != NULL)
		SSL_shutdown(server->ssl);
	if (server->fd >= 0)
		shutdown(server->fd, SHUT_RDWR);
	return NULL;
}

TestFaultServer *
test_fault_server_start(const char *address, const char *script)
{
	TestFaultServer *server = g_new0(TestFaultServer, 1);
	struct sockaddr_storage storage = {0};
	socklen_t length;
	bool v6 = strchr(address, ':') != NULL;

	server->fd = -1;
	server->in = g_string_new(NULL);
	server->lines = g_strsplit(script, "\n", -1);
	server->listen_fd = socket(v6 ? AF_INET6 : AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	g_assert_cmpint(server->listen_fd, >=, 0);
	if (v6) {
		struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)&storage;
		in6->sin6_family = AF_INET6;
		g_assert_cmpint(inet_pton(AF_INET6, address, &in6->sin6_addr), ==, 1);
		length = sizeof *in6;
	} else {
		struct sockaddr_in *in4 = (struct sockaddr_in *)&storage;
		in4->sin_family = AF_INET;
		g_assert_cmpint(inet_pton(AF_INET, address, &in4->sin_addr), ==, 1);
		length = sizeof *in4;
	}
	g_assert_cmpint(bind(server->listen_fd, (struct sockaddr *)&storage, length), ==, 0);
	g_assert_cmpint(listen(server->listen_fd, 1), ==, 0);
	g_assert_cmpint(getsockname(server->listen_fd, (struct sockaddr *)&storage, &length), ==,
	                0);
	server->port = ntohs(v6 ? ((struct sockaddr_in6 *)&storage)->sin6_port
	                        : ((struct sockaddr_in *)&storage)->sin_port);
	server->thread = g_thread_new("fault-server", serve, server);
	return server;
}

uint16_t
test_fault_server_get_port(const TestFaultServer *server)
{
	return server->port;
}

char *
test_fault_server_finish(TestFaultServer *server)
{
	if (server->thread != NULL) {
		g_thread_join(server->thread);
		server->thread = NULL;
	}
	return g_strdup(server->problem);
}

void
test_fault_server_free(TestFaultServer *server)
{
	if (server == NULL)
		return;
	g_free(test_fault_server_finish(server));
	if (server->ssl != NULL)
		SSL_free(server->ssl);
	SSL_CTX_free(server->ctx);
	if (server->fd >= 0)
		close(server->fd);
	close(server->listen_fd);
	g_strfreev(server->lines);
	g_string_free(server->in, TRUE);
	g_free(server->problem);
	g_free(server);
}
