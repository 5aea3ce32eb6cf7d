/* One pass of the engine over every running campaign. */
#define G_LOG_DOMAIN "piculet-engine"

#include "engine/engine_run.h"

#include "base/base_log.h"

#include "engine/engine_enrollment.h"
#include "engine/engine_lifecycle.h"

#include "engine/engine_error.h"
#include "engine/engine_mailbox.h"
#include "engine/engine_private.h"
#include "imap/imap_watcher.h"

#include <errno.h>
#include <fcntl.h>
#include <glib-unix.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/epoll.h>
#include <unistd.h>

static void
mailbox_free(EngineMailbox *mailbox)
{
	if (mailbox == NULL)
		return;
	if (mailbox->smtp != NULL)
		smtp_client_quit(mailbox->smtp);
	smtp_client_free(mailbox->smtp);
	if (mailbox->imap != NULL)
		imap_client_logout(mailbox->imap);
	imap_client_free(mailbox->imap);
	store_mailbox_free(mailbox->mailbox);
	g_free(mailbox->sent_folder);
	g_free(mailbox->junk_folder);
	if (mailbox->rand != NULL)
		g_rand_free(mailbox->rand);
	engine_oauth_cache_clear(&mailbox->oauth);
	g_clear_pointer(&mailbox->domain_counts, g_hash_table_unref);
	g_free(mailbox);
}

/* Every campaign that is not archived, parsed: running ones send, paused
 * and draft ones still hear replies. */
static bool
load_campaigns(EngineContext *context, GError **error)
{
	g_autoptr(GPtrArray) stored = store_campaign_list(context->store, error);
	if (stored == NULL)
		return false;
	for (guint i = 0; i < stored->len; i++) {
		const StoreCampaign *c = stored->pdata[i];
		EngineCampaignState state = engine_lifecycle_campaign_of(c);
		if (state == ENGINE_CAMPAIGN_ARCHIVED)
			continue;
		g_autoptr(GError) parse_error = NULL;
		g_autofree char *name = g_strdup_printf("campaign \"%s\"", c->name);
		EngineCampaign *campaign = engine_campaign_parse(
		        c->definition, strlen(c->definition), name, &parse_error);
		if (campaign == NULL) {
			g_warning("%s", parse_error->message);
			continue;
		}
		g_hash_table_insert(context->campaigns, g_memdup2(&c->id, sizeof c->id), campaign);
		if (state == ENGINE_CAMPAIGN_RUNNING)
			g_hash_table_add(context->running, g_memdup2(&c->id, sizeof c->id));
	}
	return true;
}

/* Whether a campaign that is not archived sends from @address. */
static bool
mailbox_in_use(EngineContext *context, const char *address)
{
	GHashTableIter iter;
	gpointer value;
	g_hash_table_iter_init(&iter, context->campaigns);
	while (g_hash_table_iter_next(&iter, NULL, &value)) {
		const EngineCampaign *campaign = value;
		for (guint i = 0; i < campaign->mailboxes->len; i++)
			if (strcmp(campaign->mailboxes->pdata[i], address) == 0)
				return true;
	}
	return false;
}

/* One paused enrollment whose pause ended, resumed in one transaction as
 * it is now (a worker may have ended it meanwhile: then it stays). */
static bool
resume_one(EngineContext *context, StoreEnrollment *enrollment, GError **error)
{
	if (!engine_enrollment_reload(context->store, enrollment, error))
		return false;
	if (engine_enrollment_state_of(enrollment) != ENGINE_ENROLLMENT_PAUSED ||
	    enrollment->next_due_at > context->now_us)
		return true;
	if (!engine_enrollment_move(enrollment,
	                            enrollment->next_step > 1 ? ENGINE_ENROLLMENT_ACTIVE
	                                                      : ENGINE_ENROLLMENT_QUEUED,
	                            enrollment->reason, error))
		return false;
	/* The step waits for its own delay too: a pause never brings it
	 * forward. */
	EngineCampaign *campaign = engine_context_get_campaign(context, enrollment->campaign_id);
	if (campaign != NULL && enrollment->next_step > 1 &&
	    (guint)enrollment->next_step <= campaign->steps->len) {
		g_autoptr(GTimeZone) zone =
		        engine_context_dup_zone(context, campaign, enrollment->email, error);
		if (zone == NULL)
			return false;
		int64_t due = engine_campaign_due_at(campaign, zone, enrollment->next_step,
		                                     enrollment->last_sent_at);
		enrollment->next_due_at = MAX(due, context->now_us);
	}
	g_clear_pointer(&enrollment->reason, g_free);
	g_message("enrollment %" G_GINT64_FORMAT " (%s): resumed", enrollment->id,
	          enrollment->email);
	return store_enrollment_update(context->store, enrollment, error) &&
	       engine_context_add_event(context, enrollment->mailbox_id, ENGINE_EVENT_RESUMED,
	                                enrollment->id, 0, "", error);
}

