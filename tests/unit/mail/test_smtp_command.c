/*
 * Which SMTP command a refusal answered, as each MTA's report says it:
 * named beside the answer (Postfix, Exim) or the command line before the
 * answer in a transcript (Sendmail, Courier), never the command that came
 * after it ("503 Bad sequence of commands" to DATA).
 */
#include "mail/mail_smtp_command.h"

#include <glib.h>

typedef struct {
	const char *paragraph;
	const char *report;
	const char *answer;
	MailSmtpCommand want;
} Case;

static const char sendmail_at_rcpt[] = "   ----- Transcript of session follows -----\n"
                                       "... while talking to mx.prospect.test.:\n"
                                       ">>> RCPT To:<dora@prospect.test>\n"
                                       "<<< 550 Unknown user dora@prospect.test\n"
                                       "550 5.1.1 <dora@prospect.test>... User unknown\n"
                                       ">>> DATA\n"
                                       "<<< 503 Bad sequence of commands\n";

static const char sendmail_after_data[] = "   ----- Transcript of session follows -----\n"
                                          "... while talking to mx.prospect.test.:\n"
                                          ">>> DATA\n"
                                          "<<< 550 Unknown user dora@prospect.test\n"
                                          "554 5.0.0 Service unavailable\n";

static const char sendmail_two_hosts[] = "... while talking to mx.one.test.:\n"
                                         ">>> MAIL From:<sales@piculet.test> SIZE=6917278\n"
                                         "<<< 552 Message size exceeds maximum value\n"
                                         "... while talking to mx.two.test.:\n"
                                         ">>> DATA\n"
                                         "<<< 550-5.7.1 Message refused\n"
                                         "<<< 550 5.7.1 by the receiver's rules\n";

static const Case cases[] = {
        {"<dora@prospect.test>: host mx.prospect.test[192.0.2.40] said: 550 Unknown user\n"
         "    dora@prospect.test (in reply to end of DATA command)",
         NULL, NULL, MAIL_SMTP_COMMAND_DATA},
        {"<dora@prospect.test>: host mx.prospect.test[192.0.2.40] said: 550 5.7.1 Sender\n"
         "    refused (in reply to MAIL FROM\n    command)",
         NULL, NULL, MAIL_SMTP_COMMAND_MAIL_FROM},
        {"dora@prospect.test\n    host mx.prospect.test [192.0.2.40]\n"
         "    SMTP error from remote mail server after RCPT TO:<dora@prospect.test>:\n"
         "    550 5.1.1 No such user",
         NULL, NULL, MAIL_SMTP_COMMAND_RCPT_TO},
        {"dora@prospect.test\n    SMTP error from remote mail server after pipelined MAIL "
         "FROM:<sales@piculet.test> SIZE=1200:\n    550 Sender refused",
         NULL, NULL, MAIL_SMTP_COMMAND_MAIL_FROM},
        {"dora@prospect.test\n    SMTP error from remote mailer after end of data:\n"
         "    550 Unknown user",
         NULL, NULL, MAIL_SMTP_COMMAND_DATA},
        /* a transcript: the command before the answer, not after it */
        {"<dora@prospect.test>\n    (reason: 550 Unknown user dora@prospect.test)",
         sendmail_at_rcpt, "550 Unknown user dora@prospect.test", MAIL_SMTP_COMMAND_RCPT_TO},
        {"<dora@prospect.test>\n    (reason: 550 Unknown user dora@prospect.test)",
         sendmail_after_data, "550 Unknown user dora@prospect.test", MAIL_SMTP_COMMAND_DATA},
        {NULL, sendmail_two_hosts, "552 Message size exceeds maximum value",
         MAIL_SMTP_COMMAND_MAIL_FROM},
        {NULL, sendmail_two_hosts, "550-5.7.1 Message refused", MAIL_SMTP_COMMAND_DATA},
        /* a Diagnostic-Code that joins the answer's lines */
        {NULL, sendmail_two_hosts, "550-5.7.1 Message refused 550 5.7.1 by the receiver's rules",
         MAIL_SMTP_COMMAND_DATA},
        /* Courier's: the end of the data as its dot */
        {NULL, ">>> .\n<<< 554 Message refused\n", "554 Message refused", MAIL_SMTP_COMMAND_DATA},
        /* an answer the transcript does not give, or no transcript */
        {NULL, sendmail_after_data, "550 5.1.1 No such user", MAIL_SMTP_COMMAND_UNKNOWN},
        {"<dora@prospect.test>: 550 Unknown user", "No transcript here.", "550 Unknown user",
         MAIL_SMTP_COMMAND_UNKNOWN},
        {NULL, NULL, NULL, MAIL_SMTP_COMMAND_UNKNOWN},
        /* a quoted transcript, forwarded by a person, is not one */
        {NULL, "> >>> DATA\n> <<< 550 Unknown user\n", "550 Unknown user",
         MAIL_SMTP_COMMAND_UNKNOWN},
};

static void
test_command(void)
{
	for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
		MailSmtpCommand got = mail_smtp_command_answered(cases[i].paragraph,
		                                                 cases[i].report, cases[i].answer);
		if (got != cases[i].want)
			g_test_message("case %" G_GSIZE_FORMAT ": got %d, want %d", i, got,
			               cases[i].want);
		g_assert_cmpint(got, ==, cases[i].want);
	}
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/mail/smtp_command/answered", test_command);
	return g_test_run();
}
