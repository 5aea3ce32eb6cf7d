/*
 * cli_oauth: `piculet oauth set|list` (the user's own OAuth2 client at a
 * provider) and `piculet mailbox authorize` (a mailbox signed in through
 * it, in a browser or with a device code).
 */
#pragma once

extern const char cli_oauth_usage[];
extern const char cli_oauth_authorize_usage[];

int cli_oauth_run(int argc, char **argv);

/* `mailbox authorize ADDRESS ...`: @argv[0] is "authorize". */
int cli_oauth_authorize(int argc, char **argv);
