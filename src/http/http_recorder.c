#define G_LOG_DOMAIN "piculet-http"

#include "http/http_recorder.h"

/* Enough for the server's connections at once (256), and a transaction
 * short enough that the engine's writes do not wait on it. */
#define MAX_BATCH 512

typedef struct {
	AppTrackingFetch *fetch;
	HttpRecorded done;
	void *user_data;
} Pending;

struct HttpRecorder {
	Store *store; /* the thread's own connection */
	GThread *thread;
	GMutex lock;
	GCond arrived;
	GArray *queue; /* Pending, oldest first */
	bool stopping;
};

/* Takes up to MAX_BATCH of the queue into @batch; false once stopping with
 * nothing queued. */
static bool
take_batch(HttpRecorder *recorder, GArray *batch)
{
	g_mutex_lock(&recorder->lock);
	while (recorder->queue->len == 0 && !recorder->stopping)
		g_cond_wait(&recorder->arrived, &recorder->lock);
	guint n = MIN(recorder->queue->len, MAX_BATCH);
	g_array_append_vals(batch, recorder->queue->data, n);
	g_array_remove_range(recorder->queue, 0, n);
	g_mutex_unlock(&recorder->lock);
	return n > 0;
}

static gpointer
run(gpointer data)
{
	HttpRecorder *recorder = data;
	g_autoptr(GArray) batch = g_array_new(FALSE, FALSE, sizeof(Pending));
	g_autoptr(GPtrArray) fetches = g_ptr_array_new();
	while (take_batch(recorder, batch)) {
		g_ptr_array_set_size(fetches, 0);
		for (guint i = 0; i < batch->len; i++)
			g_ptr_array_add(fetches, g_array_index(batch, Pending, i).fetch);
		g_autoptr(GError) error = NULL;
		if (!app_tracking_record_all(recorder->store,
		                             (AppTrackingFetch *const *)fetches->pdata,
		                             fetches->len, &error))
			g_warning("%u fetches of tracked images or links not recorded: %s",
			          batch->len, error->message);
		for (guint i = 0; i < batch->len; i++) {
			Pending *pending = &g_array_index(batch, Pending, i);
			pending->done(pending->user_data);
		}
		g_array_set_size(batch, 0);
	}
	return NULL;
}

HttpRecorder *
http_recorder_start(Store *store, GError **error)
{
	Store *own = store_open_another(store, error);
	if (own == NULL)
		return NULL;
	HttpRecorder *recorder = g_new0(HttpRecorder, 1);
	recorder->store = own;
	g_mutex_init(&recorder->lock);
	g_cond_init(&recorder->arrived);
	recorder->queue = g_array_new(FALSE, FALSE, sizeof(Pending));
	recorder->thread = g_thread_new("piculet-recorder", run, recorder);
	return recorder;
}

void
http_recorder_submit(HttpRecorder *recorder, AppTrackingFetch *fetch, HttpRecorded done,
                     void *user_data)
{
	Pending pending = {.fetch = fetch, .done = done, .user_data = user_data};
	g_mutex_lock(&recorder->lock);
	g_assert(!recorder->stopping);
	g_array_append_val(recorder->queue, pending);
	g_cond_signal(&recorder->arrived);
	g_mutex_unlock(&recorder->lock);
}

void
http_recorder_stop(HttpRecorder *recorder)
{
	if (recorder == NULL)
		return;
	g_mutex_lock(&recorder->lock);
	recorder->stopping = true;
	g_cond_signal(&recorder->arrived);
	g_mutex_unlock(&recorder->lock);
	g_thread_join(recorder->thread);
	store_close(recorder->store);
	g_array_unref(recorder->queue);
	g_cond_clear(&recorder->arrived);
	g_mutex_clear(&recorder->lock);
	g_free(recorder);
}
