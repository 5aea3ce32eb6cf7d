#include "imap/imap_response.h"

#include "base/base_error.h"
#include "imap/imap_error.h"
#include "imap/imap_lexer.h"

#include <string.h>

typedef struct {
	ImapLexer lexer;
	const ImapLimits *limits;
	ImapResponse *response;
} Parser;

void
imap_response_limits_init(ImapLimits *limits)
{
	limits->max_line_bytes = (gsize)64 * 1024;
	limits->max_literal_bytes = (gsize)16 * 1024 * 1024;
	limits->max_response_bytes = (gsize)32 * 1024 * 1024;
	limits->max_depth = 32;
	limits->max_items = 1000000;
}

static void
fetch_free(ImapFetch *fetch)
{
	if (fetch == NULL)
		return;
	if (fetch->flags != NULL)
		g_ptr_array_unref(fetch->flags);
	if (fetch->header != NULL)
		g_bytes_unref(fetch->header);
	if (fetch->text != NULL)
		g_bytes_unref(fetch->text);
	if (fetch->whole != NULL)
		g_bytes_unref(fetch->whole);
	g_free(fetch->body_structure);
	g_free(fetch->internal_date);
	g_free(fetch);
}

void
imap_response_free(ImapResponse *response)
{
	if (response == NULL)
		return;
	g_free(response->tag);
	g_free(response->text);
	if (response->words != NULL)
		g_ptr_array_unref(response->words);
	if (response->numbers != NULL)
		g_array_unref(response->numbers);
	fetch_free(response->fetch);
	if (response->list != NULL) {
		if (response->list->attributes != NULL)
			g_ptr_array_unref(response->list->attributes);
		g_free(response->list->name);
		g_free(response->list);
	}
	if (response->status_data != NULL) {
		g_free(response->status_data->name);
		g_free(response->status_data);
	}
	g_free(response);
}

bool
imap_response_has_word(const ImapResponse *response, const char *name)
{
	if (response->words == NULL)
		return false;
	for (guint i = 0; i < response->words->len; i++)
		if (g_ascii_strcasecmp(response->words->pdata[i], name) == 0)
			return true;
	return false;
}

static bool
fail(Parser *parser, gsize offset, const char *what, GError **error)
{
	g_set_error(error, IMAP_ERROR, IMAP_ERROR_PROTOCOL, "malformed response at byte %zu: %s",
	            offset, what);
	return false;
}

static bool
next(Parser *parser, ImapToken *token, GError **error)
{
	return imap_lexer_next(&parser->lexer, token, error);
}

static bool
peek(Parser *parser, ImapToken *token, GError **error)
{
	return imap_lexer_peek(&parser->lexer, token, error);
}

static bool
expect(Parser *parser, ImapTokenKind kind, const char *what, GError **error)
{
	ImapToken token;
	if (!next(parser, &token, error))
		return false;
	if (token.kind != kind)
		return fail(parser, token.offset, what, error);
	return true;
}

static bool
token_is(const ImapToken *token, const char *word)
{
	return token->kind == IMAP_TOKEN_ATOM && token->length == strlen(word) &&
	       g_ascii_strncasecmp(token->text, word, token->length) == 0;
}

static bool
token_number(const ImapToken *token, uint64_t max, uint64_t *value)
{
	if (token->kind != IMAP_TOKEN_ATOM || token->length == 0 || token->length > 20)
		return false;
	uint64_t n = 0;
	for (gsize i = 0; i < token->length; i++) {
		if (!g_ascii_isdigit(token->text[i]))
			return false;
		uint64_t digit = (uint64_t)(token->text[i] - '0');
		if (n > (max - digit) / 10)
			return false;
		n = n * 10 + digit;
	}
	*value = n;
	return true;
}

static bool
read_number(Parser *parser, uint64_t max, uint64_t *value, GError **error)
{
	ImapToken token;
	if (!next(parser, &token, error))
		return false;
	if (!token_number(&token, max, value))
		return fail(parser, token.offset, "number expected", error);
	return true;
}

