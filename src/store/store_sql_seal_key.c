/* The SQL back end: the fingerprint of the seal key a database was first
 * used with. */
#include "store/store_sql.h"

#include <string.h>

bool
store_sql_seal_key_read(void *impl, char **recorded, GError **error)
{
	return store_sql_text_query(impl, "SELECT fingerprint FROM seal_key WHERE id = 1",
	                            "seal key", recorded, error);
}

bool
store_sql_seal_key_claim(void *impl, const char *fingerprint, bool replace, char **recorded,
                         GError **error)
{
	StoreSql *db = impl;
	/* Read first: once recorded, nothing is written again. */
	if (!store_sql_seal_key_read(db, recorded, error))
		return false;
	if (*recorded != NULL && (!replace || strcmp(*recorded, fingerprint) == 0))
		return true;
	g_clear_pointer(recorded, g_free);
	/* Two first users at once: one row wins, both read it. */
	return STORE_SQL_RUN(db,
	                     replace ? "INSERT INTO seal_key (id, fingerprint, recorded_at) "
	                               "VALUES (1, ?1, ?2) ON CONFLICT (id) DO UPDATE SET "
	                               "fingerprint = excluded.fingerprint, "
	                               "recorded_at = excluded.recorded_at"
	                             : "INSERT INTO seal_key (id, fingerprint, recorded_at) "
	                               "VALUES (1, ?1, ?2) ON CONFLICT (id) DO NOTHING",
	                     "seal key", error, STORE_SQL_TEXT(fingerprint),
	                     STORE_SQL_NUMBER(g_get_real_time())) &&
	       store_sql_seal_key_read(db, recorded, error);
}
