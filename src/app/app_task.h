/*
 * app_task: the task steps of campaigns (`task: call`), as a person sees
 * them: the open ones to do, and marking one done, which lets its
 * prospect's sequence go on from that moment (the next step's delay
 * counts from it). The engine opens them (engine_send).
 */
#pragma once

#include "store/store.h"

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>

/* The open tasks, oldest first (@all: the done ones too). StoreTask. */
GPtrArray *app_task_list(Store *store, bool all, GError **error);

/* Marks task @id done at @now_us by @by (a name, or ""); its enrollment,
 * still waiting at that step, goes on: the next step due after its delay
 * from @now_us, or completed after a last step. A reply or an end that
 * came meanwhile stands. APP_ERROR_NOT_FOUND; APP_ERROR_STATE when it was
 * done already (saying when). *@task (optional): the task as it is now. */
bool app_task_done(Store *store, int64_t id, const char *by, int64_t now_us, StoreTask **task,
                   GError **error);
