/*
 * store: the only interface to persistence. An opaque handle, explicit
 * transactions, and functions named after what the domain does ("add to the
 * blacklist", "put a prospect"), never after tables. The engine and the
 * commands never see SQL; the back end is a const table of functions chosen
 * when the store is opened (SQLite now, PostgreSQL later), and every back
 * end must pass tests/unit/store/test_contract.c.
 *
 * SQLite: one file, WAL, foreign keys on, a busy timeout, prepared
 * statements only, migrations applied on open; a database written by a
 * newer piculet is refused with STORE_ERROR_VERSION.
 *
 * Threading: a Store is used by one thread at a time. Ownership: results
 * are plain data owned by the caller.
 */
#pragma once

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>

#define STORE_ERROR (store_error_quark())

typedef enum {
	STORE_ERROR_OPEN,      /* cannot open or create the database: fix the path */
	STORE_ERROR_BUSY,      /* locked by another process (a running `piculet run`) */
	STORE_ERROR_VERSION,   /* written by a newer piculet: upgrade piculet */
	STORE_ERROR_READ_ONLY, /* the database cannot be written */
	STORE_ERROR_INVALID,   /* a value the store refuses (empty key, bad entry) */
	STORE_ERROR_FAILED,    /* any other database failure */
	STORE_ERROR_CONFLICT,  /* the row changed since it was read: read it again, decide again */
} StoreError;

GQuark store_error_quark(void);

typedef struct Store Store;

/* $PICULET_DB, else ~/.local/share/piculet/piculet.db. Newly allocated. */
char *store_default_path(void);

/* Now, in microseconds since the epoch. */
typedef int64_t (*StoreClockFunc)(void *user_data);

/* What a store is opened with besides its location: settings of the
 * store, not paths derived from a database file (a server's URL has no
 * folder). */
typedef struct {
	StoreClockFunc clock; /* the time rows are stamped with; NULL: the real time */
	void *clock_data;
	const char *key_path; /* the seal key; NULL: the back end's default (SQLite:
	                       * "secret.key" beside the database's real file) */
} StoreSettings;

/* Opens (creating when missing, with its folder) and migrates. @settings
 * may be NULL (every default). */
Store *store_open_with(const char *location, const StoreSettings *settings, GError **error);
/* store_open_with(@path, NULL). */
Store *store_open(const char *path, GError **error);
/* Another connection to the same database with the same settings (for a
 * worker thread: a Store is used by one thread at a time). */
Store *store_open_another(const Store *store, GError **error);
void store_close(Store *store);

/* Where the seal key of this store's sealed secrets is. */
const char *store_get_key_path(const Store *store);

/* One engine per database: held until the store is closed (SQLite: an
 * exclusive flock(2) on the database file itself, which the kernel drops
 * however the process ends, and which a symlink or another path to the
 * same file meets). STORE_ERROR_BUSY when another engine holds it. */
bool store_lock_engine(Store *store, GError **error);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(Store, store_close)

/* The schema version of the open database. */
unsigned store_get_schema_version(const Store *store);

/* Explicit transactions: everything between begin and commit happens
 * together or not at all. */
bool store_begin(Store *store, GError **error);
bool store_commit(Store *store, GError **error);
void store_rollback(Store *store);

/* --- blacklist: addresses ("a@b.c") and whole domains ("@b.c") --- */

/* Adds @entry (normalised by the caller); true also when it was there. */
bool store_blacklist_add(Store *store, const char *entry, const char *reason, GError **error);
bool store_blacklist_remove(Store *store, const char *entry, bool *removed, GError **error);
/* The entries, sorted; a new array of char *. */
GPtrArray *store_blacklist_list(Store *store, GError **error);
/* Whether @email (normalised) or its domain is on the blacklist. */
bool store_blacklist_blocks(Store *store, const char *email, bool *blocked, GError **error);

/* --- prospects --- */

/* A prospect to put: plain data, borrowed for the call. */
typedef struct {
	const char *email;      /* normalised */
	const char *first_name; /* NULL: "" */
	const char *last_name;
	const char *company;
	const char *timezone;
	const char *const *field_names; /* custom fields, @n_fields of them */
	const char *const *field_values;
	gsize n_fields;
	/* An import's mark (its start time, µs), or 0. With it, a prospect
	 * already written by the same import is a duplicate in the file
	 * (STORE_PROSPECT_DUPLICATE, left as it was): the store finds those,
	 * so an import keeps no set of addresses in memory. */
	int64_t import_stamp;
} StoreProspectInput;

