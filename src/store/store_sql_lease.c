/* The SQL back end: the engines' nodes, their mailbox leases and the
 * fence on a connection's writes. */
#include "store/store_sql.h"

bool
store_sql_lease_clock(void *impl, int64_t *now_us, GError **error)
{
	StoreSql *db = impl;
	*now_us = 0;
	if (store_sql_dialect(db) != STORE_SQL_POSTGRESQL) {
		*now_us = g_get_real_time();
		return true;
	}
	StoreSqlStatement *stmt = store_sql_statement(
	        db, "SELECT CAST(extract(epoch FROM clock_timestamp()) * 1000000 AS bigint)",
	        error);
	if (stmt == NULL)
		return false;
	int rc = store_sql_step(stmt);
	if (rc != STORE_SQL_ROW) {
		store_sql_set_error(db, rc, "the database's clock", error);
		return false;
	}
	*now_us = store_sql_column_int64(stmt, 0);
	store_sql_reset(stmt);
	return true;
}

static bool
read_counts(StoreSql *db, const char *node, int64_t now_us, int64_t *nodes, int64_t *mailboxes,
            int64_t *held, GError **error)
{
	StoreSqlStatement *stmt = store_sql_statement(
	        db,
	        "SELECT (SELECT count(*) FROM engine_node WHERE expires_at > ?1), "
	        "(SELECT count(*) FROM mailbox), "
	        "(SELECT count(*) FROM mailbox_lease WHERE holder = ?2)",
	        error);
	if (stmt == NULL)
		return false;
	store_sql_bind_int64(stmt, 1, now_us);
	store_sql_bind_text(stmt, 2, node);
	int rc = store_sql_step(stmt);
	if (rc != STORE_SQL_ROW) {
		store_sql_set_error(db, rc, "leases", error);
		return false;
	}
	*nodes = store_sql_column_int64(stmt, 0);
	*mailboxes = store_sql_column_int64(stmt, 1);
	*held = store_sql_column_int64(stmt, 2);
	store_sql_reset(stmt);
	return true;
}

static GArray *
held_by(StoreSql *db, const char *node, GError **error)
{
	StoreSqlStatement *stmt = store_sql_statement(
	        db,
	        "SELECT mailbox_id, token, expires_at FROM mailbox_lease WHERE holder = ?1 "
	        "ORDER BY mailbox_id",
	        error);
	if (stmt == NULL)
		return NULL;
	store_sql_bind_text(stmt, 1, node);
	g_autoptr(GArray) held = g_array_new(FALSE, TRUE, sizeof(StoreLease));
	int rc;
	while ((rc = store_sql_step(stmt)) == STORE_SQL_ROW) {
		StoreLease lease = {.mailbox_id = store_sql_column_int64(stmt, 0),
		                    .token = store_sql_column_int64(stmt, 1),
		                    .expires_at = store_sql_column_int64(stmt, 2)};
		g_array_append_val(held, lease);
	}
	store_sql_reset(stmt);
	if (rc != STORE_SQL_DONE) {
		store_sql_set_error(db, rc, "leases", error);
		return NULL;
	}
	return g_steal_pointer(&held);
}

