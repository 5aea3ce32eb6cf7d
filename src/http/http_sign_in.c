#include "http/http_sign_in.h"

#include "app/app_error.h"
#include "app/app_oauth.h"
#include "http/http_json.h"

#include <fcntl.h>
#include <glib-unix.h>
#include <string.h>
#include <unistd.h>

#define LIFETIME_S    900 /* the device code's own lifetime bounds it too */
#define START_WAIT_US ((gint64)40 * G_USEC_PER_SEC)

typedef enum { SIGN_IN_STARTING, SIGN_IN_PENDING, SIGN_IN_DONE, SIGN_IN_FAILED } SignInState;

typedef struct {
	char *address;
	char *ca_file;
	Store *store; /* the thread's own connection */
	SignInState state;
	char *user_code;
	char *verification_uri;
	char *verification_uri_complete;
	bool resumed;
	GError *error;
	gint64 started_us;
	GThread *thread;
	HttpSignIns *owner;
	AppOauthWebSignIn *web; /* the code flow through /oauth/callback; NULL: the device grant */
} SignIn;

struct HttpSignIns {
	GMutex lock;
	GCond changed;
	GHashTable *by_address; /* address -> SignIn * */
	int stop[2];            /* readable: every sign-in gives up */
};

static void
sign_in_free(SignIn *s)
{
	if (s->thread != NULL)
		g_thread_join(s->thread);
	store_close(s->store);
	g_free(s->address);
	g_free(s->ca_file);
	g_free(s->user_code);
	g_free(s->verification_uri);
	g_free(s->verification_uri_complete);
	app_oauth_web_sign_in_free(s->web);
	g_clear_error(&s->error);
	g_free(s);
}

HttpSignIns *
http_sign_in_registry_new(void)
{
	HttpSignIns *sign_ins = g_new0(HttpSignIns, 1);
	g_mutex_init(&sign_ins->lock);
	g_cond_init(&sign_ins->changed);
	sign_ins->by_address =
	        g_hash_table_new_full(g_str_hash, g_str_equal, NULL, (GDestroyNotify)sign_in_free);
	if (!g_unix_open_pipe(sign_ins->stop, FD_CLOEXEC, NULL))
		g_error("http_sign_in: no pipe");
	return sign_ins;
}

void
http_sign_in_registry_free(HttpSignIns *sign_ins)
{
	if (sign_ins == NULL)
		return;
	if (write(sign_ins->stop[1], "x", 1) != 1)
		g_warning("http_sign_in: the sign-ins could not be told to stop");
	/* Each entry's free joins its thread. */
	g_hash_table_destroy(sign_ins->by_address);
	close(sign_ins->stop[0]);
	close(sign_ins->stop[1]);
	g_cond_clear(&sign_ins->changed);
	g_mutex_clear(&sign_ins->lock);
	g_free(sign_ins);
}

static void
show_code(const char *uri, const char *uri_complete, const char *user_code, void *user_data)
{
	SignIn *s = user_data;
	g_mutex_lock(&s->owner->lock);
	s->verification_uri = g_strdup(uri);
	s->verification_uri_complete = g_strdup(uri_complete);
	s->user_code = g_strdup(user_code);
	s->state = SIGN_IN_PENDING;
	g_cond_broadcast(&s->owner->changed);
	g_mutex_unlock(&s->owner->lock);
}

static void
open_url(const char *url, void *user_data)
{
	/* Never called: the API signs in with the device grant only. */
	(void)url;
	(void)user_data;
}

static gpointer
run(gpointer data)
{
	SignIn *s = data;
	AppOauthPrompt prompt = {.open_url = open_url, .show_code = show_code, .user_data = s};
	AppOauthSignInOptions options = {.device = true,
	                                 .ca_file = s->ca_file,
	                                 .timeout_s = LIFETIME_S,
	                                 .stop_fd = s->owner->stop[0]};
	GError *error = NULL;
	bool resumed = false;
	bool ok = app_oauth_sign_in(s->store, s->address, &options, &prompt, &resumed, &error);
	g_mutex_lock(&s->owner->lock);
	s->state = ok ? SIGN_IN_DONE : SIGN_IN_FAILED;
	s->resumed = resumed;
	s->error = error;
	g_cond_broadcast(&s->owner->changed);
	g_mutex_unlock(&s->owner->lock);
	return NULL;
}

