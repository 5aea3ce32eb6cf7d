/* The OAuth2 layer's pure parts: PKCE, provider presets, the token
 * endpoint's answers, the loopback listener's requests; and the listener
 * itself on loopback. */
#include "oauth/oauth_error.h"
#include "oauth/oauth_loopback.h"
#include "oauth/oauth_pkce.h"
#include "oauth/oauth_provider.h"
#include "oauth/oauth_token.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

/* RFC 7636 appendix B. */
static void
test_pkce_rfc_vector(void)
{
	g_autofree char *challenge =
	        oauth_pkce_challenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk");
	g_assert_cmpstr(challenge, ==, "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
	g_autofree char *a = oauth_pkce_new_verifier();
	g_autofree char *b = oauth_pkce_new_verifier();
	g_assert_cmpuint(strlen(a), ==, 43);
	g_assert_cmpstr(a, !=, b);
	g_assert_null(strpbrk(a, "+/="));
}

static void
test_providers(void)
{
	g_assert_cmpstr(oauth_provider_for_mx("aspmx.l.google.com.")->name, ==, "google");
	g_assert_cmpstr(oauth_provider_for_mx("ALT1.ASPMX.L.GOOGLE.COM")->name, ==, "google");
	g_assert_cmpstr(oauth_provider_for_mx("example-com.mail.protection.outlook.com")->name, ==,
	                "microsoft");
	g_assert_null(oauth_provider_for_mx("mx.notgoogle.com.evil.test"));
	g_assert_null(oauth_provider_for_mx("google.com.example.test"));
	g_assert_cmpstr(oauth_provider_for_host("smtp.office365.com")->name, ==, "microsoft");
	g_assert_null(oauth_provider_find("yahoo"));
	const OauthProvider *google = oauth_provider_find("Google");
	g_assert_nonnull(google);
	/* Google's device grant takes no Gmail scope: none is offered. */
	g_assert_null(google->device_url);
	g_assert_true(google->files_sent);
	g_assert_nonnull(strstr(oauth_provider_find("microsoft")->scope, "offline_access"));
}

static void
test_answers(void)
{
	g_autoptr(GError) error = NULL;
	const char ok[] =
	        "{\"access_token\":\"at-1\",\"refresh_token\":\"rt-2\",\"expires_in\":3599,"
	        "\"token_type\":\"Bearer\",\"scope\":\"mail\"}";
	g_autoptr(OauthTokens) tokens =
	        oauth_token_parse_answer(200, ok, sizeof ok - 1, "refreshing", &error);
	g_assert_no_error(error);
	g_assert_cmpstr(base_secret_get(tokens->access), ==, "at-1");
	g_assert_cmpstr(base_secret_get(tokens->refresh), ==, "rt-2");
	g_assert_cmpint(tokens->expires_in_s, ==, 3599);

	/* Microsoft's old string lifetime; no refresh token: keep the old. */
	const char string_expiry[] =
	        "{\"access_token\":\"at\",\"expires_in\":\"3600\",\"token_type\":\"bearer\"}";
	g_autoptr(OauthTokens) more =
	        oauth_token_parse_answer(200, string_expiry, sizeof string_expiry - 1, "x", &error);
	g_assert_no_error(error);
	g_assert_cmpint(more->expires_in_s, ==, 3600);
	g_assert_null(more->refresh);

	static const struct {
		long status;
		const char *body;
		int code;
		const char *says;
	} refusals[] = {
	        {400,
	         "{\"error\":\"invalid_grant\",\"error_description\":\"Token has been "
	         "expired or revoked.\"}",
	         OAUTH_ERROR_INVALID_GRANT, "invalid_grant (HTTP 400): Token has been expired"},
	        {401, "{\"error\":\"invalid_client\"}", OAUTH_ERROR_CLIENT, "invalid_client"},
	        {400, "{\"error\":\"authorization_pending\"}", OAUTH_ERROR_PENDING, "pending"},
	        {400, "{\"error\":\"slow_down\"}", OAUTH_ERROR_SLOW_DOWN, "slow_down"},
	        {400, "{\"error\":\"expired_token\"}", OAUTH_ERROR_EXPIRED, "expired_token"},
	        {400, "{\"error\":\"access_denied\"}", OAUTH_ERROR_DENIED, "access_denied"},
	        {503, "<html>down</html>", OAUTH_ERROR_SERVER, "HTTP 503 without a JSON object"},
	        {200, "{\"token_type\":\"Bearer\"}", OAUTH_ERROR_SERVER, "no bearer access token"},
	        {200, "{\"access_token\":\"a\",\"token_type\":\"mac\"}", OAUTH_ERROR_SERVER,
	         "no bearer"},
	        {400, "{\"error\":\"x\\r\\ny\"}", OAUTH_ERROR_SERVER, "t: x y (HTTP 400)"},
	};
	for (gsize i = 0; i < G_N_ELEMENTS(refusals); i++) {
		g_clear_error(&error);
		OauthTokens *none = oauth_token_parse_answer(refusals[i].status, refusals[i].body,
		                                             strlen(refusals[i].body), "t", &error);
		g_assert_null(none);
		g_assert_error(error, OAUTH_ERROR, refusals[i].code);
		if (strstr(error->message, refusals[i].says) == NULL)
			g_error("\"%s\" does not say \"%s\"", error->message, refusals[i].says);
	}
}

static void
test_callback_requests(void)
{
	char *code = NULL;
	char *refusal = NULL;
	g_assert_cmpint(
	        oauth_loopback_parse("GET /favicon.ico HTTP/1.1\r\n\r\n", "s1", &code, &refusal),
	        ==, OAUTH_CALLBACK_OTHER);
	g_assert_cmpint(oauth_loopback_parse("GET /callback?code=c&state=other HTTP/1.1\r\n", "s1",
	                                     &code, &refusal),
	                ==, OAUTH_CALLBACK_WRONG_STATE);
	g_assert_cmpint(
	        oauth_loopback_parse("GET /callback?code=c HTTP/1.1\r\n", "s1", &code, &refusal),
	        ==, OAUTH_CALLBACK_WRONG_STATE);
	g_assert_cmpint(oauth_loopback_parse("GET /callback?code=a%2Fb&state=s1&iss=x HTTP/1.1\r\n",
	                                     "s1", &code, &refusal),
	                ==, OAUTH_CALLBACK_CODE);
	g_assert_cmpstr(code, ==, "a/b");
	g_clear_pointer(&code, g_free);
	g_assert_cmpint(oauth_loopback_parse("GET /callback?error=access_denied&error_description="
	                                     "The+user+said+no%0D%0A&state=s1 HTTP/1.1\r\n",
	                                     "s1", &code, &refusal),
	                ==, OAUTH_CALLBACK_REFUSED);
	g_assert_null(code);
	g_assert_nonnull(strstr(refusal, "access_denied: The user said no"));
	g_assert_null(strpbrk(refusal, "\r\n"));
	g_free(refusal);
}

typedef struct {
	guint16 port;
	const char *const *requests;
} Browser;

static gpointer
browse(gpointer data)
{
	const Browser *browser = data;
	for (const char *const *r = browser->requests; *r != NULL; r++) {
		int fd = socket(AF_INET, SOCK_STREAM, 0);
		struct sockaddr_in address = {.sin_family = AF_INET,
		                              .sin_port = htons(browser->port),
		                              .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
		g_assert_cmpint(connect(fd, (struct sockaddr *)&address, sizeof address), ==, 0);
		g_assert_cmpint(write(fd, *r, strlen(*r)), ==, (ssize_t)strlen(*r));
		char answer[512] = "";
		g_assert_cmpint(read(fd, answer, sizeof answer - 1), >, 0);
		close(fd);
	}
	return NULL;
}

/* A stray request and a forged answer are turned away; ours is taken. */
static void
test_listener(void)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(OauthLoopback) loopback = oauth_loopback_open(&error);
	g_assert_no_error(error);
	const char *uri = oauth_loopback_redirect_uri(loopback);
	g_assert_true(g_str_has_prefix(uri, "http://127.0.0.1:"));
	g_assert_true(g_str_has_suffix(uri, "/callback"));
	const char *requests[] = {"GET /favicon.ico HTTP/1.1\r\n\r\n",
	                          "GET /callback?code=forged&state=nope HTTP/1.1\r\n\r\n",
	                          "GET /callback?code=good&state=st HTTP/1.1\r\n\r\n", NULL};
	Browser browser = {.port = (guint16)g_ascii_strtoull(uri + 17, NULL, 10),
	                   .requests = requests};
	GThread *thread = g_thread_new("browser", browse, &browser);
	g_autofree char *code = oauth_loopback_wait(loopback, "st", 10000, -1, &error);
	g_thread_join(thread);
	g_assert_no_error(error);
	g_assert_cmpstr(code, ==, "good");

	/* Nobody comes: a timeout that says so. */
	g_autofree char *none = oauth_loopback_wait(loopback, "st", 50, -1, &error);
	g_assert_null(none);
	g_assert_error(error, OAUTH_ERROR, OAUTH_ERROR_TIMEOUT);
}

static void
test_authorization_url(void)
{
	OauthClient client = {.client_id = "id 1",
	                      .auth_url = "https://auth.example/o",
	                      .scope = "a b",
	                      .auth_params = "access_type=offline&prompt=consent"};
	g_autofree char *url = oauth_token_authorization_url(&client, "http://127.0.0.1:1/callback",
	                                                     "st", "ch", "me@example.com");
	g_assert_cmpstr(url, ==,
	                "https://auth.example/o?response_type=code&client_id=id%201&redirect_uri="
	                "http%3A%2F%2F127.0.0.1%3A1%2Fcallback&scope=a%20b&state=st&code_challenge="
	                "ch&code_challenge_method=S256&login_hint=me%40example.com&access_type="
	                "offline&prompt=consent");
}

/* A token endpoint that takes the connection and never answers: a stop
 * (its fd readable) ends the request at once, OAUTH_ERROR_STOPPED, not the
 * 30 s timeout's OAUTH_ERROR_NETWORK. */
static void
test_stop_cuts_the_request(void)
{
	int silent = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	struct sockaddr_in address = {.sin_family = AF_INET,
	                              .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	g_assert_cmpint(bind(silent, (struct sockaddr *)&address, sizeof address), ==, 0);
	g_assert_cmpint(listen(silent, 4), ==, 0);
	socklen_t length = sizeof address;
	g_assert_cmpint(getsockname(silent, (struct sockaddr *)&address, &length), ==, 0);
	g_autofree char *url =
	        g_strdup_printf("http://127.0.0.1:%u/token", ntohs(address.sin_port));
	int stop[2];
	g_assert_cmpint(pipe(stop), ==, 0);
	g_assert_cmpint(write(stop[1], "x", 1), ==, 1);
	OauthClient client = {.client_id = "c", .token_url = url, .stop_fd = stop[0]};
	g_autoptr(BaseSecret) refresh = base_secret_new("r", -1);
	g_autoptr(GError) error = NULL;
	g_autoptr(OauthTokens) tokens = oauth_token_refresh(&client, refresh, &error);
	g_assert_null(tokens);
	g_assert_error(error, OAUTH_ERROR, OAUTH_ERROR_STOPPED);
	close(stop[0]);
	close(stop[1]);
	close(silent);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/oauth/pkce/rfc7636-vector", test_pkce_rfc_vector);
	g_test_add_func("/oauth/providers/presets-and-mx", test_providers);
	g_test_add_func("/oauth/token/answers-and-refusals", test_answers);
	g_test_add_func("/oauth/loopback/requests", test_callback_requests);
	g_test_add_func("/oauth/loopback/listener-takes-only-its-answer", test_listener);
	g_test_add_func("/oauth/token/authorization-url", test_authorization_url);
	g_test_add_func("/oauth/token/stop-cuts-the-request", test_stop_cuts_the_request);
	return g_test_run();
}
