/*
 * base_json: writes JSON lines (RFC 8259) into a GString, for output that is
 * printed once per message. jansson builds a hash table per object and
 * validates every string again; on `inbox scan` of a large mailbox that was
 * a third of the whole run (bench/imap), so the hot output paths append
 * members directly. Reading JSON stays with jansson.
 */
#pragma once

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>

/* Appends "@value" with JSON escapes: null when NULL; text that is not
 * valid UTF-8 (stored mail may not be) is made valid first. */
void base_json_append_string(GString *out, const char *value);

/* Appends ,"@key": (the comma only when the object already has members). */
void base_json_append_key(GString *out, const char *key);

void base_json_append_member_string(GString *out, const char *key, const char *value);
void base_json_append_member_uint(GString *out, const char *key, uint64_t value);
