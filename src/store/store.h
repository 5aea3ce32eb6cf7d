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
	STORE_ERROR_FENCED,    /* this engine's lease on the mailbox was taken over: let it go */
	STORE_ERROR_UNAVAILABLE, /* the database server cannot be reached now: try again */
} StoreError;

GQuark store_error_quark(void);

typedef struct Store Store;

/* $PICULET_DB, else ~/.local/share/piculet/piculet.db. Newly allocated. */
char *store_default_path(void);

/* Where a database is: a SQLite file's path, or a PostgreSQL server's
 * libpq URI ("postgresql://" or "postgres://"; its password best kept in
 * ~/.pgpass, never in the URI). */
bool store_location_is_server(const char *location);
/* True when @location is a URI that carries a password (user:password@,
 * or password=): not to be given on a command line or written in a log. */
bool store_location_has_password(const char *location);
/* @location fit for a log or a message: a URI's password replaced by
 * "***". Newly allocated. */
char *store_location_display(const char *location);

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
	int stop_fd;          /* > 0: readable once the process is asked to stop; a
	                       * server's answer is then awaited STORE_STOP_GRACE_S at
	                       * most, and a lost link not made again */
} StoreSettings;

/* How long a statement waits for a server's answer after a stop was
 * asked for (a healthy server answers in milliseconds; a silent link would
 * otherwise hold the stop for the whole deadline). */
#define STORE_STOP_GRACE_S 5

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

G_DEFINE_AUTOPTR_CLEANUP_FUNC(Store, store_close)

/* The schema version of the open database. */
unsigned store_get_schema_version(const Store *store);

/* Where @store is, for people and for marks: its location, a password
 * in it shown as *** (store_location_display). */
char *store_describe(const Store *store);

/* Copies every row of @source (a SQLite file, only read) into
 * @destination (a PostgreSQL database of the same schema with no rows),
 * in one transaction of the destination: all of it or nothing. Ids,
 * cursors, sealed secrets and counts go as they are (the destination's
 * triggers stay out of it); leases are let go (their tokens kept, so
 * they still grow); the live engines' names are not copied. Every
 * table's count is checked on both sides before the commit, and the
 * destination's 'copying' mark (move_mark) goes in the same commit.
 * *@tables: StoreCount (table, rows) in the order copied. The destination
 * waits at most a minute for another client's lock. */
bool store_copy_into(Store *source, Store *destination, GPtrArray **tables, GError **error);

/*
 * Each operation of a back end is declared once, in the lists below:
 *
 *     OP(returns, name, how, (parameters), (arguments))
 *
 * gives the function store_<name>(Store *store, parameters) declared here,
 * the member <name>(void *impl, parameters) of a back end's table
 * (store_private.h) and the SQLite back end's store_sqlite_<name>. @how is
 * what store.c does before the back end: FORWARDED (nothing: the function
 * is generated) or CHECKED (it checks the arguments; written by hand).
 * STORE_OPERATIONS(OP), at the end, is every list.
 */
/* clang-format off */
#define STORE_WITH_STORE(...) (Store *store, __VA_ARGS__)
#define STORE_DECLARE(returns, name, how, params, args)                                            \
	returns store_##name STORE_WITH_STORE params;
/* clang-format on */

/* Explicit transactions (everything between begin and commit happens
 * together or not at all; store_rollback undoes it) and the engine lock. */
/* clang-format off */
#define STORE_HANDLE_OPERATIONS(OP)                                                                \
	OP(bool, begin, FORWARDED, (GError **error), (error))                                      \
	OP(bool, commit, FORWARDED, (GError **error), (error))                                     \
	/* One engine per database: held until the store is closed (SQLite: an                     \
	 * exclusive flock(2) on the database file itself, which the kernel drops                  \
	 * however the process ends, and which a symlink or another path to the                    \
	 * same file meets). STORE_ERROR_BUSY when another engine holds it. */                     \
	OP(bool, lock_engine, FORWARDED, (GError **error), (error))
/* clang-format on */
STORE_HANDLE_OPERATIONS(STORE_DECLARE)
void store_rollback(Store *store);

/* --- blacklist: addresses ("a@b.c") and whole domains ("@b.c") --- */

/* clang-format off */
#define STORE_BLACKLIST_OPERATIONS(OP)                                                             \
	/* Adds @entry (normalised by the caller); true also when it was there. */                 \
	OP(bool, blacklist_add, CHECKED, (const char *entry, const char *reason, GError **error),  \
	   (entry, reason, error))                                                                 \
	OP(bool, blacklist_remove, CHECKED, (const char *entry, bool *removed, GError **error),    \
	   (entry, removed, error))                                                                \
	/* The entries, sorted; a new array of char *. */                                          \
	OP(GPtrArray *, blacklist_list, FORWARDED, (GError **error), (error))                      \
	/* Whether @email (normalised) or its domain is on the blacklist. */                       \
	OP(bool, blacklist_blocks, FORWARDED, (const char *email, bool *blocked, GError **error),  \
	   (email, blocked, error))
/* clang-format on */
STORE_BLACKLIST_OPERATIONS(STORE_DECLARE)

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

/* A page of prospects: in email order after @after (NULL: from the
 * first), those whose address, name or company holds @search (NULL: all;
 * case-insensitive for ASCII), of @status (NULL: any), at most @limit. */
typedef struct {
	const char *after;
	const char *search;
	const char *status;
	guint limit;
} StoreProspectQuery;

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

/* clang-format off */
#define STORE_PROSPECT_OPERATIONS(OP)                                                              \
	/* Inserts or updates the prospect with this email and its custom fields                   \
	 * (fields not given are kept). A bounced or opted-out prospect is left as                 \
	 * it is. */                                                                               \
	OP(bool, prospect_put, CHECKED,                                                            \
	   (const StoreProspectInput *prospect, StoreProspectResult *result, GError **error),      \
	   (prospect, result, error))                                                              \
	/* @n prospects put as prospect_put would put them one after the other                     \
	 * (a later row with the address of an earlier one of the same import is                   \
	 * its duplicate); @results[i] is the i-th one's. On PostgreSQL the new                    \
	 * ones go in by one COPY: what makes a large import fast there. */                        \
	OP(bool, prospect_put_many, CHECKED, (const StoreProspectInput *prospects, gsize n,        \
	   StoreProspectResult *results, GError **error), (prospects, n, results, error))          \
	/* The prospect with @email, or NULL (no error) when there is none. */                     \
	OP(StoreProspect *, prospect_get, FORWARDED, (const char *email, GError **error),          \
	   (email, error))                                                                         \
	/* Prospects in email order, at most @limit (0: all); a new array of                       \
	 * StoreProspect. */                                                                       \
	OP(GPtrArray *, prospect_list, FORWARDED, (guint limit, GError **error), (limit, error))   \
	OP(bool, prospect_count, FORWARDED, (guint64 *count, GError **error), (count, error))      \
	/* Of the prospects enrolled in @campaign_id (0: every prospect), how many                 \
	 * have no value for @field (first_name, last_name, company, timezone or a                 \
	 * custom field; an empty one counts as none): *@missing of *@total. */                    \
	OP(bool, prospect_count_missing, FORWARDED, (const char *field, int64_t campaign_id,       \
	   guint64 *missing, guint64 *total, GError **error),                                      \
	   (field, campaign_id, missing, total, error))                                            \
	/* A page of prospects (StoreProspectQuery); a new array of StoreProspect. */              \
	OP(GPtrArray *, prospect_page, FORWARDED, (const StoreProspectQuery *query,                \
	   GError **error), (query, error))                                                        \
	/* Removes the prospect with @email and, with it, its enrollments and the                  \
	 * record of what was sent to it (a person's right to be forgotten); the                   \
	 * blacklist keeps what it holds. *@removed says whether there was one. */                 \
	OP(bool, prospect_remove, FORWARDED, (const char *email, bool *removed, GError **error),   \
	   (email, removed, error))                                                                \
	/* Marks the prospect with @email "ok", "bounced", "opted_out" or                          \
	 * "blacklisted" (everywhere: the status is global). *@found says whether                  \
	 * there was one. */                                                                       \
	OP(bool, prospect_set_status, CHECKED,                                                     \
	   (const char *email, const char *status, bool *found, GError **error),                   \
	   (email, status, found, error))
