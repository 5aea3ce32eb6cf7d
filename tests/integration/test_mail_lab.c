/*
 * The mail lab itself, end to end, with standard tools only (curl): what
 * every later integration test relies on.
 */
#include "helpers/test_lab.h"

#include <gio/gio.h>
#include <string.h>
#include <unistd.h>

typedef struct {
	char *message_id;
	char *raw;
} Sent;

static void
sent_clear(Sent *sent)
{
	g_free(sent->message_id);
	g_free(sent->raw);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(Sent, sent_clear)

static void
compose(Sent *sent, const char *from, const char *to, const char *subject, const char *body)
{
	g_autofree char *uuid = g_uuid_string_random();
	sent->message_id = g_strdup_printf("%s@sender.test", uuid);
	sent->raw = g_strdup_printf("From: Alice Example <%s>\r\nTo: <%s>\r\nSubject: %s\r\n"
	                            "Date: Thu, 26 Nov 2026 10:00:00 +0000\r\n"
	                            "Message-ID: <%s>\r\nMIME-Version: 1.0\r\n"
	                            "Content-Type: text/plain; charset=UTF-8\r\n\r\n%s\r\n",
	                            from, to, subject, sent->message_id, body);
}

/* Runs curl against the lab's IMAP over implicit TLS as @user; returns
 * what it printed. */
static char *
imaps_curl(const TestLab *lab, const char *user, const char *path, const char *request)
{
	g_autoptr(GError) error = NULL;
	g_autofree char *url =
	        g_strdup_printf("imaps://%s:%u/%s", lab->host, lab->imaps_port, path);
	g_autofree char *config = g_strdup_printf("user = \"%s:%s\"\n", user, lab->password);
	const char *argv_with[] = {"curl",  "--silent", "--show-error", "--cacert", lab->ca_file,
	                           "--url", url,        "--config",     "-",        "--request",
	                           request, NULL};
	if (request == NULL)
		argv_with[9] = NULL;
	g_autoptr(GSubprocess) curl =
	        g_subprocess_newv(argv_with,
	                          G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE |
	                                  G_SUBPROCESS_FLAGS_STDERR_PIPE,
	                          &error);
	g_assert_no_error(error);
	g_autofree char *out = NULL;
	g_autofree char *err = NULL;
	g_subprocess_communicate_utf8(curl, config, NULL, &out, &err, &error);
	g_assert_no_error(error);
	if (g_subprocess_get_exit_status(curl) != 0)
		g_error("curl %s failed: %s", url, err);
	return g_steal_pointer(&out);
}

static void
test_submission_then_imaps_read(void)
{
	const TestLab *lab = test_lab_get();
	g_autoptr(GError) error = NULL;
	g_auto(Sent) sent = {0};
	g_autofree char *carol = g_strdup_printf("carol@%s", lab->prospect_domain);
	g_autofree char *alice = g_strdup_printf("alice@%s", lab->sender_domain);
	compose(&sent, alice, carol, "Quick question", "Hi Carol, one line to find you.");
	const char *to[] = {carol, NULL};

	g_assert_true(test_lab_send(lab, alice, to, sent.raw, &error));
	g_assert_no_error(error);
	g_autoptr(GBytes) delivered =
	        test_lab_wait_for_message(lab, carol, "Message-ID", sent.message_id, 10000);
	g_assert_nonnull(delivered);

	/* Read it back the way a mail client would: IMAP over implicit TLS. */
	g_autofree char *search_path =
	        g_strdup_printf("INBOX?HEADER%%20Message-ID%%20%s", sent.message_id);
	g_autofree char *found = imaps_curl(lab, carol, search_path, NULL);
	g_assert_true(g_str_has_prefix(found, "* SEARCH "));
	guint64 seq = 0;
	g_assert_true(g_ascii_string_to_unsigned(g_strstrip(found + strlen("* SEARCH ")), 10, 1,
	                                         G_MAXUINT32, &seq, NULL));
	g_autofree char *fetch_path = g_strdup_printf("INBOX;MAILINDEX=%" G_GUINT64_FORMAT, seq);
	g_autofree char *fetched = imaps_curl(lab, carol, fetch_path, NULL);
	g_assert_nonnull(strstr(fetched, "Subject: Quick question"));
	g_assert_nonnull(strstr(fetched, "Hi Carol, one line to find you."));
}

static void
test_reply_threads_back_to_sender(void)
{
	const TestLab *lab = test_lab_get();
	g_autoptr(GError) error = NULL;
	g_auto(Sent) sent = {0};
	g_autofree char *carol = g_strdup_printf("carol@%s", lab->prospect_domain);
	g_autofree char *alice = g_strdup_printf("alice@%s", lab->sender_domain);
	compose(&sent, alice, carol, "Coffee next week?", "Would Tuesday suit you?");
	const char *to[] = {carol, NULL};

	g_assert_true(test_lab_send(lab, alice, to, sent.raw, &error));
	g_autoptr(GBytes) delivered =
	        test_lab_wait_for_message(lab, carol, "Message-ID", sent.message_id, 10000);
	g_assert_nonnull(delivered);

	g_autofree char *reply_id =
	        test_lab_reply(lab, carol, delivered, "Tuesday works, thanks!", false, &error);
	g_assert_no_error(error);
	g_assert_nonnull(reply_id);

	g_autoptr(GBytes) reply =
	        test_lab_wait_for_message(lab, alice, "Message-ID", reply_id, 10000);
	g_assert_nonnull(reply);
	g_autofree char *in_reply_to = test_lab_header(reply, "In-Reply-To");
	g_autofree char *expected = g_strdup_printf("<%s>", sent.message_id);
	g_assert_cmpstr(in_reply_to, ==, expected);
	g_autofree char *references = test_lab_header(reply, "References");
	g_assert_nonnull(strstr(references, expected));
	g_autofree char *subject = test_lab_header(reply, "Subject");
	g_assert_cmpstr(subject, ==, "Re: Coffee next week?");
}

static void
test_auto_reply_is_marked(void)
{
	const TestLab *lab = test_lab_get();
	g_autoptr(GError) error = NULL;
	g_auto(Sent) sent = {0};
	g_autofree char *dave = g_strdup_printf("dave@%s", lab->prospect_domain);
	g_autofree char *alice = g_strdup_printf("alice@%s", lab->sender_domain);
	compose(&sent, alice, dave, "Hello Dave", "Short note.");
	const char *to[] = {dave, NULL};

	g_assert_true(test_lab_send(lab, alice, to, sent.raw, &error));
	g_autoptr(GBytes) delivered =
	        test_lab_wait_for_message(lab, dave, "Message-ID", sent.message_id, 10000);
	g_assert_nonnull(delivered);
	g_autofree char *reply_id = test_lab_reply(
	        lab, dave, delivered, "I am out of the office until 3 March.", true, &error);
	g_assert_no_error(error);
	g_autoptr(GBytes) reply =
	        test_lab_wait_for_message(lab, alice, "Message-ID", reply_id, 10000);
	g_assert_nonnull(reply);
	g_autofree char *auto_submitted = test_lab_header(reply, "Auto-Submitted");
	g_assert_cmpstr(auto_submitted, ==, "auto-replied");
}

static void
test_bounce_domain_returns_dsn(void)
{
	const TestLab *lab = test_lab_get();
	g_autoptr(GError) error = NULL;
	g_auto(Sent) sent = {0};
	g_autofree char *alice = g_strdup_printf("alice@%s", lab->sender_domain);
	g_autofree char *gone = g_strdup_printf("gone@%s", lab->bounce_domain);
	compose(&sent, alice, gone, "Will bounce", "This address does not exist.");
	const char *to[] = {gone, NULL};

	/* Accepted at submission: the failure comes later, as a DSN. */
	g_assert_true(test_lab_send(lab, alice, to, sent.raw, &error));
	g_assert_no_error(error);

	/* Postfix's DSN quotes the original headers: find ours by its id. */
	g_autoptr(GBytes) dsn = test_lab_wait_for_text(lab, alice, sent.message_id, 10000);
	g_assert_nonnull(dsn);
	g_autofree char *content_type = test_lab_header(dsn, "Content-Type");
	g_assert_nonnull(strstr(content_type, "multipart/report"));
	g_assert_nonnull(strstr(content_type, "report-type=delivery-status"));
	gsize n = 0;
	const char *data = g_bytes_get_data(dsn, &n);
	g_autofree char *text = g_strndup(data, n);
	g_autofree char *final_recipient = g_strdup_printf("Final-Recipient: rfc822; %s", gone);
	g_assert_nonnull(strstr(text, final_recipient));
	g_assert_nonnull(strstr(text, "Status: 5.1.1"));
	g_assert_nonnull(strstr(text, "Action: failed"));
}

static void
test_unknown_user_rejected_at_rcpt(void)
{
	const TestLab *lab = test_lab_get();
	g_autoptr(GError) error = NULL;
	g_auto(Sent) sent = {0};
	g_autofree char *alice = g_strdup_printf("alice@%s", lab->sender_domain);
	g_autofree char *nobody = g_strdup_printf("nobody@%s", lab->prospect_domain);
	compose(&sent, alice, nobody, "Hello?", "Anyone there?");
	const char *to[] = {nobody, NULL};

	g_assert_false(test_lab_send(lab, alice, to, sent.raw, &error));
	g_assert_nonnull(error);
	/* curl's "RCPT failed: 550" */
	g_assert_nonnull(strstr(error->message, "RCPT failed: 550"));
}

/* The session of process @pid (field 6 of /proc/PID/stat), -1 when gone. */
static long
session_of(const char *pid)
{
	g_autofree char *path = g_build_filename("/proc", pid, "stat", NULL);
	g_autofree char *stat = NULL;
	if (!g_file_get_contents(path, &stat, NULL, NULL))
		return -1;
	const char *rest = strrchr(stat, ')');
	if (rest == NULL)
		return -1;
	g_auto(GStrv) fields = g_strsplit(rest + 2, " ", 6);
	if (g_strv_length(fields) < 5 || fields[0][0] == 'Z')
		return -1;
	return (long)g_ascii_strtoll(fields[3], NULL, 10);
}

static bool
names_dir(const char *pid, const char *dir)
{
	g_autofree char *path = g_build_filename("/proc", pid, "cmdline", NULL);
	g_autofree char *cmdline = NULL;
	gsize length = 0;
	if (!g_file_get_contents(path, &cmdline, &length, NULL))
		return false;
	for (gsize i = 0; i < length; i++)
		if (cmdline[i] == '\0')
			cmdline[i] = ' ';
	return strstr(cmdline, dir) != NULL;
}

/* The live processes of the lab in @dir: those whose command line names
 * it, and every other member of their sessions (Postfix's children name no
 * directory). */
static guint
processes_of_lab(const char *dir)
{
	g_autoptr(GArray) sessions = g_array_new(FALSE, FALSE, sizeof(long));
	g_autoptr(GPtrArray) pids = g_ptr_array_new_with_free_func(g_free);
	g_autoptr(GDir) proc = g_dir_open("/proc", 0, NULL);
	const char *name;
	while (proc != NULL && (name = g_dir_read_name(proc)) != NULL) {
		if (!g_ascii_isdigit(name[0]) || g_ascii_strtoll(name, NULL, 10) == getpid())
			continue;
		g_ptr_array_add(pids, g_strdup(name));
		long session = session_of(name);
		if (session > 0 && names_dir(name, dir))
			g_array_append_val(sessions, session);
	}
	guint count = 0;
	for (guint i = 0; i < pids->len; i++) {
		long session = session_of(pids->pdata[i]);
		for (guint j = 0; j < sessions->len; j++) {
			if (session > 0 && session == g_array_index(sessions, long, j)) {
				count++;
				break;
			}
		}
	}
	return count;
}

/* `mail-lab stop` leaves nothing running: Postfix with all its children,
 * Dovecot and dnsmasq (which forks twice, so its session is not its pid)
 * all end. The lab is stopped before anything is asserted, so a failure
 * leaves nothing behind either. */
static void
test_stop_leaves_no_process(void)
{
	g_autofree char *dir = g_dir_make_tmp("plab-XXXXXX", NULL);
	g_autofree char *script = g_build_filename(PICULET_SOURCE_DIR, "scripts", "mail-lab", NULL);
	g_autofree char *start = g_strdup_printf("'%s' start '%s'", script, dir);
	g_autofree char *stop = g_strdup_printf("'%s' stop '%s'", script, dir);
	int start_status = -1;
	int stop_status = -1;
	bool started = g_spawn_command_line_sync(start, NULL, NULL, &start_status, NULL);
	guint running = processes_of_lab(dir);
	bool stopped = g_spawn_command_line_sync(stop, NULL, NULL, &stop_status, NULL);
	guint left = processes_of_lab(dir);
	g_autofree char *remove = g_strdup_printf("rm -rf '%s'", dir);
	g_spawn_command_line_sync(remove, NULL, NULL, NULL, NULL);

	g_assert_true(started);
	g_assert_cmpint(start_status, ==, 0);
	/* At least Postfix's master, pickup, qmgr and postlogd, Dovecot's
	 * master and dnsmasq. */
	g_assert_cmpuint(running, >=, 6);
	g_assert_true(stopped);
	g_assert_cmpint(stop_status, ==, 0);
	g_assert_cmpuint(left, ==, 0);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/lab/submission-starttls-auth-then-imaps-read",
	                test_submission_then_imaps_read);
	g_test_add_func("/lab/reply-threads-back-to-sender", test_reply_threads_back_to_sender);
	g_test_add_func("/lab/auto-reply-is-marked-auto-submitted", test_auto_reply_is_marked);
	g_test_add_func("/lab/bounce-domain-returns-dsn", test_bounce_domain_returns_dsn);
	g_test_add_func("/lab/unknown-user-rejected-at-rcpt", test_unknown_user_rejected_at_rcpt);
	g_test_add_func("/lab/stop-leaves-no-process", test_stop_leaves_no_process);
	return g_test_run();
}
