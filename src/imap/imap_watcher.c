#include "imap/imap_watcher.h"

#include "imap/imap_error.h"

#include <errno.h>
#include <sys/epoll.h>
#include <unistd.h>

/* How many ready events one epoll_wait collects. */
#define EVENTS_PER_WAIT 256

typedef struct {
	ImapClient *client;
	ImapWatcherFunc func;
	void *user_data;
	int fd;
} Entry;

struct ImapWatcher {
	int epoll_fd;
	GHashTable *entries; /* ImapClient * -> Entry * */
	int wake_fd_added;   /* the wake descriptor registered, or -1 */
};

ImapWatcher *
imap_watcher_new(GError **error)
{
	int fd = epoll_create1(EPOLL_CLOEXEC);
	if (fd < 0) {
		g_set_error(error, IMAP_ERROR, IMAP_ERROR_CONNECT, "epoll: %s", g_strerror(errno));
		return NULL;
	}
	ImapWatcher *watcher = g_new0(ImapWatcher, 1);
	watcher->epoll_fd = fd;
	watcher->entries = g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL, g_free);
	watcher->wake_fd_added = -1;
	return watcher;
}

void
imap_watcher_free(ImapWatcher *watcher)
{
	if (watcher == NULL)
		return;
	close(watcher->epoll_fd);
	g_hash_table_unref(watcher->entries);
	g_free(watcher);
}

guint
imap_watcher_get_count(const ImapWatcher *watcher)
{
	return g_hash_table_size(watcher->entries);
}

bool
imap_watcher_add(ImapWatcher *watcher, ImapClient *client, ImapWatcherFunc func, void *user_data,
                 GError **error)
{
	g_return_val_if_fail(!g_hash_table_contains(watcher->entries, client), false);
	Entry *entry = g_new0(Entry, 1);
	entry->client = client;
	entry->func = func;
	entry->user_data = user_data;
	entry->fd = imap_client_get_fd(client);
	/* The event carries the client, not the entry: a callback may remove
	 * other clients while a batch of events is being handed back. */
	struct epoll_event event = {.events = EPOLLIN | EPOLLRDHUP, .data.ptr = client};
	if (entry->fd < 0 || epoll_ctl(watcher->epoll_fd, EPOLL_CTL_ADD, entry->fd, &event) != 0) {
		g_set_error(error, IMAP_ERROR, IMAP_ERROR_CONNECT, "epoll_ctl: %s",
		            g_strerror(errno));
		g_free(entry);
		return false;
	}
	g_hash_table_insert(watcher->entries, client, entry);
	return true;
}

void
imap_watcher_remove(ImapWatcher *watcher, ImapClient *client)
{
	Entry *entry = g_hash_table_lookup(watcher->entries, client);
	if (entry == NULL)
		return;
	epoll_ctl(watcher->epoll_fd, EPOLL_CTL_DEL, entry->fd, NULL);
	g_hash_table_remove(watcher->entries, client);
}

static void
hand_back(ImapWatcher *watcher, Entry *entry)
{
	ImapClient *client = entry->client;
	ImapWatcherFunc func = entry->func;
	void *user_data = entry->user_data;
	imap_watcher_remove(watcher, client);
	func(client, user_data);
}

int
imap_watcher_run_once(ImapWatcher *watcher, int timeout_ms, int wake_fd, GError **error)
{
	/* Input TLS or our reader already holds never wakes epoll: hand those
	 * back first, without waiting. */
	g_autoptr(GPtrArray) buffered = g_ptr_array_new();
	GHashTableIter iter;
	gpointer value;
	g_hash_table_iter_init(&iter, watcher->entries);
	while (g_hash_table_iter_next(&iter, NULL, &value))
		if (imap_client_has_buffered_input(((Entry *)value)->client))
			g_ptr_array_add(buffered, ((Entry *)value)->client);
	for (guint i = 0; i < buffered->len; i++) {
		Entry *entry = g_hash_table_lookup(watcher->entries, buffered->pdata[i]);
		if (entry != NULL)
			hand_back(watcher, entry);
	}
	if (buffered->len > 0)
		return (int)buffered->len;

	if (wake_fd != watcher->wake_fd_added) {
		if (watcher->wake_fd_added >= 0)
			epoll_ctl(watcher->epoll_fd, EPOLL_CTL_DEL, watcher->wake_fd_added, NULL);
		struct epoll_event event = {.events = EPOLLIN, .data.ptr = NULL};
		if (wake_fd >= 0)
			epoll_ctl(watcher->epoll_fd, EPOLL_CTL_ADD, wake_fd, &event);
		watcher->wake_fd_added = wake_fd;
	}
	struct epoll_event events[EVENTS_PER_WAIT];
	int n = epoll_wait(watcher->epoll_fd, events, EVENTS_PER_WAIT, timeout_ms);
	if (n < 0) {
		if (errno == EINTR)
			return 0;
		g_set_error(error, IMAP_ERROR, IMAP_ERROR_CONNECT, "epoll_wait: %s",
		            g_strerror(errno));
		return -1;
	}
	int handed = 0;
	for (int i = 0; i < n; i++) {
		Entry *entry = events[i].data.ptr != NULL
		                       ? g_hash_table_lookup(watcher->entries, events[i].data.ptr)
		                       : NULL; /* NULL: the wake descriptor, or removed meanwhile */
		if (entry == NULL)
			continue;
		hand_back(watcher, entry);
		handed++;
	}
	return handed;
}
