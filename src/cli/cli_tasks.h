/*
 * cli_tasks: `piculet tasks`, the to-dos of task steps (a call, a
 * LinkedIn touch): the open ones, and marking one done so that its
 * prospect's sequence goes on (app_task).
 */
#pragma once

extern const char cli_tasks_usage[];

int cli_tasks_run(int argc, char **argv);