static bool
claim(StoreSql *db, const char *node, int64_t now_us, int64_t lease_us, guint *share, GArray **held,
      GError **error)
{
	int64_t until = now_us + lease_us;
	int64_t nodes = 0;
	int64_t mailboxes = 0;
	int64_t holding = 0;
	/* Claims one at a time (SQLite's writers are one at a time anyway);
	 * a claimer paused inside this transaction holds the others up for a
	 * lease at most. */
	g_autofree char *limit = g_strdup_printf("%" G_GINT64_FORMAT "ms", MAX(lease_us / 1000, 1));
	if (store_sql_dialect(db) == STORE_SQL_POSTGRESQL &&
	    !STORE_SQL_RUN(db,
	                   "SELECT set_config('idle_in_transaction_session_timeout', ?1, true), "
	                   "pg_advisory_xact_lock(7069630003)",
	                   "leases", error, STORE_SQL_TEXT(limit)))
		return false;
	if (!STORE_SQL_RUN(
	            db,
	            "INSERT INTO engine_node (name, seen_at, expires_at) VALUES (?1, ?2, ?3) "
	            "ON CONFLICT (name) DO UPDATE SET seen_at = excluded.seen_at, "
	            "expires_at = excluded.expires_at",
	            "node", error, STORE_SQL_TEXT(node), STORE_SQL_NUMBER(now_us),
	            STORE_SQL_NUMBER(until)) ||
	    !STORE_SQL_RUN(db, "UPDATE mailbox_lease SET expires_at = ?2 WHERE holder = ?1",
	                   "leases", error, STORE_SQL_TEXT(node), STORE_SQL_NUMBER(until)) ||
	    !read_counts(db, node, now_us, &nodes, &mailboxes, &holding, error))
		return false;
	int64_t fair = nodes > 0 ? (mailboxes + nodes - 1) / nodes : mailboxes;
	*share = (guint)fair;
	/* The free (never leased, let go) and the expired, lowest ids first;
	 * the token grows with each new holder. */
	if (holding < fair &&
	    !STORE_SQL_RUN(db,
	                   "INSERT INTO mailbox_lease (mailbox_id, holder, token, expires_at) "
	                   "SELECT m.id, ?1, coalesce(l.token, 0) + 1, ?2 FROM mailbox m "
	                   "LEFT JOIN mailbox_lease l ON l.mailbox_id = m.id "
	                   "WHERE l.mailbox_id IS NULL OR l.holder = '' OR "
	                   "(l.holder != ?1 AND l.expires_at <= ?3) "
	                   "ORDER BY m.id LIMIT ?4 "
	                   "ON CONFLICT (mailbox_id) DO UPDATE SET holder = excluded.holder, "
	                   "token = mailbox_lease.token + 1, expires_at = excluded.expires_at "
	                   "WHERE mailbox_lease.holder = '' OR mailbox_lease.expires_at <= ?3",
	                   "leases", error, STORE_SQL_TEXT(node), STORE_SQL_NUMBER(until),
	                   STORE_SQL_NUMBER(now_us), STORE_SQL_NUMBER(fair - holding)))
		return false;
	*held = held_by(db, node, error);
	return *held != NULL;
}

bool
store_sql_lease_claim(void *impl, const char *node, int64_t now_us, int64_t lease_us, guint *share,
                      GArray **held, GError **error)
{
	StoreSql *db = impl;
	*held = NULL;
	StoreSqlUnit unit;
	if (!store_sql_unit_begin(db, &unit, "lease_claim", error))
		return false;
	bool ok = claim(db, node, now_us, lease_us, share, held, error);
	if (!store_sql_unit_end(db, &unit, ok, ok ? error : NULL)) {
		g_clear_pointer(held, g_array_unref);
		return false;
	}
	return true;
}

bool
store_sql_lease_release(void *impl, const char *node, int64_t mailbox_id, GError **error)
{
	StoreSql *db = impl;
	/* The token stays: the next holder's is one more. */
	return STORE_SQL_RUN(db,
	                     "UPDATE mailbox_lease SET holder = '', expires_at = 0 "
	                     "WHERE holder = ?1 AND (?2 = 0 OR mailbox_id = ?2)",
	                     "lease release", error, STORE_SQL_TEXT(node),
	                     STORE_SQL_NUMBER(mailbox_id)) &&
	       (mailbox_id != 0 || STORE_SQL_RUN(db, "DELETE FROM engine_node WHERE name = ?1",
	                                         "lease release", error, STORE_SQL_TEXT(node)));
}

