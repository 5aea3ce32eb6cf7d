#define G_LOG_DOMAIN "piculet-http"

#include "http/http_webhook.h"

#include "app/app_webhook.h"

#include <curl/curl.h>
#include <string.h>
#include <unistd.h>

#define DEFAULT_RETRY_S   30
#define DEFAULT_GIVE_UP_S (24 * 60 * 60)
#define MAX_RETRY_S       3600
#define BATCH             50
/* One deliverer a database (schema 24): its lease, renewed once a third
 * of it has passed, outlasts a POST (10 s) in flight. */
#define LEASE_S 15

struct HttpWebhook {
	Store *store; /* this thread's own connection */
	GThread *thread;
	GMutex lock;
	GCond wake;
	bool stopping;
	gint stop_now; /* atomic: a POST in flight gives up (libcurl's progress callback) */
	guint retry_s;
	guint give_up_s;
	char *ca_file;
	char *holder;             /* this deliverer's name in the lease */
	bool holding;             /* it held the lease when it last asked */
	gint64 renewed_monotonic; /* when it last asked, this machine's monotonic clock */
};

/* Whether this deliverer holds the database's deliverer lease, asked of
 * the database when a third of it has passed since it was renewed (at
 * once when another held it). */
static bool
holds(HttpWebhook *w)
{
	gint64 now_monotonic = g_get_monotonic_time();
	if (w->holding &&
	    now_monotonic - w->renewed_monotonic < (gint64)LEASE_S * G_USEC_PER_SEC / 3)
		return true;
	g_autoptr(GError) error = NULL;
	int64_t now_us = 0;
	bool held = false;
	if (!store_lease_clock(w->store, &now_us, &error) ||
	    !store_delivery_lease(w->store, w->holder, now_us, (int64_t)LEASE_S * G_USEC_PER_SEC,
	                          &held, &error)) {
		g_warning("webhooks: %s", error->message);
		held = false;
	}
	if (held != w->holding)
		g_message(held ? "webhooks: this process delivers them"
		               : "webhooks: another process delivers them");
	w->holding = held;
	w->renewed_monotonic = now_monotonic;
	return held;
}

static size_t
discard(char *data, size_t size, size_t n, void *user_data)
{
	return size * n;
}

/* libcurl asks between its steps: a stop ends the POST at once. */
static int
stop_asked(void *user_data, curl_off_t download_total, curl_off_t downloaded,
           curl_off_t upload_total, curl_off_t uploaded)
{
	HttpWebhook *w = user_data;
	return g_atomic_int_get(&w->stop_now) ? 1 : 0;
}

/* POSTs @d; NULL when the receiver took it (2xx), else what went wrong.
 * *@interrupted when a stop cut it short: then nothing is to be recorded
 * (the delivery stays as it was, due, for the next start). */
static char *
post(HttpWebhook *w, const StoreWebhook *subscription, const BaseSecret *secret,
     const StoreDelivery *d, bool *interrupted)
{
	g_autofree char *msg_id = g_strdup_printf("msg_%" G_GINT64_FORMAT, d->id);
	int64_t timestamp = g_get_real_time() / G_USEC_PER_SEC;
	g_autofree char *signature = app_webhook_sign(secret, msg_id, timestamp, d->payload);
	g_autofree char *id_header = g_strconcat("webhook-id: ", msg_id, NULL);
	g_autofree char *time_header =
	        g_strdup_printf("webhook-timestamp: %" G_GINT64_FORMAT, timestamp);
	g_autofree char *signature_header = g_strconcat("webhook-signature: ", signature, NULL);
	struct curl_slist *headers = curl_slist_append(NULL, "Content-Type: application/json");
	headers = curl_slist_append(headers, id_header);
	headers = curl_slist_append(headers, time_header);
	headers = curl_slist_append(headers, signature_header);
	CURL *curl = curl_easy_init();
	curl_easy_setopt(curl, CURLOPT_URL, subscription->url);
	curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
	curl_easy_setopt(curl, CURLOPT_POSTFIELDS, d->payload);
	curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE, (long)strlen(d->payload));
	curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, discard);
	curl_easy_setopt(curl, CURLOPT_TIMEOUT, 10L);
	curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(curl, CURLOPT_USERAGENT, "piculet-webhooks");
	curl_easy_setopt(curl, CURLOPT_XFERINFOFUNCTION, stop_asked);
	curl_easy_setopt(curl, CURLOPT_XFERINFODATA, w);
	curl_easy_setopt(curl, CURLOPT_NOPROGRESS, 0L);
	if (w->ca_file != NULL)
		curl_easy_setopt(curl, CURLOPT_CAINFO, w->ca_file);
	CURLcode rc = curl_easy_perform(curl);
	*interrupted = rc == CURLE_ABORTED_BY_CALLBACK;
	long status = 0;
	curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
	curl_easy_cleanup(curl);
	curl_slist_free_all(headers);
	if (rc != CURLE_OK)
		return g_strdup(curl_easy_strerror(rc));
	if (status < 200 || status > 299)
		return g_strdup_printf("the receiver answered %ld", status);
	return NULL;
}

