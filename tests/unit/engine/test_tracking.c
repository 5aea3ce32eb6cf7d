/*
 * engine_tracking: the signed tokens (no forgery, no mix-up of kinds or
 * keys, the URL carried whole), the HTML part (escaped, links rewritten or
 * kept, the pixel only when asked), and the rule for which fetches are a
 * person's.
 */
#include "engine/engine_tracking.h"

#include <glib/gstdio.h>
#include <string.h>

static BaseSealKey *key;
static BaseSealKey *other_key;

static void
test_open_token(void)
{
	g_autofree char *token = engine_tracking_open_token(key, 4242, 3);
	int64_t enrollment = 0;
	int step = 0;
	g_assert_true(engine_tracking_open_check(key, token, &enrollment, &step));
	g_assert_cmpint(enrollment, ==, 4242);
	g_assert_cmpint(step, ==, 3);
	/* Another key, a changed character, a click check, nothing. */
	g_assert_false(engine_tracking_open_check(other_key, token, &enrollment, &step));
	g_autofree char *changed = g_strdup(token);
	changed[5] = changed[5] == 'A' ? 'B' : 'A';
	g_assert_false(engine_tracking_open_check(key, changed, &enrollment, &step));
	g_autofree char *url = NULL;
	g_assert_false(engine_tracking_click_check(key, token, &enrollment, &step, &url));
	g_assert_null(url);
	g_assert_false(engine_tracking_open_check(key, "", &enrollment, &step));
	g_assert_false(engine_tracking_open_check(key, NULL, &enrollment, &step));
	g_assert_false(engine_tracking_open_check(key, "a/b", &enrollment, &step));
	/* Cut short. */
	g_autofree char *cut = g_strndup(token, strlen(token) - 2);
	g_assert_false(engine_tracking_open_check(key, cut, &enrollment, &step));
}

static void
test_click_token(void)
{
	const char *target = "https://example.test/pricing?plan=team&x=%C3%A9#top";
	g_autofree char *token = engine_tracking_click_token(key, 7, 1, target);
	int64_t enrollment = 0;
	int step = 0;
	g_autofree char *url = NULL;
	g_assert_true(engine_tracking_click_check(key, token, &enrollment, &step, &url));
	g_assert_cmpstr(url, ==, target);
	g_assert_cmpint(enrollment, ==, 7);
	g_assert_cmpint(step, ==, 1);
	g_assert_false(engine_tracking_open_check(key, token, &enrollment, &step));
	/* The URL cannot be changed: any character of the token changed fails. */
	for (gsize i = 0; i < strlen(token); i += 7) {
		g_autofree char *changed = g_strdup(token);
		changed[i] = changed[i] == 'a' ? 'b' : 'a';
		g_autofree char *none = NULL;
		g_assert_false(
		        engine_tracking_click_check(key, changed, &enrollment, &step, &none));
		g_assert_null(none);
	}
}

