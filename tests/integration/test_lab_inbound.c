/*
 * Reports and auto-replies that real software writes, read as the engine
 * reads them: the lab's Postfix refuses and bounces (user unknown, a full
 * mailbox, a message too big, relay denied, a block list, a disabled
 * mailbox: each a real RFC 3464 report from Postfix's bounce daemon); the
 * lab's Exim, exim.test's MX, fails the same kinds with its own reports
 * (a "5.0.0" Status, the inner server's code only in the Diagnostic-Code),
 * and warns of a delay, then gives up ("retry timeout exceeded"), as a
 * second Postfix, gateway.test's MX, does with its own reports; the
 * lab's OpenSMTPD, opensmtpd.test's MX, fails them too (its DSN has a
 * "5.0.0" Status and no Diagnostic-Code: the code is in its text); the
 * lab's Sendmail, sendmail.test's MX, fails them with its "Returned mail"
 * reports (and its "550 Host unknown" for a domain the lab's DNS does not
 * know), and warns of a delay, then gives up ("Cannot send message",
 * 4.4.7); Dovecot's Sieve vacation (Pigeonhole) answers for
 * walter@prospect.test, and its Sieve reject refuses every message for
 * xavier@prospect.test (an RFC 5429 disposition notification, "deleted",
 * that also says "Auto-Submitted: auto-replied": a refusal all the same).
 * Each is classified and every field that matters checked.
 *
 * With PICULET_SAVE_SAMPLES=DIR, each message is also written there as
 * lab-<kind>.eml: how the regression samples in tests/data/mail came about.
 */
#include "helpers/test_lab.h"
#include "mail/mail_classify.h"
#include "mail/mail_message.h"

#include <gmime/gmime.h>
#include <string.h>

typedef struct {
	const char *kind;
	const char *to;
	MailClass klass;
	const char *status;
	MailReason reason;
	bool hard;
} Expected;

static const Expected expected[] = {
        {"postfix-user-unknown", "gone@bounce.test", MAIL_CLASS_BOUNCE, "5.1.1",
         MAIL_REASON_USER_UNKNOWN, true},
        {"postfix-mailbox-full", "full@bounce.test", MAIL_CLASS_BOUNCE, "5.2.2",
         MAIL_REASON_MAILBOX_FULL, false},
        {"postfix-too-big", "big@bounce.test", MAIL_CLASS_BOUNCE, "5.3.4",
         MAIL_REASON_MESSAGE_TOO_BIG, false},
        {"postfix-relay-denied", "denied@bounce.test", MAIL_CLASS_BOUNCE, "5.7.1",
         MAIL_REASON_POLICY_BLOCKED, false},
        {"postfix-blocklisted", "blocked@bounce.test", MAIL_CLASS_BOUNCE, "5.7.1",
         MAIL_REASON_SPAM_BLOCKED, false},
        {"postfix-disabled", "disabled@bounce.test", MAIL_CLASS_BOUNCE, "5.2.1",
         MAIL_REASON_SUSPENDED, false},
        {"exim-user-unknown", "gone@exim.test", MAIL_CLASS_BOUNCE, "5.0.0",
         MAIL_REASON_USER_UNKNOWN, true},
        {"exim-mailbox-full", "full@exim.test", MAIL_CLASS_BOUNCE, "5.2.2",
         MAIL_REASON_MAILBOX_FULL, false},
        {"exim-too-big", "big@exim.test", MAIL_CLASS_BOUNCE, "5.3.4", MAIL_REASON_MESSAGE_TOO_BIG,
         false},
        {"exim-relay-denied", "denied@exim.test", MAIL_CLASS_BOUNCE, "5.7.1",
         MAIL_REASON_POLICY_BLOCKED, false},
        {"exim-blocklisted", "blocked@exim.test", MAIL_CLASS_BOUNCE, "5.7.1",
         MAIL_REASON_SPAM_BLOCKED, false},
        {"exim-disabled", "disabled@exim.test", MAIL_CLASS_BOUNCE, "5.2.1", MAIL_REASON_SUSPENDED,
         false},
        {"opensmtpd-user-unknown", "gone@opensmtpd.test", MAIL_CLASS_BOUNCE, "5.1.1",
         MAIL_REASON_USER_UNKNOWN, true},
        {"opensmtpd-mailbox-full", "full@opensmtpd.test", MAIL_CLASS_BOUNCE, "5.2.2",
         MAIL_REASON_MAILBOX_FULL, false},
        {"opensmtpd-too-big", "big@opensmtpd.test", MAIL_CLASS_BOUNCE, "5.3.4",
         MAIL_REASON_MESSAGE_TOO_BIG, false},
        {"opensmtpd-relay-denied", "denied@opensmtpd.test", MAIL_CLASS_BOUNCE, "5.7.1",
         MAIL_REASON_POLICY_BLOCKED, false},
        {"opensmtpd-blocklisted", "blocked@opensmtpd.test", MAIL_CLASS_BOUNCE, "5.7.1",
         MAIL_REASON_SPAM_BLOCKED, false},
        {"opensmtpd-disabled", "disabled@opensmtpd.test", MAIL_CLASS_BOUNCE, "5.2.1",
         MAIL_REASON_SUSPENDED, false},
        /* Domains the lab's DNS does not know: the gateway Postfix and
         * OpenSMTPD ask it (and only it) for their MX. */
        {"postfix-host-unknown", "gone@nohost.gateway.test", MAIL_CLASS_BOUNCE, "5.4.4",
         MAIL_REASON_HOST_UNKNOWN, true},
        {"opensmtpd-host-unknown", "gone@nohost.opensmtpd.test", MAIL_CLASS_BOUNCE, "5.0.0",
         MAIL_REASON_HOST_UNKNOWN, true},
        {"sendmail-user-unknown", "gone@sendmail.test", MAIL_CLASS_BOUNCE, "5.1.1",
         MAIL_REASON_USER_UNKNOWN, true},
        {"sendmail-mailbox-full", "full@sendmail.test", MAIL_CLASS_BOUNCE, "5.2.2",
         MAIL_REASON_MAILBOX_FULL, false},
        {"sendmail-too-big", "big@sendmail.test", MAIL_CLASS_BOUNCE, "5.3.4",
         MAIL_REASON_MESSAGE_TOO_BIG, false},
        {"sendmail-relay-denied", "denied@sendmail.test", MAIL_CLASS_BOUNCE, "5.7.1",
         MAIL_REASON_POLICY_BLOCKED, false},
        {"sendmail-blocklisted", "blocked@sendmail.test", MAIL_CLASS_BOUNCE, "5.7.1",
         MAIL_REASON_SPAM_BLOCKED, false},
        {"sendmail-disabled", "disabled@sendmail.test", MAIL_CLASS_BOUNCE, "5.2.1",
         MAIL_REASON_SUSPENDED, false},
        {"sendmail-host-unknown", "gone@nohost.sendmail.test", MAIL_CLASS_BOUNCE, "5.1.2",
         MAIL_REASON_HOST_UNKNOWN, true},
        {"sieve-vacation", "walter@prospect.test", MAIL_CLASS_AUTO_REPLY, NULL, MAIL_REASON_NONE,
         false},
        /* The recipient's own rule refused us, in words of its own. */
        {"sieve-reject", "xavier@prospect.test", MAIL_CLASS_BOUNCE, NULL,
         MAIL_REASON_POLICY_BLOCKED, false},
};

