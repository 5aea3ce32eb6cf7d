#include "oauth/oauth_pkce.h"

#include <openssl/crypto.h>
#include <openssl/rand.h>
#include <openssl/sha.h>
#include <string.h>

static char *
base64url(const guchar *bytes, gsize length)
{
	char *text = g_base64_encode(bytes, length);
	gsize kept = 0;
	for (gsize i = 0; text[i] != '\0'; i++) {
		if (text[i] == '=')
			continue;
		text[kept++] = text[i] == '+' ? '-' : text[i] == '/' ? '_' : text[i];
	}
	text[kept] = '\0';
	return text;
}

char *
oauth_pkce_new_verifier(void)
{
	guchar bytes[32];
	if (RAND_bytes(bytes, sizeof bytes) != 1)
		g_error("oauth: the system's random generator failed");
	char *verifier = base64url(bytes, sizeof bytes);
	OPENSSL_cleanse(bytes, sizeof bytes);
	return verifier;
}

char *
oauth_pkce_challenge(const char *verifier)
{
	guchar digest[SHA256_DIGEST_LENGTH];
	SHA256((const guchar *)verifier, strlen(verifier), digest);
	return base64url(digest, sizeof digest);
}
