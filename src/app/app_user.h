/*
 * app_user: the people who sign in to the dashboard (`piculet user`,
 * `piculet serve`), and their sessions.
 *
 * A password is kept only as its scrypt hash (memory-hard: 32 MiB and
 * about 0.1 s a try), in text that names its costs, so that they can rise
 * later without a migration: "scrypt$LOG2N$R$P$SALT$HASH" (base64). A
 * sign-in makes a session: a random token for the cookie, of which the
 * store keeps the SHA-256, and a random CSRF token that every change from
 * the page must carry. A password change ends every session of its user.
 *
 * Roles: a viewer reads; a member also changes campaigns, mailboxes,
 * prospects and replies; an owner also manages webhooks (what leaves the
 * machine) and users.
 */
#pragma once

#include "store/store.h"

#include <glib.h>
#include <stdbool.h>

typedef enum {
	APP_USER_VIEWER,
	APP_USER_MEMBER,
	APP_USER_OWNER,
} AppUserRole;

/* The shortest password taken. */
#define APP_USER_PASSWORD_MIN 10
/* How long a session lasts after its sign-in. */
#define APP_USER_SESSION_US (G_GINT64_CONSTANT(7) * 24 * 3600 * G_USEC_PER_SEC)

const char *app_user_role_name(AppUserRole role);
bool app_user_role_parse(const char *name, AppUserRole *role);

/* Adds @email (kept in lower case) with @role and @password.
 * APP_ERROR_INVALID: not an address, or a password shorter than
 * APP_USER_PASSWORD_MIN; STORE_ERROR_INVALID: the address is taken. */
bool app_user_add(Store *store, const char *email, AppUserRole role, const char *password,
                  GError **error);

/* Sets @email's password and ends its sessions; APP_ERROR_NOT_FOUND. */
bool app_user_set_password(Store *store, const char *email, const char *password, GError **error);

bool app_user_set_role(Store *store, const char *email, AppUserRole role, GError **error);

bool app_user_remove(Store *store, const char *email, GError **error);

/* A session just opened: the cookie's token and the page's CSRF token. */
typedef struct {
	char *token;
	char *csrf;
	StoreUser *user;
	int64_t expires_at;
} AppUserSession;

void app_user_session_free(AppUserSession *session);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(AppUserSession, app_user_session_free)

/* Checks @email's @password and opens a session at @now_us;
 * APP_ERROR_DENIED when either is wrong (which, is not said; the time
 * taken is the same). */
AppUserSession *app_user_sign_in(Store *store, const char *email, const char *password,
                                 int64_t now_us, GError **error);

/* The open session of cookie token @token, or APP_ERROR_DENIED. */
StoreUserSession *app_user_session_check(Store *store, const char *token, int64_t now_us,
                                         GError **error);

/* Ends the session of @token (nothing when there is none). */
bool app_user_sign_out(Store *store, const char *token, GError **error);

/* Whether @a and @b, two tokens, are the same, in a time that does not
 * tell where they differ. */
bool app_user_token_equal(const char *a, const char *b);
