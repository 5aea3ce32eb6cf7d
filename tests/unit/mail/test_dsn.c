/*
 * The per-recipient blocks of a delivery-status part (RFC 3464): which
 * address each names. The address we wrote to (Original-Recipient, when
 * it is an Internet address, its xtext decoded) over the one an alias or
 * a forward made of it (Final-Recipient); the Final-Recipient when the
 * original is missing or of another type.
 */
#include "mail/mail_dsn.h"

typedef struct {
	const char *block;
	const char *want;
} Case;

static const Case cases[] = {
        {"Final-Recipient: rfc822; box-5521@store.example\n"
         "Original-Recipient: rfc822;anna.berg@provider.example\n"
         "Action: failed\nStatus: 5.1.1\n",
         "anna.berg@provider.example"},
        /* an ORCPT as the sender gave it (RFC 3461 xtext) */
        {"Final-Recipient: rfc822; tom@example.org\n"
         "Original-Recipient: rfc822;tom+2Bsales@example.org\n"
         "Action: failed\nStatus: 5.1.1\n",
         "tom+sales@example.org"},
        /* an xtext that would make a line end stays as written */
        {"Final-Recipient: rfc822; tom@example.org\n"
         "Original-Recipient: rfc822;tom+0A@example.org\n"
         "Action: failed\nStatus: 5.1.1\n",
         "tom+0A@example.org"},
        /* an original of another type: the final one */
        {"Final-Recipient: rfc822; tom@example.org\n"
         "Original-Recipient: x400; c=US;a= ;p=Corp;s=Tom\n"
         "Action: failed\nStatus: 5.1.1\n",
         "tom@example.org"},
        {"Final-Recipient: rfc822; <tom@example.org>\nAction: failed\nStatus: 5.1.1\n",
         "tom@example.org"},
        /* a bracket on one side only (NTT docomo's) */
        {"Final-Recipient: RFC822; tom@example.org>\nAction: failed\nStatus: 5.1.1\n",
         "tom@example.org"},
        {"Final-Recipient: RFC822; <tom@example.org\nAction: failed\nStatus: 5.1.1\n",
         "tom@example.org"},
        /* CommuniGate Pro's final recipient without an address */
        {"Final-Recipient: system;<>\nOriginal-Recipient: rfc822;tom@example.org\n"
         "Action: failed\nStatus: 5.2.2\n",
         "tom@example.org"},
};

static void
test_recipient(void)
{
	for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autoptr(GPtrArray) entries = mail_dsn_parse(cases[i].block);
		g_assert_cmpuint(entries->len, ==, 1);
		const MailDsnRecipient *entry = entries->pdata[0];
		g_assert_cmpstr(entry->recipient, ==, cases[i].want);
		g_assert_cmpstr(entry->action, ==, "failed");
	}
}

/* Recipients one after another without an empty line between them (AOL's
 * relay): each its own, whichever of Final- and Original-Recipient comes
 * first. */
static const char *const run_together[] = {
        "Reporting-MTA: dns; relay.example\n"
        "Final-Recipient: rfc822; ann@example.org\n"
        "Original-Recipient: rfc822;ann@example.org\n"
        "Action: failed\nStatus: 5.2.2\n"
        "Diagnostic-Code: smtp; 550 5.2.2 <ann@example.org>... Mailbox Full\n"
        "Final-Recipient: rfc822; bob@example.org\n"
        "Original-Recipient: rfc822;bob@example.org\n"
        "Action: failed\nStatus: 5.1.1\n"
        "Diagnostic-Code: smtp; 550 5.1.1 <bob@example.org>... User Unknown\n",
        "Original-Recipient: rfc822;ann@example.org\n"
        "Final-Recipient: rfc822; ann@example.org\n"
        "Action: failed\nStatus: 5.2.2\n"
        "Original-Recipient: rfc822;bob@example.org\n"
        "Final-Recipient: rfc822; bob@example.org\n"
        "Action: failed\nStatus: 5.1.1\n",
};

static void
test_run_together(void)
{
	for (gsize i = 0; i < G_N_ELEMENTS(run_together); i++) {
		g_autoptr(GPtrArray) entries = mail_dsn_parse(run_together[i]);
		g_assert_cmpuint(entries->len, ==, 2);
		const MailDsnRecipient *first = entries->pdata[0];
		const MailDsnRecipient *second = entries->pdata[1];
		g_assert_cmpstr(first->recipient, ==, "ann@example.org");
		g_assert_cmpstr(first->status, ==, "5.2.2");
		g_assert_cmpstr(second->recipient, ==, "bob@example.org");
		g_assert_cmpstr(second->status, ==, "5.1.1");
		g_assert_cmpstr(second->action, ==, "failed");
	}
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/mail/dsn/the-address-we-wrote-to", test_recipient);
	g_test_add_func("/mail/dsn/recipients-without-an-empty-line", test_run_together);
	return g_test_run();
}