static bool
read_u32(Parser *parser, uint32_t *value, GError **error)
{
	uint64_t n = 0;
	if (!read_number(parser, G_MAXUINT32, &n, error))
		return false;
	*value = (uint32_t)n;
	return true;
}

/* Skips one value: an atom, string, or a (nested) list; also a "[...]"
 * group, as in unknown FETCH items. */
static bool
skip_value(Parser *parser, guint depth, GError **error)
{
	ImapToken token;
	if (!next(parser, &token, error))
		return false;
	if (token.kind == IMAP_TOKEN_ATOM || token.kind == IMAP_TOKEN_QUOTED ||
	    token.kind == IMAP_TOKEN_LITERAL)
		return true;
	ImapTokenKind close;
	if (token.kind == IMAP_TOKEN_LPAREN)
		close = IMAP_TOKEN_RPAREN;
	else if (token.kind == IMAP_TOKEN_LBRACKET)
		close = IMAP_TOKEN_RBRACKET;
	else
		return fail(parser, token.offset, "value expected", error);
	if (depth >= parser->limits->max_depth)
		return fail(parser, token.offset, "lists nested too deep", error);
	guint items = 0;
	for (;;) {
		if (!peek(parser, &token, error))
			return false;
		if (token.kind == close) {
			next(parser, &token, error);
			return true;
		}
		if (token.kind == IMAP_TOKEN_END)
			return fail(parser, token.offset, "list not closed", error);
		if (token.kind == IMAP_TOKEN_SPACE) {
			next(parser, &token, error);
			continue;
		}
		if (++items > parser->limits->max_items)
			return fail(parser, token.offset, "too many items in a list", error);
		if (!skip_value(parser, depth + 1, error))
			return false;
	}
}

/* Reads "(" word *(SP word) ")" into a new array; atoms and strings. */
static bool
read_word_list(Parser *parser, GPtrArray **words, GError **error)
{
	ImapToken token;
	if (!expect(parser, IMAP_TOKEN_LPAREN, "\"(\" expected", error))
		return false;
	*words = g_ptr_array_new_with_free_func(g_free);
	for (;;) {
		if (!next(parser, &token, error))
			return false;
		if (token.kind == IMAP_TOKEN_RPAREN)
			return true;
		if (token.kind == IMAP_TOKEN_SPACE)
			continue;
		if (token.kind != IMAP_TOKEN_ATOM && token.kind != IMAP_TOKEN_QUOTED)
			return fail(parser, token.offset, "word expected in list", error);
		if ((*words)->len >= parser->limits->max_items)
			return fail(parser, token.offset, "too many items in a list", error);
		g_ptr_array_add(*words, imap_lexer_dup_text(&token));
	}
}

/* Reads SP-separated atoms to the end of the line (CAPABILITY, ENABLED). */
static bool
read_words_to_end(Parser *parser, GPtrArray *words, ImapTokenKind end, GError **error)
{
	ImapToken token;
	for (;;) {
		if (!peek(parser, &token, error))
			return false;
		if (token.kind == end || token.kind == IMAP_TOKEN_END)
			return true;
		next(parser, &token, error);
		if (token.kind == IMAP_TOKEN_SPACE)
			continue;
		if (token.kind != IMAP_TOKEN_ATOM)
			return fail(parser, token.offset, "atom expected", error);
		if (words->len >= parser->limits->max_items)
			return fail(parser, token.offset, "too many words", error);
		g_ptr_array_add(words, imap_lexer_dup_text(&token));
	}
}

/* nstring: NIL, a quoted string or a literal. */
static bool
read_nstring(Parser *parser, GBytes **value, GError **error)
{
	ImapToken token;
	if (!next(parser, &token, error))
		return false;
	if (token_is(&token, "NIL")) {
		*value = NULL;
		return true;
	}
	if (token.kind == IMAP_TOKEN_LITERAL) {
		*value = g_bytes_new(token.text, token.length);
		return true;
	}
	if (token.kind == IMAP_TOKEN_QUOTED) {
		char *text = imap_lexer_dup_text(&token);
		*value = g_bytes_new_take(text, strlen(text));
		return true;
	}
	return fail(parser, token.offset, "string or NIL expected", error);
}