static void
test_html(void)
{
	const char *text = "Hi <Ann> & co,\n\nsee https://example.test/a?b=1&c=2. Or\n"
	                   "(http://example.test/x).\n-- \nAlice";
	g_autofree char *html =
	        engine_tracking_html(text, key, "https://links.example.test/", 9, 2, true, true);
	g_assert_nonnull(strstr(html, "<p>Hi &lt;Ann&gt; &amp; co,</p>"));
	g_assert_null(strstr(html, "<Ann>"));
	/* The link's text is what was written; its href goes through piculet
	 * and carries the URL without the sentence's full stop. */
	g_assert_nonnull(strstr(html, ">https://example.test/a?b=1&amp;c=2</a>. Or<br>"));
	g_assert_nonnull(strstr(html, "(<a href=\"https://links.example.test/c/"));
	g_assert_nonnull(strstr(html, ">http://example.test/x</a>).<br>"));
	const char *href = strstr(html, "<a href=\"https://links.example.test/c/");
	g_assert_nonnull(href);
	href += strlen("<a href=\"https://links.example.test/c/");
	g_autofree char *token = g_strndup(href, strcspn(href, "\""));
	int64_t enrollment = 0;
	int step = 0;
	g_autofree char *url = NULL;
	g_assert_true(engine_tracking_click_check(key, token, &enrollment, &step, &url));
	g_assert_cmpstr(url, ==, "https://example.test/a?b=1&c=2");
	g_assert_cmpint(enrollment, ==, 9);
	g_assert_cmpint(step, ==, 2);
	/* The pixel, once, at the end; the signature's lines kept. */
	g_assert_nonnull(strstr(html, "-- <br>\nAlice</p>"));
	const char *pixel = strstr(html, "<img src=\"https://links.example.test/o/");
	g_assert_nonnull(pixel);
	g_assert_null(strstr(pixel + 1, "<img"));

	/* Opens only: the links are the message's own. */
	g_autofree char *opens =
	        engine_tracking_html(text, key, "https://l.test", 9, 2, true, false);
	g_assert_nonnull(strstr(opens, "<a href=\"https://example.test/a?b=1&amp;c=2\">"));
	g_assert_null(strstr(opens, "/c/"));
	/* Clicks only: no image. */
	g_autofree char *clicks =
	        engine_tracking_html(text, key, "https://l.test", 9, 2, false, true);
	g_assert_null(strstr(clicks, "<img"));
	g_assert_nonnull(strstr(clicks, "https://l.test/c/"));
}

static void
test_judge(void)
{
	static const char chrome[] = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, "
	                             "like Gecko) Chrome/120.0 Safari/537.36";
	static const struct {
		const char *method;
		const char *user_agent;
		int64_t since_s;
		bool person;
	} cases[] = {
	        {"GET", chrome, 3600, true},
	        {"GET", chrome, -1, true},
	        {"GET", chrome, 3, false},
	        {"HEAD", chrome, 3600, false},
	        {"GET", NULL, 3600, false},
	        {"GET", "", 3600, false},
	        {"GET", "Mozilla/5.0", 3600, false},
	        {"GET",
	         "Mozilla/5.0 (Windows NT 5.1; rv:11.0) Gecko Firefox/11.0 (via ggpht.com "
	         "GoogleImageProxy)",
	         3600, false},
	        {"GET", "Mozilla/5.0 (compatible; YahooMailProxy; https://help.yahoo.com)", 3600,
	         false},
	        {"GET", "python-requests/2.31", 3600, false},
	        {"GET", "curl/7.88.1", 3600, false},
	        {"GET", "Barracuda Sentinel (EE)", 3600, false},
	        {"GET",
	         "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 "
	         "(KHTML, like Gecko) Mobile/15E148",
	         3600, true},
	};
	for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
		const char *reason = NULL;
		bool person = engine_tracking_judge(cases[i].method, cases[i].user_agent,
		                                    cases[i].since_s, &reason);
		if (person != cases[i].person)
			g_error("case %zu (%s): %s", i, cases[i].user_agent, reason);
		g_assert_true(person == (reason == NULL));
	}
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_autofree char *dir = g_dir_make_tmp("piculet-tracking-XXXXXX", NULL);
	g_autofree char *path = g_build_filename(dir, "secret.key", NULL);
	g_autofree char *other = g_build_filename(dir, "other.key", NULL);
	key = base_seal_key_load_or_create(path, NULL);
	other_key = base_seal_key_load_or_create(other, NULL);
	g_assert_nonnull(key);
	g_test_add_func("/engine/tracking/open-token", test_open_token);
	g_test_add_func("/engine/tracking/click-token", test_click_token);
	g_test_add_func("/engine/tracking/html", test_html);
	g_test_add_func("/engine/tracking/judge", test_judge);
	int status = g_test_run();
	base_seal_key_free(key);
	base_seal_key_free(other_key);
	g_unlink(path);
	g_unlink(other);
	g_rmdir(dir);
	return status;
}