/* clang-format on */
STORE_PROSPECT_OPERATIONS(STORE_DECLARE)

/* --- mailboxes --- */

/* A mailbox to add: plain data, borrowed for the call. The secret is a
 * source ("env:VAR", "file:PATH", "cmd:COMMAND") or "sealed" with the
 * sealed bytes (base_seal); or "oauth:CLIENT", a sign-in through that
 * OAuth2 client, with the sealed refresh token (NULL until signed in).
 * Never the secret itself. */
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
	int ramp_start;        /* messages on its first sending day; 0: no ramp */
	int ramp_step;         /* more on each later day it sent on */
	int64_t freeze_from;   /* it sends nothing from then (µs, UTC) ... */
	int64_t freeze_until;  /* ... until then; 0 and 0: no freeze */
	const char *timezone;  /* its day, for its caps (IANA); NULL: "UTC" */
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
	char *guard;          /* the guard that paused it, with its numbers; "" when none */
	int64_t guard_since;  /* the guards count what was sent from then (an acknowledgement) */
	int ramp_start;       /* 0: no ramp */
	int ramp_step;
	int64_t freeze_from; /* it sends nothing from then until freeze_until; 0: no freeze */
	int64_t freeze_until;
	char *timezone;           /* its day, for its caps (IANA) */
	int64_t sent_check_since; /* a backup's moment: its Sent folder is looked at for
	                           * mail sent since then before it sends; 0: none */
} StoreMailbox;

void store_mailbox_free(StoreMailbox *mailbox);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(StoreMailbox, store_mailbox_free)

/* One UTC day of a campaign: what was sent and what came back. */
typedef struct {
	int64_t day; /* days since 1970-01-01 */
	guint64 sent;
	guint64 replied;
} StoreDayCount;

/* Per step of a campaign: what happened after it. */
typedef struct {
	int step;
	guint64 sent;
	guint64 replied;
	guint64 auto_replied;
	guint64 bounced;
	guint64 opted_out;
	guint64 uncertain;
	guint64 opened;  /* tracked: messages a person opened (machine fetches not counted) */
	guint64 clicked; /* tracked: messages whose link a person followed */
} StoreStepReport;

/* clang-format off */
#define STORE_MAILBOX_OPERATIONS(OP)                                                               \
	/* Adds a mailbox; STORE_ERROR_INVALID when the address is there already. */               \
	OP(bool, mailbox_add, CHECKED,                                                             \
	   (const StoreMailboxInput *mailbox, int64_t *id, GError **error), (mailbox, id, error))  \
	/* The mailbox with @address, or NULL (no error) when there is none. */                    \
	OP(StoreMailbox *, mailbox_get, FORWARDED, (const char *address, GError **error),          \
	   (address, error))                                                                       \
	/* All mailboxes by address; a new array of StoreMailbox. */                               \
	OP(GPtrArray *, mailbox_list, FORWARDED, (GError **error), (error))                        \
	OP(bool, mailbox_remove, FORWARDED, (const char *address, bool *removed, GError **error),  \
	   (address, removed, error))                                                              \
	/* Replaces the settings of the mailbox with @mailbox->address (its pacing                 \
	 * state and cursors stay); *@found says whether there was one. */                         \
	OP(bool, mailbox_update, CHECKED,                                                          \
	   (const StoreMailboxInput *mailbox, bool *found, GError **error),                        \
	   (mailbox, found, error))                                                                \
	/* The mailbox's messages begun since @day_us and since @hour_us, by                      \
	 * recipient domain (recipient-domain caps): a new table of domain (char *)                \
	 * -> guint[2] {since @day_us, since @hour_us}. */                                         \
	OP(GHashTable *, mailbox_domain_counts, FORWARDED, (int64_t mailbox_id, int64_t day_us,    \
	   int64_t hour_us, GError **error), (mailbox_id, day_us, hour_us, error))                 \
	/* What the mailbox sent and what came back, over all its campaigns:                       \
	 * *@totals (step 0: sent, replied, auto-replied, bounced, opted out,                      \
	 * uncertain), and in *@days (new) per UTC day with any, the messages                      \
	 * sent and the replies received (StoreDayCount), oldest first. */                         \
	OP(bool, mailbox_report, FORWARDED,                                                        \
	   (int64_t mailbox_id, StoreStepReport *totals, GArray **days, GError **error),           \
	   (mailbox_id, totals, days, error))                                                      \
	/* The days before @before_us on which the mailbox sent (its ramp),                        \
	 * as calendar days in @zone (IANA; NULL or unknown: UTC). */                              \
	OP(bool, mailbox_count_sending_days, FORWARDED, (int64_t mailbox_id, int64_t before_us,    \
	   const char *zone, guint *days, GError **error),                                         \
	   (mailbox_id, before_us, zone, days, error))                                             \
	/* Its secret alone, in one statement: a new sign-in, or a refresh token                   \
	 * the server rotated, saved before anything else happens. */                              \
	OP(bool, mailbox_set_secret, FORWARDED, (const char *address, const char *source,          \
	   GBytes *sealed, bool *found, GError **error), (address, source, sealed, found, error))   \
	/* Its secret replaced by @sealed only while it is still @was with                         \
	 * source @source (a rotated refresh token, saved unless a sign-in or an                   \
	 * edit changed the secret meanwhile); *@replaced whether it was. */                       \
	OP(bool, mailbox_replace_secret, FORWARDED, (const char *address, const char *source,      \
	   GBytes *was, GBytes *sealed, bool *replaced, GError **error),                           \
	   (address, source, was, sealed, replaced, error))
/* clang-format on */
STORE_MAILBOX_OPERATIONS(STORE_DECLARE)

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
	char *guard;         /* the guard that paused it, with its numbers; "" when none */
	int64_t guard_since; /* the guards count what was sent from then (an acknowledgement) */
} StoreCampaign;

void store_campaign_free(StoreCampaign *campaign);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(StoreCampaign, store_campaign_free)

/* clang-format off */
#define STORE_CAMPAIGN_OPERATIONS(OP)                                                              \
	/* Creates a draft; STORE_ERROR_INVALID when the name is taken or a mailbox                \
	 * does not exist (the message names it). */                                               \
	OP(bool, campaign_create, CHECKED,                                                         \
	   (const StoreCampaignInput *campaign, int64_t *id, GError **error),                      \
	   (campaign, id, error))                                                                  \
	/* Replaces the definition, steps and mailboxes of the campaign with this                  \
	 * name. What was sent stays: STORE_ERROR_INVALID when a step that has                     \
	 * messages would disappear. */                                                            \
	OP(bool, campaign_update, CHECKED, (const StoreCampaignInput *campaign, GError **error),   \
	   (campaign, error))                                                                      \
	/* The campaign named @name, or with @id, or NULL (no error) when there                    \
	 * is none. */                                                                             \
	OP(StoreCampaign *, campaign_get, CHECKED, (const char *name, GError **error),             \
	   (name, error))                                                                          \
	OP(StoreCampaign *, campaign_get_by_id, FORWARDED, (int64_t id, GError **error),           \
	   (id, error))                                                                            \
	/* All campaigns by name; a new array of StoreCampaign. */                                 \
	OP(GPtrArray *, campaign_list, FORWARDED, (GError **error), (error))                       \
	/* Sets "draft", "running", "paused" or "archived"; *@found says whether                   \
	 * there was such a campaign. */                                                           \
	OP(bool, campaign_set_state, CHECKED,                                                      \
	   (const char *name, const char *state, bool *found, GError **error),                     \
	   (name, state, found, error))                                                            \
	/* Opening emails (step 1) of the campaign begun since @since_us. */                       \
	OP(bool, campaign_count_openings, FORWARDED,                                               \
	   (int64_t campaign_id, int64_t since_us, guint * count, GError **error),                 \
	   (campaign_id, since_us, count, error))                                                  \
	/* In a transaction: every other writer's openings of campaign                            \
	 * @campaign_id wait until it ends, so that a count of its openings and                    \
	 * the one begun after it go together (several engines share a daily                       \
	 * limit). PostgreSQL: an advisory transaction lock; SQLite's write                        \
	 * transaction holds every writer already. */                                              \
	OP(bool, campaign_lock_openings, FORWARDED, (int64_t campaign_id, GError **error),         \
	   (campaign_id, error))                                                                   \
	/* One StoreStepReport per step, in order, from the events. */                             \
	OP(GArray *, campaign_report, FORWARDED, (int64_t campaign_id, GError **error),            \
	   (campaign_id, error))                                                                   \
	/* Per UTC day with any, the messages sent and the replies received                        \
	 * (StoreDayCount), oldest first. */                                                       \
	OP(GArray *, campaign_days, FORWARDED, (int64_t campaign_id, GError **error),              \
	   (campaign_id, error))                                                                   \
	/* Per step and variant with any message, what came of them                                \
	 * (StoreVariantReport), by step then variant. */                                          \
	OP(GArray *, campaign_variants, FORWARDED, (int64_t campaign_id, GError **error),          \
	   (campaign_id, error))                                                                   \
	/* The winners picked so far (StoreWinner), by step. */                                    \
	OP(GArray *, campaign_winners, FORWARDED, (int64_t campaign_id, GError **error),           \
	   (campaign_id, error))                                                                   \
	/* Records @variant as step @step's winner, unless one is recorded                         \
	 * already (another engine was first): *@recorded says which. */                           \
	OP(bool, campaign_set_winner, CHECKED,                                                     \
	   (int64_t campaign_id, int step, int variant, int64_t at_us, const char *detail,         \
	    bool *recorded, GError **error),                                                       \
	   (campaign_id, step, variant, at_us, detail, recorded, error))
