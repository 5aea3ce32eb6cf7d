/* The dashboard's users: their plain data and the checks before a back end. */
#include "store/store_private.h"

#include <string.h>

void
store_user_free(StoreUser *user)
{
	if (user == NULL)
		return;
	g_free(user->email);
	g_free(user->role);
	g_free(user->password_hash);
	g_free(user);
}

void
store_user_session_free(StoreUserSession *session)
{
	if (session == NULL)
		return;
	store_user_free(session->user);
	g_free(session->csrf);
	g_free(session);
}

static bool
check_role(const char *role, GError **error)
{
	if (g_strcmp0(role, "owner") == 0 || g_strcmp0(role, "member") == 0 ||
	    g_strcmp0(role, "viewer") == 0)
		return true;
	g_set_error_literal(error, STORE_ERROR, STORE_ERROR_INVALID,
	                    "a user's role is owner, member or viewer");
	return false;
}

bool
store_user_add(Store *store, const char *email, const char *role, const char *password_hash,
               GError **error)
{
	if (email == NULL || email[0] == '\0' || strpbrk(email, "\r\n") != NULL ||
	    password_hash == NULL || password_hash[0] == '\0') {
		g_set_error_literal(error, STORE_ERROR, STORE_ERROR_INVALID,
		                    "a user needs an address and a password hash");
		return false;
	}
	if (!check_role(role, error))
		return false;
	return store->backend->user_add(store->impl, email, role, password_hash, error);
}

bool
store_user_set_role(Store *store, const char *email, const char *role, bool *found, GError **error)
{
	if (!check_role(role, error))
		return false;
	return store->backend->user_set_role(store->impl, email, role, found, error);
}

bool
store_user_session_add(Store *store, int64_t user_id, GBytes *token_hash, const char *csrf,
                       int64_t expires_at, GError **error)
{
	if (token_hash == NULL || g_bytes_get_size(token_hash) != 32 || csrf == NULL ||
	    csrf[0] == '\0') {
		g_set_error_literal(
		        error, STORE_ERROR, STORE_ERROR_INVALID,
		        "a session is kept as its token's SHA-256, with its CSRF token");
		return false;
	}
	return store->backend->user_session_add(store->impl, user_id, token_hash, csrf, expires_at,
	                                        error);
}
