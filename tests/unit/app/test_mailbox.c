/*
 * Sealing a mailbox's password (app_mailbox_seal_password) on a real
 * store: the key is made when none exists and no other mailbox depends on
 * one; it is never made when another mailbox's sealed password would be
 * lost by it.
 */
#include "app/app_error.h"
#include "app/app_mailbox.h"

#include "base/base_error.h"
#include "base/base_seal.h"
#include "helpers/test_store.h"

#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>

static void
test_seal(void)
{
	g_autoptr(GError) error = NULL;
	char *dir = NULL;
	Store *store = test_store_new("piculet-seal", &dir);
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
	test_store_add_mailbox(store, "a@s.test", 10, sealed);

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

	test_store_remove(store, dir);
}

/* Found by its address, or named as missing; removed once. */
static void
test_get_and_remove(void)
{
	g_autoptr(GError) error = NULL;
	char *dir = NULL;
	Store *store = test_store_new("piculet-mailbox", &dir);
	test_store_add_mailbox(store, "a@s.test", 10, NULL);
	g_autoptr(StoreMailbox) found = app_mailbox_get(store, "a@s.test", &error);
	g_assert_no_error(error);
	g_assert_cmpstr(found->address, ==, "a@s.test");
	g_autoptr(GError) missing = NULL;
	g_assert_null(app_mailbox_get(store, "b@s.test", &missing));
	g_assert_error(missing, APP_ERROR, APP_ERROR_NOT_FOUND);
	g_assert_nonnull(strstr(missing->message, "b@s.test"));
	g_assert_true(app_mailbox_remove(store, "a@s.test", &error));
	g_assert_no_error(error);
	g_autoptr(GError) gone = NULL;
	g_assert_false(app_mailbox_remove(store, "a@s.test", &gone));
	g_assert_error(gone, APP_ERROR, APP_ERROR_NOT_FOUND);
	test_store_remove(store, dir);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/app/mailbox/seal-password", test_seal);
	g_test_add_func("/app/mailbox/get-and-remove", test_get_and_remove);
	return g_test_run();
}
