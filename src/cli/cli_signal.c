#include "cli/cli_signal.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <unistd.h>

/* A signal handler can reach nothing else: the one piece of global state. */
static int stop_pipe[2] = {-1, -1};
static int wake_pipe[2] = {-1, -1};
static volatile sig_atomic_t reload_pending;

static void
poke(int fd, int signal_number)
{
	char byte = (char)signal_number;
	if (fd >= 0 && write(fd, &byte, 1) < 0) {
		/* Nothing to do: a byte is already pending. */
	}
}

static void
on_signal(int signal_number)
{
	int saved = errno;
	if (signal_number == SIGHUP)
		reload_pending = 1;
	else
		poke(stop_pipe[1], signal_number);
	poke(wake_pipe[1], signal_number);
	errno = saved;
}

static bool
open_pipe(int fds[2])
{
	if (fds[0] >= 0)
		return true;
	if (pipe2(fds, O_CLOEXEC | O_NONBLOCK) != 0)
		return false;
	return true;
}

bool
cli_signal_install_stop(void)
{
	static bool installed = false;
	if (installed)
		return true;
	if (!open_pipe(stop_pipe) || !open_pipe(wake_pipe))
		return false;
	struct sigaction action = {.sa_handler = on_signal};
	sigemptyset(&action.sa_mask);
	installed = sigaction(SIGINT, &action, NULL) == 0 && sigaction(SIGTERM, &action, NULL) == 0;
	return installed;
}

int
cli_signal_get_stop_fd(void)
{
	return stop_pipe[0];
}

/* Polled, not read: a stop is for good, and the store's waits watch the
 * same pipe (StoreSettings.stop_fd). */
bool
cli_signal_stop_requested(void)
{
	struct pollfd stop = {.fd = stop_pipe[0], .events = POLLIN};
	return stop_pipe[0] >= 0 && poll(&stop, 1, 0) > 0;
}

bool
cli_signal_install_reload(void)
{
	if (!cli_signal_install_stop())
		return false;
	struct sigaction action = {.sa_handler = on_signal};
	sigemptyset(&action.sa_mask);
	return sigaction(SIGHUP, &action, NULL) == 0;
}

int
cli_signal_get_wake_fd(void)
{
	return wake_pipe[0];
}

bool
cli_signal_reload_requested(void)
{
	char bytes[64];
	while (wake_pipe[0] >= 0 && read(wake_pipe[0], bytes, sizeof bytes) > 0) {
		/* Emptied: the next signal makes it readable again. */
	}
	bool pending = reload_pending != 0;
	reload_pending = 0;
	return pending;
}