static bool
resume_enrollments(EngineContext *context, GError **error)
{
	g_autoptr(GPtrArray) resumable =
	        store_enrollment_list_resumable(context->store, context->now_us, error);
	if (resumable == NULL)
		return false;
	for (guint i = 0; i < resumable->len; i++) {
		if (!store_begin(context->store, error))
			return false;
		if (!resume_one(context, resumable->pdata[i], error) ||
		    !store_commit(context->store, error)) {
			store_rollback(context->store);
			return false;
		}
	}
	return true;
}

/* The mailbox's pause, if any, ended by now? */
static bool
mailbox_usable(EngineContext *context, EngineMailbox *mailbox, GError **error)
{
	StoreMailbox *m = mailbox->mailbox;
	if (m->paused_reason == NULL)
		return true;
	if (m->paused_until == 0 || m->paused_until > context->now_us)
		return false;
	g_message("mailbox %s: resumed after \"%s\"", m->address, m->paused_reason);
	g_autofree char *detail = g_strdup_printf("after: %s", m->paused_reason);
	g_clear_pointer(&m->paused_reason, g_free);
	g_free(m->paused_kind);
	m->paused_kind = g_strdup("");
	/* The pause's end and its event together. */
	if (!store_begin(context->store, error))
		return false;
	if (!store_mailbox_set_paused(context->store, m->id, NULL, NULL, 0, error) ||
	    !engine_context_add_event(context, m->id, ENGINE_EVENT_MAILBOX_RESUMED, 0, 0, detail,
	                              error) ||
	    !store_commit(context->store, error)) {
		store_rollback(context->store);
		return false;
	}
	return true;
}

/* A mailbox's IMAP trouble pauses it; only the store's ends the pass. */
static bool
imap_trouble(EngineContext *context, EngineMailbox *mailbox, GError *imap_error, GError **error)
{
	if (imap_error->domain == STORE_ERROR) {
		g_propagate_error(error, imap_error);
		return false;
	}
	g_clear_pointer(&mailbox->imap, imap_client_free);
	if (g_error_matches(imap_error, IMAP_ERROR, IMAP_ERROR_STOPPED)) {
		/* A stop request, not the mailbox's trouble. */
		g_error_free(imap_error);
		return true;
	}
	if (imap_error->domain == ENGINE_ERROR) {
		/* No login was tried: no password, or no token. */
		bool ok = engine_context_pause_for_login(
		        context, mailbox, ENGINE_MAILBOX_PAUSED_READING, imap_error, error);
		g_error_free(imap_error);
		return ok;
	}
	g_autofree char *reason = g_strdup_printf("IMAP: %s", imap_error->message);
	g_error_free(imap_error);
	return engine_context_pause_mailbox(
	        context, mailbox, ENGINE_MAILBOX_PAUSED_READING, reason,
	        context->now_us +
	                engine_context_pauses(context)->reading_trouble_s * G_USEC_PER_SEC,
	        error);
}

/* Whether a stop was asked for: polled, not read, so the caller still
 * sees it. */
static bool
stop_asked(const EngineContext *context)
{
	int fd = context->options->stop_fd;
	if (fd <= 0)
		return false;
	struct pollfd stop = {.fd = fd, .events = POLLIN};
	return poll(&stop, 1, 0) > 0;
}

static int64_t
lease_length_of(const EngineRunOptions *options)
{
	return options->lease_us > 0 ? options->lease_us
	                             : (int64_t)ENGINE_RUN_DEFAULT_LEASE_S * G_USEC_PER_SEC;
}

static bool
work_mailbox(EngineContext *context, EngineMailbox *mailbox, GError **error)
{
	if (!mailbox_usable(context, mailbox, error)) {
		if (error != NULL && *error != NULL)
			return false;
		/* A mailbox that may not send still hears replies, unless its
		 * IMAP is what failed. */
		if (engine_mailbox_pause_of(mailbox->mailbox) == ENGINE_MAILBOX_PAUSED_READING)
			return true;
	}
	GError *imap_error = NULL;
	if (!mailbox->reconciled && !engine_send_reconcile(context, mailbox, error))
		return false;
	bool may_send = true;
	if (mailbox->mailbox->sent_check_since > 0 &&
	    !engine_restore_check_sent(context, mailbox, &may_send, error))
		return false;
	/* The recipient-domain counts are asked anew each turn. */
	g_clear_pointer(&mailbox->domain_counts, g_hash_table_unref);
	if (engine_inbox_needs_read(context, mailbox) &&
	    !engine_inbox_process(context, mailbox, &imap_error))
		return imap_trouble(context, mailbox, imap_error, error);
	if (!may_send)
		return true;
	/* A freeze: no sending until it ends (the pacing's "not before"
	 * carries it, so the run sleeps until then; mail is still read). */
	StoreMailbox *m = mailbox->mailbox;
	if (m->freeze_until > context->now_us && m->freeze_from <= context->now_us &&
	    m->next_send_at < m->freeze_until) {
		m->next_send_at = m->freeze_until;
		if (!store_mailbox_set_next_send(context->store, m->id, m->next_send_at, error))
			return false;
	}
	guint limit = context->options->max_sends_per_run > 0 ? context->options->max_sends_per_run
	                                                      : 1000;
	for (guint n = 0; n < limit; n++) {
		if (mailbox->mailbox->next_send_at > context->now_us ||
		    mailbox->mailbox->paused_reason != NULL || stop_asked(context) ||
		    engine_context_lease_ending(context))
			break;
		bool sent = false;
		if (!engine_send_next(context, mailbox, &sent, error))
			return false;
		if (!sent)
			break;
		/* The pause before this mailbox's next message: random within
		 * the interval of the campaign that sent. */
		const EngineCampaign *campaign =
		        engine_context_get_campaign(context, mailbox->last_campaign_id);
		int64_t min_s = campaign != NULL ? campaign->interval_min_s
		                                 : mailbox->mailbox->interval_min_s;
		int64_t max_s = campaign != NULL ? campaign->interval_max_s
		                                 : mailbox->mailbox->interval_max_s;
		int64_t pause_s =
		        min_s + (max_s > min_s ? g_rand_int_range(mailbox->rand, 0,
		                                                  (gint32)(max_s - min_s + 1))
		                               : 0);
		mailbox->mailbox->next_send_at = context->now_us + pause_s * G_USEC_PER_SEC;
		if (!store_mailbox_set_next_send(context->store, mailbox->mailbox->id,
		                                 mailbox->mailbox->next_send_at, error))
			return false;
		context->now_us = engine_context_now(context);
	}
	return true;
}

