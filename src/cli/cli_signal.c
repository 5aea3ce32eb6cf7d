#include "cli/cli_signal.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

/* A signal handler can reach nothing else: the one piece of global state. */
static int stop_pipe[2] = {-1, -1};

static void
on_stop_signal(int signal_number)
{
	int saved = errno;
	char byte = (char)signal_number;
	if (write(stop_pipe[1], &byte, 1) < 0) {
		/* Nothing to do: a byte is already pending. */
	}
	errno = saved;
}

bool
cli_signal_install_stop(void)
{
	if (stop_pipe[0] >= 0)
		return true;
	if (pipe(stop_pipe) != 0)
		return false;
	fcntl(stop_pipe[0], F_SETFL, O_NONBLOCK);
	fcntl(stop_pipe[1], F_SETFL, O_NONBLOCK);
	struct sigaction action = {.sa_handler = on_stop_signal};
	sigemptyset(&action.sa_mask);
	return sigaction(SIGINT, &action, NULL) == 0 && sigaction(SIGTERM, &action, NULL) == 0;
}

int
cli_signal_get_stop_fd(void)
{
	return stop_pipe[0];
}

bool
cli_signal_stop_requested(void)
{
	char byte;
	return stop_pipe[0] >= 0 && read(stop_pipe[0], &byte, 1) == 1;
}
