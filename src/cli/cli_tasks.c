#include "cli/cli_tasks.h"

#include "app/app_task.h"
#include "base/base_json.h"
#include "cli/cli_exit.h"
#include "cli/cli_options.h"
#include "cli/cli_output.h"

#include <stdio.h>
#include <string.h>

const char cli_tasks_usage[] =
        "usage: piculet tasks [--all] [--json] [--db PATH]\n"
        "       piculet tasks done ID [--by NAME] [--now DATE] [--db PATH]\n"
        "\n"
        "The to-dos of campaigns' task steps (`task: call` in a campaign file):\n"
        "each open one, oldest first, with its prospect, campaign, step and note\n"
        "(--all: the done ones too). A prospect's sequence waits at its task\n"
        "until it is done; `tasks done ID` marks it so, and the next step goes\n"
        "after its delay from then (--now: that moment instead of the clock's, in\n"
        "ISO 8601). A reply while it waits ends the sequence as ever; its task\n"
        "then shows the prospect's state.\n";

typedef struct {
	char *db;
	char *by;
	char *now;
	gboolean all;
	gboolean json;
} TasksArgs;

static void
tasks_args_clear(TasksArgs *args)
{
	g_free(args->db);
	g_free(args->by);
	g_free(args->now);
}
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(TasksArgs, tasks_args_clear)

static int
failed(const char *command, const GError *error)
{
	cli_output_eprintf("piculet %s: %s\n", command, error->message);
	return cli_exit_of_error(error);
}

static void
print_task(const StoreTask *task, bool json)
{
	g_autofree char *made = cli_output_time(task->created_at);
	if (json) {
		g_autoptr(GString) line = g_string_new("{");
		base_json_append_member_uint(line, "id", (uint64_t)task->id);
		base_json_append_member_string(line, "kind", task->kind);
		base_json_append_member_string(line, "note", task->note);
		base_json_append_member_string(line, "prospect", task->email);
		base_json_append_member_string(line, "name", task->name);
		base_json_append_member_string(line, "company", task->company);
		base_json_append_member_string(line, "campaign", task->campaign);
		base_json_append_member_uint(line, "step", (uint64_t)task->step);
		base_json_append_member_string(line, "state", task->state);
		base_json_append_member_string(line, "created", made);
		if (task->done_at != 0) {
			g_autofree char *done = cli_output_time(task->done_at);
			base_json_append_member_string(line, "done", done);
			base_json_append_member_string(line, "done_by", task->done_by);
		}
		g_string_truncate(line, line->len - 1);
		g_string_append_c(line, '}');
		printf("%s\n", line->str);
		return;
	}
	g_autoptr(GString) who = g_string_new(task->email);
	if (task->name[0] != '\0' || task->company[0] != '\0')
		g_string_append_printf(who, " (%s%s%s)", task->name,
		                       task->name[0] != '\0' && task->company[0] != '\0' ? ", "
		                                                                         : "",
		                       task->company);
	g_autoptr(GString) line = g_string_new(NULL);
	g_string_append_printf(line, "%" G_GINT64_FORMAT "\t%s\t%s\t%s, step %d\t%s", task->id,
	                       task->kind, who->str, task->campaign, task->step,
	                       task->note[0] != '\0' ? task->note : "-");
	if (task->done_at != 0)
		g_string_append(line, "\tdone");
	else if (strcmp(task->state, "paused") != 0)
		g_string_append_printf(line, "\t(the prospect is %s now)", task->state);
	cli_output_printf("%s\n", line->str);
}

static int
list_tasks(Store *store, const TasksArgs *args)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GPtrArray) tasks = app_task_list(store, args->all, &error);
	if (tasks == NULL)
		return failed("tasks", error);
	if (!args->json && tasks->len == 0)
		cli_output_printf("no open tasks\n");
	for (guint i = 0; i < tasks->len; i++)
		print_task(tasks->pdata[i], args->json);
	return CLI_EXIT_OK;
}

int
cli_tasks_run(int argc, char **argv)
{
	g_auto(TasksArgs) args = {0};
	GOptionEntry entries[] = {
	        {"db", 0, 0, G_OPTION_ARG_FILENAME, &args.db, NULL, NULL},
	        {"all", 0, 0, G_OPTION_ARG_NONE, &args.all, NULL, NULL},
	        {"json", 0, 0, G_OPTION_ARG_NONE, &args.json, NULL, NULL},
	        {"by", 0, 0, G_OPTION_ARG_STRING, &args.by, NULL, NULL},
	        {"now", 0, 0, G_OPTION_ARG_STRING, &args.now, NULL, NULL},
	        {NULL, 0, 0, 0, NULL, NULL, NULL},
	};
	bool done = argc >= 2 && strcmp(argv[1], "done") == 0;
	const char *id_text = NULL;
	if (done ? !cli_options_parse_after_argument("tasks done", "tasks", entries, argc - 1,
	                                             argv + 1, &id_text)
	         : !cli_options_parse("tasks", entries, argc, argv))
		return CLI_EXIT_USAGE;
	if (!done) {
		int code = CLI_EXIT_OK;
		g_autoptr(Store) store = cli_options_open_store("tasks", args.db, &code);
		return store != NULL ? list_tasks(store, &args) : code;
	}
	gint64 id = 0;
	if (!g_ascii_string_to_signed(id_text, 10, 1, G_MAXINT64, &id, NULL)) {
		cli_output_eprintf("piculet tasks done: \"%s\" is no task number (piculet tasks "
		                   "lists them)\n",
		                   id_text);
		return CLI_EXIT_USAGE;
	}
	int64_t now_us = g_get_real_time();
	if (args.now != NULL && !cli_options_parse_moment("tasks done", "--now", args.now, &now_us))
		return CLI_EXIT_USAGE;
	int code = CLI_EXIT_OK;
	g_autoptr(Store) store = cli_options_open_store("tasks", args.db, &code);
	if (store == NULL)
		return code;
	g_autoptr(GError) error = NULL;
	g_autoptr(StoreTask) task = NULL;
	if (!app_task_done(store, id, args.by != NULL ? args.by : "", now_us, &task, &error))
		return failed("tasks done", error);
	cli_output_printf("task %" G_GINT64_FORMAT " done: %s, %s, step %d (the prospect is %s)\n",
	                  task->id, task->email, task->campaign, task->step, task->state);
	return CLI_EXIT_OK;
}
