#define G_LOG_DOMAIN "piculet-http"

#include "http/http_recorder.h"

#include <malloc.h>

/* A batch's transaction stays short (at most some 50 ms on a slow
 * machine) so that the engine's writes do not wait long on it. Fetches of
 * many messages share fewer index pages the larger the batch: 4,096 wrote
 * the images of a thousand messages at random a third faster than 1,024. */
#define MAX_BATCH 4096

/* A fetch handed over: the server's threads push them on a list without a
 * lock (a mutex taken at every fetch by every thread was where they
 * waited most); the recorder takes the whole list at once. */
typedef struct Handed {
	AppTrackingFetch *fetch;
	struct Handed *next;
} Handed;

struct HttpRecorder {
	Store *store; /* the thread's own connection */
	GThread *thread;
	Handed *handed; /* newest first; taken whole by the thread */
	gint queued;    /* handed over and not written yet */
	/* Under @lock: the thread waits for fetches (@idle) on @arrived; server
	 * threads wait for room on @room, counted in @full_waiters. A signal
	 * costs a system call: given only when someone waits. */
	GMutex lock;
	GCond arrived;
	GCond room;
	gint idle;
	guint full_waiters;
	bool stopping;
};

/* Takes what was handed over, oldest first, into @pending; waits for some
 * while there is none. False once stopping with nothing left. */
static bool
take_handed(HttpRecorder *recorder, GQueue *pending)
{
	Handed *taken = g_atomic_pointer_exchange(&recorder->handed, NULL);
	if (taken == NULL) {
		g_mutex_lock(&recorder->lock);
		g_atomic_int_set(&recorder->idle, 1);
		/* Looked at again after saying so: a fetch handed over before
		 * that is seen here, one after it signals. */
		while ((taken = g_atomic_pointer_exchange(&recorder->handed, NULL)) == NULL &&
		       !recorder->stopping)
			g_cond_wait(&recorder->arrived, &recorder->lock);
		g_atomic_int_set(&recorder->idle, 0);
		g_mutex_unlock(&recorder->lock);
	}
	/* The list is newest first: turned round, then queued. */
	Handed *oldest = NULL;
	while (taken != NULL) {
		Handed *next = taken->next;
		taken->next = oldest;
		oldest = taken;
		taken = next;
	}
	while (oldest != NULL) {
		Handed *next = oldest->next;
		g_queue_push_tail(pending, oldest->fetch);
		g_free(oldest);
		oldest = next;
	}
	return pending->length > 0;
}

/* Says @n fetches are written: room for the threads that wait for it. */
static void
written(HttpRecorder *recorder, guint n)
{
	g_atomic_int_add(&recorder->queued, -(gint)n);
	g_mutex_lock(&recorder->lock);
	if (recorder->full_waiters > 0)
		g_cond_broadcast(&recorder->room);
	g_mutex_unlock(&recorder->lock);
}

static gpointer
run(gpointer data)
{
	HttpRecorder *recorder = data;
	g_autoptr(GPtrArray) batch =
	        g_ptr_array_new_with_free_func((GDestroyNotify)app_tracking_fetch_free);
	GQueue pending = G_QUEUE_INIT;
	while (pending.length > 0 || take_handed(recorder, &pending)) {
		while (batch->len < MAX_BATCH && pending.length > 0)
			g_ptr_array_add(batch, g_queue_pop_head(&pending));
		g_autoptr(GError) error = NULL;
		if (!app_tracking_record_all(recorder->store,
		                             (AppTrackingFetch *const *)batch->pdata, batch->len,
		                             &error))
			g_warning("%u fetches of tracked images or links not recorded: %s",
			          batch->len, error->message);
		guint n = batch->len;
		g_ptr_array_set_size(batch, 0);
		written(recorder, n);
	}
	return NULL;
}

HttpRecorder *
http_recorder_start(Store *store, GError **error)
{
	Store *own = store_open_another(store, error);
	if (own == NULL)
		return NULL;
	/* Each batch frees a few hundred kilobytes at once, which glibc gave
	 * back to the system and took again at every batch: a madvise, page
	 * faults, and a TLB flush on every core. Kept up to this much, for the
	 * process. */
	mallopt(M_TRIM_THRESHOLD, 32 * 1024 * 1024);
	HttpRecorder *recorder = g_new0(HttpRecorder, 1);
	recorder->store = own;
	g_mutex_init(&recorder->lock);
	g_cond_init(&recorder->arrived);
	g_cond_init(&recorder->room);
	recorder->thread = g_thread_new("piculet-recorder", run, recorder);
	return recorder;
}

void
http_recorder_submit(HttpRecorder *recorder, AppTrackingFetch *fetch)
{
	g_assert(!recorder->stopping);
	if (g_atomic_int_add(&recorder->queued, 1) >= HTTP_RECORDER_QUEUE) {
		g_mutex_lock(&recorder->lock);
		recorder->full_waiters++;
		while (g_atomic_int_get(&recorder->queued) > HTTP_RECORDER_QUEUE)
			g_cond_wait(&recorder->room, &recorder->lock);
		recorder->full_waiters--;
		g_mutex_unlock(&recorder->lock);
	}
	Handed *handed = g_new(Handed, 1);
	handed->fetch = fetch;
	do
		handed->next = g_atomic_pointer_get(&recorder->handed);
	while (!g_atomic_pointer_compare_and_exchange(&recorder->handed, handed->next, handed));
	if (g_atomic_int_get(&recorder->idle)) {
		g_mutex_lock(&recorder->lock);
		g_cond_signal(&recorder->arrived);
		g_mutex_unlock(&recorder->lock);
	}
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
	g_cond_clear(&recorder->room);
	g_cond_clear(&recorder->arrived);
	g_mutex_clear(&recorder->lock);
	g_free(recorder);
}
