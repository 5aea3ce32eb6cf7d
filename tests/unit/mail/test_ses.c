/*
 * Amazon SES notifications published to a mailbox: the JSON object read
 * whole across a relay's long-line splits and before SNS's footer; only a
 * valid address is a recipient; anything else is no notification.
 */
#include "mail/mail_ses.h"

static void
test_bounce_across_splits(void)
{
	const char *text =
	        "{\"notificationType\":\"Bounce\",\"bounce\":{\"bounceType\":\"Transient\","
	        "\"bounceSubType\":\"MailboxFull\",\"bouncedRecipients\":[{\"emailAddress\":"
	        "\"Ann <Ann@Example.org>\",\"status\":\"5.2.2 (full)\",\"diagnosticCode\":"
	        "\"smtp; 552 5.2.2\\r\\nfull\"},{\"emailAddress\":\"not an address\"}]},\"mail\":"
	        "{\"headers\":[{\"name\":\"!\n Subject\",\"value\":\"x\"}]}}\n\n--\nIf you wish "
	        "to stop receiving notifications from this topic, please click ...\n";
	g_autoptr(MailSesNotification) n = mail_ses_notification_read(text);
	g_assert_nonnull(n);
	g_assert_cmpint(n->kind, ==, MAIL_SES_BOUNCE);
	g_assert_cmpstr(n->bounce_type, ==, "Transient");
	g_assert_cmpstr(n->bounce_subtype, ==, "MailboxFull");
	g_assert_cmpuint(n->recipients->len, ==, 1);
	const MailSesRecipient *r = n->recipients->pdata[0];
	g_assert_cmpstr(r->address, ==, "ann@example.org");
	g_assert_cmpstr(r->status, ==, "5.2.2");
	/* Never a line end out of the data. */
	g_assert_cmpstr(r->diagnostic, ==, "smtp; 552 5.2.2  full");
}

static void
test_complaint_and_delivery(void)
{
	g_autoptr(MailSesNotification) complaint = mail_ses_notification_read(
	        "  {\"eventType\":\"Complaint\",\"complaint\":{\"complaintFeedbackType\":\"abuse\","
	        "\"complainedRecipients\":[{\"emailAddress\":\"bob@example.org\"}]}}");
	g_assert_nonnull(complaint);
	g_assert_cmpint(complaint->kind, ==, MAIL_SES_COMPLAINT);
	g_assert_cmpstr(complaint->feedback_type, ==, "abuse");
	g_assert_cmpuint(complaint->recipients->len, ==, 1);
	g_autoptr(MailSesNotification) delivery =
	        mail_ses_notification_read("{\"notificationType\":\"Delivery\",\"delivery\":{"
	                                   "\"recipients\":[\"c@example.org\"]}}");
	g_assert_nonnull(delivery);
	g_assert_cmpint(delivery->kind, ==, MAIL_SES_DELIVERY);
	g_assert_cmpuint(delivery->recipients->len, ==, 1);
}

static void
test_not_a_notification(void)
{
	const char *texts[] = {
	        "Hi Sam, {\"notificationType\":\"Bounce\"} is what we saw.",
	        "{\"notificationType\":\"Bounce\"",
	        "{\"notificationType\":\"Send\",\"mail\":{}}",
	        "{\"notificationType\":5}",
	        "{\"subject\":\"no type\"}",
	        "[\"notificationType\"]",
	        "",
	};
	for (gsize i = 0; i < G_N_ELEMENTS(texts); i++)
		g_assert_null(mail_ses_notification_read(texts[i]));
	g_assert_null(mail_ses_notification_read(NULL));
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/mail/ses/a-bounce-across-line-splits", test_bounce_across_splits);
	g_test_add_func("/mail/ses/a-complaint-and-a-delivery", test_complaint_and_delivery);
	g_test_add_func("/mail/ses/anything-else-is-none", test_not_a_notification);
	return g_test_run();
}
