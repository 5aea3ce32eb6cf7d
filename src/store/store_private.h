/*
 * Shared inside the store layer and its tests only: the table of functions
 * each back end provides. store.c checks arguments and forwards.
 */
#pragma once

#include "store/store.h"

typedef struct {
	const char *name;
	void *(*open)(const char *path, GError **error);
	void (*close)(void *impl);
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
	bool (*prospect_set_status)(void *impl, const char *email, const char *status, bool *found,
	                            GError **error);
	bool (*mailbox_add)(void *impl, const StoreMailboxInput *mailbox, int64_t *id,
	                    GError **error);
	StoreMailbox *(*mailbox_get)(void *impl, const char *address, GError **error);
	GPtrArray *(*mailbox_list)(void *impl, GError **error);
	bool (*mailbox_remove)(void *impl, const char *address, bool *removed, GError **error);
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
} StoreBackend;

extern const StoreBackend store_sqlite_backend;

/* The handle: a back end and its state. */
struct Store {
	const StoreBackend *backend;
	void *impl;
};
