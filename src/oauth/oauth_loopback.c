#include "oauth/oauth_loopback.h"

#include "base/base_error.h"
#include "oauth/oauth_error.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdbool.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define MAX_REQUEST_BYTES  8192
#define REQUEST_TIMEOUT_MS 5000

struct OauthLoopback {
	int fd;
	char *redirect_uri;
};

OauthLoopback *
oauth_loopback_open(GError **error)
{
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	struct sockaddr_in address = {.sin_family = AF_INET,
	                              .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	socklen_t length = sizeof address;
	if (fd < 0 || bind(fd, (struct sockaddr *)&address, sizeof address) != 0 ||
	    listen(fd, 8) != 0 || getsockname(fd, (struct sockaddr *)&address, &length) != 0) {
		g_set_error(error, OAUTH_ERROR, OAUTH_ERROR_NETWORK,
		            "cannot listen on 127.0.0.1 for the sign-in's redirect: %s",
		            g_strerror(errno));
		if (fd >= 0)
			close(fd);
		return NULL;
	}
	OauthLoopback *loopback = g_new0(OauthLoopback, 1);
	loopback->fd = fd;
	loopback->redirect_uri =
	        g_strdup_printf("http://127.0.0.1:%u/callback", ntohs(address.sin_port));
	return loopback;
}

void
oauth_loopback_free(OauthLoopback *loopback)
{
	if (loopback == NULL)
		return;
	close(loopback->fd);
	g_free(loopback->redirect_uri);
	g_free(loopback);
}

const char *
oauth_loopback_redirect_uri(const OauthLoopback *loopback)
{
	return loopback->redirect_uri;
}

static void
answer(int fd, int status, const char *title, const char *text)
{
	g_autofree char *body = g_strdup_printf(
	        "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>piculet: %s</title>"
	        "</head><body><h1>%s</h1><p>%s</p></body></html>",
	        title, title, text);
	g_autofree char *head = g_strdup_printf(
	        "HTTP/1.1 %d %s\r\nContent-Type: text/html; charset=utf-8\r\n"
	        "Content-Length: %zu\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n",
	        status,
	        status == 200   ? "OK"
	        : status == 404 ? "Not Found"
	                        : "Bad Request",
	        strlen(body));
	/* Best effort: the browser's page is a courtesy; the code is ours. */
	if (write(fd, head, strlen(head)) < 0 || write(fd, body, strlen(body)) < 0)
		g_debug("oauth: the browser left before its answer");
}

/* Reads the request head (up to its blank line) within its own deadline. */
static char *
read_head(int fd)
{
	GString *head = g_string_new(NULL);
	gint64 deadline = g_get_monotonic_time() + (gint64)REQUEST_TIMEOUT_MS * 1000;
	while (head->len < MAX_REQUEST_BYTES && strstr(head->str, "\r\n\r\n") == NULL) {
		int left_ms = (int)((deadline - g_get_monotonic_time()) / 1000);
		struct pollfd p = {.fd = fd, .events = POLLIN};
		if (left_ms <= 0 || poll(&p, 1, left_ms) <= 0)
			break;
		char buffer[1024];
		ssize_t n = read(fd, buffer, sizeof buffer);
		if (n <= 0)
			break;
		g_string_append_len(head, buffer, n);
	}
	return g_string_free(head, FALSE);
}

OauthCallback
oauth_loopback_parse(const char *head, const char *state, char **code, char **refusal)
{
	*code = NULL;
	*refusal = NULL;
	if (!g_str_has_prefix(head, "GET /callback?") && !g_str_has_prefix(head, "GET /callback "))
		return OAUTH_CALLBACK_OTHER;
	const char *query = head + strlen("GET /callback");
	query += *query == '?' ? 1 : 0;
	g_autofree char *query_only = g_strndup(query, strcspn(query, " \r\n"));
	g_autoptr(GHashTable) params =
	        g_uri_parse_params(query_only, -1, "&", G_URI_PARAMS_WWW_FORM, NULL);
	const char *got_state = params != NULL ? g_hash_table_lookup(params, "state") : NULL;
	if (got_state == NULL || strcmp(got_state, state) != 0)
		return OAUTH_CALLBACK_WRONG_STATE;
	const char *got_code = g_hash_table_lookup(params, "code");
	const char *got_error = g_hash_table_lookup(params, "error");
	if (got_code != NULL && got_code[0] != '\0' && got_error == NULL) {
		*code = g_strdup(got_code);
		return OAUTH_CALLBACK_CODE;
	}
	const char *description = g_hash_table_lookup(params, "error_description");
	g_autofree char *error_text = base_error_printable_dup(
	        got_error != NULL ? got_error : "no code in the answer", -1, 100);
	g_autofree char *description_text =
	        description != NULL ? base_error_printable_dup(description, -1, 300) : NULL;
	*refusal = description_text != NULL
	                   ? g_strdup_printf("%s: %s", error_text, description_text)
	                   : g_strdup(error_text);
	return OAUTH_CALLBACK_REFUSED;
}

/* Reads one request and answers the browser. */
static OauthCallback
read_request(int fd, const char *state, char **code, char **refusal)
{
	g_autofree char *head = read_head(fd);
	OauthCallback kind = oauth_loopback_parse(head, state, code, refusal);
	switch (kind) {
	case OAUTH_CALLBACK_OTHER:
		answer(fd, 404, "Not here", "This address only takes the sign-in's answer.");
		break;
	case OAUTH_CALLBACK_WRONG_STATE:
		answer(fd, 400, "Not this sign-in",
		       "This answer belongs to no sign-in piculet is waiting for.");
		break;
	case OAUTH_CALLBACK_CODE:
		answer(fd, 200, "Signed in", "piculet has what it needs. You may close this tab.");
		break;
	case OAUTH_CALLBACK_REFUSED:
		answer(fd, 400, "Not signed in",
		       "The sign-in did not go through; see piculet's message.");
		break;
	}
	return kind;
}

char *
oauth_loopback_wait(OauthLoopback *loopback, const char *state, int timeout_ms, int stop_fd,
                    GError **error)
{
	gint64 deadline = g_get_monotonic_time() + (gint64)timeout_ms * 1000;
	guint wrong_states = 0;
	for (;;) {
		int left_ms = (int)((deadline - g_get_monotonic_time()) / 1000);
		if (left_ms <= 0) {
			g_set_error(error, OAUTH_ERROR, OAUTH_ERROR_TIMEOUT,
			            "nobody came back from the sign-in page within %d s%s",
			            timeout_ms / 1000,
			            wrong_states > 0
			                    ? " (answers of another sign-in were turned away)"
			                    : "");
			return NULL;
		}
		struct pollfd fds[2] = {{.fd = loopback->fd, .events = POLLIN},
		                        {.fd = stop_fd, .events = POLLIN}};
		int n = poll(fds, stop_fd >= 0 ? 2 : 1, left_ms);
		if (n < 0 && errno != EINTR) {
			g_set_error(error, OAUTH_ERROR, OAUTH_ERROR_NETWORK,
			            "waiting for the sign-in: %s", g_strerror(errno));
			return NULL;
		}
		if (stop_fd >= 0 && (fds[1].revents & POLLIN)) {
			g_set_error_literal(error, OAUTH_ERROR, OAUTH_ERROR_STOPPED, "stopped");
			return NULL;
		}
		if (n <= 0 || !(fds[0].revents & POLLIN))
			continue;
		int client = accept4(loopback->fd, NULL, NULL, SOCK_CLOEXEC);
		if (client < 0)
			continue;
		char *code = NULL;
		char *refusal = NULL;
		OauthCallback kind = read_request(client, state, &code, &refusal);
		close(client);
		if (kind == OAUTH_CALLBACK_CODE)
			return code;
		if (kind == OAUTH_CALLBACK_REFUSED) {
			g_set_error(error, OAUTH_ERROR, OAUTH_ERROR_DENIED,
			            "the sign-in was refused: %s", refusal);
			g_free(refusal);
			return NULL;
		}
		if (kind == OAUTH_CALLBACK_WRONG_STATE)
			wrong_states++;
	}
}
