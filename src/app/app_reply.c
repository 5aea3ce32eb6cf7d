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
		return g_steal_pointer(&thread);
	}
	thread->sent =
	        store_message_list_for_enrollment(store, thread->reply->enrollment_id, error);
	if (thread->sent == NULL)
		return NULL;
	thread->received =
	        store_inbound_list_for_enrollment(store, thread->reply->enrollment_id, error);
	return thread->received != NULL ? g_steal_pointer(&thread) : NULL;
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
