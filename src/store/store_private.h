/*
 * Shared inside the store layer and its tests only: the table of functions
 * each back end provides. store.c checks arguments and forwards.
 */
#pragma once

#include "store/store.h"

/* clang-format off */
#define STORE_WITH_IMPL(...) (void *impl, __VA_ARGS__)
#define STORE_BACKEND_MEMBER(returns, name, how, params, args)                                     \
	returns (*name) STORE_WITH_IMPL params; /* NOLINT(bugprone-macro-parentheses): a name */
/* clang-format on */

typedef struct {
	const char *name;
	/* The handle's life; then every operation of store.h (STORE_OPERATIONS). */
	void *(*open)(const char *location, const StoreSettings *settings, GError **error);
	void (*close)(void *impl);
	const char *(*key_path)(void *impl);
	unsigned (*schema_version)(void *impl);
	void (*rollback)(void *impl);
	STORE_OPERATIONS(STORE_BACKEND_MEMBER)
} StoreBackend;

/* SQLite or PostgreSQL, by the location (store_sql.h). */
extern const StoreBackend store_sql_backend;

/* The handle: a back end and its state. */
struct Store {
	const StoreBackend *backend;
	void *impl;
	char *location;
	StoreSettings settings; /* key_path owned */
};
