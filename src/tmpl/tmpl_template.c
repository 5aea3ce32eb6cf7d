#include "tmpl/tmpl_template.h"

#include "base/base_error.h"

#include <string.h>

/* A template a person writes is a few KiB; a megabyte is a mistake. */
#define MAX_TEMPLATE_BYTES ((gsize)1024 * 1024)
#define MAX_OUTPUT_BYTES   ((gsize)4 * 1024 * 1024)
#define MAX_ALTERNATIVES   64

typedef enum {
	NODE_TEXT,
	NODE_FIELD,
	NODE_SPIN,
} NodeKind;

typedef struct {
	NodeKind kind;
	char *text;         /* TEXT: the text; FIELD: the name */
	char *fallback;     /* FIELD: NULL when none */
	GPtrArray *choices; /* SPIN: char * */
	guint line;
	guint column;
} Node;

struct TmplTemplate {
	char *name;
	GArray *nodes; /* Node */
};

GQuark
tmpl_template_error_quark(void)
{
	return g_quark_from_static_string("piculet-tmpl-error");
}

static void
node_clear(gpointer data)
{
	Node *node = data;
	g_free(node->text);
	g_free(node->fallback);
	if (node->choices != NULL)
		g_ptr_array_unref(node->choices);
}

void
tmpl_template_free(TmplTemplate *tmpl)
{
	if (tmpl == NULL)
		return;
	g_free(tmpl->name);
	g_array_unref(tmpl->nodes);
	g_free(tmpl);
}

/* Line and column (1-based, in characters) of byte @offset of @text. */
static void
position_of(const char *text, gsize offset, guint *line, guint *column)
{
	*line = 1;
	*column = 1;
	for (const char *p = text; p < text + offset && *p != '\0'; p = g_utf8_next_char(p)) {
		if (*p == '\n') {
			(*line)++;
			*column = 1;
		} else {
			(*column)++;
		}
	}
}

static bool
syntax_error(const TmplTemplate *tmpl, const char *text, gsize offset, const char *what,
             GError **error)
{
	guint line, column;
	position_of(text, offset, &line, &column);
	g_set_error(error, TMPL_ERROR, TMPL_ERROR_SYNTAX, "%s:%u:%u: %s", tmpl->name, line, column,
	            what);
	return false;
}

bool
tmpl_template_is_field_name(const char *name)
{
	if (!g_ascii_isalpha(name[0]) && name[0] != '_')
		return false;
	for (const char *p = name; *p != '\0'; p++)
		if (!g_ascii_isalnum(*p) && *p != '_' && *p != '.' && *p != '-')
			return false;
	return true;
}

static bool
parse_tag(TmplTemplate *tmpl, const char *text, gsize open, gsize close, GError **error)
{
	g_autofree char *inner = g_strstrip(g_strndup(text + open + 2, close - open - 2));
	Node node = {0};
	position_of(text, open, &node.line, &node.column);
	if (g_ascii_strncasecmp(inner, "spin:", 5) == 0) {
		node.kind = NODE_SPIN;
		node.choices = g_ptr_array_new_with_free_func(g_free);
		g_auto(GStrv) parts = g_strsplit(inner + 5, "|", -1);
		for (char **part = parts; *part != NULL; part++) {
			if (node.choices->len >= MAX_ALTERNATIVES) {
				node_clear(&node);
				return syntax_error(tmpl, text, open, "more than 64 alternatives",
				                    error);
			}
			g_ptr_array_add(node.choices, g_strdup(g_strstrip(*part)));
		}
		/* "{{spin:}}" has one empty alternative, not none. */
		if (node.choices->len == 0)
			g_ptr_array_add(node.choices, g_strdup(""));
		g_array_append_val(tmpl->nodes, node);
		return true;
	}
	node.kind = NODE_FIELD;
	char *bar = strchr(inner, '|');
	if (bar != NULL) {
		*bar = '\0';
		node.fallback = g_strdup(g_strstrip(bar + 1));
	}
	node.text = g_strdup(g_strstrip(inner));
	if (!tmpl_template_is_field_name(node.text)) {
		g_autofree char *shown = base_error_printable_dup(node.text, -1, 40);
		g_autofree char *what = g_strdup_printf("\"%s\" is not a field name", shown);
		node_clear(&node);
		return syntax_error(tmpl, text, open, what, error);
	}
	g_array_append_val(tmpl->nodes, node);
	return true;
}

static void
add_text(TmplTemplate *tmpl, const char *start, gsize length)
{
	if (length == 0)
		return;
	Node node = {.kind = NODE_TEXT, .text = g_strndup(start, length)};
	g_array_append_val(tmpl->nodes, node);
}