static void
text_from_rest(Parser *parser)
{
	const char *text;
	gsize length;
	ImapToken token;
	if (imap_lexer_peek(&parser->lexer, &token, NULL) && token.kind == IMAP_TOKEN_SPACE)
		imap_lexer_next(&parser->lexer, &token, NULL);
	imap_lexer_take_rest(&parser->lexer, &text, &length);
	g_free(parser->response->text);
	parser->response->text = g_strndup(text, length);
}

static const struct {
	const char *name;
	ImapCode code;
} code_names[] = {
        {"ALERT", IMAP_CODE_ALERT},
        {"CAPABILITY", IMAP_CODE_CAPABILITY},
        {"UIDVALIDITY", IMAP_CODE_UIDVALIDITY},
        {"UIDNEXT", IMAP_CODE_UIDNEXT},
        {"HIGHESTMODSEQ", IMAP_CODE_HIGHESTMODSEQ},
        {"NOMODSEQ", IMAP_CODE_NOMODSEQ},
        {"TRYCREATE", IMAP_CODE_TRYCREATE},
        {"NONEXISTENT", IMAP_CODE_NONEXISTENT},
        {"APPENDUID", IMAP_CODE_APPENDUID},
        {"READ-ONLY", IMAP_CODE_READ_ONLY},
        {"READ-WRITE", IMAP_CODE_READ_WRITE},
        {"AUTHENTICATIONFAILED", IMAP_CODE_AUTHENTICATIONFAILED},
        {"UNAVAILABLE", IMAP_CODE_UNAVAILABLE},
};

/* "[" code *(SP arg) "]" after a status word. */
static bool
parse_code(Parser *parser, GError **error)
{
	ImapResponse *response = parser->response;
	ImapToken token;
	if (!expect(parser, IMAP_TOKEN_LBRACKET, "\"[\" expected", error) ||
	    !next(parser, &token, error))
		return false;
	if (token.kind != IMAP_TOKEN_ATOM)
		return fail(parser, token.offset, "response code expected", error);
	response->code = IMAP_CODE_OTHER;
	for (gsize i = 0; i < G_N_ELEMENTS(code_names); i++)
		if (token_is(&token, code_names[i].name))
			response->code = code_names[i].code;

	switch (response->code) {
	case IMAP_CODE_UIDVALIDITY:
	case IMAP_CODE_UIDNEXT:
	case IMAP_CODE_HIGHESTMODSEQ:
		if (!expect(parser, IMAP_TOKEN_SPACE, "space expected", error) ||
		    !read_number(parser,
		                 response->code == IMAP_CODE_HIGHESTMODSEQ ? G_MAXUINT64
		                                                           : G_MAXUINT32,
		                 &response->code_number, error))
			return false;
		break;
	case IMAP_CODE_APPENDUID:
		if (!expect(parser, IMAP_TOKEN_SPACE, "space expected", error) ||
		    !read_number(parser, G_MAXUINT32, &response->code_number, error) ||
		    !expect(parser, IMAP_TOKEN_SPACE, "space expected", error) ||
		    !read_u32(parser, &response->code_uid, error))
			return false;
		break;
	case IMAP_CODE_CAPABILITY:
		if (response->words == NULL)
			response->words = g_ptr_array_new_with_free_func(g_free);
		if (!read_words_to_end(parser, response->words, IMAP_TOKEN_RBRACKET, error))
			return false;
		break;
	default:
		/* Any arguments of a code we do not use: skip them. */
		for (;;) {
			if (!peek(parser, &token, error))
				return false;
			if (token.kind == IMAP_TOKEN_RBRACKET || token.kind == IMAP_TOKEN_END)
				break;
			if (token.kind == IMAP_TOKEN_SPACE) {
				next(parser, &token, error);
				continue;
			}
			if (!skip_value(parser, 0, error))
				return false;
		}
		break;
	}
	return expect(parser, IMAP_TOKEN_RBRACKET, "\"]\" expected after response code", error);
}

