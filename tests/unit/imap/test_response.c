#include "imap/imap_error.h"
#include "imap/imap_response.h"

#include <string.h>

static ImapResponse *
parse(const char *text, GError **error)
{
	ImapLimits limits;
	imap_response_limits_init(&limits);
	return imap_response_parse(text, strlen(text), &limits, error);
}

static void
test_greeting_with_capability_code(void)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(ImapResponse) r =
	        parse("* OK [CAPABILITY IMAP4rev1 SASL-IR LOGIN-REFERRALS ID "
	              "ENABLE IDLE LITERAL+ STARTTLS AUTH=PLAIN] Dovecot ready.\r\n",
	              &error);
	g_assert_no_error(error);
	g_assert_cmpint(r->kind, ==, IMAP_RESPONSE_UNTAGGED);
	g_assert_cmpint(r->status, ==, IMAP_STATUS_OK);
	g_assert_cmpint(r->code, ==, IMAP_CODE_CAPABILITY);
	g_assert_true(imap_response_has_word(r, "idle"));
	g_assert_true(imap_response_has_word(r, "AUTH=PLAIN"));
	g_assert_cmpstr(r->text, ==, "Dovecot ready.");
}

static void
test_select_codes(void)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(ImapResponse) a = parse("* OK [UIDVALIDITY 1795707017] UIDs valid\r\n", &error);
	g_assert_cmpint(a->code, ==, IMAP_CODE_UIDVALIDITY);
	g_assert_cmpuint(a->code_number, ==, 1795707017u);
	g_autoptr(ImapResponse) b =
	        parse("* OK [HIGHESTMODSEQ 18446744073709551615] Highest\r\n", &error);
	g_assert_cmpuint(b->code_number, ==, G_MAXUINT64);
	g_autoptr(ImapResponse) c =
	        parse("A3 OK [READ-WRITE] Select completed (0.001 + 0.000 secs).\r\n", &error);
	g_assert_no_error(error);
	g_assert_cmpint(c->kind, ==, IMAP_RESPONSE_TAGGED);
	g_assert_cmpstr(c->tag, ==, "A3");
	g_assert_cmpint(c->code, ==, IMAP_CODE_READ_WRITE);
	g_autoptr(ImapResponse) d = parse("* 172 EXISTS\r\n", &error);
	g_assert_cmpint(d->data, ==, IMAP_DATA_EXISTS);
	g_assert_cmpuint(d->number, ==, 172);
	g_autoptr(ImapResponse) e =
	        parse("* FLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft)\r\n", &error);
	g_assert_cmpint(e->data, ==, IMAP_DATA_FLAGS);
	g_assert_cmpuint(e->words->len, ==, 5);
	g_assert_cmpstr(e->words->pdata[0], ==, "\\Answered");
}

static void
test_fetch_with_literals(void)
{
	const char *text = "* 12 FETCH (UID 4827 MODSEQ (12121) FLAGS (\\Seen) RFC822.SIZE 4412 "
	                   "BODY[HEADER.FIELDS (FROM SUBJECT MESSAGE-ID)] {54}\r\n"
	                   "From: Carol <carol@prospect.test>\r\nSubject: Re: hi\r\n\r\n"
	                   " BODY[TEXT]<0> {5}\r\nHello X-UNKNOWN (a (b {3}\r\nc)d) \"e\")"
	                   " INTERNALDATE \"26-Nov-2026 15:30:17 +0000\")\r\n";
	g_autoptr(GError) error = NULL;
	g_autoptr(ImapResponse) r = parse(text, &error);
	g_assert_no_error(error);
	g_assert_cmpint(r->data, ==, IMAP_DATA_FETCH);
	g_assert_cmpuint(r->number, ==, 12);
	g_assert_cmpuint(r->fetch->uid, ==, 4827);
	g_assert_cmpuint(r->fetch->modseq, ==, 12121);
	g_assert_cmpuint(r->fetch->size, ==, 4412);
	g_assert_cmpstr(r->fetch->flags->pdata[0], ==, "\\Seen");
	g_assert_cmpmem(g_bytes_get_data(r->fetch->header, NULL),
	                g_bytes_get_size(r->fetch->header),
	                "From: Carol <carol@prospect.test>\r\nSubject: Re: hi\r\n\r\n", 54);
	g_assert_cmpmem(g_bytes_get_data(r->fetch->text, NULL), g_bytes_get_size(r->fetch->text),
	                "Hello", 5);
	g_assert_cmpstr(r->fetch->internal_date, ==, "26-Nov-2026 15:30:17 +0000");
}

static void
test_fetch_bodystructure_and_nil(void)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(ImapResponse) r = parse("* 1 FETCH (UID 7 BODYSTRUCTURE (\"text\" \"plain\" "
	                                  "(\"charset\" \"utf-8\") NIL NIL "
	                                  "\"7bit\" 12 1 NIL NIL NIL NIL) BODY[TEXT]<0> NIL)\r\n",
	                                  &error);
	g_assert_no_error(error);
	g_assert_cmpuint(r->fetch->uid, ==, 7);
	g_assert_true(g_str_has_prefix(r->fetch->body_structure, "(\"text\" \"plain\""));
	g_assert_null(r->fetch->text);
}

