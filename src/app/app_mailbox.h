/*
 * app_mailbox: what a person does to a mailbox, for every front end: add
 * it, change it, find it, pause and resume it, remove it, seal its
 * password (the key's rules live here, once). Checking it against its
 * servers is app_check.h.
 */
#pragma once

#include "base/base_seal.h"
#include "base/base_secret.h"
#include "store/store.h"

#include <glib.h>

/* Where a mailbox's password comes from: at most one of these. */
typedef struct {
	const char *env;         /* read from this environment variable at each connect */
	const char *file;        /* read from this file at each connect */
	const char *command;     /* the first line this command prints, at each connect */
	const BaseSecret *given; /* given now: stored sealed (app_mailbox_seal_password) */
	const char *oauth;       /* no password: signs in through this OAuth2 client (app_oauth) */
} AppMailboxPassword;

/* The defaults of a new mailbox. */
#define APP_MAILBOX_DAILY_CAP      50
#define APP_MAILBOX_INTERVAL_MIN_S 60
#define APP_MAILBOX_INTERVAL_MAX_S 180
#define APP_MAILBOX_SMTP_SECURITY  "starttls"
#define APP_MAILBOX_IMAP_SECURITY  "tls"

/*
 * A mailbox's settings as a person gives them: to add one, what has no
 * default; to edit one, only what changes. NULL (texts), -1 (numbers) and
 * an empty password: the default (add) or as it was (edit). Borrowed.
 */
typedef struct {
	const char *address;  /* normalised */
	const char *provider; /* "google", "microsoft": its servers, security and daily cap
	                       * where not given, and (no password given) OAuth2 through
	                       * the client of that name; NULL: none */
	const char *display_name;
	const char *smtp_host;
	guint16 smtp_port;         /* with smtp_host; 0: 465 for tls, else 587 */
	const char *smtp_security; /* "starttls", "tls" or "none" */
	const char *smtp_user;     /* add: the address */
	const char *imap_host;
	guint16 imap_port; /* with imap_host; 0: 993 for tls, else 143 */
	const char *imap_security;
	const char *imap_user;
	AppMailboxPassword password;
	int daily_cap;
	int interval_min_s;
	int interval_max_s;
	const char *signature;
	int ramp_start;      /* a new mailbox's first day; -1: as it was (add: no ramp); 0: none */
	int ramp_step;       /* and how many more each later sending day */
	bool freeze_given;   /* the freeze below replaces the mailbox's */
	int64_t freeze_from; /* sends nothing from then (µs, UTC) until freeze_until; 0 0: none */
	int64_t freeze_until;
	const char
	        *timezone; /* its day, for its caps (IANA); NULL: "UTC" (add), as it was (edit) */
} AppMailboxSettings;

/* "2026-12-20..2027-01-05" (whole UTC days, both included) or "off" into a
 * freeze (µs); false when it is neither, or ends before it begins. */
bool app_mailbox_parse_freeze(const char *text, int64_t *from, int64_t *until);

/* "10+5/day" (or "off": 0 and 0) into a ramp; false when it is neither. */
bool app_mailbox_parse_ramp(const char *text, int *start, int *step);

/* Adds a mailbox: hosts (or a provider) and exactly one password (or
 * OAuth2 client) are needed (APP_ERROR_INVALID), the address must be new
 * (STORE_ERROR_INVALID); a password that cannot be sealed is
 * APP_ERROR_CONFIG. An OAuth2 mailbox is signed in afterwards
 * (app_oauth_sign_in). */
bool app_mailbox_add(Store *store, const AppMailboxSettings *settings, GError **error);

/* Changes what @changes gives of mailbox @changes->address and keeps the
 * rest (a new password replaces the old one; its pacing, pause and folder
 * cursors stay). APP_ERROR_NOT_FOUND when there is none. */
bool app_mailbox_edit(Store *store, const AppMailboxSettings *changes, GError **error);

/* Stops mailbox @address sending until it is resumed (its mail is still
 * read, so a reply still stops a sequence); an event at @now_us
 * (mailbox.paused). */
bool app_mailbox_pause(Store *store, const char *address, int64_t now_us, GError **error);

/* Ends a pause of mailbox @address now, whoever set it (a person, or the
 * engine after a refused login or a quota), with an event at @now_us
 * (mailbox.resumed); *@was_paused says whether it was paused (if not,
 * nothing is written). */
/* A mailbox a guard paused (engine_guard) resumes only with @ack_guard:
 * APP_ERROR_STATE naming the rule otherwise; its guards then count anew. */
bool app_mailbox_resume_with(Store *store, const char *address, int64_t now_us, bool ack_guard,
                             bool *was_paused, GError **error);
bool app_mailbox_resume(Store *store, const char *address, int64_t now_us, bool *was_paused,
                        GError **error);

/* Mailbox @address as stored; APP_ERROR_NOT_FOUND when there is none. */
StoreMailbox *app_mailbox_get(Store *store, const char *address, GError **error);

/* What mailbox @address sent and what came back over all its campaigns:
 * *@totals and, per UTC day, *@days (StoreDayCount; new).
 * APP_ERROR_NOT_FOUND. */
bool app_mailbox_report(Store *store, const char *address, StoreStepReport *totals, GArray **days,
                        GError **error);

/* Removes mailbox @address; APP_ERROR_NOT_FOUND when there is none. */
bool app_mailbox_remove(Store *store, const char *address, GError **error);

/*
 * @secret sealed for mailbox @address under the store's seal key
 * (store_get_key_path), the address as associated data, for
 * StoreMailboxInput.secret_sealed. The key is created (0600) when there is
 * none, unless another mailbox holds a sealed password: a new key could
 * not open that one, so a missing key is then an error naming the file
 * (BASE_ERROR_NOT_FOUND). A store that cannot tell is an error too.
 */
GBytes *app_mailbox_seal_password(Store *store, const char *address, const BaseSecret *secret,
                                  GError **error);

/* The store's seal key, by the same rule: created only when no sealed
 * secret (of a mailbox other than @address, NULL: any, or of an OAuth2
 * client) depends on a lost one. */
BaseSealKey *app_mailbox_seal_key(Store *store, const char *address, GError **error);
