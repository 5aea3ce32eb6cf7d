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
} StoreError;

GQuark store_error_quark(void);

typedef struct Store Store;

/* $PICULET_DB, else ~/.local/share/piculet/piculet.db. Newly allocated. */
char *store_default_path(void);

/* Opens (creating when missing, with its folder) and migrates. */
Store *store_open(const char *path, GError **error);
void store_close(Store *store);
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
} StoreProspectInput;

typedef enum {
	STORE_PROSPECT_INSERTED,
	STORE_PROSPECT_UPDATED,
	STORE_PROSPECT_UNCHANGED_BOUNCED,   /* kept as it was: the address bounced */
	STORE_PROSPECT_UNCHANGED_OPTED_OUT, /* kept: the person opted out */
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
	char *paused_reason; /* NULL when not paused */
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
