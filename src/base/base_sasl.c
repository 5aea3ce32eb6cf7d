#include "base/base_sasl.h"

#include <jansson.h>
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

/* RFC 5801 saslname: ',' and '=' cannot stand for themselves. */
static char *
escape_saslname(const char *user)
{
	GString *out = g_string_new(NULL);
	for (const char *p = user; *p != '\0'; p++) {
		if (*p == ',')
			g_string_append(out, "=2C");
		else if (*p == '=')
			g_string_append(out, "=3D");
		else
			g_string_append_c(out, *p);
	}
	return g_string_free(out, FALSE);
}

BaseSecret *
base_sasl_encode_oauthbearer(const char *user, const char *host, unsigned port,
                             const BaseSecret *token)
{
	g_autofree char *name = escape_saslname(user);
	g_autofree char *port_text = g_strdup_printf("%u", port);
	const char *parts[] = {"n,a=",      name,      ",\001host=",       host,
	                       "\001port=", port_text, "\001auth=Bearer ", base_secret_get(token),
	                       "\001\001"};
	const gsize lengths[] = {4, strlen(name),      7,  strlen(host),
	                         6, strlen(port_text), 13, base_secret_get_length(token),
	                         2};
	return encode_parts(parts, lengths, G_N_ELEMENTS(parts));
}

char *
base_sasl_describe_bearer_error(const char *challenge)
{
	gsize length = 0;
	g_autofree guchar *decoded = NULL;
	if (challenge == NULL || challenge[0] == '\0')
		return NULL;
	decoded = g_base64_decode(challenge, &length);
	if (decoded == NULL || length == 0)
		return NULL;
	json_t *object = json_loadb((const char *)decoded, length, 0, NULL);
	if (!json_is_object(object)) {
		json_decref(object);
		return NULL;
	}
	GString *words = g_string_new(NULL);
	const char *keys[] = {"status", "scope", "schemes"};
	for (gsize i = 0; i < G_N_ELEMENTS(keys); i++) {
		const char *value = json_string_value(json_object_get(object, keys[i]));
		if (value == NULL || value[0] == '\0')
			continue;
		/* From a server: shown to people, so nothing that breaks a line. */
		g_autofree char *clean = g_strndup(value, 200);
		for (char *p = clean; *p != '\0'; p++)
			if ((unsigned char)*p < 0x20 || *p == 0x7f)
				*p = ' ';
		g_string_append_printf(words, "%s%s %s", words->len > 0 ? ", " : "", keys[i],
		                       clean);
	}
	json_decref(object);
	if (words->len == 0) {
		g_string_free(words, TRUE);
		return NULL;
	}
	return g_string_free(words, FALSE);
}
