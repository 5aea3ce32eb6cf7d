/* The SQL back ends: task steps waiting for a person. */
#include "store/store_sql.h"

#define TASK_SELECT                                                                                \
	"SELECT t.id, t.enrollment_id, t.step, t.kind, t.note, t.created_at, t.done_at, "          \
	"t.done_by, p.email, trim(p.first_name || ' ' || p.last_name), p.company, c.name, "        \
	"e.state "                                                                                 \
	"FROM task t JOIN enrollment e ON e.id = t.enrollment_id "                                 \
	"JOIN prospect p ON p.id = e.prospect_id JOIN campaign c ON c.id = e.campaign_id "

static GPtrArray *
tasks(StoreSql *db, StoreSqlStatement *stmt, GError **error)
{
	g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func((GDestroyNotify)store_task_free);
	int rc;
	while ((rc = store_sql_step(stmt)) == STORE_SQL_ROW) {
		StoreTask *task = g_new0(StoreTask, 1);
		task->id = store_sql_column_int64(stmt, 0);
		task->enrollment_id = store_sql_column_int64(stmt, 1);
		task->step = store_sql_column_int(stmt, 2);
		task->kind = store_sql_column_dup(stmt, 3);
		task->note = store_sql_column_dup(stmt, 4);
		task->created_at = store_sql_column_int64(stmt, 5);
		task->done_at = store_sql_column_int64(stmt, 6);
		task->done_by = store_sql_column_dup(stmt, 7);
		task->email = store_sql_column_dup(stmt, 8);
		task->name = store_sql_column_dup(stmt, 9);
		task->company = store_sql_column_dup(stmt, 10);
		task->campaign = store_sql_column_dup(stmt, 11);
		task->state = store_sql_column_dup(stmt, 12);
		g_ptr_array_add(list, task);
	}
	store_sql_reset(stmt);
	if (rc != STORE_SQL_DONE) {
		store_sql_set_error(db, rc, "tasks", error);
		return NULL;
	}
	return g_steal_pointer(&list);
}

bool
store_sql_task_add(void *impl, int64_t enrollment_id, int step, const char *kind, const char *note,
                   int64_t at_us, int64_t *id, GError **error)
{
	StoreSql *db = impl;
	if (!STORE_SQL_RUN(
	            db,
	            "INSERT INTO task (enrollment_id, step, kind, note, created_at) "
	            "VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (enrollment_id, step) DO NOTHING",
	            "task add", error, STORE_SQL_NUMBER(enrollment_id), STORE_SQL_NUMBER(step),
	            STORE_SQL_TEXT(kind), STORE_SQL_TEXT(note), STORE_SQL_NUMBER(at_us)))
		return false;
	StoreSqlStatement *stmt = store_sql_statement(
	        db, "SELECT id FROM task WHERE enrollment_id = ?1 AND step = ?2", error);
	if (stmt == NULL)
		return false;
	store_sql_bind_int64(stmt, 1, enrollment_id);
	store_sql_bind_int64(stmt, 2, step);
	int rc = store_sql_step(stmt);
	*id = rc == STORE_SQL_ROW ? store_sql_column_int64(stmt, 0) : 0;
	store_sql_reset(stmt);
	if (rc != STORE_SQL_ROW) {
		store_sql_set_error(db, rc, "task add", error);
		return false;
	}
	return true;
}

GPtrArray *
store_sql_task_list(void *impl, bool all, guint limit, GError **error)
{
	StoreSql *db = impl;
	StoreSqlStatement *stmt = store_sql_statement(
	        db,
	        TASK_SELECT "WHERE ?1 = 1 OR t.done_at = 0 "
	                    "ORDER BY CASE WHEN t.done_at = 0 THEN 0 ELSE 1 END, "
	                    "CASE WHEN t.done_at = 0 THEN t.created_at ELSE -t.done_at END, t.id "
	                    "LIMIT ?2",
	        error);
	if (stmt == NULL)
		return NULL;
	store_sql_bind_int64(stmt, 1, all ? 1 : 0);
	store_sql_bind_int64(stmt, 2, limit > 0 ? (int64_t)limit : STORE_SQL_NO_LIMIT);
	return tasks(db, stmt, error);
}

StoreTask *
store_sql_task_get(void *impl, int64_t id, GError **error)
{
	StoreSql *db = impl;
	StoreSqlStatement *stmt = store_sql_statement(db, TASK_SELECT "WHERE t.id = ?1", error);
	if (stmt == NULL)
		return NULL;
	store_sql_bind_int64(stmt, 1, id);
	g_autoptr(GPtrArray) found = tasks(db, stmt, error);
	if (found == NULL || found->len == 0)
		return NULL;
	return g_ptr_array_steal_index(found, 0);
}

bool
store_sql_task_done(void *impl, int64_t id, int64_t at_us, const char *by, bool *done,
                    GError **error)
{
	StoreSql *db = impl;
	if (!STORE_SQL_RUN(
	            db, "UPDATE task SET done_at = ?2, done_by = ?3 WHERE id = ?1 AND done_at = 0",
	            "task done", error, STORE_SQL_NUMBER(id), STORE_SQL_NUMBER(at_us),
	            STORE_SQL_TEXT(by != NULL ? by : "")))
		return false;
	*done = store_sql_changes(db) > 0;
	return true;
}