/* One mailbox's turn on a worker. */
typedef struct {
	EngineMailbox *mailbox; /* busy while the job is out */
	GHashTable *campaigns;  /* a reference to the pass's */
	GHashTable *running;
	GHashTable *winners;
	StoreLease lease; /* its lease, with a node; token 0 without */
	EngineTickSummary summary;
	GError *error; /* a failure that ends the run (the store's) */
} EngineJob;

static void
job_free(EngineJob *job)
{
	g_hash_table_unref(job->campaigns);
	g_hash_table_unref(job->running);
	g_hash_table_unref(job->winners);
	if (job->error != NULL)
		g_error_free(job->error);
	g_free(job);
}

/* What a worker pops to end. */
static EngineJob quit_job;

struct EngineRun {
	Store *store;
	const EngineRunOptions *options;
	GHashTable *mailboxes; /* mailbox id (gint64 *) -> EngineMailbox *, kept between passes */
	ImapWatcher *watcher;  /* NULL until the first wait */
	gint n_watched;        /* mailboxes in IDLE at the last wait (read by other threads) */
	GThread **threads;
	guint n_threads;
	GAsyncQueue *jobs;           /* EngineJob * for the workers */
	GAsyncQueue *done;           /* EngineJob * back from them */
	int done_pipe[2];            /* a byte per job done, so a wait wakes */
	guint in_flight;             /* jobs out */
	GMutex opening_lock;         /* see EngineContext */
	GHashTable *openings_today;  /* under opening_lock */
	EngineTickSummary collected; /* of the jobs back since the last summary */
	GError *failure;             /* the first job's store failure, for the next pass */
	int wait_epoll;              /* the done pipe and the caller's wake fd */
	int wake_fd_added;
	GHashTable *leases;            /* with a node: mailbox id (gint64 *) -> StoreLease * held */
	bool reaped;                   /* this machine's ended nodes let go (the first pass) */
	bool one_pass;                 /* engine_run_pass (a tick): a store failure ends it */
	GHashTable *winners_looked_at; /* engine_winners_load's */
};

void
engine_run_summary_add(EngineTickSummary *total, const EngineTickSummary *more)
{
	total->sent += more->sent;
	total->failed += more->failed;
	total->deferred += more->deferred;
	total->uncertain += more->uncertain;
	total->replies += more->replies;
	total->auto_replies += more->auto_replies;
	total->bounces += more->bounces;
	total->opt_outs += more->opt_outs;
	total->mailboxes_paused += more->mailboxes_paused;
}

/* A store failure that the next pass may not meet: a lock held past the
 * wait, the server out of reach. */
static bool
passing(const GError *error)
{
	return g_error_matches(error, STORE_ERROR, STORE_ERROR_BUSY) ||
	       g_error_matches(error, STORE_ERROR, STORE_ERROR_UNAVAILABLE);
}

