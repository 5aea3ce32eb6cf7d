/* Task use cases: the to-dos of task steps. */
#include "app/app_task.h"

#include "app/app_error.h"
#include "engine/engine_campaign.h"
#include "engine/engine_enrollment.h"
#include "engine/engine_lifecycle.h"

#include <string.h>

GPtrArray *
app_task_list(Store *store, bool all, GError **error)
{
	return store_task_list(store, all, 0, error);
}

/* The number of steps of campaign @campaign_id as stored now; 0 when it
 * cannot be read (the enrollment then waits for the next step anyway). */
static guint
steps_of(Store *store, int64_t campaign_id, GError **error)
{
	g_autoptr(StoreCampaign) stored = store_campaign_get_by_id(store, campaign_id, error);
	if (stored == NULL)
		return 0;
	g_autoptr(EngineCampaign) campaign = engine_campaign_parse(
	        stored->definition, strlen(stored->definition), stored->name, NULL);
	return campaign != NULL ? campaign->steps->len : 0;
}

/* The enrollment of @task, if it still waits at the task's step, moves on
 * from @now_us. */
static bool
go_on(Store *store, const StoreTask *task, int64_t now_us, GError **error)
{
	g_autoptr(StoreEnrollment) enrollment =
	        store_enrollment_get_by_id(store, task->enrollment_id, error);
	if (enrollment == NULL)
		return error == NULL || *error == NULL;
	if (engine_enrollment_state_of(enrollment) != ENGINE_ENROLLMENT_PAUSED ||
	    enrollment->next_step != task->step)
		return true;
	GError *local = NULL;
	guint steps = steps_of(store, enrollment->campaign_id, &local);
	if (local != NULL) {
		g_propagate_error(error, local);
		return false;
	}
	enrollment->next_step = task->step + 1;
	enrollment->last_sent_at = now_us;
	if (steps > 0 && (guint)task->step >= steps) {
		enrollment->next_due_at = 0;
		if (!engine_enrollment_move(enrollment, ENGINE_ENROLLMENT_COMPLETED, NULL, error))
			return false;
	} else {
		/* Resumed by the engine's next pass, due after the step's delay
		 * from now. */
		enrollment->next_due_at = now_us;
	}
	bool written = false;
	return engine_enrollment_save(store, enrollment, &written, error);
}

bool
app_task_done(Store *store, int64_t id, const char *by, int64_t now_us, StoreTask **task,
              GError **error)
{
	GError *local = NULL;
	g_autoptr(StoreTask) found = store_task_get(store, id, &local);
	if (found == NULL) {
		if (local == NULL)
			local = g_error_new(
			        APP_ERROR, APP_ERROR_NOT_FOUND,
			        "no task %" G_GINT64_FORMAT " (piculet tasks lists them)", id);
		g_propagate_error(error, local);
		return false;
	}
	if (found->done_at != 0) {
		g_autoptr(GDateTime) at =
		        g_date_time_new_from_unix_utc(found->done_at / G_USEC_PER_SEC);
		g_autofree char *when = g_date_time_format(at, "%Y-%m-%d %H:%M UTC");
		g_set_error(error, APP_ERROR, APP_ERROR_STATE,
		            "task %" G_GINT64_FORMAT " was done already, at %s%s%s", id, when,
		            found->done_by[0] != '\0' ? " by " : "", found->done_by);
		return false;
	}
	bool done = false;
	g_autofree char *detail = g_strdup_printf(
	        "task %" G_GINT64_FORMAT " (step %d): %s done%s%s", id, found->step, found->kind,
	        by != NULL && by[0] != '\0' ? " by " : "", by != NULL ? by : "");
	StoreEventInput event = {.at_us = now_us,
	                         .kind = engine_lifecycle_event_name(ENGINE_EVENT_TASK_DONE),
	                         .enrollment_id = found->enrollment_id,
	                         .detail = detail};
	if (!store_begin(store, error))
		return false;
	if (!store_task_done(store, id, now_us, by, &done, error) ||
	    (done &&
	     (!go_on(store, found, now_us, error) || !store_event_add(store, &event, error))) ||
	    !store_commit(store, error)) {
		store_rollback(store);
		return false;
	}
	if (!done) {
		g_set_error(error, APP_ERROR, APP_ERROR_STATE,
		            "task %" G_GINT64_FORMAT " was done meanwhile", id);
		return false;
	}
	if (task != NULL)
		*task = store_task_get(store, id, error);
	return task == NULL || *task != NULL;
}
