/* The API's feeds: replies and events. */
#include "http/http_api_feed.h"

#include "app/app_answer.h"
#include "app/app_campaign.h"
#include "app/app_reply.h"
#include "http/http_json.h"
#include "mail/mail_address.h"

#define PAGE_DEFAULT 100
#define PAGE_MAX     1000

static json_t *
reply_json(const StoreReply *r)
{
	json_t *one = json_pack(
	        "{s:I, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:b}", "id", (json_int_t)r->id,
	        "campaign", http_json_text(r->campaign), "prospect", http_json_text(r->email),
	        "from", http_json_text(r->from_address), "class", http_json_text(r->klass),
	        "subject", http_json_text(r->subject), "text", http_json_text(r->reply_text),
	        "received_at", http_json_time(r->received_at), "needs_review", r->needs_review);
	if (r->intent[0] != '\0')
		json_object_set_new(one, "intent", json_string(r->intent));
	if (r->intent_date[0] != '\0')
		json_object_set_new(one, "date", json_string(r->intent_date));
	if (r->referral[0] != '\0')
		json_object_set_new(one, "referral", json_string(r->referral));
	return one;
}

void
http_api_feed_replies(HttpExchange *x)
{
	bool ok = true;
	guint limit = g_hash_table_contains(x->query, "limit")
	                      ? http_json_query_limit(x, "limit", PAGE_MAX, PAGE_DEFAULT, &ok)
	                      : 0;
	const char *offset_text = g_hash_table_lookup(x->query, "offset");
	guint64 offset = 0;
	if (offset_text != NULL &&
	    !g_ascii_string_to_unsigned(offset_text, 10, 0, G_MAXUINT, &offset, NULL)) {
		http_json_fail(x, APP_ERROR_INVALID, "offset: how many replies to leave out first");
		return;
	}
	if (!ok)
		return;
	const char *given = g_hash_table_lookup(x->query, "mailbox");
	g_autoptr(GError) not_address = NULL;
	g_autofree char *mailbox =
	        given != NULL ? mail_address_normalize(given, &not_address) : NULL;
	if (given != NULL && mailbox == NULL) {
		g_autofree char *why = g_strdup_printf("mailbox: %s", not_address->message);
		http_json_fail(x, APP_ERROR_INVALID, why);
		return;
	}
	g_autoptr(GPtrArray) all = app_campaign_replies(
	        x->store, g_hash_table_lookup(x->query, "campaign"),
	        g_hash_table_lookup(x->query, "intent"), mailbox, limit, (guint)offset, &x->error);
	if (all == NULL)
		return;
	json_t *list = json_array();
	for (guint i = 0; i < all->len; i++)
		json_array_append_new(list, reply_json(all->pdata[i]));
	x->answer = list;
}

static json_t *
answer_json(const StoreAnswer *a)
{
	return json_pack("{s:s, s:I, s:I, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o}", "direction",
	                 "answered", "id", (json_int_t)a->id, "reply", (json_int_t)a->inbound_id,
	                 "author", http_json_text(a->author), "to", http_json_text(a->to_address),
	                 "subject", http_json_text(a->subject), "text", http_json_text(a->body),
	                 "state", http_json_text(a->state), "detail", http_json_text(a->detail),
	                 "message_id", http_json_text(a->message_id), "at",
	                 http_json_time(a->sent_at > 0 ? a->sent_at : a->created_at));
}

/* The conversation by time: what we sent, what came back, and the answers
 * written to it (after what they answer). */
static json_t *
thread_json(Store *store, const AppReplyThread *thread, GError **error)
{
	json_t *list = json_array();
	for (guint i = 0; i < thread->turns->len; i++) {
		const AppReplyTurn *turn = &g_array_index(thread->turns, AppReplyTurn, i);
		const StoreMessage *m = turn->sent;
		if (m != NULL) {
			json_array_append_new(list,
			                      json_pack("{s:s, s:i, s:o, s:o, s:o, s:o}",
			                                "direction", "sent", "step", m->step,
			                                "subject", http_json_text(m->subject),
			                                "state", http_json_text(m->state),
			                                "message_id", http_json_text(m->message_id),
			                                "at", http_json_time(turn->at)));
		} else if (turn->received != NULL) {
			json_t *one = reply_json(turn->received);
			json_object_set_new(one, "direction", json_string("received"));
			json_array_append_new(list, one);
			g_autoptr(GPtrArray) answers =
			        store_answer_list(store, turn->received->id, error);
			if (answers == NULL) {
				json_decref(list);
				return NULL;
			}
			for (guint j = 0; j < answers->len; j++)
				json_array_append_new(list, answer_json(answers->pdata[j]));
		}
	}
	return list;
}

