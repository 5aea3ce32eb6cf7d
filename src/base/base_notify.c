#include "base/base_notify.h"

#include <glib.h>
#include <stddef.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

/* Set once by base_notify_init() before threads start, read-only after. */
static struct sockaddr_un notify_address;
static socklen_t notify_address_length;
static int64_t watchdog_us;

void
base_notify_init(void)
{
	const char *socket_name = g_getenv("NOTIFY_SOCKET");
	size_t n = socket_name != NULL ? strlen(socket_name) : 0;
	notify_address_length = 0;
	if (n >= 2 && n < sizeof notify_address.sun_path &&
	    (socket_name[0] == '/' || socket_name[0] == '@')) {
		memset(&notify_address, 0, sizeof notify_address);
		notify_address.sun_family = AF_UNIX;
		memcpy(notify_address.sun_path, socket_name, n);
		if (socket_name[0] == '@')
			notify_address.sun_path[0] = '\0';
		notify_address_length = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + n +
		                                    (socket_name[0] == '/' ? 1 : 0));
	}
	const char *interval = g_getenv("WATCHDOG_USEC");
	const char *pid = g_getenv("WATCHDOG_PID");
	guint64 value = 0;
	guint64 owner = 0;
	watchdog_us = 0;
	/* The interval is ours unless it names another process. */
	if (interval != NULL &&
	    g_ascii_string_to_unsigned(interval, 10, 1, G_MAXINT64, &value, NULL) &&
	    (pid == NULL || (g_ascii_string_to_unsigned(pid, 10, 1, G_MAXINT32, &owner, NULL) &&
	                     owner == (guint64)getpid())))
		watchdog_us = (int64_t)value;
	g_unsetenv("NOTIFY_SOCKET");
	g_unsetenv("WATCHDOG_USEC");
	g_unsetenv("WATCHDOG_PID");
}

bool
base_notify_send(const char *state)
{
	if (notify_address_length == 0)
		return true;
	int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return false;
	size_t n = strlen(state);
	/* Never waits: a manager that does not read costs a notification, not a
	 * stuck engine. */
	ssize_t sent = sendto(fd, state, n, MSG_NOSIGNAL | MSG_DONTWAIT,
	                      (const struct sockaddr *)&notify_address, notify_address_length);
	close(fd);
	return sent == (ssize_t)n;
}

int64_t
base_notify_watchdog_us(void)
{
	return watchdog_us;
}

bool
base_notify_reloading(void)
{
	struct timespec now;
	if (clock_gettime(CLOCK_MONOTONIC, &now) != 0)
		return base_notify_send("RELOADING=1");
	char state[80];
	g_snprintf(state, sizeof state, "RELOADING=1\nMONOTONIC_USEC=%" G_GINT64_FORMAT,
	           (gint64)now.tv_sec * G_USEC_PER_SEC + now.tv_nsec / 1000);
	return base_notify_send(state);
}