TmplTemplate *
tmpl_template_parse(const char *text, const char *name, GError **error)
{
	g_autoptr(TmplTemplate) tmpl = g_new0(TmplTemplate, 1);
	tmpl->name = g_strdup(name != NULL ? name : "template");
	tmpl->nodes = g_array_new(FALSE, TRUE, sizeof(Node));
	g_array_set_clear_func(tmpl->nodes, node_clear);
	gsize length = strlen(text);
	if (length > MAX_TEMPLATE_BYTES) {
		g_set_error(error, TMPL_ERROR, TMPL_ERROR_LIMIT, "%s: larger than %zu bytes",
		            tmpl->name, MAX_TEMPLATE_BYTES);
		return NULL;
	}
	if (!g_utf8_validate(text, (gssize)length, NULL)) {
		g_set_error(error, TMPL_ERROR, TMPL_ERROR_SYNTAX, "%s: not UTF-8 text", tmpl->name);
		return NULL;
	}
	gsize at = 0;
	while (at < length) {
		const char *open = strstr(text + at, "{{");
		if (open == NULL) {
			add_text(tmpl, text + at, length - at);
			break;
		}
		gsize open_at = (gsize)(open - text);
		add_text(tmpl, text + at, open_at - at);
		const char *close = strstr(open + 2, "}}");
		const char *next_open = strstr(open + 2, "{{");
		if (close == NULL || (next_open != NULL && next_open < close)) {
			syntax_error(tmpl, text, open_at, "\"{{\" is not closed by \"}}\"", error);
			return NULL;
		}
		if (!parse_tag(tmpl, text, open_at, (gsize)(close - text), error))
			return NULL;
		at = (gsize)(close - text) + 2;
	}
	return g_steal_pointer(&tmpl);
}

GPtrArray *
tmpl_template_dup_fields(const TmplTemplate *tmpl)
{
	GPtrArray *fields = g_ptr_array_new_with_free_func(g_free);
	for (guint i = 0; i < tmpl->nodes->len; i++) {
		const Node *node = &g_array_index(tmpl->nodes, Node, i);
		if (node->kind == NODE_FIELD)
			g_ptr_array_add(fields, g_strdup(node->text));
	}
	return fields;
}

GPtrArray *
tmpl_template_dup_required_fields(const TmplTemplate *tmpl)
{
	GPtrArray *fields = g_ptr_array_new_with_free_func(g_free);
	for (guint i = 0; i < tmpl->nodes->len; i++) {
		const Node *node = &g_array_index(tmpl->nodes, Node, i);
		if (node->kind == NODE_FIELD && node->fallback == NULL)
			g_ptr_array_add(fields, g_strdup(node->text));
	}
	return fields;
}

GPtrArray *
tmpl_template_dup_spins(const TmplTemplate *tmpl)
{
	GPtrArray *spins = g_ptr_array_new_with_free_func((GDestroyNotify)g_strfreev);
	for (guint i = 0; i < tmpl->nodes->len; i++) {
		const Node *node = &g_array_index(tmpl->nodes, Node, i);
		if (node->kind != NODE_SPIN)
			continue;
		char **choices = g_new0(char *, node->choices->len + 1);
		for (guint k = 0; k < node->choices->len; k++)
			choices[k] = g_strdup(node->choices->pdata[k]);
		g_ptr_array_add(spins, choices);
	}
	return spins;
}

uint64_t
tmpl_template_seed(const char *prospect_key, int step)
{
	/* FNV-1a: stable across runs, machines and versions. */
	uint64_t hash = 14695981039346656037ULL;
	for (const unsigned char *p = (const unsigned char *)prospect_key; *p != '\0'; p++) {
		hash ^= *p;
		hash *= 1099511628211ULL;
	}
	hash ^= (uint64_t)(unsigned)step;
	hash *= 1099511628211ULL;
	return hash;
}

static void
append_value(GString *out, const char *value, bool header_safe)
{
	if (!header_safe) {
		g_string_append(out, value);
		return;
	}
	/* CR, LF, TAB and other controls become one space. */
	bool space = false;
	for (const char *p = value; *p != '\0'; p++) {
		unsigned char c = (unsigned char)*p;
		if (c < 0x20 || c == 0x7f) {
			if (!space)
				g_string_append_c(out, ' ');
			space = true;
			continue;
		}
		g_string_append_c(out, (char)c);
		space = false;
	}
}

char *
tmpl_template_render(const TmplTemplate *tmpl, TmplLookupFunc lookup, void *user_data,
                     uint64_t seed, bool header_safe, GError **error)
{
	g_autoptr(GString) out = g_string_new(NULL);
	guint spin_index = 0;
	for (guint i = 0; i < tmpl->nodes->len; i++) {
		const Node *node = &g_array_index(tmpl->nodes, Node, i);
		if (node->kind == NODE_TEXT) {
			append_value(out, node->text, header_safe);
		} else if (node->kind == NODE_SPIN) {
			uint64_t mixed = (seed ^ (0x9e3779b97f4a7c15ULL * ++spin_index));
			mixed ^= mixed >> 29;
			mixed *= 0xbf58476d1ce4e5b9ULL;
			mixed ^= mixed >> 32;
			guint choice = (guint)(mixed % node->choices->len);
			append_value(out, node->choices->pdata[choice], header_safe);
		} else {
			const char *value = lookup(node->text, user_data);
			if (value == NULL || value[0] == '\0')
				value = node->fallback;
			if (value == NULL) {
				g_set_error(error, TMPL_ERROR, TMPL_ERROR_MISSING_FIELD,
				            "%s:%u:%u: field \"%s\" has no value and no fallback",
				            tmpl->name, node->line, node->column, node->text);
				return NULL;
			}
			append_value(out, value, header_safe);
		}
		if (out->len > MAX_OUTPUT_BYTES) {
			g_set_error(error, TMPL_ERROR, TMPL_ERROR_LIMIT,
			            "%s: output larger than %zu bytes", tmpl->name,
			            MAX_OUTPUT_BYTES);
			return NULL;
		}
	}
	return g_string_free(g_steal_pointer(&out), FALSE);
}
