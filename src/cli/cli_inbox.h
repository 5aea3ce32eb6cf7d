/*
 * cli_inbox: `piculet inbox scan|watch|folders` over the IMAP client and
 * folder sync.
 */
#pragma once

extern const char cli_inbox_usage[];

int cli_inbox_run(int argc, char **argv);