/* After OK/NO/BAD/PREAUTH/BYE: [SP "[" code "]"] [SP text] */
static bool
parse_status_rest(Parser *parser, GError **error)
{
	ImapToken token;
	if (!peek(parser, &token, error))
		return false;
	if (token.kind == IMAP_TOKEN_SPACE) {
		next(parser, &token, error);
		if (!peek(parser, &token, error))
			return false;
		if (token.kind == IMAP_TOKEN_LBRACKET && !parse_code(parser, error))
			return false;
	}
	text_from_rest(parser);
	return true;
}

static ImapStatus
status_of(const ImapToken *token)
{
	if (token_is(token, "OK"))
		return IMAP_STATUS_OK;
	if (token_is(token, "NO"))
		return IMAP_STATUS_NO;
	if (token_is(token, "BAD"))
		return IMAP_STATUS_BAD;
	if (token_is(token, "PREAUTH"))
		return IMAP_STATUS_PREAUTH;
	if (token_is(token, "BYE"))
		return IMAP_STATUS_BYE;
	return IMAP_STATUS_NONE;
}

/* The section of BODY[...] as text, up to the closing "]". */
static bool
read_section(Parser *parser, char **section, GError **error)
{
	ImapToken token;
	GString *text = g_string_new(NULL);
	guint depth = 0;
	for (;;) {
		if (!next(parser, &token, error)) {
			g_string_free(text, TRUE);
			return false;
		}
		if (token.kind == IMAP_TOKEN_END) {
			g_string_free(text, TRUE);
			return fail(parser, token.offset, "section not closed by \"]\"", error);
		}
		if (token.kind == IMAP_TOKEN_RBRACKET && depth == 0)
			break;
		if (token.kind == IMAP_TOKEN_LPAREN && ++depth > parser->limits->max_depth) {
			g_string_free(text, TRUE);
			return fail(parser, token.offset, "section nested too deep", error);
		}
		if (token.kind == IMAP_TOKEN_RPAREN && depth > 0)
			depth--;
		if (token.kind == IMAP_TOKEN_QUOTED || token.kind == IMAP_TOKEN_LITERAL) {
			g_autofree char *word = imap_lexer_dup_text(&token);
			g_string_append(text, word);
		} else {
			g_string_append_len(text, token.text, (gssize)token.length);
		}
	}
	*section = g_string_free(text, FALSE);
	return true;
}

static bool
parse_body_item(Parser *parser, ImapFetch *fetch, GError **error)
{
	g_autofree char *section = NULL;
	ImapToken token;
	if (!read_section(parser, &section, error) || !peek(parser, &token, error))
		return false;
	/* An origin octet "<0>" may follow the section. */
	if (token.kind == IMAP_TOKEN_ATOM && token.text[0] == '<')
		next(parser, &token, error);
	if (!expect(parser, IMAP_TOKEN_SPACE, "space expected after BODY[]", error))
		return false;
	GBytes *value = NULL;
	if (!read_nstring(parser, &value, error))
		return false;
	GBytes **slot;
	if (g_ascii_strncasecmp(section, "HEADER", 6) == 0)
		slot = &fetch->header;
	else if (g_ascii_strcasecmp(section, "TEXT") == 0)
		slot = &fetch->text;
	else if (section[0] == '\0')
		slot = &fetch->whole;
	else
		slot = NULL; /* a part we did not ask for: dropped */
	if (slot == NULL) {
		if (value != NULL)
			g_bytes_unref(value);
		return true;
	}
	if (*slot != NULL)
		g_bytes_unref(*slot);
	*slot = value;
	return true;
}

/* Captures the raw text of one value (BODYSTRUCTURE). */
static bool
capture_value(Parser *parser, char **raw, GError **error)
{
	gsize start = parser->lexer.position;
	if (!skip_value(parser, 0, error))
		return false;
	*raw = g_strndup(parser->lexer.data + start, parser->lexer.position - start);
	return true;
}