static const char *
state_name(SignInState state)
{
	switch (state) {
	case SIGN_IN_STARTING:
	case SIGN_IN_PENDING:
		return "pending";
	case SIGN_IN_DONE:
		return "signed_in";
	case SIGN_IN_FAILED:
		break;
	}
	return "failed";
}

/* Under the lock. */
static json_t *
sign_in_json(const SignIn *s)
{
	json_t *answer =
	        json_pack("{s:s, s:s, s:s}", "address", s->address, "state", state_name(s->state),
	                  "flow", s->web != NULL ? "code" : "device");
	if (s->state == SIGN_IN_PENDING && s->web != NULL) {
		json_object_set_new(answer, "authorization_url", http_json_text(s->web->url));
	} else if (s->state == SIGN_IN_PENDING) {
		json_object_set_new(answer, "verification_uri",
		                    http_json_text(s->verification_uri));
		json_object_set_new(answer, "verification_uri_complete",
		                    http_json_text(s->verification_uri_complete));
		json_object_set_new(answer, "user_code", http_json_text(s->user_code));
	}
	if (s->state == SIGN_IN_DONE)
		json_object_set_new(answer, "resumed", json_boolean(s->resumed));
	if (s->state == SIGN_IN_FAILED)
		json_object_set_new(answer, "error",
		                    http_json_text(s->error != NULL ? s->error->message : NULL));
	return answer;
}

void
http_sign_in_start(HttpSignIns *sign_ins, const char *address, HttpExchange *x)
{
	g_autoptr(GError) error = NULL;
	g_mutex_lock(&sign_ins->lock);
	SignIn *s = g_hash_table_lookup(sign_ins->by_address, address);
	if (s == NULL || s->state == SIGN_IN_DONE || s->state == SIGN_IN_FAILED) {
		Store *store = store_open_another(x->store, &error);
		if (store == NULL) {
			g_mutex_unlock(&sign_ins->lock);
			x->error = g_steal_pointer(&error);
			return;
		}
		/* A finished one is replaced (its thread has ended). */
		g_hash_table_remove(sign_ins->by_address, address);
		s = g_new0(SignIn, 1);
		s->address = g_strdup(address);
		s->ca_file = g_strdup(x->ca_file);
		s->store = store;
		s->owner = sign_ins;
		s->started_us = g_get_monotonic_time();
		g_hash_table_insert(sign_ins->by_address, s->address, s);
		s->thread = g_thread_new("sign-in", run, s);
	}
	gint64 deadline = g_get_monotonic_time() + START_WAIT_US;
	while (s->state == SIGN_IN_STARTING)
		if (!g_cond_wait_until(&sign_ins->changed, &sign_ins->lock, deadline))
			break;
	if (s->state == SIGN_IN_FAILED && s->error != NULL) {
		x->error = g_error_copy(s->error);
	} else if (s->state == SIGN_IN_STARTING) {
		x->error = g_error_new_literal(APP_ERROR, APP_ERROR_UNAVAILABLE,
		                               "the authorization server gave no code in time");
	} else {
		x->status = s->state == SIGN_IN_PENDING ? 202 : 200;
		x->answer = sign_in_json(s);
	}
	g_mutex_unlock(&sign_ins->lock);
}

void
http_sign_in_start_web(HttpSignIns *sign_ins, const char *address, const char *redirect_uri,
                       HttpExchange *x)
{
	g_autoptr(GError) error = NULL;
	AppOauthWebSignIn *web =
	        app_oauth_web_begin(x->store, address, redirect_uri, x->ca_file, &error);
	if (web == NULL) {
		x->error = g_steal_pointer(&error);
		return;
	}
	g_mutex_lock(&sign_ins->lock);
	SignIn *s = g_hash_table_lookup(sign_ins->by_address, web->address);
	if (s != NULL && s->web == NULL && s->state != SIGN_IN_DONE && s->state != SIGN_IN_FAILED) {
		/* A device sign-in under way is answered, not raced. */
		x->status = 202;
		x->answer = sign_in_json(s);
		g_mutex_unlock(&sign_ins->lock);
		app_oauth_web_sign_in_free(web);
		return;
	}
	/* Any earlier one's link stops working: its state is gone with it. */
	g_hash_table_remove(sign_ins->by_address, web->address);
	s = g_new0(SignIn, 1);
	s->address = g_strdup(web->address);
	s->state = SIGN_IN_PENDING;
	s->owner = sign_ins;
	s->started_us = g_get_monotonic_time();
	s->web = web;
	g_hash_table_insert(sign_ins->by_address, s->address, s);
	x->status = 202;
	x->answer = sign_in_json(s);
	g_mutex_unlock(&sign_ins->lock);
}

