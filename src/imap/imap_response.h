/*
 * imap_response: the typed parser of one complete server response (RFC
 * 9051 / 3501 section 7, with CONDSTORE 7162, SPECIAL-USE 6154, ESEARCH
 * 4731, UIDPLUS 4315 codes). Pure: the bytes of a response (the line and its
 * literals, as imap_reader assembles them) in, an ImapResponse out.
 *
 * Strict on syntax, tolerant of the unknown: malformed bytes are
 * IMAP_ERROR_PROTOCOL with the byte offset; an unknown untagged response,
 * response code or FETCH item is skipped (a balanced skip over lists and
 * literals) without losing sync. Nesting depth and item counts are bounded
 * by ImapLimits.
 *
 * An ImapResponse is plain data owned by the caller (imap_response_free).
 */
#pragma once

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>

/* Bounds for what one response may hold; over a bound is a protocol error. */
typedef struct {
	gsize max_line_bytes;     /* one line between literals */
	gsize max_literal_bytes;  /* one literal */
	gsize max_response_bytes; /* the whole response, literals included */
	guint max_depth;          /* nesting of parenthesised lists */
	guint max_items;          /* items in one list, numbers in one SEARCH */
} ImapLimits;

/* Sizes that fit what piculet asks for (headers and the start of bodies)
 * with room: 64 KiB lines, 16 MiB literals, 32 MiB responses, depth 32. */
void imap_response_limits_init(ImapLimits *limits);

typedef enum {
	IMAP_RESPONSE_TAGGED,
	IMAP_RESPONSE_UNTAGGED,
	IMAP_RESPONSE_CONTINUATION,
} ImapResponseKind;

typedef enum {
	IMAP_STATUS_NONE, /* a data response (EXISTS, FETCH, ...) */
	IMAP_STATUS_OK,
	IMAP_STATUS_NO,
	IMAP_STATUS_BAD,
	IMAP_STATUS_PREAUTH,
	IMAP_STATUS_BYE,
} ImapStatus;

typedef enum {
	IMAP_CODE_NONE,
	IMAP_CODE_OTHER, /* known to be a code, not to us */
	IMAP_CODE_ALERT,
	IMAP_CODE_CAPABILITY,
	IMAP_CODE_UIDVALIDITY,
	IMAP_CODE_UIDNEXT,
	IMAP_CODE_HIGHESTMODSEQ,
	IMAP_CODE_NOMODSEQ,
	IMAP_CODE_TRYCREATE,
	IMAP_CODE_NONEXISTENT,
	IMAP_CODE_APPENDUID,
	IMAP_CODE_READ_ONLY,
	IMAP_CODE_READ_WRITE,
	IMAP_CODE_AUTHENTICATIONFAILED,
	IMAP_CODE_UNAVAILABLE,
} ImapCode;

typedef enum {
	IMAP_DATA_NONE, /* a status response */
	IMAP_DATA_OTHER,
	IMAP_DATA_CAPABILITY,
	IMAP_DATA_ENABLED,
	IMAP_DATA_FLAGS,
	IMAP_DATA_EXISTS,
	IMAP_DATA_RECENT,
	IMAP_DATA_EXPUNGE,
	IMAP_DATA_FETCH,
	IMAP_DATA_SEARCH,
	IMAP_DATA_ESEARCH,
	IMAP_DATA_LIST,
	IMAP_DATA_STATUS,
	IMAP_DATA_VANISHED,
} ImapData;

/* One FETCH response's items. */
typedef struct {
	uint32_t uid;    /* 0 when not sent */
	uint64_t modseq; /* 0 when not sent */
	uint64_t size;   /* RFC822.SIZE (a number64 in IMAP4rev2) */
	bool has_size;
	GPtrArray *flags;     /* char *, as sent ("\\Seen") */
	GBytes *header;       /* BODY[HEADER...] */
	GBytes *text;         /* BODY[TEXT]<...> */
	GBytes *whole;        /* BODY[]<...> */
	char *body_structure; /* BODYSTRUCTURE, its raw text */
	char *internal_date;  /* INTERNALDATE, as sent */
} ImapFetch;

/* One LIST response. */
typedef struct {
	GPtrArray *attributes; /* char *: "\\HasNoChildren", "\\Sent", ... */
	char separator;        /* '\0' when NIL */
	char *name;            /* as sent: modified UTF-7, or UTF-8 */
} ImapList;

/* One STATUS response; a field is 0 when absent. */
typedef struct {
	char *name;
	uint32_t messages;
	uint32_t uid_next;
	uint32_t uid_validity;
	uint32_t unseen;
	uint64_t highest_modseq;
} ImapStatusData;

typedef struct {
	ImapResponseKind kind;
	char *tag;            /* TAGGED only */
	ImapStatus status;    /* OK/NO/BAD/PREAUTH/BYE, or NONE for data */
	ImapCode code;        /* the [CODE] of a status response */
	uint64_t code_number; /* UIDVALIDITY, UIDNEXT, HIGHESTMODSEQ; APPENDUID's
	                       * UIDVALIDITY */
	uint32_t code_uid;    /* APPENDUID's UID */
	char *text;           /* human text of a status or continuation response */
	ImapData data;
	uint32_t number;        /* EXISTS/RECENT count; EXPUNGE/FETCH sequence number */
	GPtrArray *words;       /* char *: CAPABILITY (also of the code), ENABLED, FLAGS */
	GArray *numbers;        /* uint32_t: SEARCH, ESEARCH ALL (expanded), VANISHED */
	uint64_t search_modseq; /* SEARCH's (MODSEQ n) */
	ImapFetch *fetch;
	ImapList *list;
	ImapStatusData *status_data;
} ImapResponse;

void imap_response_free(ImapResponse *response);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(ImapResponse, imap_response_free)

/* Parses one complete response (with its final CRLF). */
ImapResponse *imap_response_parse(const char *data, gsize length, const ImapLimits *limits,
                                  GError **error);

/* True when the capability list of @response (data or code) holds @name. */
bool imap_response_has_word(const ImapResponse *response, const char *name);
