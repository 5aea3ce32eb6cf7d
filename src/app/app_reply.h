/*
 * app_reply: one reply as a person works with it: the conversation it
 * belongs to (what we sent to that person in that campaign, and what came
 * back, by time), and a person's reading of what it means, which replaces
 * the rules' (mail_intent) and ends its review. A reading changes no
 * sequence: the policies act when the reply arrives, once.
 */
#pragma once

#include "store/store.h"

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>

/* One turn of a conversation: a message we sent, or one that came in. */
typedef struct {
	const StoreMessage *sent;   /* or NULL */
	const StoreReply *received; /* or NULL */
	int64_t at;                 /* when it was sent (begun) or received */
} AppReplyTurn;

typedef struct {
	StoreReply *reply;
	GPtrArray *sent;     /* StoreMessage: what we sent in its enrollment, in order */
	GPtrArray *received; /* StoreReply: what came in for it, oldest first */
	GArray *turns;       /* AppReplyTurn: both, by time (borrowing from the two) */
} AppReplyThread;

void app_reply_thread_free(AppReplyThread *thread);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(AppReplyThread, app_reply_thread_free)

/* Reply @id with its conversation; APP_ERROR_NOT_FOUND when there is none. */
AppReplyThread *app_reply_thread(Store *store, int64_t id, GError **error);

/* Records that reply @id means @intent ("interested", ..., mail_intent);
 * APP_ERROR_INVALID for an intent that is none, APP_ERROR_NOT_FOUND. */
bool app_reply_mark(Store *store, int64_t id, const char *intent, GError **error);
