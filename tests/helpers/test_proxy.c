#include "helpers/test_proxy.h"

#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

typedef struct {
	int client;
	int upstream; /* -1 until connected */
} Pair;

struct TestProxy {
	char *upstream_path;
	int listener;
	uint16_t port;
	int wake[2];
	GMutex lock;
	bool cut;      /* under lock */
	gint64 budget; /* under lock: bytes to the server before a cut; -1: none */
	bool stop;     /* under lock */
	GArray *pairs; /* Pair, the thread's alone */
	GThread *thread;
};

static int
connect_upstream(const char *path)
{
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	struct sockaddr_un address = {.sun_family = AF_UNIX};
	g_strlcpy(address.sun_path, path, sizeof address.sun_path);
	if (fd < 0 || connect(fd, (struct sockaddr *)&address, sizeof address) != 0) {
		if (fd >= 0)
			close(fd);
		return -1;
	}
	return fd;
}

static void
close_pair(Pair *pair)
{
	close(pair->client);
	if (pair->upstream >= 0)
		close(pair->upstream);
}

/* Copies what @from has to @to, no more than *@budget bytes of it (-1: no
 * limit; what it leaves is dropped); false when either end is gone. */
static bool
forward(int from, int to, gint64 *budget)
{
	char buffer[16384];
	ssize_t n = read(from, buffer, sizeof buffer);
	if (n <= 0)
		return false;
	if (*budget >= 0) {
		n = MIN(n, (ssize_t)*budget);
		*budget -= n;
	}
	for (ssize_t done = 0; done < n;) {
		ssize_t w = write(to, buffer + done, (size_t)(n - done));
		if (w <= 0)
			return false;
		done += w;
	}
	return true;
}

static gpointer
proxy_main(gpointer data)
{
	TestProxy *proxy = data;
	for (;;) {
		g_mutex_lock(&proxy->lock);
		bool cut = proxy->cut;
		bool stop = proxy->stop;
		gint64 budget = proxy->budget;
		g_mutex_unlock(&proxy->lock);
		if (stop)
			break;
		/* Mended: connections accepted while cut reach the server now. */
		for (guint i = 0; !cut && i < proxy->pairs->len; i++) {
			Pair *pair = &g_array_index(proxy->pairs, Pair, i);
			if (pair->upstream < 0)
				pair->upstream = connect_upstream(proxy->upstream_path);
		}
		g_autoptr(GArray) fds = g_array_new(FALSE, TRUE, sizeof(struct pollfd));
		struct pollfd wake = {.fd = proxy->wake[0], .events = POLLIN};
		struct pollfd listen_fd = {.fd = proxy->listener, .events = POLLIN};
		g_array_append_val(fds, wake);
		g_array_append_val(fds, listen_fd);
		/* Cut: nothing is read either way (a dropped network, not a
		 * reset: both ends wait). */
		for (guint i = 0; !cut && i < proxy->pairs->len; i++) {
			Pair *pair = &g_array_index(proxy->pairs, Pair, i);
			struct pollfd client = {.fd = pair->client, .events = POLLIN};
			struct pollfd upstream = {.fd = pair->upstream, .events = POLLIN};
			g_array_append_val(fds, client);
			g_array_append_val(fds, upstream);
		}
		if (poll((struct pollfd *)fds->data, fds->len, -1) < 0 && errno != EINTR)
			break;
		struct pollfd *ready = (struct pollfd *)fds->data;
		if (ready[0].revents != 0) {
			char drain[64];
			(void)!read(proxy->wake[0], drain, sizeof drain);
		}
		if (ready[1].revents & POLLIN) {
			int client = accept4(proxy->listener, NULL, NULL, SOCK_CLOEXEC);
			if (client >= 0) {
				Pair pair = {.client = client,
				             .upstream =
				                     cut ? -1
				                         : connect_upstream(proxy->upstream_path)};
				g_array_append_val(proxy->pairs, pair);
			}
			continue;
		}
		for (guint i = 0; !cut && i < proxy->pairs->len;) {
			Pair *pair = &g_array_index(proxy->pairs, Pair, i);
			short client_events = ready[2 + 2 * i].revents;
			short upstream_events = ready[3 + 2 * i].revents;
			bool alive = pair->upstream >= 0;
			gint64 unlimited = -1;
			if (alive && client_events != 0)
				alive = forward(pair->client, pair->upstream, &budget);
			if (alive && upstream_events != 0)
				alive = forward(pair->upstream, pair->client, &unlimited);
			if (budget >= 0) {
				/* What is left of it, or the cut once it is spent. */
				g_mutex_lock(&proxy->lock);
				proxy->cut = budget == 0;
				proxy->budget = budget == 0 ? -1 : budget;
				g_mutex_unlock(&proxy->lock);
				if (budget == 0)
					break;
			}
			if (!alive) {
				close_pair(pair);
				g_array_remove_index(proxy->pairs, i);
				break; /* the poll set no longer matches the pairs */
			}
			i++;
		}
	}
	for (guint i = 0; i < proxy->pairs->len; i++)
		close_pair(&g_array_index(proxy->pairs, Pair, i));
	return NULL;
}

TestProxy *
test_proxy_start(const char *upstream_path)
{
	TestProxy *proxy = g_new0(TestProxy, 1);
	proxy->upstream_path = g_strdup(upstream_path);
	proxy->listener = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	struct sockaddr_in address = {.sin_family = AF_INET,
	                              .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	g_assert_cmpint(bind(proxy->listener, (struct sockaddr *)&address, sizeof address), ==, 0);
	g_assert_cmpint(listen(proxy->listener, 64), ==, 0);
	socklen_t length = sizeof address;
	g_assert_cmpint(getsockname(proxy->listener, (struct sockaddr *)&address, &length), ==, 0);
	proxy->port = ntohs(address.sin_port);
	g_assert_true(g_unix_open_pipe(proxy->wake, FD_CLOEXEC, NULL));
	g_mutex_init(&proxy->lock);
	proxy->budget = -1;
	proxy->pairs = g_array_new(FALSE, TRUE, sizeof(Pair));
	proxy->thread = g_thread_new("proxy", proxy_main, proxy);
	return proxy;
}

uint16_t
test_proxy_get_port(const TestProxy *proxy)
{
	return proxy->port;
}

static void
set(TestProxy *proxy, bool *flag, bool value)
{
	g_mutex_lock(&proxy->lock);
	*flag = value;
	g_mutex_unlock(&proxy->lock);
	(void)!write(proxy->wake[1], "", 1);
}

void
test_proxy_cut(TestProxy *proxy)
{
	set(proxy, &proxy->cut, true);
}

void
test_proxy_cut_after(TestProxy *proxy, gsize bytes)
{
	g_mutex_lock(&proxy->lock);
	proxy->budget = (gint64)bytes;
	g_mutex_unlock(&proxy->lock);
	(void)!write(proxy->wake[1], "", 1);
}

void
test_proxy_mend(TestProxy *proxy)
{
	set(proxy, &proxy->cut, false);
}

void
test_proxy_free(TestProxy *proxy)
{
	if (proxy == NULL)
		return;
	set(proxy, &proxy->stop, true);
	g_thread_join(proxy->thread);
	close(proxy->listener);
	close(proxy->wake[0]);
	close(proxy->wake[1]);
	g_array_unref(proxy->pairs);
	g_mutex_clear(&proxy->lock);
	g_free(proxy->upstream_path);
	g_free(proxy);
}
