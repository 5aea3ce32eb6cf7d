/*
 * Fuzz target: what a stranger sends to the links of messages. "TOKEN\n
 * ACCEPT-LANGUAGE": the token is checked against a key (refused unless it
 * is one the key made: none a fuzzer can find), as an unsubscribe, open and
 * click token; the page is chosen by the Accept-Language header, and the
 * tracking's judgement made on it as a User-Agent, whatever its bytes; the
 * tracked HTML of the input as a message body is well formed (every tag
 * opened by us, none from the text).
 */
#include "engine/engine_links.h"
#include "engine/engine_tracking.h"
#include "http/http_unsubscribe.h"

#include <glib/gstdio.h>
#include <stdint.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static BaseSealKey *
key(void)
{
	static BaseSealKey *made;
	if (made == NULL) {
		g_autofree char *dir = g_dir_make_tmp("piculet-fuzz-links-XXXXXX", NULL);
		g_autofree char *path = g_build_filename(dir, "secret.key", NULL);
		made = base_seal_key_load_or_create(path, NULL);
		g_assert_nonnull(made);
		g_unlink(path);
		g_rmdir(dir);
	}
	return made;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	g_autofree char *text = g_strndup((const char *)data, size);
	char *language = strchr(text, '\n');
	if (language != NULL)
		*language++ = '\0';
	const char *params[] = {text, NULL};
	int64_t id = 0;
	if (engine_links_unsubscribe_check(key(), text, &id))
		g_assert_cmpuint(strlen(text), ==, 32);
	int step = 0;
	g_autofree char *url = NULL;
	g_assert_false(engine_tracking_open_check(key(), text, &id, &step));
	g_assert_false(engine_tracking_click_check(key(), text, &id, &step, &url));
	g_assert_null(url);
	const char *why = NULL;
	bool person = engine_tracking_judge("GET", language, (int64_t)size, &why);
	g_assert_true(person == (why == NULL));
	/* The input as a tracked body: no "<" of its own survives. */
	g_autofree char *html =
	        engine_tracking_html(text, key(), "https://l.test", 1, 1, true, true);
	g_autofree char *body = g_strndup(strstr(html, "<p>") + 3, strlen(html));
	for (const char *lt = strchr(body, '<'); lt != NULL; lt = strchr(lt + 1, '<'))
		g_assert_true(g_str_has_prefix(lt, "<br>") || g_str_has_prefix(lt, "</p>") ||
		              g_str_has_prefix(lt, "<p>") || g_str_has_prefix(lt, "<a href=\"") ||
		              g_str_has_prefix(lt, "</a>") || g_str_has_prefix(lt, "</div>") ||
		              g_str_has_prefix(lt, "<img src=\"https://l.test/o/") ||
		              g_str_has_prefix(lt, "</body>") || g_str_has_prefix(lt, "</html>"));
	/* Every click token it made carries its URL back whole. */
	static const char anchor[] = "<a href=\"https://l.test/c/";
	for (const char *a = strstr(html, anchor); a != NULL; a = strstr(a + 1, anchor)) {
		const char *start = a + strlen(anchor);
		g_autofree char *token = g_strndup(start, strcspn(start, "\""));
		g_autofree char *carried = NULL;
		g_assert_true(engine_tracking_click_check(key(), token, &id, &step, &carried));
		g_assert_true(g_str_has_prefix(carried, "http"));
	}
	HttpExchange x = {.param = params, .links_key = key(), .accept_language = language};
	http_unsubscribe_page(&x);
	g_assert_true((x.error != NULL) != (x.answer_text != NULL));
	if (x.answer_text != NULL)
		g_assert_true(g_str_has_prefix(x.answer_text, "<!doctype html>"));
	g_clear_error(&x.error);
	g_free(x.answer_text);
	/* A token it made checks out, and a page comes in some language. */
	g_autofree char *real = engine_links_unsubscribe_token(key(), (int64_t)size);
	params[0] = real;
	HttpExchange y = {.param = params, .links_key = key(), .accept_language = language};
	http_unsubscribe_page(&y);
	g_assert_nonnull(y.answer_text);
	g_assert_nonnull(strstr(y.answer_text, "<html lang=\""));
	g_free(y.answer_text);
	return 0;
}