static void
test_list_special_use(void)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(ImapResponse) r = parse("* LIST (\\HasNoChildren \\Sent) \"/\" Sent\r\n", &error);
	g_assert_no_error(error);
	g_assert_cmpint(r->data, ==, IMAP_DATA_LIST);
	g_assert_cmpstr(r->list->attributes->pdata[1], ==, "\\Sent");
	g_assert_cmpint(r->list->separator, ==, '/');
	g_assert_cmpstr(r->list->name, ==, "Sent");
	g_autoptr(ImapResponse) q = parse("* LIST () \".\" \"Entw&APw-rfe\"\r\n", &error);
	g_assert_cmpstr(q->list->name, ==, "Entw&APw-rfe");
	g_autoptr(ImapResponse) n = parse("* LIST (\\Noselect) NIL \"\"\r\n", &error);
	g_assert_no_error(error);
	g_assert_cmpint(n->list->separator, ==, '\0');
}

static void
test_status_search_esearch_vanished(void)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(ImapResponse) s = parse(
	        "* STATUS INBOX (MESSAGES 3 UIDNEXT 4 UIDVALIDITY 99 HIGHESTMODSEQ 7)\r\n", &error);
	g_assert_no_error(error);
	g_assert_cmpuint(s->status_data->uid_next, ==, 4);
	g_assert_cmpuint(s->status_data->highest_modseq, ==, 7);
	g_autoptr(ImapResponse) search = parse("* SEARCH 2 5 9 (MODSEQ 917162500)\r\n", &error);
	g_assert_no_error(error);
	g_assert_cmpuint(search->numbers->len, ==, 3);
	g_assert_cmpuint(g_array_index(search->numbers, uint32_t, 2), ==, 9);
	g_assert_cmpuint(search->search_modseq, ==, 917162500);
	g_autoptr(ImapResponse) es = parse("* ESEARCH (TAG \"A5\") UID ALL 4:6,9\r\n", &error);
	g_assert_no_error(error);
	g_assert_cmpuint(es->numbers->len, ==, 4);
	g_autoptr(ImapResponse) v = parse("* VANISHED (EARLIER) 300:302,405\r\n", &error);
	g_assert_no_error(error);
	g_assert_cmpuint(v->numbers->len, ==, 4);
}

static void
test_unknown_untagged_skipped(void)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(ImapResponse) r = parse("* ID (\"name\" \"Dovecot\")\r\n", &error);
	g_assert_no_error(error);
	g_assert_cmpint(r->data, ==, IMAP_DATA_OTHER);
	g_autoptr(ImapResponse) c = parse("+ idling\r\n", &error);
	g_assert_cmpint(c->kind, ==, IMAP_RESPONSE_CONTINUATION);
	g_assert_cmpstr(c->text, ==, "idling");
	g_autoptr(ImapResponse) bye = parse("* BYE Server shutting down.\r\n", &error);
	g_assert_cmpint(bye->status, ==, IMAP_STATUS_BYE);
}

static void
test_malformed(gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(ImapResponse) r = parse(data, &error);
	g_assert_null(r);
	g_assert_error(error, IMAP_ERROR, IMAP_ERROR_PROTOCOL);
}

static void
test_depth_limit(void)
{
	GString *deep = g_string_new("* 1 FETCH (X-DEEP ");
	for (int i = 0; i < 100; i++)
		g_string_append_c(deep, '(');
	for (int i = 0; i < 100; i++)
		g_string_append_c(deep, ')');
	g_string_append(deep, ")\r\n");
	g_autoptr(GError) error = NULL;
	g_autoptr(ImapResponse) r = parse(deep->str, &error);
	g_string_free(deep, TRUE);
	g_assert_null(r);
	g_assert_error(error, IMAP_ERROR, IMAP_ERROR_PROTOCOL);
	g_assert_nonnull(strstr(error->message, "deep"));
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/imap/response/greeting-with-capability-code",
	                test_greeting_with_capability_code);
	g_test_add_func("/imap/response/select-codes-and-data", test_select_codes);
	g_test_add_func("/imap/response/fetch-with-literals-and-unknown-items",
	                test_fetch_with_literals);
	g_test_add_func("/imap/response/fetch-bodystructure-and-nil",
	                test_fetch_bodystructure_and_nil);
	g_test_add_func("/imap/response/list-special-use", test_list_special_use);
	g_test_add_func("/imap/response/status-search-esearch-vanished",
	                test_status_search_esearch_vanished);
	g_test_add_func("/imap/response/unknown-untagged-skipped", test_unknown_untagged_skipped);
	g_test_add_data_func("/imap/response/unclosed-list", "* 1 FETCH (UID 3\r\n",
	                     test_malformed);
	g_test_add_data_func("/imap/response/literal-longer-than-data",
	                     "* 1 FETCH (BODY[] {99}\r\nabc)\r\n", test_malformed);
	g_test_add_data_func("/imap/response/tagged-without-status", "A1 FETCH\r\n",
	                     test_malformed);
	g_test_add_data_func("/imap/response/uid-overflow", "* 1 FETCH (UID 4294967296)\r\n",
	                     test_malformed);
	g_test_add_data_func("/imap/response/unclosed-quote", "* LIST () \"/ INBOX\r\n",
	                     test_malformed);
	g_test_add_data_func("/imap/response/trailing-garbage", "* 3 EXISTS )\r\n", test_malformed);
	g_test_add_data_func("/imap/response/control-byte", "* OK \001\r\n", test_malformed);
	g_test_add_func("/imap/response/nesting-depth-is-bounded", test_depth_limit);
	return g_test_run();
}
