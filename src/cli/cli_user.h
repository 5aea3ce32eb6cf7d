/*
 * cli_user: `piculet user`, the people who sign in to the dashboard that
 * `piculet serve` serves at its root.
 */
#pragma once

extern const char cli_user_usage[];

int cli_user_run(int argc, char **argv);
