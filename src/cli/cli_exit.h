/*
 * cli_exit: the one table of the piculet command's exit codes.
 *
 * Codes follow sysexits(3) where one fits, so scripts written for msmtp or
 * sendmail read them the same way. `piculet help` prints the table.
 */
#pragma once

#include <glib.h>

typedef enum {
	CLI_EXIT_OK = 0,
	CLI_EXIT_USAGE = 64,       /* wrong arguments */
	CLI_EXIT_DATA = 65,        /* bad input data (file, template, address) */
	CLI_EXIT_NO_INPUT = 66,    /* an input file, or the thing named, does not exist */
	CLI_EXIT_REJECTED = 67,    /* the server refused a recipient or message for good */
	CLI_EXIT_UNAVAILABLE = 69, /* a server could not be reached (connection, TLS) */
	CLI_EXIT_SOFTWARE = 70,    /* an internal error: a bug in piculet */
	CLI_EXIT_IO = 74,          /* a local read or write failed */
	CLI_EXIT_TEMPORARY = 75,   /* temporary failure or throttling: try again later */
	CLI_EXIT_PROTOCOL = 76,    /* the server broke the protocol */
	CLI_EXIT_AUTH = 77,        /* authentication was refused */
	CLI_EXIT_CONFIG = 78,      /* the configuration is wrong */
	CLI_EXIT_OUTCOME_UNKNOWN =
	        79 /* the connection was lost after the message was
	            * handed over: it may have been sent; do not resend blindly */
} CliExit;

/* The exit code for a failure of the store, the engine or the base layer:
 * the one place they are mapped (a busy database is 75 in every command).
 * NULL, and any other domain: CLI_EXIT_IO. The protocol layers map their
 * own (SMTP outcomes, IMAP codes) where their commands are. */
int cli_exit_of_error(const GError *error);

/* Prints the table ("  64  wrong arguments" lines) on stdout. */
/* The table's rows (the manual prints them): how many, and row @index's
 * meaning with its *@code. */
gsize cli_exit_count(void);
const char *cli_exit_describe(gsize index, int *code);

void cli_exit_print_table(void);
