#define G_LOG_DOMAIN "piculet-imap"

#include "imap/imap_sync.h"

#include <string.h>

const char imap_sync_header_fields[] =
        "FROM SENDER TO CC REPLY-TO SUBJECT DATE MESSAGE-ID IN-REPLY-TO REFERENCES "
        "AUTO-SUBMITTED X-AUTOREPLY X-AUTORESPOND PRECEDENCE X-FAILED-RECIPIENTS CONTENT-TYPE "
        "LIST-ID LIST-UNSUBSCRIBE RETURN-PATH THREAD-INDEX";

typedef struct {
	ImapCursor *cursor;
	uint32_t after_uid;
	ImapSyncFunc func;
	void *user_data;
	gsize body_bytes;
	guint delivered;
} SyncCall;

static bool
on_fetch(const ImapFetch *fetch, void *user_data)
{
	SyncCall *call = user_data;
	/* "n:*" returns the last message even when its UID is below n. */
	if (fetch->uid <= call->after_uid)
		return true;
	/* A server may send more of the text than the N bytes asked for: never
	 * hand on more than asked. */
	if (call->body_bytes > 0 && fetch->text != NULL &&
	    g_bytes_get_size(fetch->text) > call->body_bytes) {
		ImapFetch cut = *fetch;
		g_autoptr(GBytes) text = g_bytes_new_from_bytes(fetch->text, 0, call->body_bytes);
		cut.text = text;
		call->func(&cut, call->user_data);
	} else {
		call->func(fetch, call->user_data);
	}
	call->delivered++;
	if (fetch->uid > call->cursor->last_uid)
		call->cursor->last_uid = fetch->uid;
	if (fetch->modseq > call->cursor->highest_modseq)
		call->cursor->highest_modseq = fetch->modseq;
	return true;
}

bool
imap_sync_folder(ImapClient *client, const ImapSyncOptions *options, ImapCursor *cursor,
                 ImapSyncFunc func, void *user_data, bool *reset, GError **error)
{
	const ImapSelected *selected = imap_client_get_selected(client);
	bool fresh_select = selected->name == NULL || strcmp(selected->name, options->folder) != 0;
	*reset = false;

	if (fresh_select) {
		if (!imap_client_select(client, options->folder, true, error))
			return false;
	} else {
		/* The changed flag is not cleared here: an EXISTS that came in
		 * IDLE, or during the last FETCH, must still count. */
		if (!imap_client_noop(client, error))
			return false;
	}
	if (cursor->uid_validity != selected->uid_validity) {
		*reset = cursor->uid_validity != 0;
		if (*reset)
			g_message("%s: UIDVALIDITY changed (%u -> %u): reading the folder again",
			          options->folder, cursor->uid_validity, selected->uid_validity);
		cursor->uid_validity = selected->uid_validity;
		cursor->last_uid = 0;
		cursor->highest_modseq = 0;
	}
	/* Nothing new: after SELECT, UIDNEXT says so; on a selected folder, no
	 * untagged EXISTS came with the NOOP. */
	bool maybe_new = fresh_select ? (selected->uid_next == 0 ||
	                                 selected->uid_next > cursor->last_uid + 1)
	                              : selected->changed;
	if (selected->exists == 0 || !maybe_new) {
		if (selected->highest_modseq > cursor->highest_modseq)
			cursor->highest_modseq = selected->highest_modseq;
		return true;
	}

	g_autofree char *uid_set = g_strdup_printf("%u:*", cursor->last_uid + 1);
	g_autofree char *items = NULL;
	if (options->body_bytes > 0)
		items = g_strdup_printf("UID RFC822.SIZE FLAGS BODY.PEEK[HEADER.FIELDS (%s)] "
		                        "BODY.PEEK[TEXT]<0.%zu>",
		                        imap_sync_header_fields, options->body_bytes);
	else
		items = g_strdup_printf("UID RFC822.SIZE FLAGS BODY.PEEK[HEADER.FIELDS (%s)]",
		                        imap_sync_header_fields);
	/* Cleared before the fetch: an EXISTS that arrives during it marks the
	 * folder changed again, so the next poll looks once more. */
	imap_client_clear_changed(client);
	SyncCall call = {.cursor = cursor,
	                 .after_uid = cursor->last_uid,
	                 .func = func,
	                 .user_data = user_data,
	                 .body_bytes = options->body_bytes};
	if (!imap_client_uid_fetch(client, uid_set, items, on_fetch, &call, error))
		return false;
	if (selected->highest_modseq > cursor->highest_modseq)
		cursor->highest_modseq = selected->highest_modseq;
	g_debug("%s: %u new message(s), last UID %u", options->folder, call.delivered,
	        cursor->last_uid);
	return true;
}