/* One mailbox's turn, on a worker with its own store connection. */
static void
work_job(EngineRun *run, Store *store, EngineJob *job)
{
	EngineContext context = {
	        .store = store,
	        .options = run->options,
	        .campaigns = job->campaigns,
	        .running = job->running,
	        .winners = job->winners,
	        .summary = &job->summary,
	        .sent_today = g_hash_table_new_full(g_int64_hash, g_int64_equal, g_free, g_free),
	        .openings_today = run->openings_today,
	        .opening_lock = &run->opening_lock,
	};
	context.now_us = engine_context_now(&context);
	EngineMailbox *mailbox = job->mailbox;
	GError *error = NULL;
	/* Every line of this turn carries the mailbox (the journal's field). */
	base_log_context_set(BASE_LOG_MAILBOX, mailbox->mailbox->address);
	bool worked = true;
	/* Held again after another engine held it (a new token): that engine
	 * may have left a step "sending" (begun as its lease ran out, its
	 * discard refused); this one settles it, as after a crash. */
	if (job->lease.token != mailbox->reconciled_token) {
		mailbox->reconciled = false;
		mailbox->reconciled_token = job->lease.token;
	}
	if (job->lease.token != 0) {
		context.lease_until = job->lease.expires_at;
		worked = store_lease_fence(store, mailbox->mailbox->id, job->lease.token,
		                           lease_length_of(run->options), &error);
	}
	worked = worked && work_mailbox(&context, mailbox, &error);
	if (job->lease.token != 0) {
		g_autoptr(GError) unfenced = NULL;
		if (!store_lease_fence(store, 0, 0, 0, &unfenced) && worked) {
			worked = false;
			error = g_steal_pointer(&unfenced);
		}
	}
	base_log_context_clear();
	/* A turn cut short may leave its step "sending" (begun, then a write
	 * refused or failed): the next turn settles it before anything else,
	 * as after a crash. */
	if (!worked)
		mailbox->reconciled = false;
	if (!worked) {
		if (g_error_matches(error, STORE_ERROR, STORE_ERROR_FENCED)) {
			/* Its lease went to another engine while this one was away
			 * (paused, cut off): what it would have written is refused;
			 * the mailbox is let go at the next pass. */
			g_warning("mailbox %s: late write refused: %s", mailbox->mailbox->address,
			          error->message);
			g_error_free(error);
		} else if (g_error_matches(error, STORE_ERROR, STORE_ERROR_CONFLICT) ||
		           (!run->one_pass && passing(error))) {
			/* Another writer was first, or (in a run, which passes again)
			 * held what this turn needed past the wait, or the database
			 * was out of reach: this mailbox decides again, at the next
			 * pass. */
			g_message("mailbox %s: %s; again at the next pass",
			          mailbox->mailbox->address, error->message);
			g_error_free(error);
		} else {
			job->error = error;
		}
	}
	/* SMTP sessions do not outlive a turn: servers drop idle ones. */
	if (mailbox->smtp != NULL) {
		smtp_client_quit(mailbox->smtp);
		g_clear_pointer(&mailbox->smtp, smtp_client_free);
	}
	g_hash_table_unref(context.sent_today);
}

static gpointer
worker_main(gpointer data)
{
	EngineRun *run = data;
	Store *store = NULL;
	for (;;) {
		EngineJob *job = g_async_queue_pop(run->jobs);
		if (job == &quit_job)
			break;
		if (store == NULL)
			store = store_open_another(run->store, &job->error);
		if (store != NULL)
			work_job(run, store, job);
		g_async_queue_push(run->done, job);
		/* The pipe is non-blocking: when it is full, a wait wakes anyway. */
		ssize_t n = write(run->done_pipe[1], "", 1);
		(void)n;
	}
	store_close(store);
	return NULL;
}

EngineRun *
engine_run_new(Store *store, const EngineRunOptions *options)
{
	EngineRun *run = g_new0(EngineRun, 1);
	run->store = store;
	run->options = options;
	run->mailboxes = g_hash_table_new_full(g_int64_hash, g_int64_equal, g_free,
	                                       (GDestroyNotify)mailbox_free);
	run->jobs = g_async_queue_new();
	run->done = g_async_queue_new();
	if (!g_unix_open_pipe(run->done_pipe, FD_CLOEXEC, NULL))
		g_error("cannot make a pipe: %s", g_strerror(errno));
	g_unix_set_fd_nonblocking(run->done_pipe[0], TRUE, NULL);
	g_unix_set_fd_nonblocking(run->done_pipe[1], TRUE, NULL);
	run->wait_epoll = epoll_create1(EPOLL_CLOEXEC);
	if (run->wait_epoll < 0)
		g_error("cannot make an epoll set: %s", g_strerror(errno));
	struct epoll_event event = {.events = EPOLLIN};
	epoll_ctl(run->wait_epoll, EPOLL_CTL_ADD, run->done_pipe[0], &event);
	run->wake_fd_added = -1;
	g_mutex_init(&run->opening_lock);
	run->openings_today = g_hash_table_new_full(g_int64_hash, g_int64_equal, g_free, g_free);
	run->leases = g_hash_table_new_full(g_int64_hash, g_int64_equal, NULL, g_free);
	run->winners_looked_at = g_hash_table_new_full(g_int64_hash, g_int64_equal, g_free, g_free);
	run->n_threads = options->workers > 0 ? options->workers : ENGINE_RUN_DEFAULT_WORKERS;
	run->threads = g_new0(GThread *, run->n_threads);
	for (guint i = 0; i < run->n_threads; i++) {
		g_autofree char *name = g_strdup_printf("worker-%u", i + 1);
		run->threads[i] = g_thread_new(name, worker_main, run);
	}
	return run;
}

/* Jobs back from the workers: their mailboxes free again, their summaries
 * added up, a store failure kept for the next pass. With @all, waits for
 * every job out. */
