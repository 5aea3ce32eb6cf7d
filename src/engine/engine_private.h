/*
 * Shared inside the engine layer (and its tests) only: the state of one
 * pass and of one mailbox's sessions.
 */
#pragma once

#include "engine/engine_campaign.h"
#include "engine/engine_lifecycle.h"
#include "engine/engine_mailbox.h"
#include "engine/engine_pauses.h"
#include "engine/engine_run.h"
#include "imap/imap_client.h"
#include "imap/imap_sync.h"
#include "smtp/smtp_client.h"
#include "store/store.h"

typedef enum {
	ENGINE_SENT_UNKNOWN,     /* not known yet this run */
	ENGINE_SENT_BY_PROVIDER, /* the provider files what its SMTP sends */
	ENGINE_SENT_BY_US,       /* piculet appends each sent message */
} EngineSentFiling;

/* One mailbox while the engine works with it. */
typedef struct {
	StoreMailbox *mailbox;
	SmtpClient *smtp;     /* NULL until needed, and after a failure */
	ImapClient *imap;     /* the same */
	char *sent_folder;    /* \Sent, or NULL when the server has none */
	char *junk_folder;    /* \Junk, or NULL */
	bool folders_known;   /* LIST done */
	bool inbox_read;      /* INBOX read at least once this run */
	bool idling;          /* the session waits in IDLE on INBOX */
	bool news;            /* IDLE announced new mail not read yet */
	int64_t idle_since;   /* monotonic µs: IDLE is renewed before 25 minutes */
	int64_t junk_read_at; /* engine clock: the Junk folder is read now and then */
	bool junk_now;        /* read Junk at the next look (before a follow-up) */
	EngineSentFiling sent_filing;
	int64_t last_campaign_id; /* of the last message sent */
	GRand *rand;              /* the pauses between its messages */
	bool reconciled;          /* no message of a crash left "sending" */
	int64_t reconciled_token; /* the lease it was reconciled under (0: none) */
	bool busy;                /* a worker has it (the run's thread only reads this) */
	EngineOauthCache oauth;   /* its access token, when it signs in with OAuth2 */
	/* Its messages to each recipient domain this turn (domain -> guint[2]:
	 * today, the last hour), counted once a turn and then kept up to date
	 * by its own worker, the one writer. */
	GHashTable *domain_counts;
	int64_t ramp_day; /* the start of its day ramp_days counts up to (its zone) */
	guint ramp_days;  /* its sending days before ramp_day */
} EngineMailbox;

/* What one worker works with for one mailbox. The store is the worker's
 * own connection; campaigns and running are shared by the workers and
 * only read. */
typedef struct {
	Store *store;
	const EngineRunOptions *options;
	int64_t now_us;
	GHashTable *campaigns; /* campaign id (gint64 *) -> EngineCampaign *, not archived */
	GHashTable *running;   /* campaign ids (gint64 *) of the running ones */
	/* Of the running campaigns that pick A/B/n winners: campaign id ->
	 * GArray of int by step - 1, the winning variant or -1. */
	GHashTable *winners;
	EngineTickSummary *summary;
	GHashTable *sent_today; /* mailbox id (gint64 *) -> messages begun today (UTC) */
	/* Shared by the workers, under opening_lock: campaign id -> openings
	 * begun today (its zone). Choosing an opening and claiming it happen
	 * under the lock too. */
	GHashTable *openings_today;
	GMutex *opening_lock;
	int64_t lease_until; /* this machine's real clock, µs: stop sending before it; 0: none */
} EngineContext;

int64_t engine_context_now(const EngineContext *context);

/* engine_winners.c: the winners of @context's running campaigns into
 * context->winners, and those the counts now allow picked and recorded;
 * a campaign's counts are looked at again once a minute at most
 * (@looked_at: campaign id -> engine time it was last). */
bool engine_winners_load(EngineContext *context, GHashTable *looked_at, GError **error);

/* The variant step @step of @campaign_id is won by, or -1. */
int engine_winners_of(const EngineContext *context, int64_t campaign_id, int step);
/* With a lease (several engines): whether it ends in less than a third of
 * its length unrenewed (real clock): no message is begun, nor sent once
 * begun, past that. */
bool engine_context_lease_ending(const EngineContext *context);

