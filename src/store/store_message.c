/* The store's message entry points: the back end does the work. */
#include "store/store.h"

#include "store/store_private.h"

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
