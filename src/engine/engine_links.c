/* Signed links: the one-click unsubscribe token. */
#include "engine/engine_links.h"

#include "base/base_error.h"

#include <openssl/crypto.h>
#include <string.h>

#define LABEL           "piculet unsubscribe v1"
#define ID_BYTES        8
#define SIGNATURE_BYTES 16
#define TOKEN_BYTES     (ID_BYTES + SIGNATURE_BYTES)

BaseSealKey *
engine_links_key(Store *store, GError **error)
{
	const char *path = store_get_key_path(store);
	if (!g_file_test(path, G_FILE_TEST_EXISTS)) {
		g_autoptr(GPtrArray) mailboxes = store_mailbox_list(store, error);
		if (mailboxes == NULL)
			return NULL;
		for (guint i = 0; i < mailboxes->len; i++)
			if (((const StoreMailbox *)mailboxes->pdata[i])->secret_sealed != NULL) {
				g_set_error(error, BASE_ERROR, BASE_ERROR_NOT_FOUND,
				            "%s is missing while mailboxes hold sealed passwords: "
				            "restore it",
				            path);
				return NULL;
			}
	}
	return base_seal_key_load_or_create(path, error);
}

static void
sign(const BaseSealKey *key, const guint8 id[ID_BYTES], guint8 out[32])
{
	base_seal_sign(key, LABEL, id, ID_BYTES, out);
}

char *
engine_links_encode(const guint8 *bytes, gsize length)
{
	char *text = g_base64_encode(bytes, length);
	g_strdelimit(text, "+", '-');
	g_strdelimit(text, "/", '_');
	char *pad = strchr(text, '=');
	if (pad != NULL)
		*pad = '\0';
	return text;
}

guint8 *
engine_links_decode(const char *text, gsize *length)
{
	gsize n = text != NULL ? strlen(text) : 0;
	*length = 0;
	if (n == 0 || n % 4 == 1 ||
	    strspn(text, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_") != n)
		return NULL;
	GString *standard = g_string_new(text);
	g_strdelimit(standard->str, "-", '+');
	g_strdelimit(standard->str, "_", '/');
	while (standard->len % 4 != 0)
		g_string_append_c(standard, '=');
	guint8 *bytes = g_base64_decode(standard->str, length);
	g_string_free(standard, TRUE);
	return bytes;
}

char *
engine_links_unsubscribe_token(const BaseSealKey *key, int64_t enrollment_id)
{
	guint8 token[TOKEN_BYTES];
	guint64 id = GUINT64_TO_BE((guint64)enrollment_id);
	memcpy(token, &id, ID_BYTES);
	guint8 signature[32];
	sign(key, token, signature);
	memcpy(token + ID_BYTES, signature, SIGNATURE_BYTES);
	return engine_links_encode(token, sizeof token);
}

char *
engine_links_unsubscribe_url(const BaseSealKey *key, const char *base, int64_t enrollment_id)
{
	g_autofree char *token = engine_links_unsubscribe_token(key, enrollment_id);
	gsize length = strlen(base);
	while (length > 0 && base[length - 1] == '/')
		length--;
	return g_strdup_printf("%.*s/u/%s", (int)length, base, token);
}

bool
engine_links_unsubscribe_check(const BaseSealKey *key, const char *token, int64_t *enrollment_id)
{
	if (token == NULL || strlen(token) != 32)
		return false;
	gsize length = 0;
	g_autofree guint8 *bytes = engine_links_decode(token, &length);
	if (bytes == NULL || length != TOKEN_BYTES)
		return false;
	guint8 signature[32];
	sign(key, bytes, signature);
	if (CRYPTO_memcmp(signature, bytes + ID_BYTES, SIGNATURE_BYTES) != 0)
		return false;
	guint64 id = 0;
	memcpy(&id, bytes, ID_BYTES);
	*enrollment_id = (int64_t)GUINT64_FROM_BE(id);
	return true;
}