/* The run's stop fd for network waits, or -1 (options take 0 as none). */
int engine_context_stop_fd(const EngineContext *context);
EngineCampaign *engine_context_get_campaign(const EngineContext *context, int64_t campaign_id);

/* engine_inbox.c: reads the mailbox's new mail (Junk now and then, then
 * INBOX) and applies it. False only when IMAP failed (the error says why). */
bool engine_inbox_process(EngineContext *context, EngineMailbox *mailbox, GError **error);

/* Whether the mailbox's INBOX must be read before anything is sent: always,
 * unless its session waits in IDLE and has announced nothing (checked
 * without a round trip), and the Junk folder is not due a look. */
bool engine_inbox_needs_read(EngineContext *context, EngineMailbox *mailbox);

/* Opens the IMAP session when it is not open, and learns the folders. */
bool engine_inbox_connect(EngineContext *context, EngineMailbox *mailbox, GError **error);

/* engine_restore.c: a mailbox of a database restored from a backup looks
 * in its Sent folder for what went after the backup before it sends
 * (StoreMailbox.sent_check_since). *@may_send false: not looked yet (its
 * IMAP failed: said in the log) or paused. False only when the store
 * failed. */
bool engine_restore_check_sent(EngineContext *context, EngineMailbox *mailbox, bool *may_send,
                               GError **error);

/* engine_send.c: the next due step of the mailbox, if any, sent. *@sent
 * says whether a message went (or may have gone). */
bool engine_send_next(EngineContext *context, EngineMailbox *mailbox, bool *sent, GError **error);

/* engine_send.c: "sending" messages a crash left, settled through the Sent
 * folder. */
bool engine_send_reconcile(EngineContext *context, EngineMailbox *mailbox, GError **error);

/* engine_send.c: an enrollment that was sent step @step at @sent_at_us
 * moved on (next step and its due time, or completed); ENGINE_ERROR_STATE
 * when its state allows no such move. */
bool engine_send_advance(EngineContext *context, StoreEnrollment *enrollment, int step,
                         int64_t sent_at_us, GError **error);

/* The campaign's zone for this prospect's address (looked up); NULL with
 * the store's error when it cannot be looked up. */
GTimeZone *engine_context_dup_zone(EngineContext *context, const EngineCampaign *campaign,
                                   const char *email, GError **error);

/* The run's pause durations. */
const EnginePauses *engine_context_pauses(const EngineContext *context);

/* Pauses the mailbox (@kind says what it stops) until @until_us (0: until
 * a person acts), with an event; counted in the summary. */
bool engine_context_pause_mailbox(EngineContext *context, EngineMailbox *mailbox,
                                  EngineMailboxPause kind, const char *reason, int64_t until_us,
                                  GError **error);

/* Pauses @mailbox (@kind) for a login that could not even be tried
 * (@login_error, from engine_mailbox_login_secret): a gone OAuth2 grant
 * until a person signs in again, an unreachable token endpoint for a
 * while, a missing password or client until a person acts. A store
 * failure is the caller's error. */
bool engine_context_pause_for_login(EngineContext *context, EngineMailbox *mailbox,
                                    EngineMailboxPause kind, const GError *login_error,
                                    GError **error);

/* After a hard bounce or a complaint in campaign @campaign_id (0: none)
 * through @mailbox: the guards (engine_guard) of the campaign and of the
 * mailbox, with EngineRunOptions.guards (a campaign file's own for the
 * campaign); what a rule fires on pauses with
 * the rule's words until a person acknowledges it. */
bool engine_context_guard(EngineContext *context, EngineMailbox *mailbox, int64_t campaign_id,
                          GError **error);

/* Adds an event of the timeline, at the context's now, about mailbox
 * @mailbox_id (and, when not 0, an enrollment and a message). */
/* When @enrollment, open before (@was_open), has just ended and was the
 * last open one of its campaign, the campaign.completed event. Inside the
 * caller's transaction. */
bool engine_context_note_completion(EngineContext *context, const StoreEnrollment *enrollment,
                                    bool was_open, GError **error);
bool engine_context_add_event(EngineContext *context, int64_t mailbox_id, EngineEvent kind,
                              int64_t enrollment_id, int64_t message_id, const char *detail,
                              GError **error);
