/*
 * cli_mailbox: `piculet mailbox add|list|show|remove` over the store, with
 * the password kept as a source (env, file, command) or sealed at rest.
 */
#pragma once

extern const char cli_mailbox_usage[];

int cli_mailbox_run(int argc, char **argv);
