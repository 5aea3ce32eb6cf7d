/*
 * engine_restore: a database used from a backup looks, once per mailbox,
 * in the mailbox's Sent folder for what was sent after the backup was
 * taken (StoreMailbox.sent_check_since) before that mailbox sends again.
 * A message there that the database does not know, to a person whose
 * sequence it thinks open, may be a step the backup never heard of: that
 * sequence is held "uncertain" for a person to look at (never sent twice).
 * Mail the person sent by hand meets the same rule: a look costs less than
 * a second message. Without a Sent folder nothing can be checked, so the
 * mailbox pauses until a person resumes it.
 */
#include "engine/engine_private.h"

#include "engine/engine_enrollment.h"
#include "engine/engine_lifecycle.h"
#include "engine/engine_mailbox.h"
#include "imap/imap_client.h"
#include "mail/mail_headers.h"

#include <string.h>

/* UIDs fetched per command: a long list stays within a line's length. */
#define UIDS_PER_FETCH 200

typedef struct {
	GPtrArray *found; /* MailHeaders * of the messages fetched */
} Fetched;

static bool
keep_headers(const ImapFetch *fetch, void *user_data)
{
	Fetched *fetched = user_data;
	if (fetch->header != NULL) {
		gsize length = 0;
		const char *data = g_bytes_get_data(fetch->header, &length);
		g_ptr_array_add(fetched->found, mail_headers_parse(data, length));
	}
	return true;
}

/* Holds every open sequence of @email, which a message unknown to the
 * database went to; the reason names it. */
static bool
hold_sequences(EngineContext *context, EngineMailbox *mailbox, const char *email,
               const char *message_id, guint *n_held, GError **error)
{
	g_autoptr(GPtrArray) open =
	        store_enrollment_list_open_by_email(context->store, email, error);
	if (open == NULL)
		return false;
	g_autoptr(GDateTime) taken =
	        g_date_time_new_from_unix_utc(mailbox->mailbox->sent_check_since / G_USEC_PER_SEC);
	g_autofree char *when = g_date_time_format_iso8601(taken);
	g_autofree char *reason = g_strdup_printf(
	        "the database was restored from a backup taken at %s, and %s's Sent folder has a "
	        "message to this person it does not know (Message-ID <%s>): a step may have "
	        "gone after the backup; look, then resume or stop",
	        when, mailbox->mailbox->address, message_id != NULL ? message_id : "none");
	for (guint i = 0; i < open->len; i++) {
		StoreEnrollment *enrollment = open->pdata[i];
		if (!store_begin(context->store, error))
			return false;
		bool written = false;
		bool ok = engine_enrollment_reload(context->store, enrollment, error);
		if (ok && engine_enrollment_move_allowed(engine_enrollment_state_of(enrollment),
		                                         ENGINE_ENROLLMENT_UNCERTAIN)) {
			/* It is this mailbox's to look at (and to go on from). */
			enrollment->mailbox_id = mailbox->mailbox->id;
			ok = engine_enrollment_move(enrollment, ENGINE_ENROLLMENT_UNCERTAIN, reason,
			                            error) &&
			     engine_enrollment_save(context->store, enrollment, &written, error) &&
			     engine_context_add_event(context, mailbox->mailbox->id,
			                              ENGINE_EVENT_UNCERTAIN, enrollment->id, 0,
			                              reason, error);
			*n_held += written;
		}
		if (!ok || !store_commit(context->store, error)) {
			store_rollback(context->store);
			return false;
		}
		if (written) {
			context->summary->uncertain++;
			g_warning("enrollment %" G_GINT64_FORMAT " (%s): uncertain: %s",
			          enrollment->id, enrollment->email, reason);
		}
	}
	return true;
}

