/* The store's SQL: answers written in the dashboard. */
#include "store/store_sql.h"

bool
store_sql_answer_begin(void *impl, const StoreAnswerInput *answer, int64_t *id, bool *existing,
                       GError **error)
{
	StoreSql *db = impl;
	*existing = false;
	StoreSqlStatement *stmt = store_sql_statement(
	        db,
	        "INSERT INTO answer (inbound_id, mailbox_id, request_key, message_id, author, "
	        "to_address, subject, body, state, created_at) "
	        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, 'sending', ?9) "
	        "ON CONFLICT (request_key) DO NOTHING RETURNING id",
	        error);
	if (stmt == NULL)
		return false;
	store_sql_bind_int64(stmt, 1, answer->inbound_id);
	store_sql_bind_int64(stmt, 2, answer->mailbox_id);
	store_sql_bind_text(stmt, 3, answer->request_key);
	store_sql_bind_text(stmt, 4, answer->message_id);
	store_sql_bind_text(stmt, 5, answer->author);
	store_sql_bind_text(stmt, 6, answer->to_address);
	store_sql_bind_text(stmt, 7, answer->subject);
	store_sql_bind_text(stmt, 8, answer->body);
	store_sql_bind_int64(stmt, 9, store_sql_now_us(db));
	int rc = store_sql_step(stmt);
	if (rc == STORE_SQL_ROW)
		*id = store_sql_column_int64(stmt, 0);
	int end = rc == STORE_SQL_ROW ? store_sql_step(stmt) : rc;
	store_sql_reset(stmt);
	if (end != STORE_SQL_DONE) {
		store_sql_set_error(db, end, "answer begin", error);
		return false;
	}
	if (rc == STORE_SQL_ROW)
		return true;
	*existing = true;
	StoreSqlStatement *find =
	        store_sql_statement(db, "SELECT id FROM answer WHERE request_key = ?1", error);
	if (find == NULL)
		return false;
	store_sql_bind_text(find, 1, answer->request_key);
	rc = store_sql_step(find);
	if (rc == STORE_SQL_ROW)
		*id = store_sql_column_int64(find, 0);
	store_sql_reset(find);
	if (rc != STORE_SQL_ROW) {
		store_sql_set_error(db, rc == STORE_SQL_DONE ? STORE_SQL_ERROR : rc, "answer begin",
		                    error);
		return false;
	}
	return true;
}

bool
store_sql_answer_finish(void *impl, int64_t id, const char *state, const char *detail,
                        int64_t sent_at, GError **error)
{
	return STORE_SQL_RUN(
	        (StoreSql *)impl,
	        "UPDATE answer SET state = ?2, detail = ?3, sent_at = ?4 WHERE id = ?1",
	        "answer finish", error, STORE_SQL_NUMBER(id), STORE_SQL_TEXT(state),
	        STORE_SQL_TEXT(detail != NULL ? detail : ""), STORE_SQL_NUMBER(sent_at));
}

#define ANSWER_SELECT                                                                              \
	"SELECT id, inbound_id, mailbox_id, request_key, message_id, author, to_address, "         \
	"subject, "                                                                                \
	"body, state, detail, created_at, sent_at FROM answer "

static GPtrArray *
answers_of(StoreSql *db, StoreSqlStatement *stmt, GError **error)
{
	g_autoptr(GPtrArray) found =
	        g_ptr_array_new_with_free_func((GDestroyNotify)store_answer_free);
	int rc;
	while ((rc = store_sql_step(stmt)) == STORE_SQL_ROW) {
		StoreAnswer *a = g_new0(StoreAnswer, 1);
		a->id = store_sql_column_int64(stmt, 0);
		a->inbound_id = store_sql_column_int64(stmt, 1);
		a->mailbox_id = store_sql_column_int64(stmt, 2);
		a->request_key = store_sql_column_dup(stmt, 3);
		a->message_id = store_sql_column_dup(stmt, 4);
		a->author = store_sql_column_dup(stmt, 5);
		a->to_address = store_sql_column_dup(stmt, 6);
		a->subject = store_sql_column_dup(stmt, 7);
		a->body = store_sql_column_dup(stmt, 8);
		a->state = store_sql_column_dup(stmt, 9);
		a->detail = store_sql_column_dup(stmt, 10);
		a->created_at = store_sql_column_int64(stmt, 11);
		a->sent_at = store_sql_column_int64(stmt, 12);
		g_ptr_array_add(found, a);
	}
	store_sql_reset(stmt);
	if (rc != STORE_SQL_DONE) {
		store_sql_set_error(db, rc, "answers", error);
		return NULL;
	}
	return g_steal_pointer(&found);
}

StoreAnswer *
store_sql_answer_get(void *impl, int64_t id, GError **error)
{
	StoreSqlStatement *stmt = store_sql_statement(impl, ANSWER_SELECT "WHERE id = ?1", error);
	if (stmt == NULL)
		return NULL;
	store_sql_bind_int64(stmt, 1, id);
	g_autoptr(GPtrArray) found = answers_of(impl, stmt, error);
	return found != NULL && found->len > 0 ? g_ptr_array_steal_index(found, 0) : NULL;
}

GPtrArray *
store_sql_answer_list(void *impl, int64_t inbound_id, GError **error)
{
	StoreSqlStatement *stmt = store_sql_statement(
	        impl, ANSWER_SELECT "WHERE inbound_id = ?1 ORDER BY created_at, id", error);
	if (stmt == NULL)
		return NULL;
	store_sql_bind_int64(stmt, 1, inbound_id);
	return answers_of(impl, stmt, error);
}
