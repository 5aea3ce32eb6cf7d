/* The dashboard's sign-in: a session cookie and its CSRF token. */
#include "http/http_session.h"

#include "app/app_user.h"
#include "http/http_json.h"

#include <string.h>

#define COOKIE "piculet_session"

/* The cookie's attributes: never readable by the page's scripts, never
 * sent by another site's page, only over TLS when the request came so. */
static void
set_cookie(HttpExchange *x, const char *value, int64_t max_age_s)
{
	bool secure = g_strcmp0(x->forwarded_proto, "https") == 0;
	g_autofree char *cookie = g_strdup_printf(
	        "%s=%s; Path=/; Max-Age=%" G_GINT64_FORMAT "; HttpOnly; SameSite=Strict%s", COOKIE,
	        value, max_age_s, secure ? "; Secure" : "");
	http_route_add_header(x, "Set-Cookie", cookie);
}

static json_t *
session_json(const StoreUser *user, const char *csrf, int64_t expires_at)
{
	return json_pack("{s:s, s:s, s:s, s:o}", "email", user->email, "role", user->role, "csrf",
	                 csrf, "expires_at", http_json_time(expires_at));
}

void
http_session_sign_in(HttpExchange *x)
{
	bool ok = true;
	const char *email = http_json_body_string(x, "email", &ok);
	const char *password = http_json_body_string(x, "password", &ok);
	if (!ok)
		return;
	if (email == NULL || password == NULL) {
		http_json_fail(x, APP_ERROR_INVALID, "send email and password");
		return;
	}
	g_autoptr(AppUserSession) session =
	        app_user_sign_in(x->store, email, password, x->now_us, &x->error);
	if (session == NULL)
		return;
	set_cookie(x, session->token, APP_USER_SESSION_US / G_USEC_PER_SEC);
	x->answer = session_json(session->user, session->csrf, session->expires_at);
}

void
http_session_get(HttpExchange *x)
{
	if (x->session == NULL) {
		x->answer = json_pack("{s:s, s:s}", "key", x->key_name, "role", "key");
		return;
	}
	x->answer = session_json(x->session->user, x->session->csrf, x->session->expires_at);
}

void
http_session_sign_out(HttpExchange *x)
{
	if (x->session != NULL && !app_user_sign_out(x->store, x->session_token, &x->error))
		return;
	set_cookie(x, "", 0);
	x->status = 204;
}
