/* The API's tasks: what task steps leave a person to do. */
#include "http/http_api_task.h"

#include "app/app_task.h"
#include "http/http_json.h"

#include <string.h>

static json_t *
task_json(const StoreTask *task)
{
	json_t *item = json_pack(
	        "{s:I, s:o, s:o, s:o, s:o, s:o, s:o, s:i, s:o, s:o}", "id", (json_int_t)task->id,
	        "kind", http_json_text(task->kind), "note", http_json_text(task->note), "prospect",
	        http_json_text(task->email), "name", http_json_text(task->name), "company",
	        http_json_text(task->company), "campaign", http_json_text(task->campaign), "step",
	        (json_int_t)task->step, "state", http_json_text(task->state), "created",
	        http_json_time(task->created_at));
	if (task->done_at != 0) {
		json_object_set_new(item, "done", http_json_time(task->done_at));
		json_object_set_new(item, "done_by", http_json_text(task->done_by));
	}
	return item;
}

void
http_api_task_list(HttpExchange *x)
{
	bool all = g_strcmp0(g_hash_table_lookup(x->query, "all"), "true") == 0;
	g_autoptr(GPtrArray) tasks = app_task_list(x->store, all, &x->error);
	if (tasks == NULL)
		return;
	json_t *list = json_array();
	for (guint i = 0; i < tasks->len; i++)
		json_array_append_new(list, task_json(tasks->pdata[i]));
	x->answer = list;
}

void
http_api_task_done(HttpExchange *x)
{
	int64_t id = http_json_id_param(x, 0);
	if (id == 0)
		return;
	const char *by = x->session != NULL ? x->session->user->email : x->key_name;
	g_autoptr(StoreTask) task = NULL;
	if (!app_task_done(x->store, id, by != NULL ? by : "", g_get_real_time(), &task, &x->error))
		return;
	x->answer = task_json(task);
}
