/* The SQL back end: a database's mark while it is copied into, or after
 * it was copied elsewhere (piculet db copy). */
#include "store/store_sql.h"

#include <string.h>

static const char *const move_names[] = {
        [STORE_MOVE_COPYING] = "copying",
        [STORE_MOVE_MOVED] = "moved",
};

bool
store_sql_move_read(void *impl, StoreMove *out, GError **error)
{
	StoreSql *db = impl;
	memset(out, 0, sizeof *out);
	/* 'copying' first: a database both copied into and marked moved
	 * (copied back) is first of all unfinished. */
	StoreSqlStatement *stmt = store_sql_statement(
	        db, "SELECT what, other, at FROM database_move ORDER BY what LIMIT 1", error);
	if (stmt == NULL)
		return false;
	int rc = store_sql_step(stmt);
	if (rc == STORE_SQL_ROW) {
		const char *what = store_sql_column_text(stmt, 0);
		out->state = what != NULL && strcmp(what, "copying") == 0 ? STORE_MOVE_COPYING
		                                                          : STORE_MOVE_MOVED;
		out->other = store_sql_column_dup(stmt, 1);
		out->at = store_sql_column_int64(stmt, 2);
	}
	store_sql_reset(stmt);
	if (rc != STORE_SQL_ROW && rc != STORE_SQL_DONE) {
		store_sql_set_error(db, rc, "database mark", error);
		return false;
	}
	return true;
}

bool
store_sql_move_mark(void *impl, StoreMoveState state, const char *other, GError **error)
{
	StoreSql *db = impl;
	StoreSqlUnit unit;
	if (!store_sql_unit_begin(db, &unit, "move_mark", error))
		return false;
	bool ok = store_sql_exec(db, "DELETE FROM database_move", "database mark", error);
	if (ok && state != STORE_MOVE_NONE)
		ok = STORE_SQL_RUN(
		        db, "INSERT INTO database_move (what, other, at) VALUES (?1, ?2, ?3)",
		        "database mark", error, STORE_SQL_TEXT(move_names[state]),
		        STORE_SQL_TEXT(other != NULL ? other : ""),
		        STORE_SQL_NUMBER(store_sql_now_us(db)));
	return store_sql_unit_end(db, &unit, ok, error);
}
