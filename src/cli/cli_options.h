/*
 * cli_options: argument parsing shared by the commands.
 */
#pragma once

#include "base/base_secret.h"

#include <glib.h>
#include <stdbool.h>

/* Parses @argv (argv[0] is the command name) against @entries; no
 * positional arguments allowed. Prints "piculet COMMAND: problem" on
 * stderr and returns false on a bad command line. */
bool cli_options_parse(const char *command, const GOptionEntry *entries, int argc, char **argv);

/* "host", "host:port", "[v6]", "[v6]:port" → host and port (the default
 * when absent). */
bool cli_options_parse_host_port(const char *text, guint16 default_port, char **host, guint16 *port,
                                 GError **error);

/* The secret named by whichever of --password-env VAR, --password-file FILE,
 * --password-cmd CMD was given (exactly one is not NULL). */
BaseSecret *cli_options_load_secret(const char *env, const char *file, const char *command,
                                    GError **error);
