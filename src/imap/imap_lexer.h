/*
 * imap_lexer: splits one complete IMAP response (RFC 9051 section 9 /
 * RFC 3501 section 9: the response line with its literals inline, as the
 * response assembler gathered them) into tokens. Pure: bytes in, tokens
 * out; no allocation except what a caller copies.
 *
 * Tokens: atoms (any run of ATOM-CHARs plus the "\", "*", "%", "]"-free
 * characters real servers use in flags and section specs), quoted strings
 * (with \" and \\ escapes), literals {n} and {n+} (the n bytes after the
 * CRLF that follows), "(", ")", "[", "]", single spaces, and the end.
 * 8-bit bytes are accepted in atoms and quoted strings (servers send
 * UTF-8 there). Anything else is a syntax error at a byte offset.
 */
#pragma once

#include <glib.h>
#include <stdbool.h>

typedef enum {
	IMAP_TOKEN_END,     /* the final CRLF (or the end of the bytes) */
	IMAP_TOKEN_ATOM,    /* text: the atom's bytes */
	IMAP_TOKEN_QUOTED,  /* text: between the quotes, escapes still in */
	IMAP_TOKEN_LITERAL, /* text: the literal's bytes */
	IMAP_TOKEN_LPAREN,
	IMAP_TOKEN_RPAREN,
	IMAP_TOKEN_LBRACKET,
	IMAP_TOKEN_RBRACKET,
	IMAP_TOKEN_SPACE,
} ImapTokenKind;

typedef struct {
	ImapTokenKind kind;
	const char *text; /* into the response bytes; not NUL-terminated */
	gsize length;
	gsize offset; /* where the token starts, for error messages */
} ImapToken;

typedef struct {
	const char *data;
	gsize length;
	gsize position;
} ImapLexer;

void imap_lexer_init(ImapLexer *lexer, const char *data, gsize length);

/* The next token; false with @error (IMAP_ERROR_PROTOCOL) on bad syntax. */
bool imap_lexer_next(ImapLexer *lexer, ImapToken *token, GError **error);

/* The next token without consuming it. */
bool imap_lexer_peek(ImapLexer *lexer, ImapToken *token, GError **error);

/* A quoted token's text with its escapes undone, or any other token's
 * text, as a new NUL-terminated string. */
char *imap_lexer_dup_text(const ImapToken *token);

/* The rest of the line from the current position up to (not including) the
 * final CRLF, consumed: the human-readable text of a status response. */
void imap_lexer_take_rest(ImapLexer *lexer, const char **text, gsize *length);