GPtrArray *
store_sql_lease_list(void *impl, GError **error)
{
	StoreSql *db = impl;
	StoreSqlStatement *stmt = store_sql_statement(
	        db,
	        "SELECT m.id, m.address, coalesce(l.holder, ''), coalesce(l.token, 0), "
	        "coalesce(l.expires_at, 0) FROM mailbox m "
	        "LEFT JOIN mailbox_lease l ON l.mailbox_id = m.id ORDER BY m.address",
	        error);
	if (stmt == NULL)
		return NULL;
	g_autoptr(GPtrArray) list =
	        g_ptr_array_new_with_free_func((GDestroyNotify)store_lease_info_free);
	int rc;
	while ((rc = store_sql_step(stmt)) == STORE_SQL_ROW) {
		StoreLeaseInfo *info = g_new0(StoreLeaseInfo, 1);
		info->mailbox_id = store_sql_column_int64(stmt, 0);
		info->address = store_sql_column_dup(stmt, 1);
		info->holder = store_sql_column_dup(stmt, 2);
		info->token = store_sql_column_int64(stmt, 3);
		info->expires_at = store_sql_column_int64(stmt, 4);
		g_ptr_array_add(list, info);
	}
	store_sql_reset(stmt);
	if (rc != STORE_SQL_DONE) {
		store_sql_set_error(db, rc, "leases", error);
		return NULL;
	}
	return g_steal_pointer(&list);
}

/* SQLite's fence: a table and triggers of this connection alone (TEMP),
 * made on its first fence. A row about the fenced mailbox is refused by a
 * RAISE unless the token is still the lease's; so is a message's deletion
 * (a late engine taking back a send it began, which the next holder
 * settles). */
/* clang-format off */
#define FENCED(trigger, when, table, row)                                                          \
	"CREATE TEMP TRIGGER IF NOT EXISTS " trigger " BEFORE " when " ON main." table " "         \
	"WHEN EXISTS (SELECT 1 FROM temp.fence f WHERE f.mailbox_id = " row " "                    \
	"AND f.token IS NOT (SELECT token FROM main.mailbox_lease l "                              \
	"WHERE l.mailbox_id = f.mailbox_id)) "                                                     \
	"BEGIN SELECT RAISE(ABORT, 'this mailbox is held by another engine now (its lease "        \
	"is gone)'); END;"
static const char sqlite_fence[] =
	"CREATE TEMP TABLE IF NOT EXISTS fence (mailbox_id INTEGER, token INTEGER);"
	FENCED("message_fenced_insert", "INSERT", "message", "NEW.mailbox_id")
	FENCED("message_fenced_update", "UPDATE", "message", "NEW.mailbox_id")
	FENCED("message_fenced_delete", "DELETE", "message", "OLD.mailbox_id")
	FENCED("enrollment_fenced_insert", "INSERT", "enrollment", "NEW.mailbox_id")
	FENCED("enrollment_fenced_update", "UPDATE", "enrollment", "NEW.mailbox_id")
	FENCED("mailbox_fenced_update", "UPDATE", "mailbox", "NEW.id");
/* clang-format on */

bool
store_sql_lease_fence(void *impl, int64_t mailbox_id, int64_t token, int64_t idle_limit_us,
                      GError **error)
{
	StoreSql *db = impl;
	if (store_sql_dialect(db) == STORE_SQL_POSTGRESQL) {
		g_autofree char *fence =
		        mailbox_id != 0 ? g_strdup_printf("%" G_GINT64_FORMAT ":%" G_GINT64_FORMAT,
		                                          mailbox_id, token)
		                        : g_strdup("");
		g_autofree char *limit =
		        g_strdup_printf("%" G_GINT64_FORMAT "ms",
		                        idle_limit_us > 0 ? MAX(idle_limit_us / 1000, 1) : 60000);
		return STORE_SQL_RUN(db,
		                     "SELECT set_config('piculet.fence', ?1, false), "
		                     "set_config('idle_in_transaction_session_timeout', ?2, false)",
		                     "fence", error, STORE_SQL_TEXT(fence), STORE_SQL_TEXT(limit));
	}
	if (!db->fence_ready) {
		if (!store_sql_exec(db, sqlite_fence, "fence", error))
			return false;
		db->fence_ready = true;
	}
	return store_sql_exec(db, "DELETE FROM temp.fence", "fence", error) &&
	       (mailbox_id == 0 ||
	        STORE_SQL_RUN(db, "INSERT INTO temp.fence (mailbox_id, token) VALUES (?1, ?2)",
	                      "fence", error, STORE_SQL_NUMBER(mailbox_id),
	                      STORE_SQL_NUMBER(token)));
}
