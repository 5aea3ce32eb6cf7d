/*
 * cli_manual: the manual pages and the shell completions, made from what
 * `--help` prints, so the three never disagree. `piculet help --man PAGE`
 * writes a roff page: "piculet" (the overview, the commands, the
 * environment, the exit codes), "piculet-COMMAND" (its --help text as
 * SYNOPSIS and DESCRIPTION), "piculet.conf" (the settings' table of
 * cli_config). `piculet help --words WORD...` prints the words that may
 * come last (commands; a command's subcommands, options, or the mailbox
 * addresses and campaign names of the database), one a line, for the bash
 * and zsh completions of dist/completion/.
 */
#pragma once

int cli_manual_print_page(const char *page);
int cli_manual_print_words(int n_words, char **words);
