/*
 * mail_headers: reads a block of RFC 5322 header fields (a whole message's
 * header, or the HEADER.FIELDS an IMAP sync fetched) and gives each field's
 * value unfolded, and decoded to UTF-8 (RFC 2047 encoded words; 8-bit
 * bytes that are not UTF-8 read as Windows-1252, as mail clients do).
 *
 * Pure and tolerant: a line that is not a field is skipped, never an error;
 * at most 1,000 fields and 64 KiB per field are kept. Thread-safe after
 * g_mime_init().
 */
#pragma once

#include <glib.h>
#include <stdbool.h>

typedef struct MailHeaders MailHeaders;

MailHeaders *mail_headers_parse(const char *data, gsize length);
void mail_headers_free(MailHeaders *headers);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(MailHeaders, mail_headers_free)

/* The first field named @name (case-insensitive), unfolded, as sent;
 * NULL when absent. Borrowed. */
const char *mail_headers_get_raw(const MailHeaders *headers, const char *name);

/* The same, decoded to UTF-8; address fields (From, To, Cc, ...) come out
 * as "Name <address>, ..." with their names decoded. Newly allocated; NULL
 * when absent. */
char *mail_headers_dup_decoded(const MailHeaders *headers, const char *name);

/* Number of fields kept. */
guint mail_headers_get_count(const MailHeaders *headers);

/* The Message-IDs (without <>) in field @name (In-Reply-To, References),
 * in order; a new array of char *, empty when the field is absent. */
GPtrArray *mail_headers_dup_message_ids(const MailHeaders *headers, const char *name);

/* The first mailbox address of field @name (From, Reply-To), lower-cased,
 * or NULL when there is none. Newly allocated. */
char *mail_headers_dup_address(const MailHeaders *headers, const char *name);

/* The display name of the first mailbox of field @name ("Carol Prospect"
 * of "Carol Prospect <carol@x>"), decoded, or NULL when it has none.
 * Newly allocated. */
char *mail_headers_dup_display_name(const MailHeaders *headers, const char *name);

/* Every mailbox address of field @name (To, Cc), lower-cased, in order; a
 * new array of char *, empty when the field is absent. */
GPtrArray *mail_headers_dup_addresses(const MailHeaders *headers, const char *name);
