/*
 * Sealing a mailbox's password (app_mailbox_seal_password) on a real
 * store: the key is made when none exists and no other mailbox depends on
 * one; it is never made when another mailbox's sealed password would be
 * lost by it.
 */
#include "app/app_mailbox.h"

#include "base/base_error.h"
#include "base/base_seal.h"

#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>

static void
add_sealed_mailbox(Store *store, const char *address, GBytes *sealed)
{
	g_autoptr(GError) error = NULL;
	StoreMailboxInput input = {.address = address,
	                           .smtp_host = "127.0.0.1",
	                           .smtp_port = 587,
	                           .smtp_security = "starttls",
	                           .smtp_user = "u",
	                           .imap_host = "127.0.0.1",
	                           .imap_port = 993,
	                           .imap_security = "tls",
	                           .imap_user = "u",
	                           .secret_source = "sealed",
	                           .secret_sealed = sealed,
	                           .daily_cap = 10,
	                           .interval_min_s = 60,
	                           .interval_max_s = 60};
	g_assert_true(store_mailbox_add(store, &input, NULL, &error));
	g_assert_no_error(error);
}

static void
test_seal(void)
{
	g_autoptr(GError) error = NULL;
	g_autofree char *dir = g_dir_make_tmp("piculet-seal-XXXXXX", &error);
	g_autofree char *path = g_build_filename(dir, "piculet.db", NULL);
	g_autoptr(Store) store = store_open(path, &error);
	g_assert_no_error(error);
	const char *key_path = store_get_key_path(store);
	g_assert_false(g_file_test(key_path, G_FILE_TEST_EXISTS));

	g_autoptr(BaseSecret) secret = base_secret_new("hunter2", -1);
	g_autoptr(GBytes) sealed = app_mailbox_seal_password(store, "a@s.test", secret, &error);
	g_assert_no_error(error);
	g_assert_nonnull(sealed);
	GStatBuf st;
	g_assert_cmpint(g_stat(key_path, &st), ==, 0);
	g_assert_cmpint(st.st_mode & 0777, ==, 0600);
	g_autoptr(BaseSealKey) key = base_seal_key_load(key_path, &error);
	g_autoptr(BaseSecret) opened = base_seal_open(key, sealed, "a@s.test", &error);
	g_assert_no_error(error);
	g_assert_cmpstr(base_secret_get(opened), ==, "hunter2");
	add_sealed_mailbox(store, "a@s.test", sealed);

	/* The key gone while a's password depends on it: b's is refused, and
	 * no new key is made. */
	g_assert_cmpint(g_unlink(key_path), ==, 0);
	g_autoptr(GError) missing = NULL;
	g_assert_null(app_mailbox_seal_password(store, "b@s.test", secret, &missing));
	g_assert_error(missing, BASE_ERROR, BASE_ERROR_NOT_FOUND);
	g_assert_nonnull(strstr(missing->message, key_path));
	g_assert_false(g_file_test(key_path, G_FILE_TEST_EXISTS));
	/* Sealing a's own again is allowed: nothing else depends on the key. */
	g_autoptr(GBytes) again = app_mailbox_seal_password(store, "a@s.test", secret, &error);
	g_assert_no_error(error);
	g_assert_nonnull(again);

	g_autofree char *command = g_strdup_printf("rm -rf '%s'", dir);
	g_assert_true(g_spawn_command_line_sync(command, NULL, NULL, NULL, NULL));
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/app/mailbox/seal-password", test_seal);
	return g_test_run();
}
