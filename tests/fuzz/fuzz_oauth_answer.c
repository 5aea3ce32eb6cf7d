/*
 * Fuzz target: what comes from an authorization server or a browser: a
 * token endpoint's answer (the first byte picks the HTTP status), the
 * request line the loopback listener reads, and a refused token's
 * challenge.
 */
#include "base/base_sasl.h"
#include "oauth/oauth_loopback.h"
#include "oauth/oauth_token.h"

#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size == 0)
		return 0;
	static const long statuses[] = {200, 400, 401, 500};
	GError *error = NULL;
	OauthTokens *tokens = oauth_token_parse_answer(
	        statuses[data[0] % 4], (const char *)data + 1, size - 1, "fuzz", &error);
	oauth_token_tokens_free(tokens);
	g_clear_error(&error);
	g_autofree char *text = g_strndup((const char *)data, size);
	char *code = NULL;
	char *refusal = NULL;
	oauth_loopback_parse(text, "state", &code, &refusal);
	g_free(code);
	g_free(refusal);
	g_free(base_sasl_describe_bearer_error(text));
	return 0;
}