/* clang-format on */
STORE_CAMPAIGN_OPERATIONS(STORE_DECLARE)

/* --- enrollments: a prospect in a campaign --- */

typedef enum {
	STORE_ENROLL_ADDED,
	STORE_ENROLL_ALREADY,           /* in this campaign already */
	STORE_ENROLL_IN_OTHER_CAMPAIGN, /* held back: active in another campaign */
	STORE_ENROLL_NOT_CONTACTABLE,   /* bounced, opted out or blacklisted */
	STORE_ENROLL_NO_PROSPECT,       /* no prospect with this address */
} StoreEnrollResult;

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

/* clang-format off */
#define STORE_ENROLLMENT_OPERATIONS(OP)                                                            \
	/* Enrolls the prospect with @email in campaign @campaign_id, queued for its               \
	 * first step. A prospect queued, active or paused in another campaign is                  \
	 * held back unless @allow_other_campaigns. */                                             \
	OP(bool, enrollment_add, CHECKED,                                                          \
	   (int64_t campaign_id, const char *email, bool allow_other_campaigns,                    \
	    StoreEnrollResult *result, GError **error),                                            \
	   (campaign_id, email, allow_other_campaigns, result, error))                             \
	/* The enrollments of a campaign in the order they were made, at most                      \
	 * @limit (0: all); a new array of StoreEnrollment. */                                     \
	OP(GPtrArray *, enrollment_list, FORWARDED,                                                \
	   (int64_t campaign_id, guint limit, GError **error), (campaign_id, limit, error))        \
	/* The enrollment of @email in the campaign, or NULL (no error). */                        \
	OP(StoreEnrollment *, enrollment_get, FORWARDED,                                           \
	   (int64_t campaign_id, const char *email, GError **error), (campaign_id, email, error))  \
	OP(StoreEnrollment *, enrollment_get_by_id, FORWARDED, (int64_t id, GError **error),       \
	   (id, error))                                                                            \
	/* Every enrollment of the prospect with @email, in any state. */                          \
	OP(GPtrArray *, enrollment_list_for_prospect, FORWARDED,                                   \
	   (const char *email, GError **error), (email, error))                                    \
	/* Follow-ups due: active enrollments of the mailbox in running campaigns,                 \
	 * next_due_at <= @now_us, soonest first, at most @limit. StoreEnrollment.                 \
	 * This and the next leave out an enrollment whose next step has a message                 \
	 * already (begun by another worker, or left by a crash for the Sent-folder                \
	 * check): a step is handed out once. Both leave out the prospects at the                 \
	 * recipient domains in @skip_domains (",acme.test,b.test,", lower case;                   \
	 * NULL: none): those whose caps are reached do not crowd out the rest. */                 \
	OP(GPtrArray *, enrollment_list_due, FORWARDED,                                            \
	   (int64_t mailbox_id, int64_t now_us, guint limit, const char *skip_domains,             \
	    GError **error),                                                                       \
	   (mailbox_id, now_us, limit, skip_domains, error))                                       \
	/* Openings due: queued enrollments of campaign @campaign_id (any of its                   \
	 * mailboxes may take them) with next_due_at <= @now_us, the longest due                   \
	 * first, at most @limit. One index range, whatever the campaign's size. */                \
	OP(GPtrArray *, enrollment_list_queued, FORWARDED,                                         \
	   (int64_t campaign_id, int64_t now_us, guint limit, const char *skip_domains,            \
	    GError **error),                                                                       \
	   (campaign_id, now_us, limit, skip_domains, error))                                      \
	/* Writes the state, next step, next due time, last send, mailbox and                      \
	 * reason of @enrollment (found by its id), if its stored revision is still                \
	 * @enrollment->revision (then one more, in both); STORE_ERROR_CONFLICT,                   \
	 * nothing written, when another writer changed it since it was read (or                   \
	 * it is gone). */                                                                         \
	OP(bool, enrollment_update, FORWARDED, (StoreEnrollment *enrollment, GError **error),      \
	   (enrollment, error))                                                                    \
	/* Queued, active or paused enrollments of the prospect with @email (every                 \
	 * campaign), or of every prospect at @domain ("@acme.test") in                            \
	 * @campaign_id. StoreEnrollment. */                                                       \
	OP(GPtrArray *, enrollment_list_open_by_email, FORWARDED,                                  \
	   (const char *email, GError **error), (email, error))                                    \
	OP(GPtrArray *, enrollment_list_open_by_domain, FORWARDED,                                 \
	   (int64_t campaign_id, const char *domain, GError **error),                              \
	   (campaign_id, domain, error))                                                           \
	/* Paused enrollments whose pause ended by @now_us (next_due_at). */                       \
	OP(GPtrArray *, enrollment_list_resumable, FORWARDED, (int64_t now_us, GError **error),    \
	   (now_us, error))                                                                        \
	/* What of the mailbox waits rather than sends: its enrollments that are                   \
	 * paused (soonest to resume first, next_due_at) or uncertain (waiting for a               \
	 * person), at most 1000. StoreEnrollment. */                                              \
	OP(GPtrArray *, enrollment_list_waiting, FORWARDED, (int64_t mailbox_id, GError **error),  \
	   (mailbox_id, error))
/* clang-format on */
STORE_ENROLLMENT_OPERATIONS(STORE_DECLARE)

/* --- what the engine needs: pacing, due work, messages, events, mail in ---
 *
 * Every function here is one short statement or a few in a savepoint; the
 * engine wraps the ones that must go together in store_begin/commit. */

