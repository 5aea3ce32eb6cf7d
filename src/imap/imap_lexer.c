#include "imap/imap_lexer.h"

#include "base/base_error.h"
#include "imap/imap_error.h"

#include <string.h>

/* RFC 9051 9: atom-specials are "(" ")" "{" SP CTL list-wildcards
 * quoted-specials resp-specials. Servers put "\\" and "*" in flags ("\\Seen",
 * "\\*") and "%" nowhere that matters, so those stay in atoms; "[" and "]"
 * are tokens of their own for section specs and response codes. A table
 * (rows of 16 bytes, 0x00 to 0xff): this test runs for every byte of every
 * response. */
static const bool atom_bytes[256] = {
        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
        0, 0, 0, 0, 1, 0, 1, 1, 1, 1, 1, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
        1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
        1, 1, 1, 1, 0, 1, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
        1, 1, 1, 1, 1, 1, 1, 0, 1, 1, 1, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
        1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
        1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
        1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
        1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
};

static inline bool
is_atom_byte(unsigned char c)
{
	return atom_bytes[c];
}

void
imap_lexer_init(ImapLexer *lexer, const char *data, gsize length)
{
	lexer->data = data;
	/* The final CRLF (or LF) ends the response; it is not data. */
	if (length > 0 && data[length - 1] == '\n')
		length--;
	if (length > 0 && data[length - 1] == '\r')
		length--;
	lexer->length = length;
	lexer->position = 0;
}

static bool
syntax_error(const ImapLexer *lexer, gsize at, const char *what, GError **error)
{
	gsize start = at > 20 ? at - 20 : 0;
	gsize end = MIN(lexer->length, at + 20);
	g_autofree char *near =
	        base_error_printable_dup(lexer->data + start, (gssize)(end - start), 60);
	g_set_error(error, IMAP_ERROR, IMAP_ERROR_PROTOCOL,
	            "malformed response at byte %zu: %s (near \"%s\")", at, what, near);
	return false;
}

static bool
lex_literal(ImapLexer *lexer, ImapToken *token, GError **error)
{
	const char *p = lexer->data + lexer->position;
	const char *end = lexer->data + lexer->length;
	gsize start = lexer->position;
	guint64 n = 0;
	int digits = 0;

	p++; /* { */
	while (p < end && g_ascii_isdigit(*p)) {
		if (n > G_MAXUINT32)
			return syntax_error(lexer, start, "literal size too large", error);
		n = n * 10 + (guint64)(*p - '0');
		p++;
		digits++;
	}
	if (digits == 0)
		return syntax_error(lexer, start, "\"{\" not followed by a literal size", error);
	if (p < end && *p == '+')
		p++;
	if (p >= end || *p != '}')
		return syntax_error(lexer, start, "literal size not closed by \"}\"", error);
	p++;
	if (p < end && *p == '\r')
		p++;
	if (p >= end || *p != '\n')
		return syntax_error(lexer, start, "no line end after literal size", error);
	p++;
	if ((guint64)(end - p) < n)
		return syntax_error(lexer, start, "literal longer than the response", error);
	token->kind = IMAP_TOKEN_LITERAL;
	token->text = p;
	token->length = (gsize)n;
	token->offset = start;
	lexer->position = (gsize)(p - lexer->data) + (gsize)n;
	return true;
}

static bool
lex_quoted(ImapLexer *lexer, ImapToken *token, GError **error)
{
	gsize start = lexer->position;
	gsize i = start + 1;
	while (i < lexer->length) {
		char c = lexer->data[i];
		if (c == '"') {
			token->kind = IMAP_TOKEN_QUOTED;
			token->text = lexer->data + start + 1;
			token->length = i - start - 1;
			token->offset = start;
			lexer->position = i + 1;
			return true;
		}
		if (c == '\r' || c == '\n' || c == '\0')
			return syntax_error(lexer, i, "line end or NUL inside a quoted string",
			                    error);
		if (c == '\\') {
			if (i + 1 >= lexer->length ||
			    (lexer->data[i + 1] != '"' && lexer->data[i + 1] != '\\'))
				return syntax_error(lexer, i, "bad escape in a quoted string",
				                    error);
			i++;
		}
		i++;
	}
	return syntax_error(lexer, start, "quoted string not closed", error);
}

bool
imap_lexer_next(ImapLexer *lexer, ImapToken *token, GError **error)
{
	if (lexer->position >= lexer->length) {
		token->kind = IMAP_TOKEN_END;
		token->text = lexer->data + lexer->length;
		token->length = 0;
		token->offset = lexer->length;
		return true;
	}
	unsigned char c = (unsigned char)lexer->data[lexer->position];
	token->text = lexer->data + lexer->position;
	token->length = 1;
	token->offset = lexer->position;
	switch (c) {
	case ' ':
		token->kind = IMAP_TOKEN_SPACE;
		lexer->position++;
		return true;
	case '(':
		token->kind = IMAP_TOKEN_LPAREN;
		lexer->position++;
		return true;
	case ')':
		token->kind = IMAP_TOKEN_RPAREN;
		lexer->position++;
		return true;
	case '[':
		token->kind = IMAP_TOKEN_LBRACKET;
		lexer->position++;
		return true;
	case ']':
		token->kind = IMAP_TOKEN_RBRACKET;
		lexer->position++;
		return true;
	case '"':
		return lex_quoted(lexer, token, error);
	case '{':
		return lex_literal(lexer, token, error);
	default:
		break;
	}
	if (!is_atom_byte(c))
		return syntax_error(lexer, lexer->position, "unexpected control byte", error);
	gsize start = lexer->position;
	while (lexer->position < lexer->length &&
	       is_atom_byte((unsigned char)lexer->data[lexer->position]))
		lexer->position++;
	token->kind = IMAP_TOKEN_ATOM;
	token->length = lexer->position - start;
	return true;
}

bool
imap_lexer_peek(ImapLexer *lexer, ImapToken *token, GError **error)
{
	gsize saved = lexer->position;
	bool ok = imap_lexer_next(lexer, token, error);
	lexer->position = saved;
	return ok;
}

char *
imap_lexer_dup_text(const ImapToken *token)
{
	if (token->kind != IMAP_TOKEN_QUOTED)
		return g_strndup(token->text, token->length);
	char *out = g_malloc(token->length + 1);
	gsize n = 0;
	for (gsize i = 0; i < token->length; i++) {
		if (token->text[i] == '\\' && i + 1 < token->length)
			i++;
		out[n++] = token->text[i];
	}
	out[n] = '\0';
	return out;
}

void
imap_lexer_take_rest(ImapLexer *lexer, const char **text, gsize *length)
{
	*text = lexer->data + lexer->position;
	*length = lexer->length - lexer->position;
	lexer->position = lexer->length;
}