void
http_api_feed_reply_get(HttpExchange *x)
{
	int64_t id = http_json_id_param(x, 0);
	if (id == 0)
		return;
	g_autoptr(AppReplyThread) thread = app_reply_thread(x->store, id, &x->error);
	if (thread == NULL)
		return;
	json_t *turns = thread_json(x->store, thread, &x->error);
	if (turns != NULL)
		x->answer = json_pack("{s:o, s:o}", "reply", reply_json(thread->reply), "thread",
		                      turns);
}

void
http_api_feed_reply_answer(HttpExchange *x)
{
	int64_t id = http_json_id_param(x, 0);
	if (id == 0)
		return;
	bool ok = true;
	const char *text = http_json_body_string(x, "text", &ok);
	const char *key = http_json_body_string(x, "key", &ok);
	if (!ok)
		return;
	AppAnswerOptions options = {.ca_file = x->ca_file, .stop_fd = x->stop_fd};
	const char *author = x->session != NULL ? x->session->user->email : x->key_name;
	bool again = false;
	g_autoptr(StoreAnswer) answer =
	        app_answer_send(x->store, id, text, key, author, &options, &again, &x->error);
	if (answer == NULL)
		return;
	x->status = again ? 200 : 201;
	x->answer = answer_json(answer);
}

void
http_api_feed_reply_mark(HttpExchange *x)
{
	int64_t id = http_json_id_param(x, 0);
	if (id == 0)
		return;
	bool ok = true;
	const char *intent = http_json_body_string(x, "intent", &ok);
	if (!ok)
		return;
	if (!app_reply_mark(x->store, id, intent, &x->error))
		return;
	g_autoptr(AppReplyThread) thread = app_reply_thread(x->store, id, &x->error);
	if (thread != NULL)
		x->answer = reply_json(thread->reply);
}

void
http_api_feed_events(HttpExchange *x)
{
	bool ok = true;
	const char *after_text = g_hash_table_lookup(x->query, "after");
	guint64 after = 0;
	if (after_text != NULL &&
	    !g_ascii_string_to_unsigned(after_text, 10, 0, G_MAXINT64, &after, NULL)) {
		http_json_fail(x, APP_ERROR_INVALID, "after: the id of the last event seen");
		return;
	}
	guint limit = http_json_query_limit(x, "limit", PAGE_MAX, PAGE_DEFAULT, &ok);
	if (!ok)
		return;
	g_autoptr(GPtrArray) events =
	        store_event_list_after(x->store, (int64_t)after, limit, &x->error);
	if (events == NULL)
		return;
	json_t *list = json_array();
	for (guint i = 0; i < events->len; i++) {
		const StoreEvent *e = events->pdata[i];
		json_t *event = json_pack(
		        "{s:I, s:o, s:o, s:o, s:o, s:o, s:o}", "id", (json_int_t)e->id, "at",
		        http_json_time(e->at), "kind", http_json_text(e->kind), "campaign",
		        http_json_text(e->campaign), "prospect", http_json_text(e->email),
		        "mailbox", http_json_text(e->mailbox), "detail", http_json_text(e->detail));
		if (e->step > 0)
			json_object_set_new(event, "step", json_integer(e->step));
		json_array_append_new(list, event);
	}
	/* The cursor: the last id given, or the one asked after when none. */
	json_int_t next =
	        events->len > 0
	                ? (json_int_t)((const StoreEvent *)events->pdata[events->len - 1])->id
	                : (json_int_t)after;
	x->answer = json_pack("{s:o, s:I}", "events", list, "next", next);
}