/* clang-format off */
#define STORE_PACING_OPERATIONS(OP)                                                                \
	OP(bool, mailbox_set_next_send, FORWARDED,                                                 \
	   (int64_t mailbox_id, int64_t at_us, GError **error), (mailbox_id, at_us, error))        \
	/* Pauses the mailbox with @reason until @until_us (0: until resumed by                    \
	 * hand), or, with @reason NULL, resumes it. */                                            \
	OP(bool, mailbox_set_paused, FORWARDED,                                                    \
	   (int64_t mailbox_id, const char *kind, const char *reason, int64_t until_us,            \
	    GError **error),                                                                       \
	   (mailbox_id, kind, reason, until_us, error))                                            \
	/* Where the engine left @folder of the mailbox; all 0 when never synced. */               \
	OP(bool, mailbox_get_cursor, FORWARDED,                                                    \
	   (int64_t mailbox_id, const char *folder, uint32_t *uid_validity, uint32_t *last_uid,    \
	    GError **error),                                                                       \
	   (mailbox_id, folder, uid_validity, last_uid, error))                                    \
	OP(bool, mailbox_set_cursor, FORWARDED,                                                    \
	   (int64_t mailbox_id, const char *folder, uint32_t uid_validity, uint32_t last_uid,      \
	    GError **error),                                                                       \
	   (mailbox_id, folder, uid_validity, last_uid, error))                                    \
	/* Messages that went (or may have gone) through the mailbox since @since_us. */           \
	/* How many spam complaints about its mail came in since @since_us                         \
	 * (events "complaint"): a health sign of the mailbox. */                                  \
	OP(bool, mailbox_count_complaints, FORWARDED,                                              \
	   (int64_t mailbox_id, int64_t since_us, guint *result, GError **error),                  \
	   (mailbox_id, since_us, result, error))                                                  \
	OP(bool, mailbox_count_sent, FORWARDED,                                                    \
	   (int64_t mailbox_id, int64_t since_us, guint * count, GError **error),                  \
	   (mailbox_id, since_us, count, error))                                                   \
	/* When the mailbox next has a step due (its follow-ups, the openings of                   \
	 * its running campaigns), or 0 when nothing waits. */                                     \
	OP(bool, mailbox_next_due, FORWARDED,                                                      \
	   (int64_t mailbox_id, int64_t * at_us, GError **error), (mailbox_id, at_us, error))      \
	/* The earliest moment after @after_us at which something may fall due: an                 \
	 * enrollment's next_due_at (active, queued or paused), a mailbox's pacing                 \
	 * (next_send_at) or the end of its pause; 0 when nothing is scheduled.                    \
	 * Found through indexes, whatever the number of enrollments. */                           \
	OP(bool, next_wake, FORWARDED, (int64_t after_us, int64_t * at_us, GError **error),        \
	   (after_us, at_us, error))
/* clang-format on */
STORE_PACING_OPERATIONS(STORE_DECLARE)

/* One message we sent or are sending. Plain data. */
typedef struct {
	int64_t id;
	int64_t enrollment_id;
	int64_t mailbox_id;
	int step;
	int variant;      /* of its step: 0 is A (a step without variants: 0) */
	char *message_id; /* without <> */
	char *state;      /* sending, sent, failed, uncertain */
	char *subject;
	char *smtp_reply; /* NULL until there is one */
	int64_t created_at;
	int64_t sent_at; /* 0 until sent */
} StoreMessage;

void store_message_free(StoreMessage *message);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(StoreMessage, store_message_free)

/* clang-format off */
#define STORE_MESSAGE_OPERATIONS(OP)                                                               \
	/* Records that step @step of the enrollment is being sent, as "sending",                  \
	 * with its Message-ID: the promise "never twice" rests on this row, so a                  \
	 * second begin of the same step is STORE_ERROR_CONFLICT (another                           \
	 * worker or engine began it first: decide again). */                                       \
	OP(bool, message_begin, FORWARDED,                                                         \
	   (int64_t enrollment_id, int step, int variant, int64_t mailbox_id,                      \
	    const char *message_id, const char *subject, int64_t at_us, int64_t *id,               \
	    GError **error),                                                                       \
	   (enrollment_id, step, variant, mailbox_id, message_id, subject, at_us, id, error))      \
	/* The outcome: "sent" (with @sent_at_us), "failed" or "uncertain". */                     \
	OP(bool, message_finish, FORWARDED,                                                        \
	   (int64_t id, const char *state, const char *smtp_reply, int64_t sent_at_us,             \
	    GError **error),                                                                       \
	   (id, state, smtp_reply, sent_at_us, error))                                             \
	/* Forgets a message that certainly did not leave, so its step can be                      \
	 * tried again. */                                                                         \
	OP(bool, message_discard, FORWARDED, (int64_t id, GError **error), (id, error))            \
	/* The enrollment's messages by step. StoreMessage. */                                     \
	OP(GPtrArray *, message_list_for_enrollment, FORWARDED,                                    \
	   (int64_t enrollment_id, GError **error), (enrollment_id, error))                        \
	/* Messages of the mailbox (0: any) still "sending": a crash cut them. */                  \
	OP(GPtrArray *, message_list_sending, FORWARDED, (int64_t mailbox_id, GError **error),     \
	   (mailbox_id, error))                                                                    \
	/* The message with this Message-ID (without <>), or NULL (no error). */                   \
	OP(StoreMessage *, message_find, FORWARDED, (const char *message_id, GError **error),      \
	   (message_id, error))                                                      \
	/* The message of step @step of the enrollment, or NULL (no error). */                     \
	OP(StoreMessage *, message_find_step, FORWARDED,                                           \
	   (int64_t enrollment_id, int step, GError **error), (enrollment_id, step, error))
/* clang-format on */
STORE_MESSAGE_OPERATIONS(STORE_DECLARE)

/* One event of a timeline; its kind is a name of the engine's EngineEvent
 * ("sent", "reply", "bounce", ...: engine_lifecycle_event_name). Borrowed
 * for the call. */
typedef struct {
	int64_t at_us;
	const char *kind;
	/* The webhook type it is announced as ("reply.received"), or NULL: the
	 * subscriptions that want it get a delivery in the same transaction. */
	const char *webhook_type;
	int64_t mailbox_id;    /* the mailbox it concerns; 0: none */
	int64_t campaign_id;   /* a campaign's own event (no enrollment); 0: none */
	int64_t enrollment_id; /* 0: none */
	int64_t message_id;    /* 0: none */
	const char *detail;
} StoreEventInput;

/* One event as stored, with what it concerns by name. Plain data. */
typedef struct {
	int64_t id; /* ascending in the order events were written */
	int64_t at;
	char *kind;     /* as StoreEventInput.kind */
	char *campaign; /* the campaign's name; NULL: none (a mailbox's own event) */
	char *email;    /* the prospect's; NULL: none */
	int step;       /* the step of the message it concerns; 0: none */
	char *mailbox;  /* the address of the mailbox it concerns; NULL: none */
	char *detail;
} StoreEvent;

void store_event_free(StoreEvent *event);

/* A message that arrived in a watched mailbox. Borrowed for the call. */
typedef struct {
	int64_t mailbox_id;
	const char *message_id; /* its Message-ID, or NULL */
	int64_t enrollment_id;  /* the enrollment it was matched to, or 0 */
	const char *klass;      /* reply, opt_out, auto_reply, bounce, feedback, other */
	const char *from_address;
	const char *subject;
	const char *reply_text;
	int64_t received_at;
	/* A person's reply: what it means (mail_intent's names), or NULL. */
	const char *intent;
	const char *intent_date;   /* "YYYY-MM-DD" a "later" names, or NULL */
	const char *referral;      /* the colleague a "wrong person" names, or NULL */
	bool needs_review;         /* unsure: a person should look */
	const char *return_date;   /* an auto-reply's "YYYY-MM-DD", or NULL */
	const char *bounce_status; /* a bounce's "5.1.1" for this enrollment, or NULL */
	const char *bounce_reason; /* its mail_reason name, or NULL */
	bool bounce_hard;
} StoreInboundInput;

/* A reply as shown to people. Plain data. */
typedef struct {
	char *campaign;
	char *email; /* the prospect */
	char *from_address;
	char *klass;
	char *subject;
	char *reply_text;
	int64_t received_at;
	int64_t id;            /* the inbound row's */
	int64_t enrollment_id; /* 0: matched to none */
	char *intent;          /* "" when it is no person's reply */
	char *intent_date;     /* "" when none */
	char *referral;        /* "" when none */
	bool needs_review;
	char *message_id; /* its Message-ID (no brackets); "" when it had none */
	char *mailbox;    /* the address of the mailbox it came to */
} StoreReply;

void store_reply_free(StoreReply *reply);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(StoreReply, store_reply_free)

