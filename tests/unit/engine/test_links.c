/*
 * The one-click unsubscribe links (engine_links): a token names its
 * enrollment and checks out under the key that made it only; a changed,
 * shortened, padded or foreign token is refused.
 */
#include "engine/engine_links.h"

#include <glib/gstdio.h>
#include <string.h>

static BaseSealKey *
new_key(const char *dir, const char *name)
{
	g_autofree char *path = g_build_filename(dir, name, NULL);
	g_autoptr(GError) error = NULL;
	BaseSealKey *key = base_seal_key_load_or_create(path, &error);
	g_assert_no_error(error);
	return key;
}

static void
test_tokens(void)
{
	g_autofree char *dir = g_dir_make_tmp("piculet-links-XXXXXX", NULL);
	g_autoptr(BaseSealKey) key = new_key(dir, "a.key");
	g_autoptr(BaseSealKey) other = new_key(dir, "b.key");
	const int64_t ids[] = {1, 42, G_MAXINT64, 1 << 20};
	for (gsize i = 0; i < G_N_ELEMENTS(ids); i++) {
		g_autofree char *token = engine_links_unsubscribe_token(key, ids[i]);
		g_assert_cmpuint(strlen(token), ==, 32);
		g_assert_cmpuint(strspn(token,
		                        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
		                        "0123456789-_"),
		                 ==, 32);
		int64_t id = 0;
		g_assert_true(engine_links_unsubscribe_check(key, token, &id));
		g_assert_cmpint(id, ==, ids[i]);
		g_assert_false(engine_links_unsubscribe_check(other, token, &id));
		/* Every single character changed is refused. */
		for (gsize at = 0; at < 32; at++) {
			g_autofree char *changed = g_strdup(token);
			changed[at] = changed[at] == 'A' ? 'B' : 'A';
			g_assert_false(engine_links_unsubscribe_check(key, changed, &id));
		}
	}
	g_autofree char *token = engine_links_unsubscribe_token(key, 7);
	int64_t id = 0;
	g_autofree char *shorter = g_strndup(token, 31);
	g_autofree char *longer = g_strconcat(token, "A", NULL);
	g_autofree char *padded = g_strconcat(shorter, "=", NULL);
	const char *refused[] = {"", shorter, longer, padded, "../../../etc/passwd"};
	for (gsize i = 0; i < G_N_ELEMENTS(refused); i++)
		g_assert_false(engine_links_unsubscribe_check(key, refused[i], &id));
	g_assert_false(engine_links_unsubscribe_check(key, NULL, &id));

	g_autofree char *url = engine_links_unsubscribe_url(key, "https://links.example.com//", 7);
	g_autofree char *expected = g_strconcat("https://links.example.com/u/", token, NULL);
	g_assert_cmpstr(url, ==, expected);
	g_autofree char *command = g_strdup_printf("rm -rf '%s'", dir);
	g_spawn_command_line_sync(command, NULL, NULL, NULL, NULL);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/engine/links/unsubscribe-tokens", test_tokens);
	return g_test_run();
}
