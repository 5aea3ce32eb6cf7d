/*
 * The SQLite back end's functions for the engine, for the back end's
 * table (store_sqlite.c). Contracts: store.h.
 */
#pragma once

#include "store/store_sqlite_private.h"

bool store_sqlite_engine_set_next_send(void *impl, int64_t mailbox_id, int64_t at_us,
                                       GError **error);
bool store_sqlite_engine_set_paused(void *impl, int64_t mailbox_id, const char *kind,
                                    const char *reason, int64_t until_us, GError **error);
bool store_sqlite_engine_get_cursor(void *impl, int64_t mailbox_id, const char *folder,
                                    uint32_t *uid_validity, uint32_t *last_uid, GError **error);
bool store_sqlite_engine_set_cursor(void *impl, int64_t mailbox_id, const char *folder,
                                    uint32_t uid_validity, uint32_t last_uid, GError **error);
bool store_sqlite_engine_count_sent(void *impl, int64_t mailbox_id, int64_t since_us, guint *result,
                                    GError **error);
bool store_sqlite_engine_count_openings(void *impl, int64_t campaign_id, int64_t since_us,
                                        guint *result, GError **error);
GPtrArray *store_sqlite_engine_list_due(void *impl, int64_t mailbox_id, int64_t now_us, guint limit,
                                        GError **error);
GPtrArray *store_sqlite_engine_list_queued(void *impl, int64_t campaign_id, int64_t now_us,
                                           guint limit, GError **error);
StoreEnrollment *store_sqlite_engine_get_enrollment(void *impl, int64_t id, GError **error);
bool store_sqlite_engine_update_enrollment(void *impl, StoreEnrollment *e, GError **error);
GPtrArray *store_sqlite_engine_list_open_by_email(void *impl, const char *email, GError **error);
GPtrArray *store_sqlite_engine_list_open_by_domain(void *impl, int64_t campaign_id,
                                                   const char *domain, GError **error);
GPtrArray *store_sqlite_engine_list_resumable(void *impl, int64_t now_us, GError **error);
GPtrArray *store_sqlite_engine_list_waiting(void *impl, int64_t mailbox_id, GError **error);
bool store_sqlite_engine_next_wake(void *impl, int64_t after_us, int64_t *at_us, GError **error);
bool store_sqlite_engine_message_begin(void *impl, int64_t enrollment_id, int step,
                                       int64_t mailbox_id, const char *message_id,
                                       const char *subject, int64_t at_us, int64_t *id,
                                       GError **error);
bool store_sqlite_engine_message_finish(void *impl, int64_t id, const char *state,
                                        const char *smtp_reply, int64_t sent_at_us, GError **error);
bool store_sqlite_engine_message_discard(void *impl, int64_t id, GError **error);
GPtrArray *store_sqlite_engine_messages_of(void *impl, int64_t enrollment_id, GError **error);
GPtrArray *store_sqlite_engine_messages_sending(void *impl, int64_t mailbox_id, GError **error);
StoreMessage *store_sqlite_engine_message_find(void *impl, const char *message_id, GError **error);
bool store_sqlite_engine_event_add(void *impl, const StoreEventInput *event, GError **error);
bool store_sqlite_engine_inbound_add(void *impl, const StoreInboundInput *in, bool *added,
                                     GError **error);
GPtrArray *store_sqlite_engine_replies(void *impl, int64_t campaign_id, GError **error);
GArray *store_sqlite_engine_report(void *impl, int64_t campaign_id, GError **error);
GPtrArray *store_sqlite_engine_list_for_prospect(void *impl, const char *email, GError **error);
bool store_sqlite_engine_next_due(void *impl, int64_t mailbox_id, int64_t *at_us, GError **error);