/* A name and how many. Plain data. */
typedef struct {
	char *name;
	guint64 n;
} StoreCount;

void store_count_free(StoreCount *count);

/* clang-format off */
#define STORE_HISTORY_OPERATIONS(OP)                                                               \
	/* Appends @event to the history. */                                                       \
	OP(bool, event_add, FORWARDED, (const StoreEventInput *event, GError **error),             \
	   (event, error))                                                                         \
	/* Appends @n events in order (a batch of many: the subscriptions are                      \
	 * read once for all): all of them or, with an error, none; inside a                       \
	 * transaction of the caller's, the caller rolls back on an error. */                      \
	OP(bool, event_add_all, FORWARDED,                                                         \
	   (const StoreEventInput *events, gsize n, GError **error), (events, n, error))           \
	/* What happened to the prospect with @email in every campaign, oldest                     \
	 * first (a prospect's timeline). StoreEvent. */                                           \
	OP(GPtrArray *, event_list_for_prospect, FORWARDED, (const char *email, GError **error),   \
	   (email, error))                                                                         \
	/* Every event written after the one with id @after_id (0: from the                        \
	 * first), in order, at most @limit: a feed to page through. StoreEvent. */                \
	OP(GPtrArray *, event_list_after, FORWARDED, (int64_t after_id, guint limit,               \
	   GError **error), (after_id, limit, error))                                              \
	/* The mailbox's last trouble since @since_us (a pause it put itself in,                   \
	 * a step that could not be composed, a send that may have gone): its                      \
	 * time, kind and words (new), or *@at 0 and NULLs when none. */                           \
	OP(bool, event_last_trouble, FORWARDED,                                                    \
	   (int64_t mailbox_id, int64_t since_us, int64_t *at, char **kind, char **detail,         \
	    GError **error),                                                                       \
	   (mailbox_id, since_us, at, kind, detail, error))                                        \
	/* Stores it once: *@added is false when this mailbox has seen this                        \
	 * Message-ID already (a rescan after a UIDVALIDITY change). */                            \
	OP(bool, inbound_add, FORWARDED,                                                           \
	   (const StoreInboundInput *inbound, bool *added, GError **error),                        \
	   (inbound, added, error))                                                                \
	/* What people wrote back (replies, auto-replies, opt-outs; not delivery                   \
	 * reports) to enrollments of @campaign_id (0: every campaign, and then also               \
	 * the delivery reports kept as unmatched for a person to look at, with                    \
	 * campaign and prospect "-"), newest first; only the replies of @intent                   \
	 * when it is not NULL, that came to @mailbox (an address) when it is                      \
	 * not NULL; @limit of them (0: all) after the first @offset. StoreReply. */               \
	OP(GPtrArray *, inbound_list_replies, FORWARDED, (int64_t campaign_id,                     \
	   const char *intent, const char *mailbox, guint limit, guint offset, GError **error),    \
	   (campaign_id, intent, mailbox, limit, offset, error))                                   \
	/* How many replies to enrollments of @campaign_id each intent has, most                   \
	 * first: StoreCount (name: the intent). */                                                \
	OP(GPtrArray *, inbound_count_intents, FORWARDED, (int64_t campaign_id, GError **error),   \
	   (campaign_id, error))                                                                   \
	/* The intent of the last reply (by its arrival) to enrollment                             \
	 * @enrollment_id that has one, in *@intent (new; "" when none). */                        \
	OP(bool, inbound_last_intent, FORWARDED,                                                   \
	   (int64_t enrollment_id, char **intent, GError **error), (enrollment_id, intent, error)) \
	/* The inbound message @id as a reply, or NULL (no error) when there is                    \
	 * none. */                                                                                \
	OP(StoreReply *, inbound_get, FORWARDED, (int64_t id, GError **error), (id, error))       \
	/* What came in for enrollment @enrollment_id, oldest first. StoreReply. */                \
	OP(GPtrArray *, inbound_list_for_enrollment, FORWARDED,                                    \
	   (int64_t enrollment_id, GError **error), (enrollment_id, error))                        \
	/* A person's reading of reply @id: its intent is @intent and it needs no                  \
	 * more review; *@found is false when there is no such message. */                        \
	OP(bool, inbound_set_intent, FORWARDED,                                                    \
	   (int64_t id, const char *intent, bool *found, GError **error),                          \
	   (id, intent, found, error))
/* clang-format on */
STORE_HISTORY_OPERATIONS(STORE_DECLARE)

/* One variant of one step of a campaign: its messages sent, and of those
 * the ones answered (a reply, a hard bounce, an opt-out counted once per
 * message, under the message they answer). */
typedef struct {
	int step;
	int variant; /* 0 is A */
	guint64 sent;
	guint64 replied;
	guint64 bounced;
	guint64 opted_out;
} StoreVariantReport;

/* A step's winning variant, as picked. The array's clear function frees
 * the detail. */
typedef struct {
	int step;
	int variant;
	int64_t decided_at;
	char *detail; /* the numbers and the test that decided, in words */
} StoreWinner;

/* --- answers written in the dashboard --- */

/* An answer to a reply, as stored. Plain data. */
typedef struct {
	int64_t id;
	int64_t inbound_id; /* the reply it answers (StoreReply.id) */
	int64_t mailbox_id;
	char *request_key; /* the page's key for it: the same key is the same answer */
	char *message_id;  /* no brackets */
	char *author;      /* who wrote it (the user's address, or the API key's name) */
	char *to_address;
	char *subject;
	char *body;
	char *state; /* "sending", "sent", "failed", "uncertain" */
	char *detail;
	int64_t created_at;
	int64_t sent_at; /* 0 until sent */
} StoreAnswer;

void store_answer_free(StoreAnswer *answer);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(StoreAnswer, store_answer_free)

/* An answer about to be sent. Borrowed for the call. */
typedef struct {
	int64_t inbound_id;
	int64_t mailbox_id;
	const char *request_key;
	const char *message_id;
	const char *author;
	const char *to_address;
	const char *subject;
	const char *body;
} StoreAnswerInput;

/* clang-format off */
#define STORE_ANSWER_OPERATIONS(OP)                                                                \
	/* Writes @answer as "sending", before it is sent; *@id its row.                           \
	 * When its request_key has a row already,                                                 \
	 * nothing is written: *@id that row, *@existing true. */                                  \
	OP(bool, answer_begin, FORWARDED, (const StoreAnswerInput *answer, int64_t *id,            \
	   bool *existing, GError **error), (answer, id, existing, error))                         \
	/* What became of answer @id: @state ("sent", "failed", "uncertain")                       \
	 * with @detail (the server's words), sent at @sent_at (0: not). */                        \
	OP(bool, answer_finish, FORWARDED, (int64_t id, const char *state, const char *detail,     \
	   int64_t sent_at, GError **error), (id, state, detail, sent_at, error))                  \
	/* Answer @id, or NULL (no error) when there is none. */                                   \
	OP(StoreAnswer *, answer_get, FORWARDED, (int64_t id, GError **error), (id, error))        \
	/* The answers to reply @inbound_id, oldest first. StoreAnswer. */                         \
	OP(GPtrArray *, answer_list, FORWARDED, (int64_t inbound_id, GError **error),              \
	   (inbound_id, error))
/* clang-format on */
STORE_ANSWER_OPERATIONS(STORE_DECLARE)

/* --- the HTTP API's keys --- */

/* One key as stored: never the key itself, only its SHA-256. Plain data. */
typedef struct {
	int64_t id;
	char *name;
	char *scope; /* "read" or "write" */
	int64_t created_at;
} StoreApiKey;

void store_api_key_free(StoreApiKey *key);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(StoreApiKey, store_api_key_free)

