#include "base/base_sasl.h"

#include <string.h>

static char *
decoded(const BaseSecret *secret, gsize *length)
{
	return (char *)g_base64_decode(base_secret_get(secret), length);
}

static void
test_plain(void)
{
	g_autoptr(BaseSecret) password = base_secret_new("pässword", -1);
	g_autoptr(BaseSecret) response = base_sasl_encode_plain("alice@sender.test", password);
	gsize n = 0;
	g_autofree char *plain = decoded(response, &n);
	const char expected[] = "\0alice@sender.test\0pässword";
	g_assert_cmpmem(plain, n, expected, sizeof expected - 1);
}

static void
test_xoauth2(void)
{
	g_autoptr(BaseSecret) token = base_secret_new("ya29.token", -1);
	g_autoptr(BaseSecret) response = base_sasl_encode_xoauth2("bob@example.com", token);
	gsize n = 0;
	g_autofree char *plain = decoded(response, &n);
	const char expected[] = "user=bob@example.com\001auth=Bearer ya29.token\001\001";
	g_assert_cmpmem(plain, n, expected, sizeof expected - 1);
}

/* RFC 7628 3.1, with the user's ',' and '=' escaped (RFC 5801). */
static void
test_oauthbearer(void)
{
	g_autoptr(BaseSecret) token = base_secret_new("vF9dft4qmT", -1);
	g_autoptr(BaseSecret) response =
	        base_sasl_encode_oauthbearer("a,b=c@example.com", "server.example.com", 143, token);
	gsize n = 0;
	g_autofree char *plain = decoded(response, &n);
	const char expected[] = "n,a=a=2Cb=3Dc@example.com,\001host=server.example.com\001port=143"
	                        "\001auth=Bearer vF9dft4qmT\001\001";
	g_assert_cmpmem(plain, n, expected, sizeof expected - 1);
}

static void
test_bearer_error(void)
{
	const char *text = "{\"status\":\"401\",\"schemes\":\"bearer\",\"scope\":\"a\\nb\"}";
	g_autofree char *json = g_base64_encode((const guchar *)text, strlen(text));
	g_autofree char *words = base_sasl_describe_bearer_error(json);
	g_assert_cmpstr(words, ==, "status 401, scope a b, schemes bearer");
	g_assert_null(base_sasl_describe_bearer_error(""));
	g_assert_null(base_sasl_describe_bearer_error("bm90IGpzb24=")); /* "not json" */
	g_assert_null(base_sasl_describe_bearer_error("e30="));         /* "{}" */
	g_assert_null(base_sasl_describe_bearer_error("!!"));
}

static void
test_text(void)
{
	g_autoptr(BaseSecret) response = base_sasl_encode_text("carol", 5);
	g_assert_cmpstr(base_secret_get(response), ==, "Y2Fyb2w=");
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/base/sasl/plain-is-nul-user-nul-password", test_plain);
	g_test_add_func("/base/sasl/xoauth2-bearer-format", test_xoauth2);
	g_test_add_func("/base/sasl/login-text", test_text);
	g_test_add_func("/base/sasl/oauthbearer-gs2-and-kvpairs", test_oauthbearer);
	g_test_add_func("/base/sasl/bearer-error-in-words", test_bearer_error);
	return g_test_run();
}
