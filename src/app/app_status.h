/*
 * app_status: what each mailbox is doing and why, as data (`piculet
 * status`, and the HTTP API's status next). The arithmetic — today's count
 * against the daily cap (a UTC day), the pacing time, the next step due,
 * what waits for time or for a person — is done here once; front ends only
 * word it.
 */
#pragma once

#include "store/store.h"

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>

/* Why a mailbox sends or does not, the first that applies. */
typedef enum {
	APP_MAILBOX_PAUSED,  /* paused: mailbox->paused_reason, until paused_until (0: by hand) */
	APP_MAILBOX_CAPPED,  /* its daily cap is reached */
	APP_MAILBOX_PACING,  /* waiting for its interval (until next_send_at) */
	APP_MAILBOX_SENDING, /* steps are due now */
	APP_MAILBOX_WAITING, /* the next step is due at next_due_at (delays and windows) */
	APP_MAILBOX_IDLE,    /* nothing to send */
	APP_MAILBOX_FROZEN,  /* inside its freeze (until freeze_until): mail still read */
} AppMailboxActivity;

/* "paused", "capped", "pacing", "sending", "waiting", "idle". */
const char *app_status_activity_name(AppMailboxActivity activity);

typedef struct {
	StoreMailbox *mailbox;
	AppMailboxActivity activity;
	guint sent_today;     /* messages begun since 00:00 UTC */
	guint day_cap;        /* what it may send today: its cap, or its ramp's (0: no cap) */
	guint ramp_day;       /* while it ramps up: today is its ramp_day-th sending day */
	guint complaints_30d; /* spam complaints about its mail in the last 30 days */
	int64_t next_due_at;
	/* Enrollments of the mailbox that wait: for time (paused; the first to
	 * resume) and for a person (uncertain). Borrowed from the status. */
	guint n_paused;
	guint n_uncertain;
	const StoreEnrollment *first_paused;
	const StoreEnrollment *first_uncertain;
	GPtrArray *waiting; /* StoreEnrollment, owned */
	/* Several engines on one database: the node whose lease holds the
	 * mailbox now (real clock), or NULL. */
	char *engine;
	/* Its last trouble in the past 7 days (a pause it put itself in, a
	 * step that could not be composed, a send that may have gone): when,
	 * what kind ("paused", "error", "uncertain") and its words; 0 and NULL
	 * when none. */
	int64_t last_error_at;
	char *last_error_kind;
	char *last_error;
} AppMailboxStatus;

void app_status_mailbox_free(AppMailboxStatus *status);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(AppMailboxStatus, app_status_mailbox_free)

/* Every mailbox's status at @now_us, in the store's order
 * (AppMailboxStatus); NULL with the store's error. */
GPtrArray *app_status_mailboxes(Store *store, int64_t now_us, GError **error);
