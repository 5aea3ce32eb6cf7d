/*
 * cli_doctor: `piculet doctor`, the whole installation checked, one line a
 * check (configuration, database, seal key, engine, clock, mailboxes).
 */
#pragma once

extern const char cli_doctor_usage[];
int cli_doctor_run(int argc, char **argv);
