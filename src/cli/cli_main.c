#include "base/base_log.h"
#include "base/base_notify.h"
#include "cli/cli_command.h"

#include <gmime/gmime.h>
#include <locale.h>
#include <signal.h>

int
main(int argc, char **argv)
{
	setlocale(LC_ALL, "");
	/* A peer that closes a socket must end in an error, not kill us. */
	signal(SIGPIPE, SIG_IGN);
	base_log_init(BASE_LOG_NORMAL);
	base_notify_init();
	g_mime_init();
	return cli_command_dispatch(argc, argv);
}