/* clang-format off */
#define STORE_API_KEY_OPERATIONS(OP)                                                               \
	/* Adds a key by its @hash (32 bytes); STORE_ERROR_INVALID when the name                   \
	 * is taken or the scope is not "read" or "write". */                                      \
	OP(bool, api_key_add, CHECKED, (const char *name, const char *scope, GBytes *hash,         \
	   GError **error), (name, scope, hash, error))                                            \
	/* The key whose SHA-256 is @hash, or NULL (no error) when there is none. */               \
	OP(StoreApiKey *, api_key_find, FORWARDED, (GBytes *hash, GError **error), (hash, error))  \
	/* Every key by name. StoreApiKey. */                                                      \
	OP(GPtrArray *, api_key_list, FORWARDED, (GError **error), (error))                        \
	OP(bool, api_key_remove, FORWARDED, (const char *name, bool *removed, GError **error),     \
	   (name, removed, error))
/* clang-format on */
STORE_API_KEY_OPERATIONS(STORE_DECLARE)

/* --- the dashboard's people and their sessions --- */

/* A person who signs in to the dashboard. Plain data. */
typedef struct {
	int64_t id;
	char *email;
	char *role;          /* "owner", "member" or "viewer" */
	char *password_hash; /* app_user's text: the KDF, its costs, salt and hash */
	int64_t created_at;
} StoreUser;

void store_user_free(StoreUser *user);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(StoreUser, store_user_free)

/* A signed-in browser: its user and the token its changes carry. Plain data. */
typedef struct {
	StoreUser *user;
	char *csrf;
	int64_t expires_at;
} StoreUserSession;

void store_user_session_free(StoreUserSession *session);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(StoreUserSession, store_user_session_free)

/* clang-format off */
#define STORE_USER_OPERATIONS(OP)                                                                  \
	/* Adds user @email; STORE_ERROR_INVALID when the address is taken or                      \
	 * the role is none of the three. */                                                       \
	OP(bool, user_add, CHECKED, (const char *email, const char *role,                          \
	   const char *password_hash, GError **error), (email, role, password_hash, error))        \
	/* The user @email (compared without case), or NULL (no error). */                         \
	OP(StoreUser *, user_find, FORWARDED, (const char *email, GError **error), (email, error)) \
	/* Every user by address. StoreUser. */                                                    \
	OP(GPtrArray *, user_list, FORWARDED, (GError **error), (error))                           \
	/* Removes user @email and its sessions. */                                                \
	OP(bool, user_remove, FORWARDED, (const char *email, bool *removed, GError **error),       \
	   (email, removed, error))                                                                \
	/* Sets user @email's password hash and ends its sessions, in one                          \
	 * transaction; *@found false when there is no such user. */                               \
	OP(bool, user_set_password, FORWARDED, (const char *email, const char *password_hash,      \
	   bool *found, GError **error), (email, password_hash, found, error))                     \
	/* Changes user @email's role; *@found as above. */                                        \
	OP(bool, user_set_role, CHECKED, (const char *email, const char *role, bool *found,        \
	   GError **error), (email, role, found, error))                                           \
	/* Opens a session for @user_id under @token_hash (32 bytes) until                         \
	 * @expires_at, and forgets the user's sessions that have ended. */                        \
	OP(bool, user_session_add, CHECKED, (int64_t user_id, GBytes *token_hash,                  \
	   const char *csrf, int64_t expires_at, GError **error),                                  \
	   (user_id, token_hash, csrf, expires_at, error))                                         \
	/* The session under @token_hash still open at @now_us, or NULL (no error). */             \
	OP(StoreUserSession *, user_session_find, FORWARDED, (GBytes *token_hash, int64_t now_us,  \
	   GError **error), (token_hash, now_us, error))                                           \
	OP(bool, user_session_remove, FORWARDED, (GBytes *token_hash, GError **error),             \
	   (token_hash, error))
/* clang-format on */
STORE_USER_OPERATIONS(STORE_DECLARE)

/* --- webhooks: subscriptions and their outbox --- */

/* A subscription as stored. Plain data. */
typedef struct {
	int64_t id;
	char *url;
	char *events;          /* space-separated types, or "*" */
	GBytes *secret_sealed; /* the signing secret, sealed (base_seal, context "webhook") */
	int64_t created_at;
} StoreWebhook;

void store_webhook_free(StoreWebhook *webhook);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(StoreWebhook, store_webhook_free)

/* One delivery of one event to one subscription. Plain data. */
typedef struct {
	int64_t id;
	int64_t webhook_id;
	int64_t event_id;
	char *type;
	char *payload; /* JSON, as written with the event */
	char *state;   /* pending, delivered, dead */
	int attempts;
	int64_t created_at;
	int64_t first_tried_at; /* 0: not tried yet */
	int64_t next_at;
	char *last_error; /* NULL: none */
} StoreDelivery;

void store_delivery_free(StoreDelivery *delivery);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(StoreDelivery, store_delivery_free)

/* clang-format off */
#define STORE_WEBHOOK_OPERATIONS(OP)                                                               \
	/* Adds a subscription; *@id its id. */                                                    \
	OP(bool, webhook_add, CHECKED, (const char *url, const char *events, GBytes *secret_sealed, \
	   int64_t *id, GError **error), (url, events, secret_sealed, id, error))                  \
	/* Every subscription by id. StoreWebhook. */                                              \
	OP(GPtrArray *, webhook_list, FORWARDED, (GError **error), (error))                        \
	/* The subscription @id, or NULL (no error). */                                            \
	OP(StoreWebhook *, webhook_get, FORWARDED, (int64_t id, GError **error), (id, error))      \
	/* Removes it and what it has still to deliver. */                                         \
	OP(bool, webhook_remove, FORWARDED, (int64_t id, bool *removed, GError **error),           \
	   (id, removed, error))                                                                   \
	/* What is due: of each subscription, its oldest pending delivery when                     \
	 * its time (next_at) has come by @now_us (a later one waits behind it:                    \
	 * order per subscription), at most @limit. StoreDelivery. */                              \
	OP(GPtrArray *, delivery_list_due, FORWARDED, (int64_t now_us, guint limit,                \
	   GError **error), (now_us, limit, error))                                                \
	/* The outcome of an attempt made at @tried_us: "delivered", "pending"                     \
	 * again (next at @next_us, with @failure), or "dead" (with @failure). */                  \
	OP(bool, delivery_finish, CHECKED, (int64_t id, const char *state, const char *failure,    \
	   int64_t tried_us, int64_t next_us, GError **error),                                     \
	   (id, state, failure, tried_us, next_us, error))                                         \
	/* Deliveries of subscription @webhook_id (0: any) in @state, oldest                       \
	 * first, at most @limit. StoreDelivery. */                                                \
	OP(GPtrArray *, delivery_list, FORWARDED, (int64_t webhook_id, const char *state,          \
	   guint limit, GError **error), (webhook_id, state, limit, error))                        \
	/* A dead delivery pending again, due at @now_us; *@found whether it was                   \
	 * one. */                                                                                 \
	OP(bool, delivery_replay, FORWARDED, (int64_t id, int64_t now_us, bool *found,             \
	   GError **error), (id, now_us, found, error))                                            \
	/* One process delivers: @holder holds the deliverer's lease until                         \
	 * @now_us + @lease_us when it held it or nobody does (none, or expired                    \
	 * by @now_us: the database's clock, store_lease_clock); *@held says                       \
	 * whether it does now. @lease_us 0: @holder lets it go. */                                \
	OP(bool, delivery_lease, CHECKED, (const char *holder, int64_t now_us, int64_t lease_us,   \
	   bool *held, GError **error), (holder, now_us, lease_us, held, error))
/* clang-format on */
STORE_WEBHOOK_OPERATIONS(STORE_DECLARE)

/* --- OAuth2 clients: the user's own registration at a provider --- */

/* A client to save (by @name, replacing one of that name). Borrowed. */
typedef struct {
	const char *name; /* "google", "microsoft", or the user's name of a server */
	const char *client_id;
	GBytes *secret_sealed; /* NULL: a public client (base_seal, context "oauth:" name) */
	const char *auth_url;
	const char *token_url;
	const char *device_url; /* NULL or "": no device grant */
	const char *scope;
	const char *auth_params; /* more of the authorization URL's query; NULL: none */
} StoreOauthClientInput;

