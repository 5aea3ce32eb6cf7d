#include "app/app_tracking.h"

#include "app/app_error.h"
#include "base/base_error.h"
#include "engine/engine_lifecycle.h"
#include "engine/engine_tracking.h"

#include <string.h>

AppTrackingFetch *
app_tracking_fetch_new(const BaseSealKey *key, AppTrackingKind kind, const char *token,
                       const char *method, const char *user_agent, int64_t now_us, GError **error)
{
	int64_t enrollment_id = 0;
	int step = 0;
	g_autofree char *url = NULL;
	bool ours = kind == APP_TRACKING_OPEN
	                    ? engine_tracking_open_check(key, token, &enrollment_id, &step)
	                    : engine_tracking_click_check(key, token, &enrollment_id, &step, &url);
	if (!ours) {
		g_set_error_literal(error, APP_ERROR, APP_ERROR_NOT_FOUND,
		                    "this link is not one of ours");
		return NULL;
	}
	AppTrackingFetch *fetch = g_new0(AppTrackingFetch, 1);
	fetch->kind = kind;
	fetch->enrollment_id = enrollment_id;
	fetch->step = step;
	fetch->url = g_steal_pointer(&url);
	fetch->method = g_strdup(method);
	fetch->user_agent = g_strdup(user_agent);
	fetch->at_us = now_us;
	return fetch;
}

void
app_tracking_fetch_free(AppTrackingFetch *fetch)
{
	if (fetch == NULL)
		return;
	g_free(fetch->url);
	g_free(fetch->method);
	g_free(fetch->user_agent);
	g_clear_error(&fetch->error);
	g_free(fetch);
}

/* What a batch knows of a message: looked up once for all its fetches. */
typedef struct {
	int64_t enrollment_id; /* with step: the key */
	int step;
	int64_t message_id; /* 0: none (not sent, or erased) */
	int64_t mailbox_id; /* 0: the enrollment is erased too */
	int64_t sent_at;    /* 0: not sent */
	bool enrollment_gone;
} Sent;

static guint
sent_hash(gconstpointer data)
{
	const Sent *sent = data;
	return g_int64_hash(&sent->enrollment_id) * 31 + (guint)sent->step;
}

static gboolean
sent_equal(gconstpointer a, gconstpointer b)
{
	const Sent *x = a;
	const Sent *y = b;
	return x->enrollment_id == y->enrollment_id && x->step == y->step;
}

/* The message of @fetch's step (looked up in @known first). */
static const Sent *
sent_of(Store *store, const AppTrackingFetch *fetch, GHashTable *known, GError **error)
{
	Sent key = {.enrollment_id = fetch->enrollment_id, .step = fetch->step};
	Sent *sent = g_hash_table_lookup(known, &key);
	if (sent != NULL)
		return sent;
	GError *local = NULL;
	g_autoptr(StoreMessage) message =
	        store_message_find_step(store, fetch->enrollment_id, fetch->step, &local);
	if (local != NULL) {
		g_propagate_error(error, local);
		return NULL;
	}
	sent = g_new0(Sent, 1);
	*sent = key;
	if (message != NULL) {
		sent->message_id = message->id;
		sent->mailbox_id = message->mailbox_id;
		sent->sent_at = message->sent_at;
	} else {
		/* A message is its enrollment's (erased with it); without one, the
		 * enrollment says where the event belongs, if it is still there. */
		g_autoptr(StoreEnrollment) enrollment =
		        store_enrollment_get_by_id(store, fetch->enrollment_id, &local);
		if (local != NULL) {
			g_free(sent);
			g_propagate_error(error, local);
			return NULL;
		}
		sent->enrollment_gone = enrollment == NULL;
		sent->mailbox_id = enrollment != NULL ? enrollment->mailbox_id : 0;
	}
	g_hash_table_add(known, sent);
	return sent;
}

/* The event of @fetch, judged (a person, or a machine and why), in
 * @input; its words in @detail (new). */
static void
event_of(const AppTrackingFetch *fetch, const Sent *sent, StoreEventInput *input, char **detail)
{
	int64_t since_sent_s =
	        sent->sent_at > 0 ? (fetch->at_us - sent->sent_at) / G_USEC_PER_SEC : -1;
	const char *why = NULL;
	bool person = engine_tracking_judge(fetch->method, fetch->user_agent, since_sent_s, &why);
	bool open = fetch->kind == APP_TRACKING_OPEN;
	EngineEvent event = !person ? ENGINE_EVENT_MACHINE_FETCH
	                    : open  ? ENGINE_EVENT_OPEN
	                            : ENGINE_EVENT_CLICK;
	g_autofree char *agent = base_error_printable_dup(
	        fetch->user_agent != NULL ? fetch->user_agent : "", -1, 200);
	*detail = person ? (open ? g_strdup_printf("opened (%s)", agent)
	                         : g_strdup_printf("clicked %s (%s)", fetch->url, agent))
	                 : g_strdup_printf("%s by no person: %s (%s)",
	                                   open ? "image fetched" : "link fetched", why, agent);
	*input = (StoreEventInput){.at_us = fetch->at_us,
	                           .kind = engine_lifecycle_event_name(event),
	                           .webhook_type = engine_lifecycle_event_webhook(event),
	                           .mailbox_id = sent->mailbox_id,
	                           .enrollment_id = fetch->enrollment_id,
	                           .message_id = sent->message_id,
	                           .detail = *detail};
}

/* The events of @fetches, written. */
static bool
record(Store *store, AppTrackingFetch *const *fetches, gsize n, GError **error)
{
	g_autoptr(GHashTable) known = g_hash_table_new_full(sent_hash, sent_equal, g_free, NULL);
	g_autoptr(GArray) inputs =
	        g_array_sized_new(FALSE, FALSE, sizeof(StoreEventInput), (guint)n);
	g_autoptr(GPtrArray) details = g_ptr_array_new_full((guint)n, g_free);
	for (gsize i = 0; i < n; i++) {
		const Sent *sent = sent_of(store, fetches[i], known, error);
		if (sent == NULL)
			return false;
		/* Erased since: nothing to record it against. */
		if (sent->enrollment_gone)
			continue;
		StoreEventInput input;
		char *detail = NULL;
		event_of(fetches[i], sent, &input, &detail);
		g_ptr_array_add(details, detail);
		g_array_append_val(inputs, input);
	}
	return store_event_add_all(store, (const StoreEventInput *)(void *)inputs->data,
	                           inputs->len, error);
}

bool
app_tracking_record_all(Store *store, AppTrackingFetch *const *fetches, gsize n, GError **error)
{
	GError *local = NULL;
	if (store_begin(store, &local) && record(store, fetches, n, &local) &&
	    store_commit(store, &local))
		return true;
	store_rollback(store);
	for (gsize i = 0; i < n; i++) {
		g_clear_error(&fetches[i]->error);
		fetches[i]->error = g_error_copy(local);
	}
	g_propagate_error(error, local);
	return false;
}