typedef enum {
	STORE_PROSPECT_INSERTED,
	STORE_PROSPECT_UPDATED,
	STORE_PROSPECT_UNCHANGED_BOUNCED,   /* kept as it was: the address bounced */
	STORE_PROSPECT_UNCHANGED_OPTED_OUT, /* kept: the person opted out */
	STORE_PROSPECT_DUPLICATE,           /* written already by this import */
} StoreProspectResult;

/* Inserts or updates the prospect with this email and its custom fields
 * (fields not given are kept). A bounced or opted-out prospect is left as
 * it is. */
bool store_prospect_put(Store *store, const StoreProspectInput *prospect,
                        StoreProspectResult *result, GError **error);

/* One prospect as stored. Plain data. */
typedef struct {
	int64_t id;
	char *email;
	char *first_name;
	char *last_name;
	char *company;
	char *timezone;
	char *status;       /* ok, bounced, opted_out, blacklisted */
	GHashTable *fields; /* char * -> char * */
} StoreProspect;

void store_prospect_free(StoreProspect *prospect);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(StoreProspect, store_prospect_free)

/* The prospect with @email, or NULL (no error) when there is none. */
StoreProspect *store_prospect_get(Store *store, const char *email, GError **error);

/* Prospects in email order, at most @limit (0: all); a new array of
 * StoreProspect. */
GPtrArray *store_prospect_list(Store *store, guint limit, GError **error);

bool store_prospect_count(Store *store, guint64 *count, GError **error);

/* Removes the prospect with @email and, with it, its enrollments and the
 * record of what was sent to it (a person's right to be forgotten); the
 * blacklist keeps what it holds. *@removed says whether there was one. */
bool store_prospect_remove(Store *store, const char *email, bool *removed, GError **error);

/* Marks the prospect with @email "ok", "bounced", "opted_out" or
 * "blacklisted" (everywhere: the status is global). *@found says whether
 * there was one. */
bool store_prospect_set_status(Store *store, const char *email, const char *status, bool *found,
                               GError **error);

/* --- mailboxes --- */

/* A mailbox to add: plain data, borrowed for the call. The secret is a
 * source ("env:VAR", "file:PATH", "cmd:COMMAND") or "sealed" with the
 * sealed bytes (base_seal); never the secret itself. */
typedef struct {
	const char *address;      /* normalised */
	const char *display_name; /* NULL: "" */
	const char *smtp_host;
	uint16_t smtp_port;
	const char *smtp_security; /* "starttls", "tls", "none" */
	const char *smtp_user;
	const char *imap_host;
	uint16_t imap_port;
	const char *imap_security;
	const char *imap_user;
	const char *secret_source;
	GBytes *secret_sealed; /* with secret_source "sealed", else NULL */
	int daily_cap;
	int interval_min_s;
	int interval_max_s;
	const char *signature; /* NULL: "" */
} StoreMailboxInput;

/* One mailbox as stored. Plain data. */
typedef struct {
	int64_t id;
	char *address;
	char *display_name;
	char *smtp_host;
	uint16_t smtp_port;
	char *smtp_security;
	char *smtp_user;
	char *imap_host;
	uint16_t imap_port;
	char *imap_security;
	char *imap_user;
	char *secret_source;
	GBytes *secret_sealed; /* NULL unless sealed */
	int daily_cap;
	int interval_min_s;
	int interval_max_s;
	char *signature;
	char *paused_reason;  /* NULL when not paused */
	char *paused_kind;    /* what the pause stops ("sending", "reading"); "" when none */
	int64_t paused_until; /* with a reason: when it may go on by itself; 0: by hand */
	int64_t next_send_at; /* pacing: not before this */
} StoreMailbox;

void store_mailbox_free(StoreMailbox *mailbox);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(StoreMailbox, store_mailbox_free)

/* Adds a mailbox; STORE_ERROR_INVALID when the address is there already. */
bool store_mailbox_add(Store *store, const StoreMailboxInput *mailbox, int64_t *id, GError **error);
/* The mailbox with @address, or NULL (no error) when there is none. */
StoreMailbox *store_mailbox_get(Store *store, const char *address, GError **error);
/* All mailboxes by address; a new array of StoreMailbox. */
GPtrArray *store_mailbox_list(Store *store, GError **error);
bool store_mailbox_remove(Store *store, const char *address, bool *removed, GError **error);
/* Replaces the settings of the mailbox with @mailbox->address (its pacing
 * state and cursors stay); *@found says whether there was one. */