static void
collect(EngineRun *run, bool all)
{
	char drain[256];
	while (read(run->done_pipe[0], drain, sizeof drain) > 0)
		;
	for (;;) {
		EngineJob *job = all && run->in_flight > 0 ? g_async_queue_pop(run->done)
		                                           : g_async_queue_try_pop(run->done);
		if (job == NULL)
			break;
		run->in_flight--;
		job->mailbox->busy = false;
		engine_run_summary_add(&run->collected, &job->summary);
		if (job->error != NULL && run->failure == NULL)
			run->failure = g_steal_pointer(&job->error);
		job_free(job);
	}
}

void
engine_run_free(EngineRun *run)
{
	if (run == NULL)
		return;
	for (guint i = 0; i < run->n_threads; i++)
		g_async_queue_push(run->jobs, &quit_job);
	for (guint i = 0; i < run->n_threads; i++)
		g_thread_join(run->threads[i]);
	collect(run, false);
	g_free(run->threads);
	g_async_queue_unref(run->jobs);
	g_async_queue_unref(run->done);
	close(run->done_pipe[0]);
	close(run->done_pipe[1]);
	close(run->wait_epoll);
	g_hash_table_unref(run->mailboxes);
	if (run->watcher != NULL)
		imap_watcher_free(run->watcher);
	g_hash_table_unref(run->openings_today);
	g_hash_table_unref(run->leases);
	g_hash_table_unref(run->winners_looked_at);
	g_mutex_clear(&run->opening_lock);
	if (run->failure != NULL)
		g_error_free(run->failure);
	g_free(run);
}

/* The settings a session was opened with are still the stored ones. */
static bool
same_settings(const StoreMailbox *a, const StoreMailbox *b)
{
	return strcmp(a->smtp_host, b->smtp_host) == 0 && a->smtp_port == b->smtp_port &&
	       strcmp(a->smtp_security, b->smtp_security) == 0 &&
	       strcmp(a->smtp_user, b->smtp_user) == 0 && strcmp(a->imap_host, b->imap_host) == 0 &&
	       a->imap_port == b->imap_port && strcmp(a->imap_security, b->imap_security) == 0 &&
	       strcmp(a->imap_user, b->imap_user) == 0 &&
	       strcmp(a->secret_source, b->secret_source) == 0 &&
	       (a->secret_sealed == NULL) == (b->secret_sealed == NULL) &&
	       (a->secret_sealed == NULL || g_bytes_equal(a->secret_sealed, b->secret_sealed));
}

/* The mailbox with this pass's stored row, its sessions kept when its
 * settings did not change. Borrowed from the run. */
static EngineMailbox *
mailbox_for_pass(EngineRun *run, StoreMailbox *stored)
{
	EngineMailbox *mailbox = g_hash_table_lookup(run->mailboxes, &stored->id);
	if (mailbox != NULL && !same_settings(mailbox->mailbox, stored)) {
		g_hash_table_remove(run->mailboxes, &stored->id);
		mailbox = NULL;
	}
	if (mailbox == NULL) {
		mailbox = g_new0(EngineMailbox, 1);
		/* Its own randomness: the pauses a seed gives do not depend on
		 * which worker ran first. */
		guint32 seed = run->options->seed;
		mailbox->rand =
		        seed != 0 ? g_rand_new_with_seed(seed ^ (guint32)(stored->id * 2654435761u))
		                  : g_rand_new();
		g_hash_table_insert(run->mailboxes, g_memdup2(&stored->id, sizeof stored->id),
		                    mailbox);
	}
	store_mailbox_free(mailbox->mailbox);
	mailbox->mailbox = stored;
	return mailbox;
}

/* Whether a mailbox that is not busy may have work now; one in its pause
 * between two messages with its IDLE session quiet has none. */
static bool
has_work(const EngineMailbox *mailbox, int64_t now)
{
	const StoreMailbox *m = mailbox->mailbox;
	if (engine_mailbox_pause_of(m) == ENGINE_MAILBOX_PAUSED_READING)
		return m->paused_until != 0 && m->paused_until <= now;
	if (!mailbox->reconciled || !mailbox->inbox_read || mailbox->imap == NULL ||
	    !mailbox->idling || mailbox->news)
		return true;
	if (m->paused_reason != NULL)
		return m->paused_until != 0 && m->paused_until <= now;
	return m->next_send_at <= now;
}

/* This machine's id, eight characters, or "" when it has none. */
static const char *
machine_id(void)
{
	static char id[9];
	static gsize done;
	if (g_once_init_enter(&done)) { /* NOLINT(performance-no-int-to-ptr): GLib's macro */
		g_autofree char *text = NULL;
		if (g_file_get_contents("/etc/machine-id", &text, NULL, NULL) &&
		    strlen(g_strstrip(text)) >= 8 && strspn(text, "0123456789abcdef") >= 8)
			memcpy(id, text, 8);
		g_once_init_leave(&done, 1);
	}
	return id;
}