static char *
send_quick_question(const TestLab *lab, const char *kind, const char *to)
{
	g_autofree char *token = g_uuid_string_random();
	char *marker = g_strdup_printf("inbound-%s-%s", kind, token);
	g_autofree char *raw = g_strdup_printf(
	        "From: Alice <alice@sender.test>\r\nTo: <%s>\r\nSubject: Quick question\r\n"
	        "Message-ID: <%s@sender.test>\r\nDate: Tue, 01 Dec 2026 09:00:00 +0000\r\n"
	        "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"
	        "Hi, a quick question.\r\n",
	        to, marker);
	const char *recipients[] = {to, NULL};
	g_autoptr(GError) error = NULL;
	g_assert_true(test_lab_send(lab, "alice@sender.test", recipients, raw, &error));
	g_assert_no_error(error);
	return marker;
}

static void
save_sample(GBytes *message, const char *kind)
{
	const char *save = g_getenv("PICULET_SAVE_SAMPLES");
	if (save == NULL)
		return;
	gsize n = 0;
	const char *data = g_bytes_get_data(message, &n);
	g_autofree char *name = g_strdup_printf("lab-%s.eml", kind);
	g_autofree char *path = g_build_filename(save, name, NULL);
	g_assert_true(g_file_set_contents(path, data, (gssize)n, NULL));
}

/* The report quotes the message it reports on: ours, by Message-ID. */
static void
assert_quotes(const MailMessage *message, const char *marker)
{
	const MailHeaders *returned = mail_message_get_returned_headers(message);
	g_assert_nonnull(returned);
	g_autoptr(GPtrArray) ids = mail_headers_dup_message_ids(returned, "Message-ID");
	g_assert_cmpuint(ids->len, ==, 1);
	g_autofree char *ours = g_strdup_printf("%s@sender.test", marker);
	g_assert_cmpstr(ids->pdata[0], ==, ours);
}

