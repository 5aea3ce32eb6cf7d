#include "base/base_error.h"
#include "base/base_seal.h"

#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>

static char *
temp_dir(void)
{
	return g_dir_make_tmp("piculet-seal-XXXXXX", NULL);
}

static void
test_round_trip_and_key_file(void)
{
	g_autofree char *dir = temp_dir();
	g_autofree char *path = g_build_filename(dir, "keys", "secret.key", NULL);
	g_autoptr(GError) error = NULL;
	g_autoptr(BaseSealKey) key = base_seal_key_load_or_create(path, &error);
	g_assert_no_error(error);
	GStatBuf st;
	g_assert_cmpint(g_stat(path, &st), ==, 0);
	g_assert_cmpint(st.st_mode & 0777, ==, 0600);
	g_assert_cmpint(st.st_size, ==, 32);

	g_autoptr(BaseSecret) secret = base_secret_new("app-password-1234", -1);
	g_autoptr(GBytes) sealed = base_seal_seal(key, secret, "alice@sender.test", &error);
	g_assert_no_error(error);
	g_assert_null(memmem(g_bytes_get_data(sealed, NULL), g_bytes_get_size(sealed),
	                     "app-password", 12));
	/* The same key, loaded again, opens it. */
	g_autoptr(BaseSealKey) again = base_seal_key_load(path, &error);
	g_autoptr(BaseSecret) opened = base_seal_open(again, sealed, "alice@sender.test", &error);
	g_assert_no_error(error);
	g_assert_cmpstr(base_secret_get(opened), ==, "app-password-1234");
	/* Two seals of one secret differ (a fresh nonce each time). */
	g_autoptr(GBytes) other = base_seal_seal(key, secret, "alice@sender.test", &error);
	g_assert_false(g_bytes_equal(sealed, other));
	g_unlink(path);
	g_autofree char *keys = g_path_get_dirname(path);
	g_rmdir(keys);
	g_rmdir(dir);
}

static void
test_tampered_moved_or_other_key_refused(void)
{
	g_autofree char *dir = temp_dir();
	g_autofree char *path = g_build_filename(dir, "a.key", NULL);
	g_autofree char *other_path = g_build_filename(dir, "b.key", NULL);
	g_autoptr(GError) error = NULL;
	g_autoptr(BaseSealKey) key = base_seal_key_load_or_create(path, &error);
	g_autoptr(BaseSealKey) other_key = base_seal_key_load_or_create(other_path, &error);
	g_autoptr(BaseSecret) secret = base_secret_new("s3cret", -1);
	g_autoptr(GBytes) sealed = base_seal_seal(key, secret, "alice@sender.test", &error);

	g_autoptr(GError) moved = NULL;
	g_assert_null(base_seal_open(key, sealed, "bob@sender.test", &moved));
	g_assert_error(moved, BASE_ERROR, BASE_ERROR_INVALID);
	g_autoptr(GError) wrong_key = NULL;
	g_assert_null(base_seal_open(other_key, sealed, "alice@sender.test", &wrong_key));
	g_assert_error(wrong_key, BASE_ERROR, BASE_ERROR_INVALID);
	gsize n = 0;
	guint8 *bytes = g_memdup2(g_bytes_get_data(sealed, &n), g_bytes_get_size(sealed));
	bytes[n / 2] ^= 1;
	g_autoptr(GBytes) tampered = g_bytes_new_take(bytes, n);
	g_autoptr(GError) changed = NULL;
	g_assert_null(base_seal_open(key, tampered, "alice@sender.test", &changed));
	g_assert_error(changed, BASE_ERROR, BASE_ERROR_INVALID);
	g_unlink(path);
	g_unlink(other_path);
	g_rmdir(dir);
}

/* Opening never makes a key: a new one could not open what was sealed. */
static void
test_missing_key_not_created_on_load(void)
{
	g_autofree char *dir = temp_dir();
	g_autofree char *path = g_build_filename(dir, "gone.key", NULL);
	g_autoptr(GError) error = NULL;
	g_assert_null(base_seal_key_load(path, &error));
	g_assert_error(error, BASE_ERROR, BASE_ERROR_NOT_FOUND);
	g_assert_false(g_file_test(path, G_FILE_TEST_EXISTS));
	g_rmdir(dir);
}

static void
test_open_key_file_refused(void)
{
	g_autofree char *dir = temp_dir();
	g_autofree char *path = g_build_filename(dir, "open.key", NULL);
	g_assert_true(g_file_set_contents(path, "0123456789abcdef0123456789abcdef", 32, NULL));
	g_assert_cmpint(g_chmod(path, 0644), ==, 0);
	g_autoptr(GError) error = NULL;
	g_autoptr(BaseSealKey) key = base_seal_key_load(path, &error);
	g_assert_null(key);
	g_assert_error(error, BASE_ERROR, BASE_ERROR_INVALID);
	g_assert_nonnull(strstr(error->message, "chmod 600"));
	g_unlink(path);
	g_rmdir(dir);
}

