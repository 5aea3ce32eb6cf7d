#include "app/app_reply.h"

#include "app/app_error.h"
#include "mail/mail_intent.h"

void
app_reply_thread_free(AppReplyThread *thread)
{
	if (thread == NULL)
		return;
	store_reply_free(thread->reply);
	if (thread->sent != NULL)
		g_ptr_array_unref(thread->sent);
	if (thread->received != NULL)
		g_ptr_array_unref(thread->received);
	if (thread->turns != NULL)
		g_array_unref(thread->turns);
	g_free(thread);
}

static StoreReply *
get_reply(Store *store, int64_t id, GError **error)
{
	StoreReply *reply = store_inbound_get(store, id, error);
	if (reply == NULL && (error == NULL || *error == NULL))
		g_set_error(error, APP_ERROR, APP_ERROR_NOT_FOUND, "no reply %" G_GINT64_FORMAT,
		            id);
	return reply;
}

/* What was sent and what came back, merged by time (a send before a reply
 * of the same moment). */
static GArray *
turns_of(const GPtrArray *sent, const GPtrArray *received)
{
	GArray *turns = g_array_new(FALSE, TRUE, sizeof(AppReplyTurn));
	guint s = 0, r = 0;
	while (s < sent->len || r < received->len) {
		AppReplyTurn turn = {0};
		const StoreMessage *m = s < sent->len ? sent->pdata[s] : NULL;
		const StoreReply *in = r < received->len ? received->pdata[r] : NULL;
		int64_t m_at = m == NULL ? 0 : m->sent_at > 0 ? m->sent_at : m->created_at;
		if (in == NULL || (m != NULL && m_at <= in->received_at)) {
			turn.sent = m;
			turn.at = m_at;
			s++;
		} else {
			turn.received = in;
			turn.at = in->received_at;
			r++;
		}
		g_array_append_val(turns, turn);
	}
	return turns;
}

AppReplyThread *
app_reply_thread(Store *store, int64_t id, GError **error)
{
	g_autoptr(AppReplyThread) thread = g_new0(AppReplyThread, 1);
	thread->reply = get_reply(store, id, error);
	if (thread->reply == NULL)
		return NULL;
	if (thread->reply->enrollment_id == 0) {
		/* Matched to nothing: a conversation of one. */
		thread->sent = g_ptr_array_new();
		thread->received = g_ptr_array_new();
		thread->turns = turns_of(thread->sent, thread->received);
		return g_steal_pointer(&thread);
	}
	thread->sent =
	        store_message_list_for_enrollment(store, thread->reply->enrollment_id, error);
	if (thread->sent == NULL)
		return NULL;
	thread->received =
	        store_inbound_list_for_enrollment(store, thread->reply->enrollment_id, error);
	if (thread->received == NULL)
		return NULL;
	thread->turns = turns_of(thread->sent, thread->received);
	return g_steal_pointer(&thread);
}

bool
app_reply_mark(Store *store, int64_t id, const char *intent, GError **error)
{
	MailIntent known;
	if (intent == NULL || !mail_intent_parse(intent, &known)) {
		g_set_error(error, APP_ERROR, APP_ERROR_INVALID,
		            "no intent \"%s\" (interested, meeting, later, not_interested, "
		            "wrong_person, unsubscribe, needs_review)",
		            intent != NULL ? intent : "");
		return false;
	}
	bool found = false;
	if (!store_inbound_set_intent(store, id, intent, &found, error))
		return false;
	if (!found) {
		g_set_error(error, APP_ERROR, APP_ERROR_NOT_FOUND, "no reply %" G_GINT64_FORMAT,
		            id);
		return false;
	}
	return true;
}