char *
engine_run_node_name(void)
{
	return g_strdup_printf("%s-%s-%d-%04x", g_get_host_name(),
	                       machine_id()[0] != '\0' ? machine_id() : "00000000", (int)getpid(),
	                       g_random_int_range(0, 0x10000));
}

/* Whether @node is a node of this machine whose process has ended. */
static bool
gone_from_this_machine(const char *node)
{
	g_auto(GStrv) parts = g_strsplit(node, "-", -1);
	guint n = g_strv_length(parts);
	if (n < 4 || machine_id()[0] == '\0' || strcmp(parts[n - 3], machine_id()) != 0)
		return false;
	guint64 pid = 0;
	if (!g_ascii_string_to_unsigned(parts[n - 2], 10, 2, G_MAXINT, &pid, NULL))
		return false;
	return kill((pid_t)pid, 0) != 0 && errno == ESRCH;
}

/* At a run's start: the leases of this machine's ended nodes let go. */
static bool
reap_ended_nodes(EngineRun *run, GError **error)
{
	g_autoptr(GPtrArray) leases = store_lease_list(run->store, error);
	if (leases == NULL)
		return false;
	g_autoptr(GHashTable) seen = g_hash_table_new(g_str_hash, g_str_equal);
	for (guint i = 0; i < leases->len; i++) {
		const char *holder = ((StoreLeaseInfo *)leases->pdata[i])->holder;
		if (holder[0] == '\0' || strcmp(holder, run->options->node) == 0 ||
		    !g_hash_table_add(seen, (gpointer)holder) || !gone_from_this_machine(holder))
			continue;
		g_message("node %s has ended: its mailboxes are let go", holder);
		if (!store_lease_release(run->store, holder, 0, error))
			return false;
	}
	return true;
}

/* With a node: the leases renewed, the fair share taken, what is over it
 * and idle let go; run->leases is what this engine holds now. */
static bool
renew_leases(EngineRun *run, GError **error)
{
	const char *node = run->options->node;
	if (node == NULL)
		return true;
	if (!run->reaped) {
		if (!reap_ended_nodes(run, error))
			return false;
		run->reaped = true;
	}
	guint share = 0;
	g_autoptr(GArray) held = NULL;
	/* Claimed on the database's clock, which every engine shares; this
	 * engine's own watch on a lease (engine_context_lease_ending) is on its
	 * clock: each end moved by the difference, read before the claim, so
	 * that the watch errs early. */
	int64_t here_before = g_get_real_time();
	int64_t database_now = 0;
	if (!store_lease_clock(run->store, &database_now, error) ||
	    !store_lease_claim(run->store, node, database_now, lease_length_of(run->options),
	                       &share, &held, error))
		return false;
	g_autoptr(GHashTable) before = g_steal_pointer(&run->leases);
	run->leases = g_hash_table_new_full(g_int64_hash, g_int64_equal, NULL, g_free);
	guint kept = 0;
	for (guint i = 0; i < held->len; i++) {
		StoreLease *lease = g_memdup2(&g_array_index(held, StoreLease, i), sizeof *lease);
		lease->expires_at += here_before - database_now;
		EngineMailbox *mailbox = g_hash_table_lookup(run->mailboxes, &lease->mailbox_id);
		/* Over its share (an engine joined): the idle ones above it go. */
		if (kept >= share && (mailbox == NULL || !mailbox->busy)) {
			g_message("mailbox %" G_GINT64_FORMAT ": let go to another engine",
			          lease->mailbox_id);
			g_hash_table_remove(before, &lease->mailbox_id);
			g_free(lease);
			if (!store_lease_release(run->store, node,
			                         g_array_index(held, StoreLease, i).mailbox_id,
			                         error))
				return false;
			continue;
		}
		kept++;
		if (!g_hash_table_contains(before, &lease->mailbox_id))
			g_message("mailbox %" G_GINT64_FORMAT ": taken (lease %" G_GINT64_FORMAT
			          ")",
			          lease->mailbox_id, lease->token);
		g_hash_table_insert(run->leases, &lease->mailbox_id, lease);
	}
	GHashTableIter iter;
	gpointer id;
	g_hash_table_iter_init(&iter, before);
	while (g_hash_table_iter_next(&iter, &id, NULL))
		if (!g_hash_table_contains(run->leases, id))
			g_message("mailbox %" G_GINT64_FORMAT ": held by another engine now",
			          *(int64_t *)id);
	return true;
}

bool
engine_run_release(EngineRun *run, GError **error)
{
	if (run->options->node == NULL)
		return true;
	collect(run, true);
	g_hash_table_remove_all(run->leases);
	return store_lease_release(run->store, run->options->node, 0, error);
}

