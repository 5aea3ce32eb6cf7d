/*
 * cli_run: `piculet run` (the long-running engine), `piculet tick` (one
 * pass, for cron), `piculet status`, `piculet report`, `piculet replies`.
 */
#pragma once

extern const char cli_run_usage[];
extern const char cli_run_tick_usage[];
extern const char cli_run_status_usage[];
extern const char cli_run_report_usage[];
extern const char cli_run_replies_usage[];

int cli_run_run(int argc, char **argv);
int cli_run_tick(int argc, char **argv);
int cli_run_status(int argc, char **argv);
int cli_run_report(int argc, char **argv);
int cli_run_replies(int argc, char **argv);
