/*
 * cli_command: the table of piculet's commands and the dispatcher.
 *
 * Each command is a CliCommand: a name, a one-line summary for
 * `piculet help`, its full --help text, and a run function that receives the
 * arguments after the command name (argv[0] is the command name) and
 * returns a CliExit code. A command's module prints its own results; errors
 * are printed once, by the command, as "piculet CMD: message".
 */
#pragma once

typedef struct {
	const char *name;    /* as typed: "send", "inbox" */
	const char *summary; /* one line for `piculet help` */
	const char *usage;   /* the whole --help text, ending in a newline */
	int (*run)(int argc, char **argv);
} CliCommand;

/* Runs the command line of the whole program; returns the exit code. */
int cli_command_dispatch(int argc, char **argv);

/* Every command, in the order `piculet help` lists them; *@n of them. */
const CliCommand *cli_command_all(unsigned *n);

/* The command named @name, or NULL. */
const CliCommand *cli_command_find(const char *name);

/* True when @argv (argc entries) asks for --help or -h anywhere. */
int cli_command_wants_help(int argc, char **argv);