static bool
parse_fetch_item(Parser *parser, ImapFetch *fetch, GError **error)
{
	ImapToken name;
	uint64_t n = 0;
	if (!next(parser, &name, error))
		return false;
	if (name.kind != IMAP_TOKEN_ATOM)
		return fail(parser, name.offset, "FETCH item name expected", error);
	if (token_is(&name, "BODY") || token_is(&name, "BINARY")) {
		ImapToken token;
		if (!peek(parser, &token, error))
			return false;
		if (token.kind == IMAP_TOKEN_LBRACKET) {
			next(parser, &token, error);
			return parse_body_item(parser, fetch, error);
		}
	}
	if (!expect(parser, IMAP_TOKEN_SPACE, "space expected after FETCH item name", error))
		return false;
	if (token_is(&name, "UID")) {
		if (!read_number(parser, G_MAXUINT32, &n, error))
			return false;
		fetch->uid = (uint32_t)n;
	} else if (token_is(&name, "RFC822.SIZE")) {
		/* IMAP4rev2 (RFC 9051 9) makes it a number64. */
		if (!read_number(parser, G_MAXINT64, &n, error))
			return false;
		fetch->size = n;
		fetch->has_size = true;
	} else if (token_is(&name, "MODSEQ")) {
		/* RFC 7162: MODSEQ (n) */
		if (!expect(parser, IMAP_TOKEN_LPAREN, "\"(\" expected after MODSEQ", error) ||
		    !read_number(parser, G_MAXUINT64, &fetch->modseq, error) ||
		    !expect(parser, IMAP_TOKEN_RPAREN, "\")\" expected after MODSEQ", error))
			return false;
	} else if (token_is(&name, "FLAGS")) {
		if (fetch->flags != NULL)
			g_ptr_array_unref(fetch->flags);
		fetch->flags = NULL;
		if (!read_word_list(parser, &fetch->flags, error))
			return false;
	} else if (token_is(&name, "INTERNALDATE")) {
		GBytes *date = NULL;
		if (!read_nstring(parser, &date, error))
			return false;
		if (date != NULL) {
			g_free(fetch->internal_date);
			fetch->internal_date =
			        g_strndup(g_bytes_get_data(date, NULL), g_bytes_get_size(date));
			g_bytes_unref(date);
		}
	} else if (token_is(&name, "BODYSTRUCTURE")) {
		g_free(fetch->body_structure);
		fetch->body_structure = NULL;
		if (!capture_value(parser, &fetch->body_structure, error))
			return false;
	} else if (!skip_value(parser, 0, error)) {
		return false;
	}
	return true;
}

static bool
parse_fetch(Parser *parser, GError **error)
{
	ImapToken token;
	ImapFetch *fetch = g_new0(ImapFetch, 1);
	parser->response->fetch = fetch;
	guint items = 0;
	if (!expect(parser, IMAP_TOKEN_LPAREN, "\"(\" expected after FETCH", error))
		return false;
	for (;;) {
		if (!peek(parser, &token, error))
			return false;
		if (token.kind == IMAP_TOKEN_RPAREN) {
			next(parser, &token, error);
			return true;
		}
		if (token.kind == IMAP_TOKEN_SPACE) {
			next(parser, &token, error);
			continue;
		}
		if (token.kind == IMAP_TOKEN_END)
			return fail(parser, token.offset, "FETCH list not closed", error);
		if (++items > parser->limits->max_items)
			return fail(parser, token.offset, "too many FETCH items", error);
		if (!parse_fetch_item(parser, fetch, error))
			return false;
	}
}

static bool
add_number(Parser *parser, uint32_t value, gsize offset, GError **error)
{
	if (parser->response->numbers->len >= parser->limits->max_items)
		return fail(parser, offset, "too many numbers", error);
	g_array_append_val(parser->response->numbers, value);
	return true;
}