bool
engine_run_dispatch(EngineRun *run, GError **error)
{
	collect(run, false);
	if (run->failure != NULL) {
		g_propagate_error(error, g_steal_pointer(&run->failure));
		return false;
	}
	EngineContext context = {
	        .store = run->store,
	        .options = run->options,
	        .campaigns = g_hash_table_new_full(g_int64_hash, g_int64_equal, g_free,
	                                           (GDestroyNotify)engine_campaign_free),
	        .summary = &run->collected,
	        .running = g_hash_table_new_full(g_int64_hash, g_int64_equal, g_free, NULL),
	        .winners = g_hash_table_new_full(g_int64_hash, g_int64_equal, g_free,
	                                         (GDestroyNotify)g_array_unref),
	};
	context.now_us = engine_context_now(&context);
	/* Counted again from the store: every opening it counts was claimed
	 * under the lock, so no worker's claim falls between. */
	g_mutex_lock(&run->opening_lock);
	g_hash_table_remove_all(run->openings_today);
	g_mutex_unlock(&run->opening_lock);
	g_autoptr(GPtrArray) mailboxes = NULL;
	bool ok = renew_leases(run, error) && load_campaigns(&context, error) &&
	          engine_winners_load(&context, run->winners_looked_at, error) &&
	          resume_enrollments(&context, error) &&
	          (mailboxes = store_mailbox_list(run->store, error)) != NULL;
	for (guint i = 0; ok && i < mailboxes->len; i++) {
		StoreMailbox *stored = mailboxes->pdata[i];
		EngineMailbox *known = g_hash_table_lookup(run->mailboxes, &stored->id);
		StoreLease *lease = g_hash_table_lookup(run->leases, &stored->id);
		if (run->options->node != NULL && lease == NULL) {
			/* Another engine's: its sessions here are closed. */
			if (known != NULL && !known->busy)
				g_hash_table_remove(run->mailboxes, &stored->id);
			continue;
		}
		if (!mailbox_in_use(&context, stored->address) || (known != NULL && known->busy))
			continue;
		EngineMailbox *mailbox =
		        mailbox_for_pass(run, g_steal_pointer(&mailboxes->pdata[i]));
		if (!has_work(mailbox, context.now_us))
			continue;
		EngineJob *job = g_new0(EngineJob, 1);
		job->mailbox = mailbox;
		if (lease != NULL)
			job->lease = *lease;
		job->campaigns = g_hash_table_ref(context.campaigns);
		job->running = g_hash_table_ref(context.running);
		job->winners = g_hash_table_ref(context.winners);
		mailbox->busy = true;
		run->in_flight++;
		g_async_queue_push(run->jobs, job);
	}
	g_hash_table_unref(context.campaigns);
	g_hash_table_unref(context.running);
	g_hash_table_unref(context.winners);
	/* A run passes again: a database that stayed locked past the wait,
	 * or out of reach, is tried at the next pass (several engines share
	 * it, or a command writes at length). A tick says so. */
	if (!ok && !run->one_pass && error != NULL && passing(*error)) {
		g_message("%s; again at the next pass", (*error)->message);
		g_clear_error(error);
		return true;
	}
	return ok;
}

bool
engine_run_pass(EngineRun *run, EngineTickSummary *summary, GError **error)
{
	run->one_pass = true;
	bool ok = engine_run_dispatch(run, error);
	collect(run, true);
	*summary = run->collected;
	memset(&run->collected, 0, sizeof run->collected);
	if (ok && run->failure != NULL) {
		g_propagate_error(error, g_steal_pointer(&run->failure));
		ok = false;
	}
	return ok;
}

bool
engine_run_tick(Store *store, const EngineRunOptions *options, EngineTickSummary *summary,
                GError **error)
{
	EngineRun *run = engine_run_new(store, options);
	bool ok = engine_run_pass(run, summary, error);
	engine_run_free(run);
	return ok;
}

static void
on_news(ImapClient *client, void *user_data)
{
	EngineMailbox *mailbox = user_data;
	mailbox->news = true;
}

/* Puts the mailbox's session in IDLE on INBOX unless it is there already
 * (renewed before the server's 30 minutes). False when it cannot (no IDLE,
 * no session) or news is already waiting (then mailbox->news). */
static bool
ensure_idle(EngineMailbox *mailbox)
{
	ImapClient *imap = mailbox->imap;
	if (imap == NULL || !imap_client_has_capability(imap, "IDLE"))
		return false;
	g_autoptr(GError) error = NULL;
	int64_t now = g_get_monotonic_time();
	if (mailbox->idling &&
	    now - mailbox->idle_since < (int64_t)imap_client_idle_restart_ms() * 1000)
		return true;
	if (mailbox->idling) {
		mailbox->idling = false;
		if (!imap_client_idle_done(imap, &error))
			goto drop;
	}
	const ImapSelected *selected = imap_client_get_selected(imap);
	if ((selected == NULL || g_strcmp0(selected->name, "INBOX") != 0) &&
	    !imap_client_select(imap, "INBOX", true, &error))
		goto drop;
	if (imap_client_get_selected(imap)->changed) {
		mailbox->news = true;
		return false;
	}
	if (!imap_client_idle_start(imap, &error))
		goto drop;
	mailbox->idling = true;
	mailbox->idle_since = now;
	return true;
drop:
	g_debug("mailbox %s: IDLE failed (%s); logging in again next pass",
	        mailbox->mailbox->address, error->message);
	g_clear_pointer(&mailbox->imap, imap_client_free);
	mailbox->folders_known = false;
	return false;
}

