#include "base/base_seal.h"

#include "base/base_error.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define KEY_BYTES   32
#define NONCE_BYTES 12
#define TAG_BYTES   16

struct BaseSealKey {
	BaseSecret *bytes;
	/* HMAC-SHA256 keyed with @bytes, never updated: each signature works on
	 * a copy, which is cheaper than keying one (the links of every message
	 * are checked with it, thousands a second), and safe across threads. */
	EVP_MAC_CTX *hmac;
};

void
base_seal_key_free(BaseSealKey *key)
{
	if (key == NULL)
		return;
	base_secret_free(key->bytes);
	EVP_MAC_CTX_free(key->hmac);
	g_free(key);
}

void
base_seal_sign(const BaseSealKey *key, const char *label, const void *data, gsize length,
               guint8 out[32])
{
	gsize label_length = strlen(label) + 1; /* with its NUL: no label is another's prefix */
	EVP_MAC_CTX *ctx = EVP_MAC_CTX_dup(key->hmac);
	size_t out_length = 0;
	bool done = ctx != NULL &&
	            EVP_MAC_update(ctx, (const unsigned char *)label, label_length) &&
	            (length == 0 || EVP_MAC_update(ctx, data, length)) &&
	            EVP_MAC_final(ctx, out, &out_length, 32) && out_length == 32;
	EVP_MAC_CTX_free(ctx);
	/* Only out of memory: no signature must ever match then. */
	if (!done)
		g_error("HMAC-SHA256 failed (out of memory?)");
}

void
base_seal_key_fingerprint(const BaseSealKey *key, char out[BASE_SEAL_FINGERPRINT_CHARS + 1])
{
	guint8 mac[32];
	base_seal_sign(key, "piculet seal key fingerprint v1", NULL, 0, mac);
	static const char hex[] = "0123456789abcdef";
	for (gsize i = 0; i < BASE_SEAL_FINGERPRINT_CHARS / 2; i++) {
		out[2 * i] = hex[mac[i] >> 4];
		out[2 * i + 1] = hex[mac[i] & 0x0f];
	}
	out[BASE_SEAL_FINGERPRINT_CHARS] = '\0';
}

/* The HMAC of a key of @n bytes at @bytes, keyed once; NULL when OpenSSL has
 * none. */
static EVP_MAC_CTX *
keyed_hmac(const char *bytes, gsize n)
{
	EVP_MAC *mac = EVP_MAC_fetch(NULL, OSSL_MAC_NAME_HMAC, NULL);
	EVP_MAC_CTX *ctx = mac != NULL ? EVP_MAC_CTX_new(mac) : NULL;
	EVP_MAC_free(mac);
	OSSL_PARAM params[] = {
	        OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, (char *)"SHA256", 0),
	        OSSL_PARAM_construct_end()};
	if (ctx != NULL && EVP_MAC_init(ctx, (const unsigned char *)bytes, n, params) != 1)
		g_clear_pointer(&ctx, EVP_MAC_CTX_free);
	return ctx;
}

static bool
create_key(const char *path, GError **error)
{
	g_autofree char *folder = g_path_get_dirname(path);
	unsigned char bytes[KEY_BYTES];
	if (g_mkdir_with_parents(folder, 0700) != 0) {
		g_set_error(error, BASE_ERROR, BASE_ERROR_IO, "%s: %s", folder, g_strerror(errno));
		return false;
	}
	if (RAND_bytes(bytes, sizeof bytes) != 1) {
		g_set_error_literal(error, BASE_ERROR, BASE_ERROR_IO, "no random bytes for a key");
		return false;
	}
	/* O_EXCL: never overwrite a key another process just made. */
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	bool ok = fd >= 0 && write(fd, bytes, sizeof bytes) == (ssize_t)sizeof bytes;
	int saved = errno;
	if (fd >= 0 && close(fd) != 0)
		ok = false;
	OPENSSL_cleanse(bytes, sizeof bytes);
	if (!ok && fd >= 0)
		g_unlink(path);
	if (!ok && saved != EEXIST) {
		g_set_error(error, BASE_ERROR, BASE_ERROR_IO, "%s: cannot create the key: %s", path,
		            g_strerror(saved));
		return false;
	}
	return true;
}

BaseSealKey *
base_seal_key_load_or_create(const char *path, GError **error)
{
	if (!g_file_test(path, G_FILE_TEST_EXISTS) && !create_key(path, error))
		return NULL;
	return base_seal_key_load(path, error);
}

