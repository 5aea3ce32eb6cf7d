/*
 * imap_sync: brings a folder up to date from a saved cursor and hands over
 * only the messages that are new since it. Knows nothing of what the
 * messages mean.
 *
 * The cursor is (UIDVALIDITY, last seen UID, HIGHESTMODSEQ). A changed
 * UIDVALIDITY resets it: every message of the folder is then new again,
 * and the caller deduplicates by Message-ID. A poll of a folder that is
 * already selected costs one NOOP when nothing is new.
 *
 * Real servers' habits handled here: "UID FETCH n:*" with n above the
 * highest UID still returns the last message (RFC 9051 6.4.8), so UIDs are
 * filtered; STATUS on the selected folder can be stale on Dovecot, so the
 * selected folder is polled with NOOP, never STATUS.
 */
#pragma once

#include "imap/imap_client.h"

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>

/* Plain data: where a folder was left. All 0 for "never synced". */
typedef struct {
	uint32_t uid_validity;
	uint32_t last_uid;
	uint64_t highest_modseq;
} ImapCursor;

/* The header fields the engine reads, asked for in every sync. */
extern const char imap_sync_header_fields[];

typedef struct {
	const char *folder; /* UTF-8 name, e.g. "INBOX" */
	gsize body_bytes;   /* also fetch the first N bytes of the text; 0: none */
} ImapSyncOptions;

/* Called for each new message, in the order the server sends them (UID
 * order on every server we know); @fetch is borrowed for the call. */
typedef void (*ImapSyncFunc)(const ImapFetch *fetch, void *user_data);

/*
 * Syncs @options->folder from @cursor: selects it read-only when it is not
 * selected yet (else NOOP), fetches the new messages, calls @func for
 * each, and advances @cursor. *@reset says whether UIDVALIDITY changed.
 */
bool imap_sync_folder(ImapClient *client, const ImapSyncOptions *options, ImapCursor *cursor,
                      ImapSyncFunc func, void *user_data, bool *reset, GError **error);
