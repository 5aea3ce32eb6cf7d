/*
 * imap_watcher: waits on many sessions in IDLE at once from one thread
 * (epoll), so watching thousands of mailboxes costs a descriptor and a
 * small entry each, not a thread each. A session with input — on its
 * socket, or already buffered by us or by TLS, which epoll cannot see — is
 * removed from the watcher and handed back through its callback; the
 * callee reads it (imap_client_idle_wait with timeout 0), syncs, and adds
 * it again when it is back in IDLE.
 *
 * Not thread-safe: one thread adds, removes and runs. Sessions are
 * borrowed; remove a session before freeing it.
 */
#pragma once

#include "imap/imap_client.h"

#include <glib.h>
#include <stdbool.h>

typedef struct ImapWatcher ImapWatcher;

/* Called with a session that has input; it is no longer watched. */
typedef void (*ImapWatcherFunc)(ImapClient *client, void *user_data);

ImapWatcher *imap_watcher_new(GError **error);
void imap_watcher_free(ImapWatcher *watcher);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(ImapWatcher, imap_watcher_free)

bool imap_watcher_add(ImapWatcher *watcher, ImapClient *client, ImapWatcherFunc func,
                      void *user_data, GError **error);
void imap_watcher_remove(ImapWatcher *watcher, ImapClient *client);
guint imap_watcher_get_count(const ImapWatcher *watcher);

/*
 * Waits up to @timeout_ms (-1: no limit) for input on any watched session,
 * or for @wake_fd (when >= 0) to become readable, then hands back every
 * session with input. Returns how many were handed back (0 on timeout or
 * wake), or -1 with @error.
 */
int imap_watcher_run_once(ImapWatcher *watcher, int timeout_ms, int wake_fd, GError **error);
