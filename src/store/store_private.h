/*
 * Shared inside the store layer and its tests only: the table of functions
 * each back end provides. store.c checks arguments and forwards.
 */
#pragma once

#include "store/store.h"

typedef struct {
	const char *name;
	void *(*open)(const char *location, const StoreSettings *settings, GError **error);
	void (*close)(void *impl);
	const char *(*key_path)(void *impl);
	bool (*lock_engine)(void *impl, GError **error);
	unsigned (*schema_version)(void *impl);
	bool (*begin)(void *impl, GError **error);
	bool (*commit)(void *impl, GError **error);
	void (*rollback)(void *impl);
	bool (*blacklist_add)(void *impl, const char *entry, const char *reason, GError **error);
	bool (*blacklist_remove)(void *impl, const char *entry, bool *removed, GError **error);
	GPtrArray *(*blacklist_list)(void *impl, GError **error);
	bool (*blacklist_blocks)(void *impl, const char *email, bool *blocked, GError **error);
	bool (*prospect_put)(void *impl, const StoreProspectInput *prospect,
	                     StoreProspectResult *result, GError **error);
	StoreProspect *(*prospect_get)(void *impl, const char *email, GError **error);
	GPtrArray *(*prospect_list)(void *impl, guint limit, GError **error);
	bool (*prospect_count)(void *impl, guint64 *count, GError **error);
	bool (*prospect_remove)(void *impl, const char *email, bool *removed, GError **error);
	GPtrArray *(*enrollment_list_for_prospect)(void *impl, const char *email, GError **error);
	bool (*prospect_set_status)(void *impl, const char *email, const char *status, bool *found,
	                            GError **error);
	bool (*mailbox_add)(void *impl, const StoreMailboxInput *mailbox, int64_t *id,
	                    GError **error);
	StoreMailbox *(*mailbox_get)(void *impl, const char *address, GError **error);
	GPtrArray *(*mailbox_list)(void *impl, GError **error);
	bool (*mailbox_remove)(void *impl, const char *address, bool *removed, GError **error);
	bool (*mailbox_update)(void *impl, const StoreMailboxInput *mailbox, bool *found,
	                       GError **error);
	bool (*campaign_create)(void *impl, const StoreCampaignInput *campaign, int64_t *id,
	                        GError **error);
	bool (*campaign_update)(void *impl, const StoreCampaignInput *campaign, GError **error);
	StoreCampaign *(*campaign_get)(void *impl, const char *name, int64_t id, GError **error);
	GPtrArray *(*campaign_list)(void *impl, GError **error);
	bool (*campaign_set_state)(void *impl, const char *name, const char *state, bool *found,
	                           GError **error);
	bool (*enrollment_add)(void *impl, int64_t campaign_id, const char *email,
	                       bool allow_other_campaigns, StoreEnrollResult *result,
	                       GError **error);
	GPtrArray *(*enrollment_list)(void *impl, int64_t campaign_id, const char *email,
	                              guint limit, GError **error);
	bool (*set_next_send)(void *impl, int64_t mailbox_id, int64_t at_us, GError **error);
	bool (*set_paused)(void *impl, int64_t mailbox_id, const char *kind, const char *reason,
	                   int64_t until_us, GError **error);
	bool (*get_cursor)(void *impl, int64_t mailbox_id, const char *folder,
	                   uint32_t *uid_validity, uint32_t *last_uid, GError **error);
	bool (*set_cursor)(void *impl, int64_t mailbox_id, const char *folder,
	                   uint32_t uid_validity, uint32_t last_uid, GError **error);
	bool (*count_sent)(void *impl, int64_t mailbox_id, int64_t since_us, guint *result,
	                   GError **error);
	bool (*count_openings)(void *impl, int64_t campaign_id, int64_t since_us, guint *result,
	                       GError **error);
	GArray *(*report)(void *impl, int64_t campaign_id, GError **error);
	GPtrArray *(*list_due)(void *impl, int64_t mailbox_id, int64_t now_us, guint limit,
	                       GError **error);
	GPtrArray *(*list_queued)(void *impl, int64_t campaign_id, int64_t now_us, guint limit,
	                          GError **error);
	StoreEnrollment *(*get_enrollment)(void *impl, int64_t id, GError **error);
	bool (*update_enrollment)(void *impl, StoreEnrollment *e, GError **error);
	GPtrArray *(*list_open_by_email)(void *impl, const char *email, GError **error);
	GPtrArray *(*list_open_by_domain)(void *impl, int64_t campaign_id, const char *domain,
	                                  GError **error);
	GPtrArray *(*list_resumable)(void *impl, int64_t now_us, GError **error);
	GPtrArray *(*list_waiting)(void *impl, int64_t mailbox_id, GError **error);
	bool (*next_wake)(void *impl, int64_t after_us, int64_t *at_us, GError **error);
	bool (*message_begin)(void *impl, int64_t enrollment_id, int step, int64_t mailbox_id,
	                      const char *message_id, const char *subject, int64_t at_us,
	                      int64_t *id, GError **error);
	bool (*message_finish)(void *impl, int64_t id, const char *state, const char *smtp_reply,
	                       int64_t sent_at_us, GError **error);
	bool (*message_discard)(void *impl, int64_t id, GError **error);
	GPtrArray *(*messages_of)(void *impl, int64_t enrollment_id, GError **error);
	GPtrArray *(*messages_sending)(void *impl, int64_t mailbox_id, GError **error);
	StoreMessage *(*message_find)(void *impl, const char *message_id, GError **error);
	bool (*event_add)(void *impl, const StoreEventInput *event, GError **error);
	bool (*inbound_add)(void *impl, const StoreInboundInput *in, bool *added, GError **error);
	GPtrArray *(*replies)(void *impl, int64_t campaign_id, GError **error);
	bool (*mailbox_next_due)(void *impl, int64_t mailbox_id, int64_t *at_us, GError **error);
} StoreBackend;

extern const StoreBackend store_sqlite_backend;

/* The handle: a back end and its state. */
struct Store {
	const StoreBackend *backend;
	void *impl;
	char *location;
	StoreSettings settings; /* key_path owned */
};
