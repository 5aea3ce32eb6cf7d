#include "imap/imap_command.h"
#include "imap/imap_error.h"

static char *
encode(const char *value, bool literal_plus, ImapArgForm *form)
{
	GString *command = g_string_new(NULL);
	g_autoptr(GError) error = NULL;
	g_assert_true(imap_command_append_astring(command, value, literal_plus, form, &error));
	return g_string_free(command, FALSE);
}

static void
test_forms(void)
{
	ImapArgForm form;
	g_autofree char *atom = encode("INBOX", false, &form);
	g_assert_cmpstr(atom, ==, "INBOX");
	g_assert_cmpint(form, ==, IMAP_ARG_INLINE);
	g_autofree char *quoted = encode("pa ss\"w\\d", false, &form);
	g_assert_cmpstr(quoted, ==, "\"pa ss\\\"w\\\\d\"");
	g_autofree char *empty = encode("", false, &form);
	g_assert_cmpstr(empty, ==, "\"\"");
	g_autofree char *nil = encode("NIL", false, &form);
	g_assert_cmpstr(nil, ==, "\"NIL\"");
	g_autofree char *utf8 = encode("pässword", true, &form);
	g_assert_cmpstr(utf8, ==, "{9+}");
	g_assert_cmpint(form, ==, IMAP_ARG_LITERAL_PLUS);
	g_autofree char *sync = encode("pässword", false, &form);
	g_assert_cmpstr(sync, ==, "{9}");
	g_assert_cmpint(form, ==, IMAP_ARG_LITERAL_SYNC);
}

static void
test_crlf_refused(void)
{
	GString *command = g_string_new("A1 LOGIN ");
	g_autoptr(GError) error = NULL;
	ImapArgForm form;
	g_assert_false(
	        imap_command_append_astring(command, "x\r\nA2 DELETE INBOX", false, &form, &error));
	g_assert_error(error, IMAP_ERROR, IMAP_ERROR_INPUT);
	g_assert_cmpstr(command->str, ==, "A1 LOGIN ");
	g_string_free(command, TRUE);
}

static void
test_mutf7(void)
{
	const struct {
		const char *utf8;
		const char *mutf7;
	} cases[] = {
	        {"INBOX", "INBOX"},
	        {"Entwürfe", "Entw&APw-rfe"},
	        {"Gesendete Objekte", "Gesendete Objekte"},
	        {"A&B", "A&-B"},
	        {"日本語", "&ZeVnLIqe-"},
	        {"Émojis 😀", "&AMk-mojis &2D3eAA-"},
	};
	for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autofree char *encoded = imap_command_encode_mailbox(cases[i].utf8);
		g_assert_cmpstr(encoded, ==, cases[i].mutf7);
		g_autofree char *decoded = imap_command_decode_mailbox(cases[i].mutf7);
		g_assert_cmpstr(decoded, ==, cases[i].utf8);
	}
	g_autofree char *bad = imap_command_decode_mailbox("broken&AP");
	g_assert_cmpstr(bad, ==, "broken&AP");
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/imap/command/atom-quoted-literal", test_forms);
	g_test_add_func("/imap/command/crlf-refused", test_crlf_refused);
	g_test_add_func("/imap/command/modified-utf7-both-ways", test_mutf7);
	return g_test_run();
}
