/* The SQLite back end: the messages we send. */
#include "store/store_sql.h"

#define MESSAGE_COLUMNS                                                                            \
	"SELECT id, enrollment_id, coalesce(mailbox_id, 0), step, message_id, state, subject, "    \
	"smtp_reply, created_at, coalesce(sent_at, 0), variant FROM message "

/* The messages @stmt (bound) finds. */
static GPtrArray *
messages(StoreSql *db, StoreSqlStatement *stmt, GError **error)
{
	g_autoptr(GPtrArray) list =
	        g_ptr_array_new_with_free_func((GDestroyNotify)store_message_free);
	int rc;
	while ((rc = store_sql_step(stmt)) == STORE_SQL_ROW) {
		StoreMessage *m = g_new0(StoreMessage, 1);
		m->id = store_sql_column_int64(stmt, 0);
		m->enrollment_id = store_sql_column_int64(stmt, 1);
		m->mailbox_id = store_sql_column_int64(stmt, 2);
		m->step = store_sql_column_int(stmt, 3);
		m->message_id = store_sql_column_dup(stmt, 4);
		m->state = store_sql_column_dup(stmt, 5);
		m->subject = store_sql_column_dup(stmt, 6);
		m->smtp_reply = store_sql_column_dup(stmt, 7);
		m->created_at = store_sql_column_int64(stmt, 8);
		m->sent_at = store_sql_column_int64(stmt, 9);
		m->variant = store_sql_column_int(stmt, 10);
		g_ptr_array_add(list, m);
	}
	if (rc != STORE_SQL_DONE) {
		store_sql_set_error(db, rc, "messages", error);
		return NULL;
	}
	return g_steal_pointer(&list);
}

bool
store_sql_message_begin(void *impl, int64_t enrollment_id, int step, int variant,
                        int64_t mailbox_id, const char *message_id, const char *subject,
                        int64_t at_us, int64_t *id, GError **error)
{
	StoreSql *db = impl;
	StoreSqlStatement *stmt = store_sql_statement(
	        db,
	        "INSERT INTO message (enrollment_id, step, mailbox_id, message_id, state, subject, "
	        "created_at, variant) VALUES (?1, ?2, ?3, ?4, 'sending', ?5, ?6, ?7) RETURNING id",
	        error);
	if (stmt == NULL)
		return false;
	store_sql_bind_int64(stmt, 1, enrollment_id);
	store_sql_bind_int64(stmt, 2, step);
	store_sql_bind_int64(stmt, 3, mailbox_id);
	store_sql_bind_text(stmt, 4, message_id);
	store_sql_bind_text(stmt, 5, subject);
	store_sql_bind_int64(stmt, 6, at_us);
	store_sql_bind_int64(stmt, 7, variant);
	int rc = store_sql_step(stmt);
	if (rc == STORE_SQL_CONSTRAINT) {
		g_set_error(error, STORE_ERROR, STORE_ERROR_CONFLICT,
		            "step %d of enrollment %" G_GINT64_FORMAT " was begun already: "
		            "it is never sent twice",
		            step, enrollment_id);
		return false;
	}
	if (rc != STORE_SQL_ROW) {
		store_sql_set_error(db, rc, "message begin", error);
		return false;
	}
	*id = store_sql_column_int64(stmt, 0);
	store_sql_reset(stmt);
	return true;
}

bool
store_sql_message_finish(void *impl, int64_t id, const char *state, const char *smtp_reply,
                         int64_t sent_at_us, GError **error)
{
	return STORE_SQL_RUN(
	        impl,
	        "UPDATE message SET state = ?2, smtp_reply = ?3, sent_at = nullif(?4, 0) "
	        "WHERE id = ?1",
	        "message finish", error, STORE_SQL_NUMBER(id), STORE_SQL_TEXT(state),
	        STORE_SQL_TEXT(smtp_reply), STORE_SQL_NUMBER(sent_at_us));
}

bool
store_sql_message_discard(void *impl, int64_t id, GError **error)
{
	return STORE_SQL_RUN(impl, "DELETE FROM message WHERE id = ?1 AND state = 'sending'",
	                     "message discard", error, STORE_SQL_NUMBER(id));
}

GPtrArray *
store_sql_message_list_for_enrollment(void *impl, int64_t enrollment_id, GError **error)
{
	StoreSqlStatement *stmt = store_sql_statement(
	        impl, MESSAGE_COLUMNS "WHERE enrollment_id = ?1 ORDER BY step", error);
	if (stmt == NULL)
		return NULL;
	store_sql_bind_int64(stmt, 1, enrollment_id);
	return messages(impl, stmt, error);
}

GPtrArray *
store_sql_message_list_sending(void *impl, int64_t mailbox_id, GError **error)
{
	StoreSqlStatement *stmt = store_sql_statement(
	        impl,
	        MESSAGE_COLUMNS
	        "WHERE state = 'sending' AND (?1 = 0 OR mailbox_id = ?1) ORDER BY id",
	        error);
	if (stmt == NULL)
		return NULL;
	store_sql_bind_int64(stmt, 1, mailbox_id);
	return messages(impl, stmt, error);
}

/* The one message @stmt (bound) finds, or NULL. */
static StoreMessage *
one_message(StoreSql *db, StoreSqlStatement *stmt, GError **error)
{
	g_autoptr(GPtrArray) found = messages(db, stmt, error);
	if (found == NULL || found->len == 0)
		return NULL;
	return g_ptr_array_steal_index(found, 0);
}

StoreMessage *
store_sql_message_find(void *impl, const char *message_id, GError **error)
{
	StoreSqlStatement *stmt =
	        store_sql_statement(impl, MESSAGE_COLUMNS "WHERE message_id = ?1", error);
	if (stmt == NULL)
		return NULL;
	store_sql_bind_text(stmt, 1, message_id);
	return one_message(impl, stmt, error);
}

StoreMessage *
store_sql_message_find_step(void *impl, int64_t enrollment_id, int step, GError **error)
{
	StoreSqlStatement *stmt = store_sql_statement(
	        impl, MESSAGE_COLUMNS "WHERE enrollment_id = ?1 AND step = ?2", error);
	if (stmt == NULL)
		return NULL;
	store_sql_bind_int64(stmt, 1, enrollment_id);
	store_sql_bind_int64(stmt, 2, step);
	return one_message(impl, stmt, error);
}
