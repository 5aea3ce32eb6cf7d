/*
 * test_cli: runs the built `piculet` ($PICULET_BIN) as a user would and
 * collects its exit status and output, for the tests of the commands.
 */
#pragma once

#include <gio/gio.h>
#include <glib.h>
#include <stdbool.h>

typedef struct {
	int status;
	char *out;
	char *err;
} TestCliRun;

void test_cli_run_clear(TestCliRun *run);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(TestCliRun, test_cli_run_clear)

/* Runs piculet with @args (NULL-terminated); @env holds NAME, VALUE pairs
 * (NULL-terminated, or NULL) set for the child only. */
void test_cli_run(TestCliRun *run, const char *const *env, const char *const *args);

/* The same with "--db @db" after @args: the commands that use the store. */
void test_cli_run_with_db(TestCliRun *run, const char *db, const char *const *env,
                          const char *const *args);

/* Another process (Python's sqlite3) that holds the write lock of the
 * database at @db from when this returns until test_cli_release_lock(). */
typedef struct _GSubprocess TestCliLock;
TestCliLock *test_cli_hold_write_lock(const char *db);
void test_cli_release_lock(TestCliLock *lock);

/* Starts piculet @args, then "--ca-file @ca_file --db @db", in the
 * background with @env (NAME, VALUE pairs, NULL-terminated, or NULL); it
 * dies with this process. *@fd reads its stderr, and its stdout too when
 * @with_stdout (else stdout is dropped). */
GSubprocess *test_cli_start(const char *db, const char *ca_file, const char *const *env,
                            const char *const *args, bool with_stdout, int *fd);

/* Reads @fd (a child's output) into @seen until @needle shows up or
 * @timeout_ms pass; whether it showed up. */
bool test_cli_read_until(int fd, GString *seen, const char *needle, int timeout_ms);
