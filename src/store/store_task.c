/* The store's tasks: what is shared by the back ends. */
#include "store/store.h"

void
store_task_free(StoreTask *task)
{
	if (task == NULL)
		return;
	g_free(task->kind);
	g_free(task->note);
	g_free(task->done_by);
	g_free(task->email);
	g_free(task->name);
	g_free(task->company);
	g_free(task->campaign);
	g_free(task->state);
	g_free(task);
}
