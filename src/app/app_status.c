/* Mailbox status: why each mailbox sends or does not. */
#include "app/app_status.h"

#include "base/base_zone.h"

#include "engine/engine_mailbox.h"

#include "engine/engine_enrollment.h"

#define DAY_US ((int64_t)86400 * G_USEC_PER_SEC)

void
app_status_mailbox_free(AppMailboxStatus *status)
{
	if (status == NULL)
		return;
	store_mailbox_free(status->mailbox);
	if (status->waiting != NULL)
		g_ptr_array_unref(status->waiting);
	g_free(status->engine);
	g_free(status->last_error_kind);
	g_free(status->last_error);
	g_free(status);
}

static bool
count_waiting(Store *store, AppMailboxStatus *status, GError **error)
{
	status->waiting = store_enrollment_list_waiting(store, status->mailbox->id, error);
	if (status->waiting == NULL)
		return false;
	for (guint i = 0; i < status->waiting->len; i++) {
		const StoreEnrollment *e = status->waiting->pdata[i];
		if (engine_enrollment_state_of(e) == ENGINE_ENROLLMENT_PAUSED) {
			if (status->n_paused++ == 0)
				status->first_paused = e;
		} else if (status->n_uncertain++ == 0) {
			status->first_uncertain = e;
		}
	}
	return true;
}

static AppMailboxStatus *
mailbox_status(Store *store, StoreMailbox *mailbox, int64_t now_us, GError **error)
{
	g_autoptr(AppMailboxStatus) status = g_new0(AppMailboxStatus, 1);
	status->mailbox = mailbox;
	/* The daily cap counts the mailbox's own day, as the engine does. */
	g_autoptr(GTimeZone) zone =
	        base_zone_new(mailbox->timezone != NULL ? mailbox->timezone : "UTC", NULL);
	if (zone == NULL)
		zone = g_time_zone_new_utc();
	g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc(now_us / G_USEC_PER_SEC);
	g_autoptr(GDateTime) local = g_date_time_to_timezone(utc, zone);
	g_autoptr(GDateTime) start =
	        g_date_time_new(zone, g_date_time_get_year(local), g_date_time_get_month(local),
	                        g_date_time_get_day_of_month(local), 0, 0, 0);
	int64_t midnight = g_date_time_to_unix(start) * G_USEC_PER_SEC;
	if (!store_mailbox_count_sent(store, mailbox->id, midnight, &status->sent_today, error) ||
	    !store_mailbox_count_complaints(store, mailbox->id, now_us - 30 * DAY_US,
	                                    &status->complaints_30d, error) ||
	    !count_waiting(store, status, error) ||
	    !store_event_last_trouble(store, mailbox->id, now_us - 7 * DAY_US,
	                              &status->last_error_at, &status->last_error_kind,
	                              &status->last_error, error))
		return NULL;
	guint days = 0;
	if (mailbox->ramp_start > 0 &&
	    !store_mailbox_count_sending_days(store, mailbox->id, midnight, mailbox->timezone,
	                                      &days, error))
		return NULL;
	status->day_cap = engine_mailbox_day_cap(mailbox, days);
	if (mailbox->ramp_start > 0 &&
	    (mailbox->daily_cap <= 0 || status->day_cap < (guint)mailbox->daily_cap))
		status->ramp_day = days + 1;
	if (mailbox->paused_reason != NULL) {
		status->activity = APP_MAILBOX_PAUSED;
	} else if (mailbox->freeze_from <= now_us && now_us < mailbox->freeze_until) {
		status->activity = APP_MAILBOX_FROZEN;
	} else if (status->day_cap > 0 && status->sent_today >= status->day_cap) {
		status->activity = APP_MAILBOX_CAPPED;
	} else if (mailbox->next_send_at > now_us) {
		status->activity = APP_MAILBOX_PACING;
	} else {
		if (!store_mailbox_next_due(store, mailbox->id, &status->next_due_at, error))
			return NULL;
		status->activity = status->next_due_at == 0        ? APP_MAILBOX_IDLE
		                   : status->next_due_at <= now_us ? APP_MAILBOX_SENDING
		                                                   : APP_MAILBOX_WAITING;
	}
	return g_steal_pointer(&status);
}

GPtrArray *
app_status_mailboxes(Store *store, int64_t now_us, GError **error)
{
	g_autoptr(GPtrArray) mailboxes = store_mailbox_list(store, error);
	g_autoptr(GPtrArray) leases = mailboxes != NULL ? store_lease_list(store, error) : NULL;
	/* Leases are about processes: the database's clock, whatever @now_us. */
	int64_t lease_now = 0;
	if (leases == NULL || !store_lease_clock(store, &lease_now, error))
		return NULL;
	g_autoptr(GHashTable) holders = g_hash_table_new(g_int64_hash, g_int64_equal);
	for (guint i = 0; i < leases->len; i++) {
		StoreLeaseInfo *lease = leases->pdata[i];
		if (lease->holder[0] != '\0' && lease->expires_at > lease_now)
			g_hash_table_insert(holders, &lease->mailbox_id, lease->holder);
	}
	g_autoptr(GPtrArray) statuses =
	        g_ptr_array_new_with_free_func((GDestroyNotify)app_status_mailbox_free);
	for (guint i = 0; i < mailboxes->len; i++) {
		AppMailboxStatus *status =
		        mailbox_status(store, g_steal_pointer(&mailboxes->pdata[i]), now_us, error);
		if (status == NULL)
			return NULL;
		status->engine = g_strdup(g_hash_table_lookup(holders, &status->mailbox->id));
		g_ptr_array_add(statuses, status);
	}
	return g_steal_pointer(&statuses);
}

static const char *const activity_names[] = {
        [APP_MAILBOX_PAUSED] = "paused",   [APP_MAILBOX_CAPPED] = "capped",
        [APP_MAILBOX_PACING] = "pacing",   [APP_MAILBOX_SENDING] = "sending",
        [APP_MAILBOX_WAITING] = "waiting", [APP_MAILBOX_IDLE] = "idle",
        [APP_MAILBOX_FROZEN] = "frozen",
};

const char *
app_status_activity_name(AppMailboxActivity activity)
{
	return (gsize)activity < G_N_ELEMENTS(activity_names) ? activity_names[activity] : "?";
}