bool store_mailbox_update(Store *store, const StoreMailboxInput *mailbox, bool *found,
                          GError **error);

/* --- campaigns --- */

/* A step to store: templates as written. */
typedef struct {
	const char *subject; /* NULL: a reply in the thread */
	const char *body;
	int64_t delay_s;
} StoreStepInput;

/* A campaign to create or update: plain data, borrowed for the call. */
typedef struct {
	const char *name;
	const char *definition; /* the campaign file as given */
	const StoreStepInput *steps;
	gsize n_steps;
	const char *const *mailboxes; /* addresses of existing mailboxes */
	gsize n_mailboxes;
} StoreCampaignInput;

/* One campaign as stored, with its counts. Plain data. */
typedef struct {
	int64_t id;
	char *name;
	char *state; /* draft, running, paused, archived */
	char *definition;
	int64_t created_at;
	int64_t updated_at;
	guint n_steps;
	guint64 n_enrolled;  /* enrollments in any state */
	guint64 n_active;    /* queued, active or paused */
	guint64 n_sent;      /* messages sent */
	guint64 n_replied;   /* enrollments that ended in a reply */
	guint64 n_uncertain; /* messages whose fate is unknown */
} StoreCampaign;

void store_campaign_free(StoreCampaign *campaign);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(StoreCampaign, store_campaign_free)

/* Creates a draft; STORE_ERROR_INVALID when the name is taken or a mailbox
 * does not exist (the message names it). */
bool store_campaign_create(Store *store, const StoreCampaignInput *campaign, int64_t *id,
                           GError **error);
/* Replaces the definition, steps and mailboxes of the campaign with this
 * name. What was sent stays: STORE_ERROR_INVALID when a step that has
 * messages would disappear. */
bool store_campaign_update(Store *store, const StoreCampaignInput *campaign, GError **error);
/* The campaign named @name, or NULL (no error) when there is none. */
StoreCampaign *store_campaign_get(Store *store, const char *name, GError **error);
StoreCampaign *store_campaign_get_by_id(Store *store, int64_t id, GError **error);
/* All campaigns by name; a new array of StoreCampaign. */
GPtrArray *store_campaign_list(Store *store, GError **error);
/* Sets "draft", "running", "paused" or "archived"; *@found says whether
 * there was such a campaign. */
bool store_campaign_set_state(Store *store, const char *name, const char *state, bool *found,
                              GError **error);

/* --- enrollments: a prospect in a campaign --- */

typedef enum {
	STORE_ENROLL_ADDED,
	STORE_ENROLL_ALREADY,           /* in this campaign already */
	STORE_ENROLL_IN_OTHER_CAMPAIGN, /* held back: active in another campaign */
	STORE_ENROLL_NOT_CONTACTABLE,   /* bounced, opted out or blacklisted */
	STORE_ENROLL_NO_PROSPECT,       /* no prospect with this address */
} StoreEnrollResult;

/* Enrolls the prospect with @email in campaign @campaign_id, queued for its
 * first step. A prospect queued, active or paused in another campaign is
 * held back unless @allow_other_campaigns. */
bool store_enrollment_add(Store *store, int64_t campaign_id, const char *email,
                          bool allow_other_campaigns, StoreEnrollResult *result, GError **error);

/* One enrollment as stored. Plain data. */
typedef struct {
	int64_t id;
	int64_t campaign_id;
	int64_t prospect_id;
	int64_t mailbox_id; /* 0 until its first step is sent */
	char *email;        /* the prospect's */
	char *state;        /* queued, active, paused, replied, bounced, opted_out,
	                     * completed, failed, stopped */
	int next_step;
	int64_t next_due_at;
	int64_t last_sent_at;
	char *reason;     /* why it is paused or ended; NULL */
	int64_t revision; /* how many writes it has had: an update names the one it read */
	int retries;      /* temporary failures of its next step in a row */
	int soft_bounces; /* soft bounces since its last step went */
} StoreEnrollment;

void store_enrollment_free(StoreEnrollment *enrollment);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(StoreEnrollment, store_enrollment_free)

/* The enrollments of a campaign in the order they were made, at most
 * @limit (0: all); a new array of StoreEnrollment. */
