#include "http/http_import.h"

#include "app/app_error.h"
#include "http/http_json.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define KEPT_JOBS      50
#define PROGRESS_EVERY 1000

typedef enum {
	JOB_RUNNING,
	JOB_DONE,
	JOB_FAILED,
} JobState;

struct HttpImportJob {
	HttpImports *imports;
	int64_t id;
	char *campaign;
	AppProspectImport options;
	Store *store;
	GThread *thread;
	int feed_fd; /* the server's end; -1 once closed */
	int read_fd; /* the importer's end */
	/* Written by both threads: under imports->lock. */
	JobState state;
	bool complete; /* the whole body arrived: an end of input is the end of the file */
	guint64 bytes;
	guint64 rows;
	EngineImportSummary summary;
	GError *failure; /* why it failed */
	int64_t started_at;
	int64_t finished_at;
};

struct HttpImports {
	GMutex lock;
	GQueue jobs; /* HttpImportJob *, newest first */
	int64_t next_id;
};

static void
job_free(HttpImportJob *job)
{
	if (job->thread != NULL)
		g_thread_join(job->thread);
	if (job->feed_fd >= 0)
		close(job->feed_fd);
	g_free(job->campaign);
	if (job->options.columns != NULL)
		g_hash_table_unref(job->options.columns);
	g_clear_error(&job->failure);
	g_free(job);
}

HttpImports *
http_import_registry_new(void)
{
	HttpImports *imports = g_new0(HttpImports, 1);
	g_mutex_init(&imports->lock);
	g_queue_init(&imports->jobs);
	imports->next_id = 1;
	return imports;
}

void
http_import_registry_free(HttpImports *imports)
{
	if (imports == NULL)
		return;
	HttpImportJob *job;
	while ((job = g_queue_pop_head(&imports->jobs)) != NULL)
		job_free(job);
	g_mutex_clear(&imports->lock);
	g_free(imports);
}

/* The importer's reads: the socket, where an end of input is the end of
 * the file only when the whole body arrived. */
static ssize_t
read_body(void *cookie, char *buffer, size_t size)
{
	HttpImportJob *job = cookie;
	ssize_t n;
	do
		n = recv(job->read_fd, buffer, size, 0);
	while (n < 0 && errno == EINTR);
	if (n != 0)
		return n;
	g_mutex_lock(&job->imports->lock);
	bool complete = job->complete;
	g_mutex_unlock(&job->imports->lock);
	if (!complete) {
		errno = ECONNRESET;
		return -1;
	}
	return 0;
}

static void
on_progress(guint64 rows, void *user_data)
{
	HttpImportJob *job = user_data;
	g_mutex_lock(&job->imports->lock);
	job->rows = rows;
	g_mutex_unlock(&job->imports->lock);
}

static gpointer
run_job(gpointer data)
{
	HttpImportJob *job = data;
	cookie_io_functions_t io = {.read = read_body};
	FILE *file = fopencookie(job, "r", io);
	g_autoptr(GError) error = NULL;
	EngineImportSummary summary = {0};
	bool ok = file != NULL &&
	          app_prospect_import(job->store, file, "upload", &job->options, &summary, &error);
	if (file != NULL)
		fclose(file);
	close(job->read_fd);
	store_close(job->store);
	job->store = NULL;
	g_mutex_lock(&job->imports->lock);
	job->summary = summary;
	job->rows = summary.rows;
	job->state = ok ? JOB_DONE : JOB_FAILED;
	if (!ok)
		job->failure = error != NULL ? g_steal_pointer(&error)
		                             : g_error_new_literal(APP_ERROR, APP_ERROR_INVALID,
		                                                   "the upload cannot be read");
	job->finished_at = g_get_real_time();
	g_mutex_unlock(&job->imports->lock);
	return NULL;
}

HttpImportJob *
http_import_begin(HttpImports *imports, Store *store, const AppProspectImport *options,
                  GError **error)
{
	int fds[2];
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds) != 0) {
		g_set_error(error, APP_ERROR, APP_ERROR_INVALID, "no socket for the upload: %s",
		            g_strerror(errno));
		store_close(store);
		return NULL;
	}
	HttpImportJob *job = g_new0(HttpImportJob, 1);
	job->imports = imports;
	job->store = store;
	job->campaign = g_strdup(options->campaign);
	job->options = *options;
	job->options.campaign = job->campaign;
	if (options->columns != NULL)
		job->options.columns = g_hash_table_ref(options->columns);
	job->options.progress = on_progress;
	job->options.user_data = job;
	job->options.progress_every = PROGRESS_EVERY;
	job->feed_fd = fds[0];
	job->read_fd = fds[1];
	job->started_at = g_get_real_time();
	g_mutex_lock(&imports->lock);
	job->id = imports->next_id++;
	g_queue_push_head(&imports->jobs, job);
	/* Forget the oldest finished jobs beyond what is kept. */
	while (g_queue_get_length(&imports->jobs) > KEPT_JOBS) {
		HttpImportJob *old = g_queue_peek_tail(&imports->jobs);
		if (old->state == JOB_RUNNING)
			break;
		g_queue_pop_tail(&imports->jobs);
		job_free(old);
	}
	g_mutex_unlock(&imports->lock);
	job->thread = g_thread_new("piculet-import", run_job, job);
	return job;
}

