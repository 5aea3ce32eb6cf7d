/*
 * cli_prospects: `piculet prospects import|list` and `piculet blacklist
 * add|remove|list` over the store.
 */
#pragma once

extern const char cli_prospects_usage[];
extern const char cli_prospects_blacklist_usage[];

int cli_prospects_run(int argc, char **argv);
int cli_prospects_blacklist_run(int argc, char **argv);
