/*
 * test_script: a transcript file (tests/transcript/<protocol>/NAME.script):
 * "key: value" header lines, a "---" line, then the dialog the fault server
 * plays (see test_fault_server.h). Shared by the SMTP and IMAP runners.
 */
#pragma once

#include <glib.h>

typedef struct {
	char *name;         /* file name without ".script" */
	GHashTable *header; /* key -> value */
	char *dialog;       /* what the fault server plays */
} TestScript;

/* Loads @path; aborts the test program on a malformed file. */
TestScript *test_script_load(const char *path);
void test_script_free(TestScript *script);

/* A header value, or @fallback. */
const char *test_script_get(const TestScript *script, const char *key, const char *fallback);

/* Every NAME.script under G_TEST_DIST/transcript/@protocol, sorted by
 * name, registered as GTest cases "/@protocol/transcript/NAME" running
 * @test with the TestScript as data. The scripts live until exit. */
void test_script_add_all(const char *protocol, GTestDataFunc test);