static void
test_real_reports(void)
{
	const TestLab *lab = test_lab_get();
	/* All sent first: the servers work on them side by side. */
	char *markers[G_N_ELEMENTS(expected)];
	for (gsize i = 0; i < G_N_ELEMENTS(expected); i++)
		markers[i] = send_quick_question(lab, expected[i].kind, expected[i].to);
	for (gsize i = 0; i < G_N_ELEMENTS(expected); i++) {
		const Expected *e = &expected[i];
		g_autofree char *marker = markers[i];
		/* A report quotes our Message-ID; the vacation answer names it in
		 * In-Reply-To. */
		g_autoptr(GBytes) report =
		        test_lab_wait_for_text(lab, "alice@sender.test", marker, 30000);
		g_assert_nonnull(report);
		save_sample(report, e->kind);
		gsize n = 0;
		const char *data = g_bytes_get_data(report, &n);
		g_autoptr(MailMessage) message = mail_message_parse(data, n);
		g_autoptr(MailClassification) got = mail_classify_message(message);
		g_test_message("%s: %s %s %s (%s)", e->kind,
		               mail_classify_class_to_string(got->klass),
		               got->status != NULL ? got->status : "-",
		               mail_reason_to_string(got->reason), got->evidence);
		g_assert_cmpint(got->klass, ==, e->klass);
		if (e->klass == MAIL_CLASS_BOUNCE) {
			g_assert_cmpstr(got->recipient, ==, e->to);
			g_assert_cmpstr(got->status, ==, e->status);
			g_assert_cmpint(got->reason, ==, e->reason);
			g_assert_cmpint(got->hard, ==, e->hard);
			g_assert_false(got->delayed);
			g_assert_cmpuint(got->recipients->len, ==, 1);
			assert_quotes(message, marker);
		} else {
			/* "until 13 December": back the day after, whatever the year. */
			g_assert_nonnull(got->return_date);
			g_assert_true(g_str_has_suffix(got->return_date, "-12-14"));
		}
	}
}

/* A gateway MTA whose inner server greylists late-*@DOMAIN for ever. */
typedef struct {
	const char *mta;            /* the samples' name: lab-MTA-delayed.eml ... */
	const char *domain;         /* whose MX it is */
	const char *gave_up_status; /* the failure report's status */
} Gateway;

static const Gateway exim = {"exim", "exim.test", "5.0.0"};
static const Gateway postfix = {"postfix", "gateway.test", "4.2.0"};
static const Gateway sendmail = {"sendmail", "sendmail.test", "4.4.7"};

/* A delay warning (which changes nothing), then the report that the MTA
 * gave up: expired, not the address's fault, so not hard. */
static void
test_delay_then_expiry(gconstpointer data)
{
	const Gateway *gateway = data;
	const TestLab *lab = test_lab_get();
	g_autofree char *token = g_uuid_string_random();
	g_autofree char *late = g_strdup_printf("late-%.8s@%s", token, gateway->domain);
	g_autofree char *kind = g_strdup_printf("%s-late", gateway->mta);
	g_autofree char *marker = send_quick_question(lab, kind, late);
	/* A bound, not a pause: the gateway's queue runs and its two reports
	 * take seconds, more on a machine busy with the sanitizer build. */
	g_assert_true(test_lab_wait_for_count(lab, "alice@sender.test", marker, 2, 60000));
	g_autoptr(GPtrArray) reports = test_lab_dup_texts(lab, "alice@sender.test", marker);
	g_assert_cmpuint(reports->len, ==, 2);
	guint warnings = 0, failures = 0;
	for (guint i = 0; i < reports->len; i++) {
		gsize n = 0;
		const char *raw = g_bytes_get_data(reports->pdata[i], &n);
		g_autoptr(MailMessage) message = mail_message_parse(raw, n);
		g_autoptr(MailClassification) got = mail_classify_message(message);
		g_test_message("%s: %s %s %s delayed=%d (%s)", kind,
		               mail_classify_class_to_string(got->klass),
		               got->status != NULL ? got->status : "-",
		               mail_reason_to_string(got->reason), got->delayed, got->evidence);
		g_assert_cmpint(got->klass, ==, MAIL_CLASS_BOUNCE);
		g_assert_cmpstr(got->recipient, ==, late);
		g_assert_false(got->hard);
		assert_quotes(message, marker);
		g_autofree char *sample = NULL;
		if (got->delayed) {
			/* The inner server's own answer, read in the report. */
			g_assert_cmpstr(got->status, ==, "4.2.0");
			g_assert_cmpint(got->reason, ==, MAIL_REASON_RATE_LIMITED);
			sample = g_strdup_printf("%s-delayed", gateway->mta);
			warnings++;
		} else {
			g_assert_cmpstr(got->status, ==, gateway->gave_up_status);
			g_assert_cmpint(got->reason, ==, MAIL_REASON_EXPIRED);
			sample = g_strdup_printf("%s-expired", gateway->mta);
			failures++;
		}
		save_sample(reports->pdata[i], sample);
	}
	g_assert_cmpuint(warnings, ==, 1);
	g_assert_cmpuint(failures, ==, 1);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_mime_init();
	g_test_add_func("/lab/inbound/real-reports-vacation-and-reject", test_real_reports);
	g_test_add_data_func("/lab/inbound/exim-delay-then-expiry", &exim, test_delay_then_expiry);
	g_test_add_data_func("/lab/inbound/postfix-delay-then-expiry", &postfix,
	                     test_delay_then_expiry);
	g_test_add_data_func("/lab/inbound/sendmail-delay-then-expiry", &sendmail,
	                     test_delay_then_expiry);
	return g_test_run();
}