bool
http_import_feed(HttpImportJob *job, const char *data, gsize length)
{
	while (length > 0 && job->feed_fd >= 0) {
		ssize_t n = send(job->feed_fd, data, length, MSG_NOSIGNAL);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return false; /* the importer stopped reading: it failed */
		data += n;
		length -= (gsize)n;
		g_mutex_lock(&job->imports->lock);
		job->bytes += (guint64)n;
		g_mutex_unlock(&job->imports->lock);
	}
	return job->feed_fd >= 0;
}

/* Closes the server's end, the body complete or not, and waits for the
 * importer. */
static void
end_feed(HttpImportJob *job, bool complete)
{
	g_mutex_lock(&job->imports->lock);
	job->complete = complete;
	g_mutex_unlock(&job->imports->lock);
	if (job->feed_fd >= 0) {
		close(job->feed_fd);
		job->feed_fd = -1;
	}
	if (job->thread != NULL) {
		g_thread_join(job->thread);
		job->thread = NULL;
	}
}

static json_t *
job_json(const HttpImportJob *job)
{
	static const char *const states[] = {"running", "done", "failed"};
	const EngineImportSummary *s = &job->summary;
	json_t *answer =
	        json_pack("{s:I, s:s, s:o, s:I, s:I, s:o, s:o}", "id", (json_int_t)job->id, "state",
	                  states[job->state], "campaign",
	                  job->campaign != NULL ? json_string(job->campaign) : json_null(), "bytes",
	                  (json_int_t)job->bytes, "rows", (json_int_t)job->rows, "started_at",
	                  json_integer(job->started_at / G_USEC_PER_SEC), "finished_at",
	                  job->finished_at > 0 ? json_integer(job->finished_at / G_USEC_PER_SEC)
	                                       : json_null());
	if (job->state == JOB_DONE)
		json_object_set_new(answer, "left_out", http_json_left_out(s));
	if (job->state == JOB_DONE)
		json_object_set_new(answer, "summary",
		                    json_pack("{s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I}",
		                              "imported", (json_int_t)s->imported, "updated",
		                              (json_int_t)s->updated, "invalid",
		                              (json_int_t)s->invalid, "duplicate",
		                              (json_int_t)s->duplicates, "blacklisted",
		                              (json_int_t)s->skipped_blacklisted, "bounced",
		                              (json_int_t)s->skipped_bounced, "opted_out",
		                              (json_int_t)s->skipped_opted_out, "enrolled",
		                              (json_int_t)s->enrolled, "held_back",
		                              (json_int_t)s->held_other_campaign));
	if (job->failure != NULL)
		json_object_set_new(answer, "error", json_string(job->failure->message));
	return answer;
}

void
http_import_finish(HttpImportJob *job, HttpExchange *x)
{
	end_feed(job, true);
	g_mutex_lock(&job->imports->lock);
	if (job->state == JOB_FAILED)
		x->error = g_error_copy(job->failure);
	else
		x->answer = job_json(job);
	g_mutex_unlock(&job->imports->lock);
}

void
http_import_abort(HttpImportJob *job)
{
	end_feed(job, false);
}

json_t *
http_import_list_json(HttpImports *imports)
{
	json_t *list = json_array();
	g_mutex_lock(&imports->lock);
	for (GList *l = imports->jobs.head; l != NULL; l = l->next)
		json_array_append_new(list, job_json(l->data));
	g_mutex_unlock(&imports->lock);
	return list;
}

json_t *
http_import_job_json(HttpImports *imports, int64_t id)
{
	json_t *found = NULL;
	g_mutex_lock(&imports->lock);
	for (GList *l = imports->jobs.head; l != NULL && found == NULL; l = l->next)
		if (((HttpImportJob *)l->data)->id == id)
			found = job_json(l->data);
	g_mutex_unlock(&imports->lock);
	return found;
}
