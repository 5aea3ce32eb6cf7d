/* The dashboard's sign-in: a session cookie and its CSRF token. */
#include "http/http_session.h"

#include "app/app_user.h"
#include "http/http_json.h"
#include "http/http_problem.h"

#include <string.h>

#define COOKIE "piculet_session"
/* Failed sign-ins an address may have in a window before its sign-ins are
 * refused until the window ends (the password hash already costs each try
 * a tenth of a second). */
#define FAILURES_ALLOWED  5
#define FAILURE_WINDOW_US (G_GINT64_CONSTANT(15) * 60 * G_USEC_PER_SEC)
/* Addresses remembered before the ones whose window is over are swept. */
#define FAILURES_SWEEP_AT 10000

/* An address's failed sign-ins in its window (monotonic clock). */
typedef struct {
	guint failures;
	gint64 since_us;
} Failures;

static GMutex failures_lock;
static GHashTable *failures_by_address; /* lowered address -> Failures */

/* Seconds until @address may try again; 0: now. */
static guint
refused_for(const char *address, gint64 now_us)
{
	g_autofree char *key = g_ascii_strdown(address, -1);
	guint wait_s = 0;
	g_mutex_lock(&failures_lock);
	Failures *f =
	        failures_by_address != NULL ? g_hash_table_lookup(failures_by_address, key) : NULL;
	if (f != NULL && now_us - f->since_us >= FAILURE_WINDOW_US)
		g_hash_table_remove(failures_by_address, key);
	else if (f != NULL && f->failures >= FAILURES_ALLOWED)
		wait_s = (guint)((f->since_us + FAILURE_WINDOW_US - now_us) / G_USEC_PER_SEC) + 1;
	g_mutex_unlock(&failures_lock);
	return wait_s;
}

static gboolean
window_over(gpointer key, gpointer value, gpointer now_us)
{
	const Failures *f = value;
	return *(const gint64 *)now_us - f->since_us >= FAILURE_WINDOW_US;
}

static void
count_failure(const char *address, gint64 now_us)
{
	g_mutex_lock(&failures_lock);
	if (failures_by_address == NULL)
		failures_by_address =
		        g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	/* Addresses tried once and never again would stay: the table is swept
	 * of windows that are over whenever it has grown. */
	if (g_hash_table_size(failures_by_address) >= FAILURES_SWEEP_AT)
		g_hash_table_foreach_remove(failures_by_address, window_over, &now_us);
	char *key = g_ascii_strdown(address, -1);
	Failures *f = g_hash_table_lookup(failures_by_address, key);
	if (f == NULL) {
		f = g_new0(Failures, 1);
		f->since_us = now_us;
		g_hash_table_insert(failures_by_address, key, f);
	} else {
		g_free(key);
	}
	f->failures++;
	g_mutex_unlock(&failures_lock);
}

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
	gint64 now = g_get_monotonic_time();
	guint wait_s = refused_for(email, now);
	if (wait_s > 0) {
		g_autofree char *after = g_strdup_printf("%u", wait_s);
		http_route_add_header(x, "Retry-After", after);
		x->status = 429;
		x->answer_text = http_problem_json(
		        429, "too many failed sign-ins for this address: wait, then try again");
		x->answer_type = "application/problem+json";
		return;
	}
	g_autoptr(AppUserSession) session =
	        app_user_sign_in(x->store, email, password, x->now_us, &x->error);
	if (session == NULL) {
		if (g_error_matches(x->error, APP_ERROR, APP_ERROR_DENIED))
			count_failure(email, now);
		return;
	}
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