/* A client as stored. Plain data. */
typedef struct {
	char *name;
	char *client_id;
	GBytes *secret_sealed; /* NULL: a public client */
	char *auth_url;
	char *token_url;
	char *device_url; /* "": none */
	char *scope;
	char *auth_params;
	int64_t updated_at;
} StoreOauthClient;

void store_oauth_client_free(StoreOauthClient *client);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(StoreOauthClient, store_oauth_client_free)

/* clang-format off */
#define STORE_OAUTH_OPERATIONS(OP)                                                                 \
	/* Adds or replaces the client @client->name; STORE_ERROR_INVALID when a                   \
	 * name, id or URL is missing. */                                                          \
	OP(bool, oauth_client_set, CHECKED, (const StoreOauthClientInput *client,                  \
	   GError **error), (client, error))                                                       \
	/* The client @name, or NULL (no error) when there is none. */                             \
	OP(StoreOauthClient *, oauth_client_get, FORWARDED, (const char *name, GError **error),    \
	   (name, error))                                                                          \
	/* Every client by name. StoreOauthClient. */                                              \
	OP(GPtrArray *, oauth_client_list, FORWARDED, (GError **error), (error))                   \
	/* Takes (@take) or lets go of the turn to renew mailbox @mailbox_id's                     \
	 * OAuth2 tokens: a rotated refresh token may be used once, and some                       \
	 * servers end the whole grant when one is used twice. *@taken whether                     \
	 * this store holds the turn now: false, with no error, while another                      \
	 * store (of this process or another) holds it. Held until let go of or                    \
	 * the store closed, however its process ends (SQLite: a lock on a byte                    \
	 * of "DATABASE-oauth-lock" beside the file; PostgreSQL: a session's                       \
	 * advisory lock). */                                                                      \
	OP(bool, oauth_refresh_lock, FORWARDED, (int64_t mailbox_id, bool take, bool *taken,       \
	   GError **error), (mailbox_id, take, taken, error))
/* clang-format on */
STORE_OAUTH_OPERATIONS(STORE_DECLARE)

/* --- guards: what the sender's reputation is watched by --- */

/* The last @window prospects a campaign or a mailbox first contacted at
 * @since_us or later (newest first): how many, how many of them
 * hard-bounced, and how many of the newest bounced in a row. */
typedef struct {
	guint contacted;
	guint bounced;
	guint bounced_in_a_row;
} StoreGuardWindow;

/* clang-format off */
#define STORE_GUARD_OPERATIONS(OP)                                                                 \
	/* The window of campaign @campaign_id, or (0) of mailbox @mailbox_id. */                 \
	OP(bool, guard_window, FORWARDED, (int64_t campaign_id, int64_t mailbox_id,                \
	   int64_t since_us, guint window, StoreGuardWindow *out, GError **error),                 \
	   (campaign_id, mailbox_id, since_us, window, out, error))                                \
	/* Messages sent and complaints received since @since_us, of campaign                      \
	 * @campaign_id or (0) of mailbox @mailbox_id. */                                          \
	OP(bool, guard_complaints, FORWARDED, (int64_t campaign_id, int64_t mailbox_id,            \
	   int64_t since_us, guint *sent, guint *complaints, GError **error),                      \
	   (campaign_id, mailbox_id, since_us, sent, complaints, error))                           \
	/* Campaign @campaign_id paused by the guard @guard (its words); ""                        \
	 * lifts the guard (acknowledged: it counts anew from now) and leaves the                  \
	 * state to the caller. */                                                                 \
	OP(bool, campaign_set_guard, FORWARDED, (int64_t campaign_id, const char *guard,           \
	   GError **error), (campaign_id, guard, error))                                           \
	/* The guard that holds mailbox @mailbox_id; "" lifts it (acknowledged:                    \
	 * it counts anew from now). Its pause is mailbox_set_paused's. */                         \
	OP(bool, mailbox_set_guard, FORWARDED, (int64_t mailbox_id, const char *guard,             \
	   GError **error), (mailbox_id, guard, error))
/* clang-format on */
STORE_GUARD_OPERATIONS(STORE_DECLARE)

/* clang-format off */
#define STORE_BACKUP_OPERATIONS(OP)                                                                \
	/* A consistent copy of the whole database at @destination, taken while                    \
	 * others read and write it (SQLite: the online backup API, one read                       \
	 * snapshot, written beside @destination and renamed over it, 0600). In                    \
	 * the copy every mailbox's sent_check_since is the moment it was taken:                   \
	 * a database used from it looks for what was sent after. Not the seal                     \
	 * key: the caller copies that. */                                                         \
	OP(bool, backup_write, FORWARDED, (const char *destination, GError **error),               \
	   (destination, error))                                                                   \
	/* Mailbox @mailbox_id's Sent folder looked at (0) or to look at since                     \
	 * @since_us. */                                                                           \
	OP(bool, mailbox_set_sent_check, FORWARDED, (int64_t mailbox_id, int64_t since_us,         \
	   GError **error), (mailbox_id, since_us, error))                                         \
	/* When mailbox @mailbox_id last began a message (µs), 0 if never. */                     \
	OP(bool, mailbox_last_message_at, FORWARDED, (int64_t mailbox_id, int64_t *at_us,          \
	   GError **error), (mailbox_id, at_us, error))
/* clang-format on */
STORE_BACKUP_OPERATIONS(STORE_DECLARE)

/* --- leases: several engines share the mailboxes of one database --- */

/* Each `piculet run` (a node, by a name of its own) holds a lease on the
 * mailboxes it works: until a time, with a fencing token that grows with
 * every new holder of that mailbox. A node renews its leases every pass;
 * one that stops (killed, paused, cut off) loses them when they expire,
 * and the others take them. Every write a node makes about a mailbox it
 * works is fenced by its token (lease_fence): once another holds the
 * mailbox, the database refuses it (STORE_ERROR_FENCED), so a node that
 * wakes late can neither record nor repeat a send. Times are the
 * database's clock (µs, lease_clock), never a simulated one: leases are
 * about processes, and engines on machines whose clocks differ must agree
 * on when a lease ends. */
typedef struct {
	int64_t mailbox_id;
	int64_t token;
	int64_t expires_at;
} StoreLease;

typedef struct {
	char *holder; /* "" when nobody holds it */
	char *address;
	int64_t mailbox_id;
	int64_t token;
	int64_t expires_at;
} StoreLeaseInfo;

void store_lease_info_free(StoreLeaseInfo *info);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(StoreLeaseInfo, store_lease_info_free)

/* clang-format off */
#define STORE_LEASE_OPERATIONS(OP)                                                                 \
	/* *@now_us: the time leases are judged by, the database server's                         \
	 * clock (PostgreSQL) or this machine's (SQLite: one machine). */                          \
	OP(bool, lease_clock, FORWARDED, (int64_t *now_us, GError **error), (now_us, error))       \
	/* Node @node is alive until @now_us + @lease_us: its leases renewed                       \
	 * to then, and, while it holds fewer than its fair share (*@share: the                    \
	 * mailboxes over the live nodes, rounded up), free or expired ones                        \
	 * taken (lowest ids first, each token one more). *@held: the leases it                    \
	 * holds now (StoreLease, by mailbox id). One transaction. A node over                     \
	 * its share releases what it does not work (lease_release). */                            \
	OP(bool, lease_claim, CHECKED, (const char *node, int64_t now_us, int64_t lease_us,        \
	   guint *share, GArray **held, GError **error),                                           \
	   (node, now_us, lease_us, share, held, error))                                           \
	/* @node lets mailbox @mailbox_id go, or (0) all it holds and its                          \
	 * place among the nodes (a clean stop). */                                                \
	OP(bool, lease_release, CHECKED, (const char *node, int64_t mailbox_id, GError **error),   \
	   (node, mailbox_id, error))                                                              \
	/* Every mailbox with its lease (StoreLeaseInfo, by address); an                           \
	 * expired lease shows with its holder and its time. */                                    \
	OP(GPtrArray *, lease_list, FORWARDED, (GError **error), (error))                          \
	/* This connection's writes about mailbox @mailbox_id (its messages,                       \
	 * its enrollments, its row) are refused unless @token is still its                        \
	 * lease's; (0, 0): none fenced. A server ends this connection's                           \
	 * session when it stays idle inside a transaction longer than                             \
	 * @idle_limit_us (0: a minute), so that a paused engine does not hold                     \
	 * up another that takes its mailboxes over. */                                            \
	OP(bool, lease_fence, FORWARDED, (int64_t mailbox_id, int64_t token,                       \
	   int64_t idle_limit_us, GError **error), (mailbox_id, token, idle_limit_us, error))