/* A sequence set "1:3,7" (VANISHED, ESEARCH ALL), expanded. */
static bool
read_sequence_set(Parser *parser, GError **error)
{
	ImapToken token;
	if (!next(parser, &token, error))
		return false;
	if (token.kind != IMAP_TOKEN_ATOM)
		return fail(parser, token.offset, "sequence set expected", error);
	g_autofree char *text = imap_lexer_dup_text(&token);
	g_auto(GStrv) ranges = g_strsplit(text, ",", -1);
	for (char **range = ranges; *range != NULL; range++) {
		guint64 low = 0, high = 0;
		char *colon = strchr(*range, ':');
		if (colon != NULL)
			*colon = '\0';
		if (!g_ascii_string_to_unsigned(*range, 10, 1, G_MAXUINT32, &low, NULL) ||
		    (colon != NULL &&
		     !g_ascii_string_to_unsigned(colon + 1, 10, 1, G_MAXUINT32, &high, NULL)))
			return fail(parser, token.offset, "bad sequence set", error);
		if (colon == NULL)
			high = low;
		if (high < low) {
			guint64 swap = low;
			low = high;
			high = swap;
		}
		if (high - low >= parser->limits->max_items)
			return fail(parser, token.offset, "sequence range too large", error);
		for (guint64 n = low; n <= high; n++)
			if (!add_number(parser, (uint32_t)n, token.offset, error))
				return false;
	}
	return true;
}

static bool
parse_search(Parser *parser, GError **error)
{
	ImapToken token;
	parser->response->numbers = g_array_new(FALSE, FALSE, sizeof(uint32_t));
	for (;;) {
		if (!next(parser, &token, error))
			return false;
		if (token.kind == IMAP_TOKEN_END)
			return true;
		if (token.kind == IMAP_TOKEN_SPACE)
			continue;
		if (token.kind == IMAP_TOKEN_LPAREN) {
			/* RFC 7162 3.1.5: (MODSEQ n) */
			if (!next(parser, &token, error))
				return false;
			if (!token_is(&token, "MODSEQ"))
				return fail(parser, token.offset, "(MODSEQ n) expected", error);
			if (!expect(parser, IMAP_TOKEN_SPACE, "space expected after MODSEQ",
			            error) ||
			    !read_number(parser, G_MAXUINT64, &parser->response->search_modseq,
			                 error) ||
			    !expect(parser, IMAP_TOKEN_RPAREN, "\")\" expected after MODSEQ",
			            error))
				return false;
			continue;
		}
		uint64_t n = 0;
		if (!token_number(&token, G_MAXUINT32, &n))
			return fail(parser, token.offset, "number expected in SEARCH", error);
		if (!add_number(parser, (uint32_t)n, token.offset, error))
			return false;
	}
}

/* ESEARCH [(TAG "x")] [UID] *(SP name SP value); ALL is kept. */
static bool
parse_esearch(Parser *parser, GError **error)
{
	ImapToken token;
	parser->response->numbers = g_array_new(FALSE, FALSE, sizeof(uint32_t));
	for (;;) {
		if (!peek(parser, &token, error))
			return false;
		if (token.kind == IMAP_TOKEN_END)
			return true;
		if (token.kind == IMAP_TOKEN_SPACE) {
			next(parser, &token, error);
			continue;
		}
		if (token.kind == IMAP_TOKEN_LPAREN) {
			if (!skip_value(parser, 0, error))
				return false;
			continue;
		}
		next(parser, &token, error);
		if (token_is(&token, "UID"))
			continue;
		if (token.kind != IMAP_TOKEN_ATOM)
			return fail(parser, token.offset, "ESEARCH item expected", error);
		bool all = token_is(&token, "ALL");
		if (!expect(parser, IMAP_TOKEN_SPACE, "space expected", error))
			return false;
		if (all ? !read_sequence_set(parser, error) : !skip_value(parser, 0, error))
			return false;
	}
}

static bool
parse_list(Parser *parser, GError **error)
{
	ImapToken token;
	ImapList *list = g_new0(ImapList, 1);
	parser->response->list = list;
	if (!read_word_list(parser, &list->attributes, error) ||
	    !expect(parser, IMAP_TOKEN_SPACE, "space expected", error) ||
	    !next(parser, &token, error))
		return false;
	if (token.kind == IMAP_TOKEN_QUOTED) {
		g_autofree char *separator = imap_lexer_dup_text(&token);
		list->separator = separator[0];
	} else if (!token_is(&token, "NIL")) {
		return fail(parser, token.offset, "separator expected", error);
	}
	if (!expect(parser, IMAP_TOKEN_SPACE, "space expected", error) ||
	    !next(parser, &token, error))
		return false;
	if (token.kind != IMAP_TOKEN_ATOM && token.kind != IMAP_TOKEN_QUOTED &&
	    token.kind != IMAP_TOKEN_LITERAL)
		return fail(parser, token.offset, "mailbox name expected", error);
	list->name = imap_lexer_dup_text(&token);
	/* LIST-EXTENDED items may follow; they are not ours. */
	return true;
}