/* The messages of the Sent folder since @since_us, their header fields. */
static GPtrArray *
fetch_sent_since(EngineMailbox *mailbox, int64_t since_us, GError **error)
{
	ImapClient *imap = mailbox->imap;
	if (!imap_client_select(imap, mailbox->sent_folder, true, error))
		return NULL;
	g_autoptr(GArray) uids = imap_client_uid_search_since(imap, since_us, error);
	if (uids == NULL)
		return NULL;
	Fetched fetched = {
	        .found = g_ptr_array_new_with_free_func((GDestroyNotify)mail_headers_free)};
	for (guint first = 0; first < uids->len; first += UIDS_PER_FETCH) {
		g_autoptr(GString) set = g_string_new(NULL);
		for (guint i = first; i < uids->len && i < first + UIDS_PER_FETCH; i++)
			g_string_append_printf(set, "%s%u", set->len > 0 ? "," : "",
			                       g_array_index(uids, uint32_t, i));
		if (!imap_client_uid_fetch(imap, set->str,
		                           "UID BODY.PEEK[HEADER.FIELDS (MESSAGE-ID TO DATE)]",
		                           keep_headers, &fetched, error)) {
			g_ptr_array_unref(fetched.found);
			return NULL;
		}
	}
	return fetched.found;
}

bool
engine_restore_check_sent(EngineContext *context, EngineMailbox *mailbox, bool *may_send,
                          GError **error)
{
	StoreMailbox *m = mailbox->mailbox;
	*may_send = false;
	g_autoptr(GError) imap_error = NULL;
	if (!engine_inbox_connect(context, mailbox, &imap_error)) {
		g_warning("mailbox %s: restored from a backup; its Sent folder cannot be looked at "
		          "yet, so it sends nothing: %s",
		          m->address, imap_error->message);
		return true;
	}
	if (mailbox->sent_folder == NULL) {
		const char *reason =
		        "restored from a backup, and the mailbox has no Sent folder to "
		        "look for what was sent after it: resume it by hand once you "
		        "know";
		return store_mailbox_set_sent_check(context->store, m->id, 0, error) &&
		       engine_context_pause_mailbox(context, mailbox, ENGINE_MAILBOX_PAUSED_SENDING,
		                                    reason, 0, error);
	}
	/* From the earlier of the backup and the last send it knows, a day
	 * before: the server dates its Sent mail by its own clock, which may
	 * not be this machine's (nor the one the backup was taken on). */
	int64_t last_known_us = 0;
	if (!store_mailbox_last_message_at(context->store, m->id, &last_known_us, error))
		return false;
	int64_t since_us = m->sent_check_since;
	if (last_known_us > 0 && last_known_us < since_us)
		since_us = last_known_us;
	since_us -= G_TIME_SPAN_DAY;
	g_autoptr(GPtrArray) found = fetch_sent_since(mailbox, MAX(since_us, 0), &imap_error);
	if (found == NULL) {
		g_warning("mailbox %s: restored from a backup; looking in its Sent folder failed, "
		          "so it sends nothing yet: %s",
		          m->address, imap_error->message);
		return true;
	}
	guint n_unknown = 0;
	guint n_held = 0;
	for (guint i = 0; i < found->len; i++) {
		const MailHeaders *headers = found->pdata[i];
		g_autoptr(GPtrArray) ids = mail_headers_dup_message_ids(headers, "Message-ID");
		const char *message_id = ids->len > 0 ? ids->pdata[0] : NULL;
		if (message_id != NULL) {
			GError *local = NULL;
			g_autoptr(StoreMessage) known =
			        store_message_find(context->store, message_id, &local);
			if (local != NULL) {
				g_propagate_error(error, local);
				return false;
			}
			if (known != NULL)
				continue;
		}
		g_autofree char *to = mail_headers_dup_address(headers, "To");
		if (to == NULL)
			continue;
		n_unknown++;
		if (!hold_sequences(context, mailbox, to, message_id, &n_held, error))
			return false;
	}
	g_message("mailbox %s: restored from a backup: %u message%s in its Sent folder since "
	          "then, %u unknown to the database, %u sequence%s held for a look",
	          m->address, found->len, found->len == 1 ? "" : "s", n_unknown, n_held,
	          n_held == 1 ? "" : "s");
	if (!store_mailbox_set_sent_check(context->store, m->id, 0, error))
		return false;
	m->sent_check_since = 0;
	*may_send = true;
	return true;
}