bool
engine_run_next_wait_ms(EngineRun *run, int max_ms, int *wait_ms, GError **error)
{
	const EngineRunOptions *options = run->options;
	int64_t now =
	        options->clock != NULL ? options->clock(options->clock_data) : g_get_real_time();
	int64_t at = 0;
	*wait_ms = max_ms;
	if (!store_next_wake(run->store, now, &at, error))
		return false;
	if (at > 0) {
		/* Rounded up, and a millisecond more, so the pass finds it due. */
		int64_t ms = (at - now + 999) / 1000 + 1;
		*wait_ms = (int)CLAMP(ms, 0, (int64_t)max_ms);
	}
	return true;
}

/* Waits once: IDLE sessions of the mailboxes no worker has, the done pipe
 * and @wake_fd. */
static bool
wait_once(EngineRun *run, int timeout_ms, int wake_fd, bool *news, GError **error)
{
	if (wake_fd != run->wake_fd_added) {
		if (run->wake_fd_added >= 0)
			epoll_ctl(run->wait_epoll, EPOLL_CTL_DEL, run->wake_fd_added, NULL);
		struct epoll_event event = {.events = EPOLLIN};
		if (wake_fd >= 0)
			epoll_ctl(run->wait_epoll, EPOLL_CTL_ADD, wake_fd, &event);
		run->wake_fd_added = wake_fd;
	}
	g_autoptr(GPtrArray) idle = g_ptr_array_new();
	GHashTableIter iter;
	gpointer value;
	g_hash_table_iter_init(&iter, run->mailboxes);
	while (g_hash_table_iter_next(&iter, NULL, &value)) {
		EngineMailbox *mailbox = value;
		if (mailbox->busy)
			continue;
		if (!ensure_idle(mailbox)) {
			*news = *news || mailbox->news;
			continue;
		}
		if (!imap_watcher_add(run->watcher, mailbox->imap, on_news, mailbox, error))
			return false;
		g_ptr_array_add(idle, mailbox);
	}
	if ((gint)idle->len != g_atomic_int_get(&run->n_watched)) {
		g_message("watching %u mailbox(es) in IDLE", idle->len);
		g_atomic_int_set(&run->n_watched, (gint)idle->len);
	}
	bool ok = true;
	if (!*news) {
		if (idle->len > 0) {
			ok = imap_watcher_run_once(run->watcher, timeout_ms, run->wait_epoll,
			                           error) >= 0;
		} else {
			struct pollfd wake = {.fd = run->wait_epoll, .events = POLLIN};
			poll(&wake, 1, timeout_ms);
		}
	}
	/* The sessions stay in IDLE: the next pass reads only those that
	 * announced something (or that must send). */
	for (guint i = 0; i < idle->len; i++) {
		EngineMailbox *mailbox = idle->pdata[i];
		imap_watcher_remove(run->watcher, mailbox->imap);
		*news = *news || mailbox->news;
	}
	return ok;
}

static bool
readable(int fd)
{
	struct pollfd p = {.fd = fd, .events = POLLIN};
	return fd >= 0 && poll(&p, 1, 0) > 0;
}

bool
engine_run_wait(EngineRun *run, int timeout_ms, int wake_fd, bool *news, GError **error)
{
	*news = false;
	if (run->watcher == NULL && (run->watcher = imap_watcher_new(error)) == NULL)
		return false;
	int limit = imap_client_idle_restart_ms();
	/* Leases are renewed three times a lease at least. */
	if (run->options->node != NULL)
		limit = MIN(limit, (int)(lease_length_of(run->options) / 3 / 1000));
	timeout_ms = timeout_ms < 0 || timeout_ms > limit ? limit : timeout_ms;
	int64_t deadline = g_get_monotonic_time() + (int64_t)timeout_ms * 1000;
	for (;;) {
		/* Until the next moment something falls due: a worker that came
		 * back has moved its mailbox's moments, so it is asked again. */
		int64_t left_us = deadline - g_get_monotonic_time();
		int wait_ms = 0;
		GError *asked = NULL;
		if (left_us > 0 && !engine_run_next_wait_ms(run, (int)((left_us + 999) / 1000),
		                                            &wait_ms, &asked)) {
			/* The database busy or out of reach, as the pass may find it:
			 * the rest of the wait, then the next pass tries again. */
			if (!passing(asked)) {
				g_propagate_error(error, asked);
				return false;
			}
			g_message("next wake: %s; again at the next pass", asked->message);
			g_error_free(asked);
			wait_ms = (int)((left_us + 999) / 1000);
		}
		if (wait_ms <= 0)
			return true;
		if (!wait_once(run, wait_ms, wake_fd, news, error))
			return false;
		if (*news || readable(wake_fd) || run->failure != NULL)
			return true;
		if (!readable(run->done_pipe[0]))
			return true; /* the moment came */
		collect(run, false);
		if (run->failure != NULL)
			return true;
	}
}

guint
engine_run_get_idle_sessions(EngineRun *run)
{
	return (guint)g_atomic_int_get(&run->n_watched);
}
