/*
 * engine_run: `piculet tick` and `piculet run`. One pass (a tick), for every
 * running campaign, in this order per mailbox: settle messages a crash left
 * "sending"; read new mail (INBOX, Junk) and apply it (a reply stops the
 * enrollment, a bounce stops it and marks the address, an auto-reply pauses
 * it, an opt-out blacklists); resume pauses that ended; then send what is
 * due, one message at a time, follow-ups before openings, inside the
 * window, within the daily limits, with a random pause between two sends,
 * and a look at the inbox right before every follow-up.
 *
 * The promises: a step is recorded "sending" with its Message-ID before a
 * byte of it goes, "sent" after the server's 250; nothing is sent twice;
 * nothing follows a reply that had reached the mailbox.
 *
 * Time comes from the clock in the options, so tests and demos run days of
 * a campaign in seconds. Call g_mime_init() first (the program does, in
 * main).
 *
 * Workers: each mailbox's turn (settle, read, send) runs on one of a small
 * fixed pool of threads, each with its own store connection, so a slow or
 * hanging server delays only its own mailbox. A mailbox is on at most one
 * worker at a time (one message at a time per mailbox stays exact); the
 * run's own thread loads campaigns, resumes pauses, hands out turns and
 * watches the IDLE sessions of the mailboxes no worker has. Openings,
 * which any mailbox of a campaign may take, are chosen and claimed under
 * one lock; a step once claimed is never handed out again.
 *
 * Several engines (a database on a server): with a node name, a run works
 * only the mailboxes it holds a lease on (store.h, leases). Every pass
 * renews its leases and takes its fair share of the free and expired ones,
 * letting go of what is over its share; a worker's writes about its
 * mailbox are fenced by the lease's token, so once another engine holds
 * the mailbox they are refused (the mailbox is let go, "late write
 * refused" in the log), and a worker stops sending a third of a lease
 * before its lease would end unrenewed. Waits between passes are a third
 * of a lease at most. Leases are claimed on the database's clock
 * (store_lease_clock), the watch on them is on this machine's: engines on
 * machines whose clocks differ agree on when a lease ends.
 */
#pragma once

#include "engine/engine_guard.h"
#include "engine/engine_pauses.h"
#include "net/net_tls.h"
#include "store/store.h"

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>

/* Now, in microseconds since the epoch. */
typedef int64_t (*EngineClockFunc)(void *user_data);

typedef struct {
	NetTls *tls;           /* trust for SMTP and IMAP */
	const char *ca_file;   /* trust for OAuth2 token endpoints; NULL: the system's */
	EngineClockFunc clock; /* NULL: the real time */
	void *clock_data;
	guint32 seed;                   /* randomness of the pauses; 0: random */
	guint max_sends_per_run;        /* a tick sends at most this many per mailbox; 0: 1000 */
	int stop_fd;                    /* readable when the run should stop (a signal's pipe):
	                                 * a pass then ends after the message in flight; -1:
	                                 * none (0 is taken as none too) */
	guint workers;                  /* mailbox worker threads; 0: ENGINE_RUN_DEFAULT_WORKERS */
	const EnginePauses *pauses;     /* NULL: engine_pauses_default */
	const EngineGuardRules *guards; /* NULL: engine_guard_default */
	const char *node;               /* NULL: this run is alone on the database (its engine
	                                 * lock says so) and works every mailbox; else its name
	                                 * among the engines that share it (leases) */
	int64_t lease_us;               /* with a node: 0: ENGINE_RUN_DEFAULT_LEASE_S */
} EngineRunOptions;

#define ENGINE_RUN_DEFAULT_WORKERS 4
#define ENGINE_RUN_DEFAULT_LEASE_S 60

/* What one pass did. */
typedef struct {
	guint sent;
	guint failed;    /* refused for good (bounces at RCPT included) */
	guint deferred;  /* temporary failures: tried again later */
	guint uncertain; /* may have been sent: never resent blindly */
	guint replies;
	guint auto_replies;
	guint bounces;
	guint opt_outs;
	guint mailboxes_paused;
} EngineTickSummary;

/* Adds @more to @total, field by field. */
void engine_run_summary_add(EngineTickSummary *total, const EngineTickSummary *more);

/* A run: passes that keep each mailbox's IMAP session (and its selected
 * folder) from one to the next, as `piculet run` does. */
typedef struct EngineRun EngineRun;

/* @store and @options are borrowed for the run's life. */
EngineRun *engine_run_new(Store *store, const EngineRunOptions *options);
void engine_run_free(EngineRun *run);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(EngineRun, engine_run_free)

/* One pass over every running campaign: a turn for every mailbox in use
 * that no worker has, and waits for all of them. False only when the
 * store failed; a mailbox's trouble pauses that mailbox and the pass goes
 * on. */
bool engine_run_pass(EngineRun *run, EngineTickSummary *summary, GError **error);

/* `piculet run`'s pass: hands a turn to every mailbox in use that no worker
 * has and that may have work, and returns at once. False when the store
 * failed, here or in a turn that came back since the last call. */
bool engine_run_dispatch(EngineRun *run, GError **error);

/* Between passes: every mailbox whose session offers IDLE (and that no
 * worker has) waits in IDLE on INBOX, until one has news (*@news), @wake_fd
 * (>= 0) becomes readable, the next moment something falls due (asked
 * again each time a worker comes back), or @timeout_ms pass (at most
 * IDLE's 25 minutes). So a reply is seen the moment it arrives, from one
 * thread whatever the number of mailboxes. */
bool engine_run_wait(EngineRun *run, int timeout_ms, int wake_fd, bool *news, GError **error);

/* The mailboxes waiting in IDLE at the last wait; any thread may ask
 * (/metrics of `run --serve`). */
guint engine_run_get_idle_sessions(EngineRun *run);

/* How long the run may wait before the next pass: until the next moment
 * something falls due (a delay, a pacing pause, the end of a pause), at
 * most @max_ms; 0 when it is now. */
bool engine_run_next_wait_ms(EngineRun *run, int max_ms, int *wait_ms, GError **error);

/* A new node's name: HOST-MACHINE-PID-RANDOM (MACHINE: the first eight
 * characters of /etc/machine-id). A run's first pass lets go of the
 * leases of nodes of this machine whose process is gone (a crash, then a
 * restart: its mailboxes need not wait for their leases to expire). */
char *engine_run_node_name(void);

/* With a node: lets every lease go (a clean stop), after the workers'
 * turns. */
bool engine_run_release(EngineRun *run, GError **error);

/* A run of one pass: `piculet tick`. */
bool engine_run_tick(Store *store, const EngineRunOptions *options, EngineTickSummary *summary,
                     GError **error);