GPtrArray *store_enrollment_list(Store *store, int64_t campaign_id, guint limit, GError **error);
/* The enrollment of @email in the campaign, or NULL (no error). */
StoreEnrollment *store_enrollment_get(Store *store, int64_t campaign_id, const char *email,
                                      GError **error);

/* --- what the engine needs: pacing, due work, messages, events, mail in ---
 *
 * Every function here is one short statement or a few in a savepoint; the
 * engine wraps the ones that must go together in store_begin/commit. */

bool store_mailbox_set_next_send(Store *store, int64_t mailbox_id, int64_t at_us, GError **error);
/* Pauses the mailbox with @reason until @until_us (0: until resumed by
 * hand), or, with @reason NULL, resumes it. */
bool store_mailbox_set_paused(Store *store, int64_t mailbox_id, const char *kind,
                              const char *reason, int64_t until_us, GError **error);
/* Where the engine left @folder of the mailbox; all 0 when never synced. */
bool store_mailbox_get_cursor(Store *store, int64_t mailbox_id, const char *folder,
                              uint32_t *uid_validity, uint32_t *last_uid, GError **error);
bool store_mailbox_set_cursor(Store *store, int64_t mailbox_id, const char *folder,
                              uint32_t uid_validity, uint32_t last_uid, GError **error);
/* Messages that went (or may have gone) through the mailbox since @since_us. */
bool store_mailbox_count_sent(Store *store, int64_t mailbox_id, int64_t since_us, guint *count,
                              GError **error);
/* When the mailbox next has a step due (its follow-ups, the openings of
 * its running campaigns), or 0 when nothing waits. */
bool store_mailbox_next_due(Store *store, int64_t mailbox_id, int64_t *at_us, GError **error);
/* The earliest moment after @after_us at which something may fall due: an
 * enrollment's next_due_at (active, queued or paused), a mailbox's pacing
 * (next_send_at) or the end of its pause; 0 when nothing is scheduled.
 * Found through indexes, whatever the number of enrollments. */
bool store_next_wake(Store *store, int64_t after_us, int64_t *at_us, GError **error);
/* Opening emails (step 1) of the campaign begun since @since_us. */
bool store_campaign_count_openings(Store *store, int64_t campaign_id, int64_t since_us,
                                   guint *count, GError **error);

/* Follow-ups due: active enrollments of the mailbox in running campaigns,
 * next_due_at <= @now_us, soonest first, at most @limit. StoreEnrollment.
 * This and the next leave out an enrollment whose next step has a message
 * already (begun by another worker, or left by a crash for the Sent-folder
 * check): a step is handed out once. */
GPtrArray *store_enrollment_list_due(Store *store, int64_t mailbox_id, int64_t now_us, guint limit,
                                     GError **error);
/* Openings due: queued enrollments of campaign @campaign_id (any of its
 * mailboxes may take them) with next_due_at <= @now_us, the longest due
 * first, at most @limit. One index range, whatever the campaign's size. */
GPtrArray *store_enrollment_list_queued(Store *store, int64_t campaign_id, int64_t now_us,
                                        guint limit, GError **error);
StoreEnrollment *store_enrollment_get_by_id(Store *store, int64_t id, GError **error);
/* Writes the state, next step, next due time, last send, mailbox and
 * reason of @enrollment (found by its id), if its stored revision is still
 * @enrollment->revision (then one more, in both); STORE_ERROR_CONFLICT,
 * nothing written, when another writer changed it since it was read (or
 * it is gone). */
bool store_enrollment_update(Store *store, StoreEnrollment *enrollment, GError **error);
/* Queued, active or paused enrollments of the prospect with @email (every
 * campaign), or of every prospect at @domain ("@acme.test") in
 * @campaign_id. StoreEnrollment. */
GPtrArray *store_enrollment_list_open_by_email(Store *store, const char *email, GError **error);
GPtrArray *store_enrollment_list_open_by_domain(Store *store, int64_t campaign_id,
                                                const char *domain, GError **error);
/* Every enrollment of the prospect with @email, in any state. */
GPtrArray *store_enrollment_list_for_prospect(Store *store, const char *email, GError **error);
/* Paused enrollments whose pause ended by @now_us (next_due_at). */
GPtrArray *store_enrollment_list_resumable(Store *store, int64_t now_us, GError **error);
/* What of the mailbox waits rather than sends: its enrollments that are
 * paused (soonest to resume first, next_due_at) or uncertain (waiting for a
 * person), at most 1000. StoreEnrollment. */
