/*
 * cli_db: `piculet db copy` (a SQLite file into PostgreSQL) and `piculet
 * db reopen` (app_db).
 */
#pragma once

extern const char cli_db_usage[];
int cli_db_run(int argc, char **argv);
