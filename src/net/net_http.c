#include "net/net_http.h"

#include "net/net_error.h"

#include <curl/curl.h>
#include <openssl/crypto.h>
#include <poll.h>
#include <stdbool.h>
#include <string.h>

#define MAX_BODY_BYTES ((gsize)1024 * 1024)

void
net_http_response_free(NetHttpResponse *response)
{
	if (response == NULL)
		return;
	if (response->body != NULL)
		OPENSSL_cleanse(response->body, response->length);
	g_free(response->body);
	g_free(response->content_type);
	g_free(response);
}

static gpointer
init_curl(gpointer data)
{
	(void)data;
	curl_global_init(CURL_GLOBAL_DEFAULT);
	return NULL;
}

typedef struct {
	GString *body;
	bool too_big;
} Reading;

/* The body holds tokens: it starts at 4 KiB, which any token answer fits
 * in, so no moved buffer leaves a copy behind unwiped. */
static size_t
on_body(char *data, size_t size, size_t count, void *user_data)
{
	Reading *reading = user_data;
	gsize n = size * count;
	if (reading->body->len + n > MAX_BODY_BYTES) {
		reading->too_big = true;
		return 0;
	}
	g_string_append_len(reading->body, data, (gssize)n);
	return n;
}

bool
net_http_url_allowed(const char *url)
{
	if (g_ascii_strncasecmp(url, "https://", 8) == 0)
		return true;
	return g_ascii_strncasecmp(url, "http://127.0.0.1", 16) == 0 ||
	       g_ascii_strncasecmp(url, "http://[::1]", 12) == 0 ||
	       g_ascii_strncasecmp(url, "http://localhost", 16) == 0;
}

static char *
encode_fields(CURL *curl, const char *const *fields)
{
	GString *out = g_string_sized_new(512);
	for (gsize i = 0; fields[i] != NULL && fields[i + 1] != NULL; i += 2) {
		char *name = curl_easy_escape(curl, fields[i], 0);
		char *value = curl_easy_escape(curl, fields[i + 1], 0);
		g_string_append_printf(out, "%s%s=%s", i > 0 ? "&" : "", name, value);
		OPENSSL_cleanse(value, strlen(value));
		curl_free(name);
		curl_free(value);
	}
	return g_string_free(out, FALSE);
}

/* libcurl asks between its steps: a readable stop fd ends the request. */
static int
stop_asked(void *user_data, curl_off_t download_total, curl_off_t downloaded,
           curl_off_t upload_total, curl_off_t uploaded)
{
	struct pollfd stop = {.fd = *(const int *)user_data, .events = POLLIN};
	return poll(&stop, 1, 0) > 0 ? 1 : 0;
}

static void
set_error(CURLcode rc, const char *url, const char *detail, GError **error)
{
	int code = NET_ERROR_IO;
	switch (rc) {
	case CURLE_ABORTED_BY_CALLBACK:
		g_set_error(error, NET_ERROR, NET_ERROR_STOPPED, "%s: stopped by request", url);
		return;
	case CURLE_COULDNT_RESOLVE_HOST:
		code = NET_ERROR_RESOLVE;
		break;
	case CURLE_COULDNT_CONNECT:
		code = NET_ERROR_CONNECT;
		break;
	case CURLE_OPERATION_TIMEDOUT:
		code = NET_ERROR_TIMEOUT;
		break;
	case CURLE_PEER_FAILED_VERIFICATION:
	case CURLE_SSL_CACERT_BADFILE:
		code = NET_ERROR_CERTIFICATE;
		break;
	case CURLE_SSL_CONNECT_ERROR:
		code = NET_ERROR_TLS;
		break;
	case CURLE_WRITE_ERROR:
		code = NET_ERROR_LIMIT;
		break;
	default:
		break;
	}
	g_set_error(error, NET_ERROR, code, "%s: %s", url,
	            detail[0] != '\0' ? detail : curl_easy_strerror(rc));
}

NetHttpResponse *
net_http_post_form(const NetHttpOptions *options, const char *url, const char *const *fields,
                   GError **error)
{
	static GOnce once = G_ONCE_INIT;
	g_once(&once, init_curl, NULL);
	if (!net_http_url_allowed(url)) {
		g_set_error(error, NET_ERROR, NET_ERROR_CERTIFICATE,
		            "%s: only https:// (or http:// to this machine) is used", url);
		return NULL;
	}
	NetHttpResponse *response = NULL;
	CURL *curl = curl_easy_init();
	if (curl == NULL) {
		g_set_error(error, NET_ERROR, NET_ERROR_IO, "%s: libcurl could not start", url);
		return NULL;
	}
	char *body = encode_fields(curl, fields);
	gsize body_length = strlen(body);
	char detail[CURL_ERROR_SIZE] = "";
	Reading reading = {.body = g_string_sized_new(4096)};
	struct curl_slist *headers = curl_slist_append(NULL, "Accept: application/json");
	curl_easy_setopt(curl, CURLOPT_URL, url);
	curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
	curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body);
	curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE, (long)body_length);
	curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(curl, CURLOPT_WRITEDATA, &reading);
	curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, detail);
	curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS,
	                 (long)(options->timeout_ms > 0 ? options->timeout_ms : 30000));
	curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS, 10000L);
	curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
	if (options->stop_fd > 0) {
		curl_easy_setopt(curl, CURLOPT_XFERINFOFUNCTION, stop_asked);
		curl_easy_setopt(curl, CURLOPT_XFERINFODATA, &options->stop_fd);
		curl_easy_setopt(curl, CURLOPT_NOPROGRESS, 0L);
	}
	curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 0L);
	curl_easy_setopt(curl, CURLOPT_USERAGENT, "piculet");
	curl_easy_setopt(curl, CURLOPT_SSL_VERIFYPEER, 1L);
	curl_easy_setopt(curl, CURLOPT_SSL_VERIFYHOST, 2L);
	if (options->ca_file != NULL) {
		/* Besides the system's, as for SMTP and IMAP (net_tls). */
		curl_easy_setopt(curl, CURLOPT_CAINFO, options->ca_file);
		curl_easy_setopt(curl, CURLOPT_CAPATH, "/etc/ssl/certs");
	}
	if (options->user != NULL && options->password != NULL) {
		curl_easy_setopt(curl, CURLOPT_HTTPAUTH, (long)CURLAUTH_BASIC);
		curl_easy_setopt(curl, CURLOPT_USERNAME, options->user);
		curl_easy_setopt(curl, CURLOPT_PASSWORD, options->password);
	}
	g_debug("POST %s", url);
	CURLcode rc = curl_easy_perform(curl);
	if (rc != CURLE_OK) {
		set_error(reading.too_big ? CURLE_WRITE_ERROR : rc, url,
		          reading.too_big ? "the answer is larger than 1 MiB" : detail, error);
		goto out;
	}
	response = g_new0(NetHttpResponse, 1);
	curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &response->status);
	const char *type = NULL;
	if (curl_easy_getinfo(curl, CURLINFO_CONTENT_TYPE, &type) == CURLE_OK && type != NULL)
		response->content_type = g_strdup(type);
	response->length = reading.body->len;
	response->body = g_malloc(reading.body->len + 1);
	memcpy(response->body, reading.body->str, reading.body->len + 1);
	g_debug("POST %s: %ld", url, response->status);
out:
	OPENSSL_cleanse(reading.body->str, reading.body->allocated_len);
	g_string_free(reading.body, TRUE);
	OPENSSL_cleanse(body, body_length);
	g_free(body);
	curl_slist_free_all(headers);
	curl_easy_cleanup(curl);
	return response;
}
