/*
 * cli_backup: `piculet backup FILE` and `piculet restore FILE` (app_backup).
 */
#pragma once

extern const char cli_backup_usage[];
int cli_backup_run(int argc, char **argv);

extern const char cli_backup_restore_usage[];
int cli_backup_restore_run(int argc, char **argv);
