/* The dashboard's users: passwords hashed with scrypt, sessions. */
#include "app/app_user.h"

#include "app/app_error.h"
#include "base/base_secret.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <string.h>

#define SESSION_PREFIX "ps_"
#define TOKEN_BYTES    32
#define SALT_BYTES     16
#define HASH_BYTES     32
/* 2^15 × 8 × 128 bytes: 32 MiB a try. */
#define COST_LOG2_N 15
#define COST_R      8
#define COST_P      1
/* The most memory a stored hash may ask for (its costs are read from it). */
#define MAX_MEMORY (G_GUINT64_CONSTANT(256) * 1024 * 1024)

static const char *const role_names[] = {
        [APP_USER_VIEWER] = "viewer",
        [APP_USER_MEMBER] = "member",
        [APP_USER_OWNER] = "owner",
};

const char *
app_user_role_name(AppUserRole role)
{
	return (gsize)role < G_N_ELEMENTS(role_names) ? role_names[role] : "?";
}

bool
app_user_role_parse(const char *name, AppUserRole *role)
{
	for (gsize i = 0; name != NULL && i < G_N_ELEMENTS(role_names); i++)
		if (strcmp(name, role_names[i]) == 0) {
			*role = (AppUserRole)i;
			return true;
		}
	return false;
}

static bool
derive(const char *password, const guint8 *salt, gsize salt_length, unsigned log2_n, guint64 r,
       guint64 p, guint8 *out, gsize out_length)
{
	return EVP_PBE_scrypt(password, strlen(password), salt, salt_length,
	                      G_GUINT64_CONSTANT(1) << log2_n, r, p, MAX_MEMORY, out,
	                      out_length) == 1;
}

/* The stored text for @password with a new salt, or NULL. */
static char *
hash_password(const char *password, GError **error)
{
	guint8 salt[SALT_BYTES];
	guint8 hash[HASH_BYTES];
	if (RAND_bytes(salt, sizeof salt) != 1 ||
	    !derive(password, salt, sizeof salt, COST_LOG2_N, COST_R, COST_P, hash, sizeof hash)) {
		g_set_error_literal(error, APP_ERROR, APP_ERROR_CONFIG,
		                    "the password could not be hashed (OpenSSL's scrypt failed)");
		return NULL;
	}
	g_autofree char *salt_text = g_base64_encode(salt, sizeof salt);
	g_autofree char *hash_text = g_base64_encode(hash, sizeof hash);
	OPENSSL_cleanse(hash, sizeof hash);
	return g_strdup_printf("scrypt$%u$%u$%u$%s$%s", COST_LOG2_N, COST_R, COST_P, salt_text,
	                       hash_text);
}

/* Whether @password is the one @stored was made from. */
static bool
password_matches(const char *password, const char *stored)
{
	g_auto(GStrv) parts = g_strsplit(stored, "$", -1);
	if (g_strv_length(parts) != 6 || strcmp(parts[0], "scrypt") != 0)
		return false;
	guint64 log2_n = 0;
	guint64 r = 0;
	guint64 p = 0;
	if (!g_ascii_string_to_unsigned(parts[1], 10, 1, 30, &log2_n, NULL) ||
	    !g_ascii_string_to_unsigned(parts[2], 10, 1, 64, &r, NULL) ||
	    !g_ascii_string_to_unsigned(parts[3], 10, 1, 16, &p, NULL))
		return false;
	gsize salt_length = 0;
	gsize expected_length = 0;
	g_autofree guint8 *salt = g_base64_decode(parts[4], &salt_length);
	g_autofree guint8 *expected = g_base64_decode(parts[5], &expected_length);
	if (salt_length == 0 || expected_length != HASH_BYTES)
		return false;
	guint8 hash[HASH_BYTES];
	bool same =
	        derive(password, salt, salt_length, (unsigned)log2_n, r, p, hash, sizeof hash) &&
	        CRYPTO_memcmp(hash, expected, sizeof hash) == 0;
	OPENSSL_cleanse(hash, sizeof hash);
	return same;
}

static bool
check_password(const char *password, GError **error)
{
	if (password == NULL || g_utf8_strlen(password, -1) < APP_USER_PASSWORD_MIN ||
	    !g_utf8_validate(password, -1, NULL)) {
		g_set_error(error, APP_ERROR, APP_ERROR_INVALID,
		            "a password has at least %d characters", APP_USER_PASSWORD_MIN);
		return false;
	}
	return true;
}

/* Whether @text holds a control character (an address is printed in
 * lists and logs). */
static bool
has_control(const char *text)
{
	for (const unsigned char *c = (const unsigned char *)text; *c != '\0'; c++)
		if (*c < 0x20 || *c == 0x7f)
			return true;
	return false;
}

static bool
check_email(const char *email, GError **error)
{
	const char *at = email != NULL ? strchr(email, '@') : NULL;
	if (at == NULL || at == email || at[1] == '\0' || strchr(at + 1, '@') != NULL ||
	    strpbrk(email, " <>\"") != NULL || has_control(email) ||
	    !g_utf8_validate(email, -1, NULL) || strlen(email) > 254) {
		g_set_error(error, APP_ERROR, APP_ERROR_INVALID, "\"%s\" is not an email address",
		            email != NULL ? email : "");
		return false;
	}
	return true;
}