static bool
parse_status_data(Parser *parser, GError **error)
{
	ImapToken token;
	ImapStatusData *status = g_new0(ImapStatusData, 1);
	parser->response->status_data = status;
	if (!next(parser, &token, error))
		return false;
	if (token.kind != IMAP_TOKEN_ATOM && token.kind != IMAP_TOKEN_QUOTED &&
	    token.kind != IMAP_TOKEN_LITERAL)
		return fail(parser, token.offset, "mailbox name expected", error);
	status->name = imap_lexer_dup_text(&token);
	if (!expect(parser, IMAP_TOKEN_SPACE, "space expected", error) ||
	    !expect(parser, IMAP_TOKEN_LPAREN, "\"(\" expected", error))
		return false;
	for (;;) {
		ImapToken name;
		uint64_t value = 0;
		if (!next(parser, &name, error))
			return false;
		if (name.kind == IMAP_TOKEN_RPAREN)
			return true;
		if (name.kind == IMAP_TOKEN_SPACE)
			continue;
		if (name.kind != IMAP_TOKEN_ATOM)
			return fail(parser, name.offset, "STATUS item expected", error);
		if (!expect(parser, IMAP_TOKEN_SPACE, "space expected after a STATUS item",
		            error) ||
		    !read_number(parser, G_MAXUINT64, &value, error))
			return false;
		if (token_is(&name, "MESSAGES"))
			status->messages = (uint32_t)MIN(value, G_MAXUINT32);
		else if (token_is(&name, "UIDNEXT"))
			status->uid_next = (uint32_t)MIN(value, G_MAXUINT32);
		else if (token_is(&name, "UIDVALIDITY"))
			status->uid_validity = (uint32_t)MIN(value, G_MAXUINT32);
		else if (token_is(&name, "UNSEEN"))
			status->unseen = (uint32_t)MIN(value, G_MAXUINT32);
		else if (token_is(&name, "HIGHESTMODSEQ"))
			status->highest_modseq = value;
	}
}

/* "* " number SP (EXISTS | RECENT | EXPUNGE | FETCH ...) */
static bool
parse_numbered(Parser *parser, uint64_t number, GError **error)
{
	ImapResponse *response = parser->response;
	ImapToken token;
	response->number = (uint32_t)number;
	if (!expect(parser, IMAP_TOKEN_SPACE, "space expected", error) ||
	    !next(parser, &token, error))
		return false;
	if (token_is(&token, "EXISTS"))
		response->data = IMAP_DATA_EXISTS;
	else if (token_is(&token, "RECENT"))
		response->data = IMAP_DATA_RECENT;
	else if (token_is(&token, "EXPUNGE"))
		response->data = IMAP_DATA_EXPUNGE;
	else if (token_is(&token, "FETCH")) {
		response->data = IMAP_DATA_FETCH;
		return expect(parser, IMAP_TOKEN_SPACE, "space expected", error) &&
		       parse_fetch(parser, error);
	} else {
		response->data = IMAP_DATA_OTHER;
		text_from_rest(parser);
	}
	return true;
}