/* Under the lock: the web sign-in waiting for @state, or NULL. */
static SignIn *
waiting_for(HttpSignIns *sign_ins, const char *state)
{
	GHashTableIter iter;
	gpointer value;
	g_hash_table_iter_init(&iter, sign_ins->by_address);
	while (g_hash_table_iter_next(&iter, NULL, &value)) {
		SignIn *s = value;
		if (s->web != NULL && s->state == SIGN_IN_PENDING && state != NULL &&
		    strcmp(s->web->state, state) == 0)
			return s;
	}
	return NULL;
}

/* The page the browser is left on when the sign-in did not work. */
static void
failure_page(HttpExchange *x, const char *why)
{
	g_autofree char *text = g_markup_escape_text(why, -1);
	x->status = 400;
	x->answer_type = "text/html; charset=utf-8";
	x->answer_text = g_strdup_printf(
	        "<!doctype html><html lang=\"en\"><meta charset=\"utf-8\"><title>piculet: "
	        "sign-in</title><h1>The mailbox is not signed in</h1><p>%s</p>"
	        "<p><a href=\"/#/status\">Back to the mailboxes</a></p></html>",
	        text);
}

void
http_sign_in_callback(HttpExchange *x)
{
	HttpSignIns *sign_ins = x->sign_ins;
	const char *state = g_hash_table_lookup(x->query, "state");
	const char *code = g_hash_table_lookup(x->query, "code");
	const char *refused = g_hash_table_lookup(x->query, "error");
	const char *description = g_hash_table_lookup(x->query, "error_description");
	g_mutex_lock(&sign_ins->lock);
	SignIn *s = waiting_for(sign_ins, state);
	if (s == NULL) {
		g_mutex_unlock(&sign_ins->lock);
		failure_page(x, "This sign-in is not known here, or it was finished already: start "
		                "it again from the mailbox.");
		return;
	}
	/* Taken: a second visit of the same link finds nothing. */
	s->state = SIGN_IN_STARTING;
	bool expired = g_get_monotonic_time() - s->started_us > (gint64)LIFETIME_S * G_USEC_PER_SEC;
	g_mutex_unlock(&sign_ins->lock);

	GError *error = NULL;
	bool resumed = false;
	bool ok = false;
	if (expired)
		error = g_error_new(
		        APP_ERROR, APP_ERROR_STATE,
		        "the sign-in was begun more than %d minutes ago: start it again",
		        LIFETIME_S / 60);
	else if (refused != NULL || code == NULL)
		error = g_error_new(APP_ERROR, APP_ERROR_DENIED, "the provider said: %s%s%s",
		                    refused != NULL ? refused : "no code",
		                    description != NULL ? ": " : "",
		                    description != NULL ? description : "");
	else
		ok = app_oauth_web_finish(x->store, s->web, code, x->ca_file, x->stop_fd, &resumed,
		                          &error);

	g_mutex_lock(&sign_ins->lock);
	s->state = ok ? SIGN_IN_DONE : SIGN_IN_FAILED;
	s->resumed = resumed;
	s->error = error;
	g_autofree char *why = error != NULL ? g_strdup(error->message) : NULL;
	g_cond_broadcast(&sign_ins->changed);
	g_mutex_unlock(&sign_ins->lock);
	if (!ok) {
		failure_page(x, why);
		return;
	}
	x->status = 303;
	g_autofree char *escaped = g_uri_escape_string(s->address, NULL, FALSE);
	x->answer_location = g_strdup_printf("/#/status?signed_in=%s", escaped);
}

json_t *
http_sign_in_json(HttpSignIns *sign_ins, const char *address)
{
	g_mutex_lock(&sign_ins->lock);
	const SignIn *s = g_hash_table_lookup(sign_ins->by_address, address);
	json_t *answer = s != NULL ? sign_in_json(s) : NULL;
	g_mutex_unlock(&sign_ins->lock);
	return answer;
}
