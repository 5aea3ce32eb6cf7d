#include "cli/cli_exit.h"

#include "app/app_error.h"
#include "base/base_error.h"
#include "cli/cli_output.h"
#include "engine/engine_error.h"
#include "store/store.h"

#include <glib.h>
#include <stdio.h>

static const struct {
	CliExit code;
	const char *meaning;
} exit_table[] = {
        {CLI_EXIT_OK, "success"},
        {CLI_EXIT_USAGE, "wrong arguments"},
        {CLI_EXIT_DATA, "bad input data (file, template, address)"},
        {CLI_EXIT_NO_INPUT,
         "an input file, or the campaign, mailbox or prospect named, does not exist"},
        {CLI_EXIT_REJECTED, "the server refused a recipient or the message for good"},
        {CLI_EXIT_UNAVAILABLE, "a server could not be reached (connection, TLS)"},
        {CLI_EXIT_SOFTWARE, "internal error (a bug in piculet: please report it)"},
        {CLI_EXIT_IO, "a local read or write failed"},
        {CLI_EXIT_TEMPORARY, "temporary failure or throttling: try again later"},
        {CLI_EXIT_PROTOCOL, "the server broke the protocol"},
        {CLI_EXIT_AUTH, "authentication was refused"},
        {CLI_EXIT_CONFIG, "the configuration is wrong"},
        {CLI_EXIT_OUTCOME_UNKNOWN,
         "connection lost after the message was handed over: it may have been sent"},
};

gsize
cli_exit_count(void)
{
	return G_N_ELEMENTS(exit_table);
}

const char *
cli_exit_describe(gsize index, int *code)
{
	*code = exit_table[index].code;
	return exit_table[index].meaning;
}

void
cli_exit_print_table(void)
{
	cli_output_printf("Exit codes:\n");
	for (gsize i = 0; i < G_N_ELEMENTS(exit_table); i++)
		cli_output_printf("  %3d  %s\n", exit_table[i].code, exit_table[i].meaning);
}

int
cli_exit_of_error(const GError *error)
{
	if (error == NULL)
		return CLI_EXIT_IO;
	if (error->domain == STORE_ERROR) {
		switch ((StoreError)error->code) {
		case STORE_ERROR_BUSY:
		case STORE_ERROR_UNAVAILABLE:
		case STORE_ERROR_CONFLICT:
		case STORE_ERROR_FENCED:
			return CLI_EXIT_TEMPORARY;
		case STORE_ERROR_VERSION:
			return CLI_EXIT_CONFIG;
		case STORE_ERROR_INVALID:
			return CLI_EXIT_DATA;
		case STORE_ERROR_OPEN:
		case STORE_ERROR_READ_ONLY:
		case STORE_ERROR_FAILED:
			return CLI_EXIT_IO;
		}
		return CLI_EXIT_IO;
	}
	if (error->domain == APP_ERROR) {
		switch ((AppError)error->code) {
		case APP_ERROR_NOT_FOUND:
			return CLI_EXIT_NO_INPUT;
		case APP_ERROR_STATE:
		case APP_ERROR_INVALID:
			return CLI_EXIT_DATA;
		case APP_ERROR_CONFIG:
			return CLI_EXIT_CONFIG;
		case APP_ERROR_DENIED:
		case APP_ERROR_SIGN_IN:
			return CLI_EXIT_AUTH;
		case APP_ERROR_UNAVAILABLE:
			return CLI_EXIT_UNAVAILABLE;
		}
		return CLI_EXIT_DATA;
	}
	if (error->domain == ENGINE_ERROR) {
		switch ((EngineError)error->code) {
		case ENGINE_ERROR_INPUT:
		case ENGINE_ERROR_STATE:
			return CLI_EXIT_DATA;
		case ENGINE_ERROR_MAILBOX:
		case ENGINE_ERROR_CONFIG:
			return CLI_EXIT_CONFIG;
		case ENGINE_ERROR_SIGN_IN:
			return CLI_EXIT_AUTH;
		case ENGINE_ERROR_TRY_LATER:
			return CLI_EXIT_UNAVAILABLE;
		case ENGINE_ERROR_STOPPED:
			return CLI_EXIT_TEMPORARY;
		case ENGINE_ERROR_STORE:
			return CLI_EXIT_IO;
		}
		return CLI_EXIT_IO;
	}
	if (error->domain == BASE_ERROR) {
		switch ((BaseError)error->code) {
		case BASE_ERROR_INVALID:
			return CLI_EXIT_CONFIG;
		case BASE_ERROR_NOT_FOUND:
			return CLI_EXIT_NO_INPUT;
		case BASE_ERROR_IO:
			return CLI_EXIT_IO;
		}
	}
	return CLI_EXIT_IO;
}
