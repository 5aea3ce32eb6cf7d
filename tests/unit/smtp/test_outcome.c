#include "smtp/smtp_outcome.h"

#include <stdlib.h>
#include <string.h>

static SmtpReply *
reply_of(const char *line)
{
	SmtpReply *reply = smtp_reply_new();
	reply->code = (int)g_ascii_strtoll(line, NULL, 10);
	const char *text = strlen(line) > 4 ? line + 4 : "";
	g_ptr_array_add(reply->lines, g_strdup(text));
	smtp_reply_parse_enhanced(text, &reply->enhanced);
	return reply;
}

typedef struct {
	const char *reply;
	SmtpStage stage;
	SmtpOutcome expected;
} Case;

static const Case cases[] = {
        {"250 2.0.0 Ok: queued", SMTP_STAGE_DATA_END, SMTP_OUTCOME_ACCEPTED},
        {"354 go ahead", SMTP_STAGE_DATA, SMTP_OUTCOME_ACCEPTED},
        {"451 4.3.0 Temporary lookup failure", SMTP_STAGE_RCPT, SMTP_OUTCOME_TEMPORARY},
        {"450 4.2.0 Greylisted, see http://postgrey", SMTP_STAGE_RCPT, SMTP_OUTCOME_TEMPORARY},
        {"550 5.1.1 <x@y>: Recipient address rejected: User unknown", SMTP_STAGE_RCPT,
         SMTP_OUTCOME_PERMANENT},
        {"554 5.7.1 Message rejected as spam", SMTP_STAGE_DATA_END, SMTP_OUTCOME_PERMANENT},
        {"421 4.7.0 mx.example.com try again later", SMTP_STAGE_GREETING, SMTP_OUTCOME_THROTTLED},
        {"421 4.7.0 Too many connections", SMTP_STAGE_MAIL, SMTP_OUTCOME_THROTTLED},
        {"451 4.7.1 Please try again later", SMTP_STAGE_DATA_END, SMTP_OUTCOME_THROTTLED},
        {"452 4.5.3 Too many recipients", SMTP_STAGE_RCPT, SMTP_OUTCOME_THROTTLED},
        {"550 5.4.5 Daily user sending quota exceeded.", SMTP_STAGE_DATA_END,
         SMTP_OUTCOME_THROTTLED},
        {"554 5.7.1 Rate limit exceeded for account", SMTP_STAGE_MAIL, SMTP_OUTCOME_THROTTLED},
        {"554 5.2.0 STOREDRV.Submission.Exception:SubmissionQuotaExceededException",
         SMTP_STAGE_DATA_END, SMTP_OUTCOME_THROTTLED},
        {"454 4.7.0 Throttling failure: Maximum sending rate exceeded.", SMTP_STAGE_MAIL,
         SMTP_OUTCOME_THROTTLED},
        {"552 5.2.2 The email account that you tried to reach is over quota", SMTP_STAGE_RCPT,
         SMTP_OUTCOME_PERMANENT},
        {"452 4.2.2 Mailbox full", SMTP_STAGE_RCPT, SMTP_OUTCOME_TEMPORARY},
        {"535 5.7.8 Error: authentication failed", SMTP_STAGE_AUTH, SMTP_OUTCOME_AUTH_REJECTED},
        {"454 4.7.0 Temporary authentication failure", SMTP_STAGE_AUTH, SMTP_OUTCOME_TEMPORARY},
        {"530 5.7.0 Authentication required", SMTP_STAGE_MAIL, SMTP_OUTCOME_AUTH_REJECTED},
        {"553 5.7.1 <x@y>: Sender address rejected: not owned by user", SMTP_STAGE_MAIL,
         SMTP_OUTCOME_SENDER_REJECTED},
        {"550 Requested action not taken: mailbox unavailable", SMTP_STAGE_RCPT,
         SMTP_OUTCOME_PERMANENT},
};

static void
test_classify(void)
{
	for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autoptr(SmtpReply) reply = reply_of(cases[i].reply);
		SmtpOutcome got = smtp_outcome_classify(reply, cases[i].stage);
		if (got != cases[i].expected)
			g_error("\"%s\" at %s: got %s, expected %s", cases[i].reply,
			        smtp_outcome_stage_to_string(cases[i].stage),
			        smtp_outcome_to_string(got),
			        smtp_outcome_to_string(cases[i].expected));
	}
}

static void
test_of_error(void)
{
	g_autoptr(GError) unknown =
	        g_error_new_literal(SMTP_ERROR, SMTP_ERROR_OUTCOME_UNKNOWN, "lost after dot");
	g_assert_cmpint(smtp_outcome_of_error(unknown), ==, SMTP_OUTCOME_UNKNOWN);
	g_autoptr(GError) closed = g_error_new_literal(SMTP_ERROR, SMTP_ERROR_CLOSED, "closed");
	g_assert_cmpint(smtp_outcome_of_error(closed), ==, SMTP_OUTCOME_CONNECTION_FAILED);
	g_autoptr(GError) policy = g_error_new_literal(SMTP_ERROR, SMTP_ERROR_POLICY, "no tls");
	g_assert_cmpint(smtp_outcome_of_error(policy), ==, SMTP_OUTCOME_CONFIGURATION);
	g_autoptr(GError) big = g_error_new_literal(SMTP_ERROR, SMTP_ERROR_TOO_BIG, "big");
	g_assert_cmpint(smtp_outcome_of_error(big), ==, SMTP_OUTCOME_MESSAGE_INVALID);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/smtp/outcome/real-server-replies", test_classify);
	g_test_add_func("/smtp/outcome/errors-without-verdict", test_of_error);
	return g_test_run();
}