/* A signature is HMAC-SHA256 of the label, its NUL and the data (the
 * values from Python's hmac module), the same from several threads at once. */
static gpointer
sign_many(gpointer key)
{
	for (int i = 0; i < 2000; i++) {
		guint8 out[32];
		base_seal_sign(key, "piculet test", "abc", 3, out);
		GString *text = g_string_new(NULL);
		for (int j = 0; j < 32; j++)
			g_string_append_printf(text, "%02x", out[j]);
		if (strcmp(text->str, "b9d1704e79e80bbbb0f63faf613c179f"
		                      "2e7f3181848abf06963bee55a4e139aa") != 0)
			return g_string_free(text, FALSE);
		g_string_free(text, TRUE);
	}
	return NULL;
}

/* A key of the bytes FIRST, FIRST + 1, ... loaded from a file of @dir. */
static BaseSealKey *
key_of_bytes(const char *dir, const char *name, guint8 first)
{
	g_autofree char *path = g_build_filename(dir, name, NULL);
	guint8 bytes[32];
	for (int i = 0; i < 32; i++)
		bytes[i] = (guint8)(first + i);
	g_assert_true(g_file_set_contents_full(path, (const char *)bytes, sizeof bytes,
	                                       G_FILE_SET_CONTENTS_NONE, 0600, NULL));
	g_autoptr(GError) error = NULL;
	BaseSealKey *key = base_seal_key_load(path, &error);
	g_assert_no_error(error);
	return key;
}

/* The fingerprint is HMAC-SHA256 of its label (with its NUL) under the
 * key, 12 bytes in hex (Python's hmac computed the expected values); two
 * keys, two fingerprints. */
static void
test_fingerprint(void)
{
	g_autofree char *dir = temp_dir();
	g_autoptr(BaseSealKey) one = key_of_bytes(dir, "one.key", 1);
	g_autoptr(BaseSealKey) two = key_of_bytes(dir, "two.key", 2);
	char fingerprint[BASE_SEAL_FINGERPRINT_CHARS + 1];
	base_seal_key_fingerprint(one, fingerprint);
	g_assert_cmpstr(fingerprint, ==, "e119083ea14144e665918f9d");
	base_seal_key_fingerprint(two, fingerprint);
	g_assert_cmpstr(fingerprint, ==, "0773608735ef335642119304");
}

static void
test_signature_is_hmac_sha256(void)
{
	g_autofree char *dir = temp_dir();
	g_autofree char *path = g_build_filename(dir, "secret.key", NULL);
	guint8 bytes[32];
	for (int i = 0; i < 32; i++)
		bytes[i] = (guint8)(i + 1);
	g_assert_true(g_file_set_contents_full(path, (const char *)bytes, sizeof bytes,
	                                       G_FILE_SET_CONTENTS_NONE, 0600, NULL));
	g_autoptr(GError) error = NULL;
	g_autoptr(BaseSealKey) key = base_seal_key_load(path, &error);
	g_assert_no_error(error);
	guint8 out[32];
	base_seal_sign(key, "piculet test", NULL, 0, out);
	static const guint8 expected_empty[32] = {0xff, 0x93, 0x6a, 0x96, 0x8d, 0xf0, 0x15, 0xd4,
	                                          0xc5, 0x49, 0x21, 0x6c, 0xd2, 0x13, 0x22, 0x99,
	                                          0x00, 0x24, 0x4d, 0xc1, 0x01, 0xa5, 0x6d, 0xf1,
	                                          0xd1, 0xa1, 0xb1, 0x24, 0x5c, 0xd5, 0xa1, 0x9c};
	g_assert_cmpmem(out, sizeof out, expected_empty, sizeof expected_empty);
	GThread *threads[4];
	for (int i = 0; i < 4; i++)
		threads[i] = g_thread_new("sign", sign_many, key);
	for (int i = 0; i < 4; i++) {
		g_autofree char *wrong = g_thread_join(threads[i]);
		g_assert_null(wrong);
	}
	g_unlink(path);
	g_rmdir(dir);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/base/seal/round-trip-with-a-0600-key-file", test_round_trip_and_key_file);
	g_test_add_func("/base/seal/signature-is-hmac-sha256", test_signature_is_hmac_sha256);
	g_test_add_func("/base/seal/fingerprint-names-the-key", test_fingerprint);
	g_test_add_func("/base/seal/tampered-moved-or-other-key-refused",
	                test_tampered_moved_or_other_key_refused);
	g_test_add_func("/base/seal/key-file-readable-by-others-refused",
	                test_open_key_file_refused);
	g_test_add_func("/base/seal/missing-key-not-created-on-load",
	                test_missing_key_not_created_on_load);
	return g_test_run();
}