/* clang-format on */
STORE_LEASE_OPERATIONS(STORE_DECLARE)

/* --- a database moved elsewhere (piculet db copy) --- */

typedef enum {
	STORE_MOVE_NONE,
	STORE_MOVE_COPYING, /* being copied into (or a copy into it was killed) */
	STORE_MOVE_MOVED,   /* copied elsewhere: engines run there now */
} StoreMoveState;

typedef struct {
	StoreMoveState state;
	char *other; /* where from (copying), where to (moved) */
	int64_t at;  /* µs, the store's clock */
} StoreMove;

void store_move_clear(StoreMove *move);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(StoreMove, store_move_clear)

/* clang-format off */
#define STORE_MOVE_OPERATIONS(OP)                                                                  \
	/* This database's mark; state NONE when it has none. */                                   \
	OP(bool, move_read, FORWARDED, (StoreMove *out, GError **error), (out, error))             \
	/* Marks this database @state (about @other), replacing any mark;                          \
	 * STORE_MOVE_NONE removes it. */                                                          \
	OP(bool, move_mark, FORWARDED, (StoreMoveState state, const char *other, GError **error),  \
	   (state, other, error))
/* clang-format on */
STORE_MOVE_OPERATIONS(STORE_DECLARE)

/* --- the seal key: one for every machine that uses the database --- */

/* clang-format off */
#define STORE_SEAL_KEY_OPERATIONS(OP)                                                              \
	/* *@recorded: the fingerprint of the seal key this database was first                     \
	 * used with (newly allocated), NULL when none is recorded yet. */                         \
	OP(bool, seal_key_read, FORWARDED, (char **recorded, GError **error), (recorded, error))    \
	/* *@recorded: the fingerprint of the seal key this database was first                     \
	 * used with (newly allocated); @fingerprint is recorded when it has                       \
	 * none yet, or (@replace) over the one it has: a new key made when                        \
	 * nothing sealed under the old one is left. The caller compares. */                       \
	OP(bool, seal_key_claim, CHECKED, (const char *fingerprint, bool replace,                  \
	   char **recorded, GError **error), (fingerprint, replace, recorded, error))
/* clang-format on */
STORE_SEAL_KEY_OPERATIONS(STORE_DECLARE)

/* --- tasks: a step for a person (a call) instead of an email --- */

/* One task, with whom and what campaign it is about. Plain data. */
typedef struct {
	int64_t id;
	int64_t enrollment_id;
	int step;
	char *kind; /* call, linkedin, other, ... */
	char *note;
	int64_t created_at;
	int64_t done_at; /* 0: open */
	char *done_by;
	char *email;    /* the prospect */
	char *name;     /* the prospect's first and last name, "" when unknown */
	char *company;  /* the prospect's */
	char *campaign; /* its campaign's name */
	char *state;    /* its enrollment's state now ("paused" while it waits) */
} StoreTask;

void store_task_free(StoreTask *task);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(StoreTask, store_task_free)

/* clang-format off */
#define STORE_TASK_OPERATIONS(OP)                                                                  \
	/* A task for step @step of the enrollment, unless it has one already;                     \
	 * *@id is the task's either way. */                                                       \
	OP(bool, task_add, FORWARDED,                                                              \
	   (int64_t enrollment_id, int step, const char *kind, const char *note, int64_t at_us,    \
	    int64_t *id, GError **error),                                                          \
	   (enrollment_id, step, kind, note, at_us, id, error))                                    \
	/* The open tasks, oldest first (@all: the done ones too, newest first                     \
	 * after them), at most @limit (0: all). StoreTask. */                                     \
	OP(GPtrArray *, task_list, FORWARDED, (bool all, guint limit, GError **error),             \
	   (all, limit, error))                                                                    \
	/* Task @id, or NULL (no error) when there is none. */                                     \
	OP(StoreTask *, task_get, FORWARDED, (int64_t id, GError **error), (id, error))            \
	/* Marks open task @id done at @at_us by @by; *@done false when it was                     \
	 * not open (done already, or none). */                                                    \
	OP(bool, task_done, FORWARDED,                                                             \
	   (int64_t id, int64_t at_us, const char *by, bool *done, GError **error),                \
	   (id, at_us, by, done, error))
/* clang-format on */
STORE_TASK_OPERATIONS(STORE_DECLARE)

/* --- what /metrics shows: counts over the whole database --- */

/* The bounds (seconds) of the send-latency histogram's buckets; the last
 * bucket (+Inf) is every message. */
#define STORE_LATENCY_BOUNDS 9
extern const double store_latency_bounds_s[STORE_LATENCY_BOUNDS];

typedef struct {
	GPtrArray *messages_by_state;    /* StoreCount: sending, sent, failed, uncertain */
	GPtrArray *events_by_kind;       /* StoreCount: sent, reply, bounce, opt_out, ... */
	GPtrArray *paused_by_kind;       /* StoreCount: mailboxes paused, by what it stops */
	GPtrArray *enrollments_by_state; /* StoreCount */
	guint64 mailboxes;
	guint64 mailboxes_guarded; /* paused by a guard */
	guint64 due_now;           /* queued or active enrollments due at the moment asked */
	/* From a message's start to the server's 250, sent messages only:
	 * cumulative counts per bound, their number and sum. */
	guint64 latency_le[STORE_LATENCY_BOUNDS];
	guint64 latency_count;
	double latency_sum_s;
} StoreMetrics;

void store_metrics_clear(StoreMetrics *metrics);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(StoreMetrics, store_metrics_clear)

/* clang-format off */
#define STORE_METRICS_OPERATIONS(OP)                                                               \
	/* Every count of StoreMetrics, due_now at @now_us. */                                     \
	OP(bool, metrics_read, FORWARDED, (int64_t now_us, StoreMetrics *out, GError **error),     \
	   (now_us, out, error))
/* clang-format on */
STORE_METRICS_OPERATIONS(STORE_DECLARE)

/* Every operation of a back end. */
/* clang-format off */
#define STORE_OPERATIONS(OP)                                                                       \
	STORE_HANDLE_OPERATIONS(OP)                                                                \
	STORE_BLACKLIST_OPERATIONS(OP)                                                             \
	STORE_PROSPECT_OPERATIONS(OP)                                                              \
	STORE_MAILBOX_OPERATIONS(OP)                                                               \
	STORE_CAMPAIGN_OPERATIONS(OP)                                                              \
	STORE_ENROLLMENT_OPERATIONS(OP)                                                            \
	STORE_PACING_OPERATIONS(OP)                                                                \
	STORE_MESSAGE_OPERATIONS(OP)                                                               \
	STORE_HISTORY_OPERATIONS(OP)                                                               \
	STORE_API_KEY_OPERATIONS(OP)                                                               \
	STORE_USER_OPERATIONS(OP)                                                                  \
	STORE_ANSWER_OPERATIONS(OP)                                                                \
	STORE_WEBHOOK_OPERATIONS(OP)                                                               \
	STORE_OAUTH_OPERATIONS(OP)                                                                 \
	STORE_GUARD_OPERATIONS(OP)                                                                 \
	STORE_BACKUP_OPERATIONS(OP)                                                                \
	STORE_LEASE_OPERATIONS(OP)                                                                 \
	STORE_MOVE_OPERATIONS(OP)                                                                  \
	STORE_SEAL_KEY_OPERATIONS(OP)                                                              \
	STORE_TASK_OPERATIONS(OP)                                                                  \
	STORE_METRICS_OPERATIONS(OP)
/* clang-format on */
