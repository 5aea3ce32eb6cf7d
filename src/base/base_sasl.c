#include "base/base_sasl.h"

#include <openssl/crypto.h>
#include <string.h>

BaseSecret *
base_sasl_encode_text(const char *text, gsize length)
{
	char *encoded = g_base64_encode((const guchar *)text, length);
	BaseSecret *secret = base_secret_new(encoded, -1);
	OPENSSL_cleanse(encoded, strlen(encoded));
	g_free(encoded);
	return secret;
}

/* Encodes the concatenation of @parts (with their lengths), wiping the
 * plain text afterwards. */
static BaseSecret *
encode_parts(const char *const *parts, const gsize *lengths, gsize n_parts)
{
	gsize total = 0;
	for (gsize i = 0; i < n_parts; i++)
		total += lengths[i];
	char *plain = g_malloc(total + 1);
	gsize at = 0;
	for (gsize i = 0; i < n_parts; i++) {
		memcpy(plain + at, parts[i], lengths[i]);
		at += lengths[i];
	}
	BaseSecret *secret = base_sasl_encode_text(plain, total);
	OPENSSL_cleanse(plain, total);
	g_free(plain);
	return secret;
}

BaseSecret *
base_sasl_encode_plain(const char *user, const BaseSecret *password)
{
	/* Each "" with length 1 contributes one NUL byte (RFC 4616 2). */
	const char *parts[] = {"", user, "", base_secret_get(password)};
	const gsize lengths[] = {1, strlen(user), 1, base_secret_get_length(password)};
	return encode_parts(parts, lengths, G_N_ELEMENTS(parts));
}

BaseSecret *
base_sasl_encode_xoauth2(const char *user, const BaseSecret *token)
{
	const char *parts[] = {"user=", user, "\001auth=Bearer ", base_secret_get(token),
	                       "\001\001"};
	const gsize lengths[] = {5, strlen(user), 13, base_secret_get_length(token), 2};
	return encode_parts(parts, lengths, G_N_ELEMENTS(parts));
}
