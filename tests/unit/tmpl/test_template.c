#include "tmpl/tmpl_template.h"

#include <string.h>

static const char *
lookup(const char *field, void *user_data)
{
	GHashTable *fields = user_data;
	return g_hash_table_lookup(fields, field);
}

static GHashTable *
fields_of(const char *const *pairs)
{
	GHashTable *fields = g_hash_table_new(g_str_hash, g_str_equal);
	for (const char *const *p = pairs; *p != NULL; p += 2)
		g_hash_table_insert(fields, (gpointer)p[0], (gpointer)p[1]);
	return fields;
}

static char *
render(const char *text, const char *const *pairs, uint64_t seed, bool header, GError **error)
{
	g_autoptr(TmplTemplate) tmpl = tmpl_template_parse(text, "step1.txt", error);
	if (tmpl == NULL)
		return NULL;
	g_autoptr(GHashTable) fields = fields_of(pairs);
	return tmpl_template_render(tmpl, lookup, fields, seed, header, error);
}

static void
test_fields_and_fallbacks(void)
{
	const char *pairs[] = {"first_name", "Jürgen", "company", "",  "sender.first_name",
	                       "Alice",      "Plan",   "pro",     NULL};
	g_autoptr(GError) error = NULL;
	g_autofree char *out = render("Hi {{ first_name }}, how is {{company|your team}}?\n"
	                              "{{Plan}} — {{sender.first_name}}{{missing|}}",
	                              pairs, 1, false, &error);
	g_assert_no_error(error);
	g_assert_cmpstr(out, ==, "Hi Jürgen, how is your team?\npro — Alice");
}

static void
test_missing_field_names_it(void)
{
	const char *pairs[] = {"first_name", "Carol", NULL};
	g_autoptr(GError) error = NULL;
	g_autofree char *out =
	        render("Hello {{first_name}},\nabout {{company}}.", pairs, 1, false, &error);
	g_assert_null(out);
	g_assert_error(error, TMPL_ERROR, TMPL_ERROR_MISSING_FIELD);
	g_assert_cmpstr(error->message, ==,
	                "step1.txt:2:7: field \"company\" has no value and no fallback");
}

static void
test_syntax_errors(void)
{
	const char *pairs[] = {NULL};
	g_autoptr(GError) unclosed = NULL;
	g_assert_null(render("Hi\n  {{first_name", pairs, 1, false, &unclosed));
	g_assert_error(unclosed, TMPL_ERROR, TMPL_ERROR_SYNTAX);
	g_assert_cmpstr(unclosed->message, ==, "step1.txt:2:3: \"{{\" is not closed by \"}}\"");
	g_autoptr(GError) bad_name = NULL;
	g_assert_null(render("{{first name}}", pairs, 1, false, &bad_name));
	g_assert_error(bad_name, TMPL_ERROR, TMPL_ERROR_SYNTAX);
	g_autoptr(GError) nested = NULL;
	g_assert_null(render("{{a {{b}}", pairs, 1, false, &nested));
	g_assert_error(nested, TMPL_ERROR, TMPL_ERROR_SYNTAX);
}

static void
test_spin_is_deterministic(void)
{
	const char *pairs[] = {NULL};
	g_autoptr(GError) error = NULL;
	uint64_t seed = tmpl_template_seed("carol@prospect.test", 2);
	g_autofree char *a = render("{{spin: Hi|Hello|Hey}} there", pairs, seed, false, &error);
	g_autofree char *b = render("{{spin: Hi|Hello|Hey}} there", pairs, seed, false, &error);
	g_assert_cmpstr(a, ==, b);
	/* Across prospects every alternative shows up. */
	g_autoptr(GHashTable) seen = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	for (int i = 0; i < 60; i++) {
		g_autofree char *key = g_strdup_printf("p%d@prospect.test", i);
		char *out = render("{{spin:Hi|Hello|Hey}}", pairs, tmpl_template_seed(key, 1),
		                   false, &error);
		g_hash_table_add(seen, out);
	}
	g_assert_cmpuint(g_hash_table_size(seen), ==, 3);
}

static void
test_header_safe(void)
{
	const char *pairs[] = {"company", "Acme\r\nBcc: victim@example.com", NULL};
	g_autoptr(GError) error = NULL;
	g_autofree char *out = render("Re: {{company}}", pairs, 1, true, &error);
	g_assert_no_error(error);
	g_assert_null(strchr(out, '\r'));
	g_assert_null(strchr(out, '\n'));
	g_assert_cmpstr(out, ==, "Re: Acme Bcc: victim@example.com");
}

static void
test_fields_listed(void)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(TmplTemplate) tmpl =
	        tmpl_template_parse("{{a}} {{b|x}} {{spin:c|d}}", "t", &error);
	g_autoptr(GPtrArray) fields = tmpl_template_dup_fields(tmpl);
	g_assert_cmpuint(fields->len, ==, 2);
	g_assert_cmpstr(fields->pdata[1], ==, "b");
	/* Without a fallback only "a" must have a value. */
	g_autoptr(GPtrArray) required = tmpl_template_dup_required_fields(tmpl);
	g_assert_cmpuint(required->len, ==, 1);
	g_assert_cmpstr(required->pdata[0], ==, "a");
	/* Each spin with its alternatives, in order. */
	g_autoptr(TmplTemplate) spun =
	        tmpl_template_parse("{{spin: Hi|Hello}} {{a}}, {{spin:x|y|z}}", "t", &error);
	g_autoptr(GPtrArray) spins = tmpl_template_dup_spins(spun);
	g_assert_cmpuint(spins->len, ==, 2);
	g_assert_cmpuint(g_strv_length(spins->pdata[0]), ==, 2);
	g_assert_cmpstr(((char **)spins->pdata[0])[1], ==, "Hello");
	g_assert_cmpuint(g_strv_length(spins->pdata[1]), ==, 3);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/tmpl/template/fields-and-fallbacks", test_fields_and_fallbacks);
	g_test_add_func("/tmpl/template/missing-field-names-field-line-column",
	                test_missing_field_names_it);
	g_test_add_func("/tmpl/template/syntax-errors-name-their-place", test_syntax_errors);
	g_test_add_func("/tmpl/template/spin-is-deterministic-per-prospect-and-step",
	                test_spin_is_deterministic);
	g_test_add_func("/tmpl/template/header-values-lose-crlf", test_header_safe);
	g_test_add_func("/tmpl/template/fields-listed", test_fields_listed);
	return g_test_run();
}