bool
app_user_add(Store *store, const char *email, AppUserRole role, const char *password,
             GError **error)
{
	if (!check_email(email, error) || !check_password(password, error))
		return false;
	g_autofree char *hash = hash_password(password, error);
	g_autofree char *lower = g_ascii_strdown(email, -1);
	return hash != NULL && store_user_add(store, lower, app_user_role_name(role), hash, error);
}

/* @ok, unless the user was not there (*@found false): APP_ERROR_NOT_FOUND. */
static bool
found_or_error(bool ok, const bool *found, const char *email, GError **error)
{
	if (ok && !*found) {
		g_set_error(error, APP_ERROR, APP_ERROR_NOT_FOUND, "no user %s", email);
		return false;
	}
	return ok;
}

bool
app_user_set_password(Store *store, const char *email, const char *password, GError **error)
{
	if (!check_password(password, error))
		return false;
	g_autofree char *hash = hash_password(password, error);
	if (hash == NULL)
		return false;
	bool found = false;
	bool ok = store_user_set_password(store, email, hash, &found, error);
	return found_or_error(ok, &found, email, error);
}

bool
app_user_set_role(Store *store, const char *email, AppUserRole role, GError **error)
{
	bool found = false;
	bool ok = store_user_set_role(store, email, app_user_role_name(role), &found, error);
	return found_or_error(ok, &found, email, error);
}

bool
app_user_remove(Store *store, const char *email, GError **error)
{
	bool removed = false;
	bool ok = store_user_remove(store, email, &removed, error);
	return found_or_error(ok, &removed, email, error);
}

void
app_user_session_free(AppUserSession *session)
{
	if (session == NULL)
		return;
	if (session->token != NULL)
		OPENSSL_cleanse(session->token, strlen(session->token));
	g_free(session->token);
	g_free(session->csrf);
	store_user_free(session->user);
	g_free(session);
}

static gpointer
make_decoy(gpointer data)
{
	return hash_password("piculet has no such user", NULL);
}

/* A hash that no password matches, compared when there is no such user so
 * that a wrong address costs the time of a wrong password. */
static const char *
decoy_hash(void)
{
	static GOnce once = G_ONCE_INIT;
	const char *decoy = g_once(&once, make_decoy, NULL);
	return decoy != NULL ? decoy : "";
}

AppUserSession *
app_user_sign_in(Store *store, const char *email, const char *password, int64_t now_us,
                 GError **error)
{
	GError *local = NULL;
	g_autoptr(StoreUser) user = email != NULL ? store_user_find(store, email, &local) : NULL;
	if (local != NULL) {
		g_propagate_error(error, local);
		return NULL;
	}
	const char *stored = user != NULL ? user->password_hash : decoy_hash();
	if (password == NULL || !password_matches(password, stored) || user == NULL) {
		g_set_error_literal(error, APP_ERROR, APP_ERROR_DENIED,
		                    "wrong address or password");
		return NULL;
	}
	g_autoptr(BaseSecret) token = base_secret_new_random(SESSION_PREFIX, TOKEN_BYTES, error);
	g_autoptr(BaseSecret) csrf =
	        token != NULL ? base_secret_new_random("", TOKEN_BYTES, error) : NULL;
	if (csrf == NULL)
		return NULL;
	g_autoptr(GBytes) hash =
	        base_secret_digest(base_secret_get(token), base_secret_get_length(token));
	int64_t expires_at = now_us + APP_USER_SESSION_US;
	if (!store_user_session_add(store, user->id, hash, base_secret_get(csrf), expires_at,
	                            error))
		return NULL;
	AppUserSession *session = g_new0(AppUserSession, 1);
	session->token = g_strdup(base_secret_get(token));
	session->csrf = g_strdup(base_secret_get(csrf));
	session->user = g_steal_pointer(&user);
	session->expires_at = expires_at;
	return session;
}

/* Whether @token is shaped like a session token of ours. */
static bool
token_shaped(const char *token)
{
	return token != NULL && g_str_has_prefix(token, SESSION_PREFIX) && strlen(token) < 128;
}

StoreUserSession *
app_user_session_check(Store *store, const char *token, int64_t now_us, GError **error)
{
	GError *local = NULL;
	StoreUserSession *session = NULL;
	if (token_shaped(token)) {
		g_autoptr(GBytes) hash = base_secret_digest(token, strlen(token));
		session = store_user_session_find(store, hash, now_us, &local);
	}
	if (session == NULL && local == NULL)
		local = g_error_new_literal(APP_ERROR, APP_ERROR_DENIED,
		                            "not signed in (or the session has ended)");
	if (local != NULL)
		g_propagate_error(error, local);
	return session;
}

bool
app_user_sign_out(Store *store, const char *token, GError **error)
{
	if (!token_shaped(token))
		return true;
	g_autoptr(GBytes) hash = base_secret_digest(token, strlen(token));
	return store_user_session_remove(store, hash, error);
}

bool
app_user_token_equal(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return false;
	gsize length = strlen(a);
	return length == strlen(b) && CRYPTO_memcmp(a, b, length) == 0;
}