/* The pause before attempt @attempts + 1: doubled each time up to an hour,
 * give or take a fifth (so many failing receivers do not come back at
 * once). */
static int64_t
backoff_us(const HttpWebhook *w, int attempts)
{
	double seconds = MIN((double)w->retry_s * (double)(1U << MIN(attempts, 16)), MAX_RETRY_S);
	seconds *= g_random_double_range(0.8, 1.2);
	return (int64_t)(seconds * G_USEC_PER_SEC);
}

/* One delivery tried, its outcome written; whether it was delivered. */
static bool
deliver(HttpWebhook *w, const StoreDelivery *d)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(StoreWebhook) subscription = store_webhook_get(w->store, d->webhook_id, &error);
	g_autoptr(BaseSecret) secret =
	        subscription != NULL ? app_webhook_secret(w->store, d->webhook_id, &error) : NULL;
	bool interrupted = false;
	g_autofree char *failure =
	        secret != NULL ? post(w, subscription, secret, d, &interrupted)
	                       : g_strdup(error != NULL ? error->message : "no such webhook");
	if (interrupted) {
		g_message("webhook %" G_GINT64_FORMAT " delivery %" G_GINT64_FORMAT
		          ": cut short by the stop; again at the next start",
		          d->webhook_id, d->id);
		return false;
	}
	/* A day from its first try, by this thread's clock (the event may
	 * have been written under `tick --now`'s). */
	int64_t now = g_get_real_time();
	int64_t first = d->first_tried_at > 0 ? d->first_tried_at : now;
	const char *state = failure == NULL                                         ? "delivered"
	                    : now - first >= (int64_t)w->give_up_s * G_USEC_PER_SEC ? "dead"
	                                                                            : "pending";
	g_autoptr(GError) write_error = NULL;
	if (!store_delivery_finish(w->store, d->id, state, failure, now,
	                           now + backoff_us(w, d->attempts), &write_error)) {
		g_warning("webhook delivery %" G_GINT64_FORMAT ": %s", d->id, write_error->message);
		return false;
	}
	if (failure != NULL)
		g_message("webhook %" G_GINT64_FORMAT " delivery %" G_GINT64_FORMAT " (%s): %s%s",
		          d->webhook_id, d->id, d->type, failure,
		          strcmp(state, "dead") == 0 ? ": given up" : "");
	return failure == NULL;
}

static gpointer
run(gpointer data)
{
	HttpWebhook *w = data;
	for (;;) {
		g_autoptr(GError) error = NULL;
		/* Another process's to deliver while it holds the lease. */
		bool mine = holds(w);
		g_autoptr(GPtrArray) due =
		        mine ? store_delivery_list_due(w->store, g_get_real_time(), BATCH, &error)
		             : NULL;
		if (mine && due == NULL)
			g_warning("webhooks: %s", error != NULL ? error->message : "?");
		bool delivered = false;
		for (guint i = 0;
		     due != NULL && i < due->len && !g_atomic_int_get(&w->stop_now) && holds(w);
		     i++)
			delivered = deliver(w, due->pdata[i]) || delivered;
		g_mutex_lock(&w->lock);
		/* What was delivered may have one behind it: look again at once.
		 * Otherwise a second between looks, unless told to stop. */
		gint64 until = g_get_monotonic_time() + G_USEC_PER_SEC;
		while (!w->stopping && !delivered && g_cond_wait_until(&w->wake, &w->lock, until))
			;
		bool stopping = w->stopping;
		g_mutex_unlock(&w->lock);
		if (stopping)
			return NULL;
	}
}

HttpWebhook *
http_webhook_start(Store *store, const HttpWebhookOptions *options, GError **error)
{
	Store *own = store_open_another(store, error);
	if (own == NULL)
		return NULL;
	HttpWebhook *w = g_new0(HttpWebhook, 1);
	w->store = own;
	w->retry_s = options->retry_s > 0 ? options->retry_s : DEFAULT_RETRY_S;
	w->give_up_s = options->give_up_s > 0 ? options->give_up_s : DEFAULT_GIVE_UP_S;
	w->ca_file = g_strdup(options->ca_file);
	w->holder = g_strdup_printf("%s-%d-%08x", g_get_host_name(), (int)getpid(), g_random_int());
	g_mutex_init(&w->lock);
	g_cond_init(&w->wake);
	w->thread = g_thread_new("webhooks", run, w);
	return w;
}

void
http_webhook_stop(HttpWebhook *w)
{
	if (w == NULL)
		return;
	g_atomic_int_set(&w->stop_now, 1);
	g_mutex_lock(&w->lock);
	w->stopping = true;
	g_cond_signal(&w->wake);
	g_mutex_unlock(&w->lock);
	g_thread_join(w->thread);
	/* Another process takes over at once, not a lease later. */
	g_autoptr(GError) error = NULL;
	bool held = false;
	if (w->holding && !store_delivery_lease(w->store, w->holder, 0, 0, &held, &error))
		g_warning("webhooks: %s", error->message);
	g_mutex_clear(&w->lock);
	g_cond_clear(&w->wake);
	store_close(w->store);
	g_free(w->ca_file);
	g_free(w->holder);
	g_free(w);
}
