/* The store's message entry points: the back end does the work. */
#include "store/store.h"

#include "store/store_private.h"

bool
store_message_begin(Store *store, int64_t enrollment_id, int step, int64_t mailbox_id,
                    const char *message_id, const char *subject, int64_t at_us, int64_t *id,
                    GError **error)
{
	return store->backend->message_begin(store->impl, enrollment_id, step, mailbox_id,
	                                     message_id, subject, at_us, id, error);
}

bool
store_message_finish(Store *store, int64_t id, const char *state, const char *smtp_reply,
                     int64_t sent_at_us, GError **error)
{
	return store->backend->message_finish(store->impl, id, state, smtp_reply, sent_at_us,
	                                      error);
}

bool
store_message_discard(Store *store, int64_t id, GError **error)
{
	return store->backend->message_discard(store->impl, id, error);
}

GPtrArray *
store_message_list_for_enrollment(Store *store, int64_t enrollment_id, GError **error)
{
	return store->backend->messages_of(store->impl, enrollment_id, error);
}

GPtrArray *
store_message_list_sending(Store *store, int64_t mailbox_id, GError **error)
{
	return store->backend->messages_sending(store->impl, mailbox_id, error);
}

StoreMessage *
store_message_find(Store *store, const char *message_id, GError **error)
{
	return store->backend->message_find(store->impl, message_id, error);
}

void
store_message_free(StoreMessage *message)
{
	if (message == NULL)
		return;
	g_free(message->message_id);
	g_free(message->state);
	g_free(message->subject);
	g_free(message->smtp_reply);
	g_free(message);
}
