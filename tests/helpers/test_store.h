/*
 * test_store: a real SQLite store in a temporary folder of its own, and the
 * rows most tests need, so each test writes only what it is about.
 */
#pragma once

#include "store/store.h"

#include <glib.h>

/* A new store in a new folder under /tmp named after @prefix; *@dir is the
 * folder, for test_store_remove. */
Store *test_store_new(const char *prefix, char **dir);

/* Closes @store and removes @dir with everything in it; frees @dir. */
void test_store_remove(Store *store, char *dir);

/* A mailbox on 127.0.0.1 (SMTP 587 STARTTLS, IMAP 993 TLS), its password
 * from $X, or @sealed when not NULL; @daily_cap; 60 s between messages.
 * Returns its id. */
int64_t test_store_add_mailbox(Store *store, const char *address, int daily_cap, GBytes *sealed);

/* A draft campaign @name of one step ("Hi" / "Hello") from mailbox
 * @address, stored as @definition (NULL: ""). Returns its id. */
int64_t test_store_add_campaign(Store *store, const char *name, const char *address,
                                const char *definition);

/* @email enrolled in the running campaign @campaign_id, its opening sent
 * at @sent_at from @mailbox_id. Returns the enrollment's id. */
int64_t test_store_enroll_and_send(Store *store, int64_t campaign_id, int64_t mailbox_id,
                                   const char *email, int64_t sent_at);

/* The mailbox alice@sender.test and its running campaign "Tracked", with
 * each of @emails (NULL-ended) enrolled and its opening sent at @sent_at;
 * their enrollments' ids in @enrollments. Returns the campaign's id. */
int64_t test_store_add_sent_openings(Store *store, const char *const *emails, int64_t sent_at,
                                     int64_t *enrollments);
