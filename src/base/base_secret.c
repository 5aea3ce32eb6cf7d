#include "base/base_secret.h"

#include "base/base_error.h"

#include <openssl/crypto.h>
#include <openssl/rand.h>
#include <string.h>
#include <sys/wait.h>

/* Longer than any password or OAuth2 bearer token we expect. */
#define SECRET_MAX_BYTES 16384

struct BaseSecret {
	gsize length;
	char *value;
};

BaseSecret *
base_secret_new(const char *value, gssize length)
{
	BaseSecret *secret = g_new0(BaseSecret, 1);
	secret->length = length < 0 ? strlen(value) : (gsize)length;
	secret->value = g_malloc(secret->length + 1);
	memcpy(secret->value, value, secret->length);
	secret->value[secret->length] = '\0';
	return secret;
}

BaseSecret *
base_secret_new_random(const char *prefix, gsize n_random, GError **error)
{
	g_autofree guint8 *bytes = g_malloc(n_random);
	if (RAND_bytes(bytes, (int)n_random) != 1) {
		OPENSSL_cleanse(bytes, n_random);
		g_set_error_literal(error, BASE_ERROR, BASE_ERROR_IO,
		                    "the system's random generator failed");
		return NULL;
	}
	g_autofree char *text = g_base64_encode(bytes, n_random);
	OPENSSL_cleanse(bytes, n_random);
	/* base64url (RFC 4648 section 5): no '+', '/' or padding in a URL or
	 * header. */
	gsize length = strlen(text);
	while (length > 0 && text[length - 1] == '=')
		text[--length] = '\0';
	for (char *c = text; *c != '\0'; c++)
		*c = *c == '+' ? '-' : *c == '/' ? '_' : *c;
	g_autofree char *token = g_strconcat(prefix, text, NULL);
	OPENSSL_cleanse(text, length);
	BaseSecret *secret = base_secret_new(token, -1);
	OPENSSL_cleanse(token, strlen(token));
	return secret;
}

void
base_secret_free(BaseSecret *secret)
{
	if (secret == NULL)
		return;
	OPENSSL_cleanse(secret->value, secret->length + 1);
	g_free(secret->value);
	g_free(secret);
}

const char *
base_secret_get(const BaseSecret *secret)
{
	return secret->value;
}

gsize
base_secret_get_length(const BaseSecret *secret)
{
	return secret->length;
}

GBytes *
base_secret_digest(const char *text, gsize length)
{
	g_autoptr(GChecksum) checksum = g_checksum_new(G_CHECKSUM_SHA256);
	g_checksum_update(checksum, (const guchar *)text, (gssize)length);
	guint8 digest[32];
	gsize size = sizeof digest;
	g_checksum_get_digest(checksum, digest, &size);
	return g_bytes_new(digest, size);
}

static gsize
first_line_length(const char *buf, gsize n)
{
	const char *end = memchr(buf, '\n', n);
	gsize line = end != NULL ? (gsize)(end - buf) : n;
	if (line > 0 && buf[line - 1] == '\r')
		line--;
	return line;
}

BaseSecret *
base_secret_new_from_env(const char *name, GError **error)
{
	const char *value = g_getenv(name);
	if (value == NULL || value[0] == '\0') {
		g_set_error(error, BASE_ERROR, BASE_ERROR_NOT_FOUND,
		            "environment variable %s is not set or empty", name);
		return NULL;
	}
	return base_secret_new(value, -1);
}

BaseSecret *
base_secret_new_from_file(const char *path, GError **error)
{
	char *contents = NULL;
	gsize n = 0;
	BaseSecret *secret = NULL;

	if (!g_file_get_contents(path, &contents, &n, error)) {
		g_prefix_error(error, "password file: ");
		return NULL;
	}
	gsize line = first_line_length(contents, n);
	if (line == 0)
		g_set_error(error, BASE_ERROR, BASE_ERROR_NOT_FOUND,
		            "password file %s: first line is empty", path);
	else if (line > SECRET_MAX_BYTES)
		g_set_error(error, BASE_ERROR, BASE_ERROR_INVALID,
		            "password file %s: first line is longer than %d bytes", path,
		            SECRET_MAX_BYTES);
	else
		secret = base_secret_new(contents, (gssize)line);
	OPENSSL_cleanse(contents, n);
	g_free(contents);
	return secret;
}

BaseSecret *
base_secret_new_from_command(const char *command, GError **error)
{
	const char *argv[] = {"/bin/sh", "-c", command, NULL};
	char *out = NULL;
	int status = 0;
	BaseSecret *secret = NULL;

	if (!g_spawn_sync(NULL, (char **)argv, NULL, G_SPAWN_CHILD_INHERITS_STDERR, NULL, NULL,
	                  &out, NULL, &status, error)) {
		g_prefix_error(error, "password command: ");
		return NULL;
	}
	gsize n = strlen(out);
	gsize line = first_line_length(out, n);
	if (!g_spawn_check_wait_status(status, NULL))
		g_set_error(error, BASE_ERROR, BASE_ERROR_NOT_FOUND,
		            "password command failed (exit status %d)",
		            WIFEXITED(status) ? WEXITSTATUS(status) : -1);
	else if (line == 0)
		g_set_error_literal(error, BASE_ERROR, BASE_ERROR_NOT_FOUND,
		                    "password command printed nothing");
	else if (line > SECRET_MAX_BYTES)
		g_set_error(error, BASE_ERROR, BASE_ERROR_INVALID,
		            "password command printed a line longer than %d bytes",
		            SECRET_MAX_BYTES);
	else
		secret = base_secret_new(out, (gssize)line);
	OPENSSL_cleanse(out, n);
	g_free(out);
	return secret;
}