BaseSealKey *
base_seal_key_load(const char *path, GError **error)
{
	if (!g_file_test(path, G_FILE_TEST_EXISTS)) {
		g_set_error(error, BASE_ERROR, BASE_ERROR_NOT_FOUND, "%s: no such key file", path);
		return NULL;
	}
	GStatBuf st;
	if (g_stat(path, &st) != 0) {
		g_set_error(error, BASE_ERROR, BASE_ERROR_IO, "%s: %s", path, g_strerror(errno));
		return NULL;
	}
	if ((st.st_mode & 0077) != 0) {
		g_set_error(error, BASE_ERROR, BASE_ERROR_INVALID,
		            "%s: the key file is readable by others (mode %03o); chmod 600 it",
		            path, (unsigned)(st.st_mode & 0777));
		return NULL;
	}
	char *contents = NULL;
	gsize n = 0;
	if (!g_file_get_contents(path, &contents, &n, error))
		return NULL;
	BaseSealKey *key = NULL;
	EVP_MAC_CTX *hmac = NULL;
	if (n != KEY_BYTES)
		g_set_error(error, BASE_ERROR, BASE_ERROR_INVALID,
		            "%s: a key file holds %d bytes, this one %zu", path, KEY_BYTES, n);
	else if ((hmac = keyed_hmac(contents, n)) == NULL)
		g_set_error(error, BASE_ERROR, BASE_ERROR_INVALID, "%s: OpenSSL has no HMAC-SHA256",
		            path);
	else {
		key = g_new0(BaseSealKey, 1);
		key->bytes = base_secret_new(contents, (gssize)n);
		key->hmac = hmac;
	}
	OPENSSL_cleanse(contents, n);
	g_free(contents);
	return key;
}

GBytes *
base_seal_seal(const BaseSealKey *key, const BaseSecret *secret, const char *context,
               GError **error)
{
	gsize n = base_secret_get_length(secret);
	guint8 *out = g_malloc(NONCE_BYTES + n + TAG_BYTES);
	EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
	int length = 0;
	bool ok =
	        ctx != NULL && RAND_bytes(out, NONCE_BYTES) == 1 &&
	        EVP_EncryptInit_ex(ctx, EVP_aes_256_gcm(), NULL,
	                           (const unsigned char *)base_secret_get(key->bytes), out) == 1 &&
	        EVP_EncryptUpdate(ctx, NULL, &length, (const unsigned char *)context,
	                          (int)strlen(context)) == 1 &&
	        EVP_EncryptUpdate(ctx, out + NONCE_BYTES, &length,
	                          (const unsigned char *)base_secret_get(secret), (int)n) == 1 &&
	        EVP_EncryptFinal_ex(ctx, out + NONCE_BYTES + length, &length) == 1 &&
	        EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_GET_TAG, TAG_BYTES, out + NONCE_BYTES + n) ==
	                1;
	EVP_CIPHER_CTX_free(ctx);
	if (!ok) {
		g_free(out);
		g_set_error_literal(error, BASE_ERROR, BASE_ERROR_IO, "cannot seal the secret");
		return NULL;
	}
	return g_bytes_new_take(out, NONCE_BYTES + n + TAG_BYTES);
}

BaseSecret *
base_seal_open(const BaseSealKey *key, GBytes *sealed, const char *context, GError **error)
{
	gsize total = 0;
	const guint8 *data = g_bytes_get_data(sealed, &total);
	if (total < NONCE_BYTES + TAG_BYTES) {
		g_set_error_literal(error, BASE_ERROR, BASE_ERROR_INVALID,
		                    "sealed secret too short");
		return NULL;
	}
	gsize n = total - NONCE_BYTES - TAG_BYTES;
	char *plain = g_malloc(n + 1);
	EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
	int length = 0;
	bool ok =
	        ctx != NULL &&
	        EVP_DecryptInit_ex(ctx, EVP_aes_256_gcm(), NULL,
	                           (const unsigned char *)base_secret_get(key->bytes), data) == 1 &&
	        EVP_DecryptUpdate(ctx, NULL, &length, (const unsigned char *)context,
	                          (int)strlen(context)) == 1 &&
	        EVP_DecryptUpdate(ctx, (unsigned char *)plain, &length, data + NONCE_BYTES,
	                          (int)n) == 1 &&
	        EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_TAG, TAG_BYTES,
	                            (void *)(data + NONCE_BYTES + n)) == 1 &&
	        EVP_DecryptFinal_ex(ctx, (unsigned char *)plain + length, &length) == 1;
	EVP_CIPHER_CTX_free(ctx);
	BaseSecret *secret = NULL;
	if (ok)
		secret = base_secret_new(plain, (gssize)n);
	else
		g_set_error_literal(error, BASE_ERROR, BASE_ERROR_INVALID,
		                    "the sealed secret does not open with this key (changed, moved "
		                    "or another key)");
	OPENSSL_cleanse(plain, n + 1);
	g_free(plain);
	return secret;
}