GPtrArray *store_enrollment_list_waiting(Store *store, int64_t mailbox_id, GError **error);

/* One message we sent or are sending. Plain data. */
typedef struct {
	int64_t id;
	int64_t enrollment_id;
	int64_t mailbox_id;
	int step;
	char *message_id; /* without <> */
	char *state;      /* sending, sent, failed, uncertain */
	char *subject;
	char *smtp_reply; /* NULL until there is one */
	int64_t created_at;
	int64_t sent_at; /* 0 until sent */
} StoreMessage;

void store_message_free(StoreMessage *message);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(StoreMessage, store_message_free)

/* Records that step @step of the enrollment is being sent, as "sending",
 * with its Message-ID: the promise "never twice" rests on this row, so a
 * second begin of the same step is STORE_ERROR_INVALID. */
bool store_message_begin(Store *store, int64_t enrollment_id, int step, int64_t mailbox_id,
                         const char *message_id, const char *subject, int64_t at_us, int64_t *id,
                         GError **error);
/* The outcome: "sent" (with @sent_at_us), "failed" or "uncertain". */
bool store_message_finish(Store *store, int64_t id, const char *state, const char *smtp_reply,
                          int64_t sent_at_us, GError **error);
/* Forgets a message that certainly did not leave, so its step can be
 * tried again. */
bool store_message_discard(Store *store, int64_t id, GError **error);
/* The enrollment's messages by step. StoreMessage. */
GPtrArray *store_message_list_for_enrollment(Store *store, int64_t enrollment_id, GError **error);
/* Messages of the mailbox (0: any) still "sending": a crash cut them. */
GPtrArray *store_message_list_sending(Store *store, int64_t mailbox_id, GError **error);
/* The message with this Message-ID (without <>), or NULL (no error). */
StoreMessage *store_message_find(Store *store, const char *message_id, GError **error);

/* Appends to the history: "sent", "reply", "auto_reply", "bounce",
 * "opt_out", "company_reply", "paused", "resumed", "uncertain", "error".
 * @enrollment_id and @message_id may be 0. */
/* One event of a timeline. Borrowed for the call. */
typedef struct {
	int64_t at_us;
	const char *kind;
	int64_t mailbox_id;    /* the mailbox it concerns; 0: none */
	int64_t enrollment_id; /* 0: none */
	int64_t message_id;    /* 0: none */
	const char *detail;
} StoreEventInput;

bool store_event_add(Store *store, const StoreEventInput *event, GError **error);

/* A message that arrived in a watched mailbox. Borrowed for the call. */
typedef struct {
	int64_t mailbox_id;
	const char *message_id; /* its Message-ID, or NULL */
	int64_t enrollment_id;  /* the enrollment it was matched to, or 0 */
	const char *klass;      /* reply, auto_reply, bounce, other */
	const char *from_address;
	const char *subject;
	const char *reply_text;
	int64_t received_at;
} StoreInboundInput;

/* Stores it once: *@added is false when this mailbox has seen this
 * Message-ID already (a rescan after a UIDVALIDITY change). */
bool store_inbound_add(Store *store, const StoreInboundInput *inbound, bool *added, GError **error);

/* A reply as shown to people. Plain data. */
typedef struct {
	char *campaign;
	char *email; /* the prospect */
	char *from_address;
	char *klass;
	char *subject;
	char *reply_text;
	int64_t received_at;
} StoreReply;

void store_reply_free(StoreReply *reply);
/* What people wrote back (replies, auto-replies, opt-outs; not delivery
 * reports) to enrollments of @campaign_id (0: every campaign, and then also
 * the delivery reports kept as unmatched for a person to look at, with
 * campaign and prospect "-"), newest first. StoreReply. */
GPtrArray *store_inbound_list_replies(Store *store, int64_t campaign_id, GError **error);

/* Per step of a campaign: what happened after it. */
typedef struct {
	int step;
	guint64 sent;
	guint64 replied;
	guint64 auto_replied;
	guint64 bounced;
	guint64 opted_out;
	guint64 uncertain;
} StoreStepReport;

/* One StoreStepReport per step, in order, from the events. */
GArray *store_campaign_report(Store *store, int64_t campaign_id, GError **error);