static bool
parse_untagged(Parser *parser, GError **error)
{
	ImapResponse *response = parser->response;
	ImapToken token;
	uint64_t number = 0;
	if (!next(parser, &token, error))
		return false;
	if (token_number(&token, G_MAXUINT32, &number))
		return parse_numbered(parser, number, error);
	if (token.kind != IMAP_TOKEN_ATOM)
		return fail(parser, token.offset, "untagged response name expected", error);
	response->status = status_of(&token);
	if (response->status != IMAP_STATUS_NONE)
		return parse_status_rest(parser, error);

	ImapToken space;
	bool has_space = peek(parser, &space, NULL) && space.kind == IMAP_TOKEN_SPACE;
	if (has_space)
		next(parser, &space, error);
	if (token_is(&token, "CAPABILITY") || token_is(&token, "ENABLED")) {
		response->data =
		        token_is(&token, "ENABLED") ? IMAP_DATA_ENABLED : IMAP_DATA_CAPABILITY;
		response->words = g_ptr_array_new_with_free_func(g_free);
		return read_words_to_end(parser, response->words, IMAP_TOKEN_END, error);
	}
	if (token_is(&token, "FLAGS")) {
		response->data = IMAP_DATA_FLAGS;
		return read_word_list(parser, &response->words, error);
	}
	if (token_is(&token, "SEARCH")) {
		response->data = IMAP_DATA_SEARCH;
		return parse_search(parser, error);
	}
	if (token_is(&token, "ESEARCH")) {
		response->data = IMAP_DATA_ESEARCH;
		return parse_esearch(parser, error);
	}
	if (token_is(&token, "LIST") || token_is(&token, "LSUB")) {
		response->data = IMAP_DATA_LIST;
		return parse_list(parser, error);
	}
	if (token_is(&token, "STATUS")) {
		response->data = IMAP_DATA_STATUS;
		return parse_status_data(parser, error);
	}
	if (token_is(&token, "VANISHED")) {
		response->data = IMAP_DATA_VANISHED;
		response->numbers = g_array_new(FALSE, FALSE, sizeof(uint32_t));
		if (!peek(parser, &token, error))
			return false;
		if (token.kind == IMAP_TOKEN_LPAREN &&
		    (!skip_value(parser, 0, error) ||
		     !expect(parser, IMAP_TOKEN_SPACE, "space expected", error)))
			return false;
		return read_sequence_set(parser, error);
	}
	/* ID, NAMESPACE, METADATA, anything new: not ours; the assembler
	 * already framed it, so skipping it keeps us in sync. */
	response->data = IMAP_DATA_OTHER;
	text_from_rest(parser);
	return true;
}

ImapResponse *
imap_response_parse(const char *data, gsize length, const ImapLimits *limits, GError **error)
{
	Parser parser = {.limits = limits};
	g_autoptr(ImapResponse) response = g_new0(ImapResponse, 1);
	ImapToken token;

	parser.response = response;
	imap_lexer_init(&parser.lexer, data, length);
	if (!next(&parser, &token, error))
		return NULL;
	if (token.kind == IMAP_TOKEN_ATOM && token.length == 1 && token.text[0] == '+') {
		response->kind = IMAP_RESPONSE_CONTINUATION;
		text_from_rest(&parser);
		return g_steal_pointer(&response);
	}
	if (token.kind != IMAP_TOKEN_ATOM) {
		fail(&parser, token.offset, "tag, \"*\" or \"+\" expected", error);
		return NULL;
	}
	bool untagged = token.length == 1 && token.text[0] == '*';
	if (!untagged)
		response->tag = imap_lexer_dup_text(&token);
	response->kind = untagged ? IMAP_RESPONSE_UNTAGGED : IMAP_RESPONSE_TAGGED;
	if (!expect(&parser, IMAP_TOKEN_SPACE, "space expected after tag", error))
		return NULL;
	if (untagged) {
		if (!parse_untagged(&parser, error))
			return NULL;
	} else {
		if (!next(&parser, &token, error))
			return NULL;
		response->status = status_of(&token);
		if (response->status != IMAP_STATUS_OK && response->status != IMAP_STATUS_NO &&
		    response->status != IMAP_STATUS_BAD) {
			fail(&parser, token.offset, "OK, NO or BAD expected after tag", error);
			return NULL;
		}
		if (!parse_status_rest(&parser, error))
			return NULL;
	}
	if (!next(&parser, &token, error))
		return NULL;
	if (token.kind != IMAP_TOKEN_END) {
		fail(&parser, token.offset, "unexpected data at the end of the response", error);
		return NULL;
	}
	return g_steal_pointer(&response);
}
