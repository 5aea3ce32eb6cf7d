/*
 * Fuzz target: what a stranger sends to the links of messages. "TOKEN\n
 * ACCEPT-LANGUAGE": the token is checked against a key (refused unless it
 * is one the key made: none a fuzzer can find), and the page is chosen by
 * the Accept-Language header, whatever its bytes.
 */
#include "engine/engine_links.h"
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
