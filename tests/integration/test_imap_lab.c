/*
 * The IMAP client and folder sync against the real Dovecot of the mail lab.
 * Each test uses its own folder or its own messages, found by Message-ID,
 * so the tests share one lab without stepping on each other.
 */
#include "helpers/test_lab.h"
#include "imap/imap_client.h"
#include "imap/imap_sync.h"
#include "imap/imap_watcher.h"
#include "mail/mail_headers.h"

#include <gmime/gmime.h>
#include <signal.h>
#include <string.h>

static ImapClient *
login_as(const char *user, ImapSecurity security, const char *password, GError **error)
{
	const TestLab *lab = test_lab_get();
	NetTlsOptions tls_options = {.ca_file = lab->ca_file};
	g_autoptr(NetTls) tls = net_tls_new(&tls_options, error);
	g_assert_nonnull(tls);
	ImapClientOptions options = {
	        .host = lab->host,
	        .port = security == IMAP_SECURITY_TLS ? lab->imaps_port : lab->imap_port,
	        .security = security,
	        .tls = tls,
	        .command_timeout_ms = 10000,
	};
	g_autoptr(ImapClient) client = imap_client_new(&options);
	g_autoptr(BaseSecret) secret = base_secret_new(password ? password : lab->password, -1);
	ImapCredentials credentials = {.user = user, .secret = secret};
	bool enabled = false;
	if (!imap_client_connect(client, error) ||
	    !imap_client_login(client, &credentials, error) || !imap_client_id(client, error) ||
	    !imap_client_enable(client, "CONDSTORE", &enabled, error))
		return NULL;
	g_assert_true(enabled);
	return g_steal_pointer(&client);
}

static char *
message_text(const char *message_id, const char *subject)
{
	return g_strdup_printf("From: Carol <carol@prospect.test>\r\nTo: <alice@sender.test>\r\n"
	                       "Subject: %s\r\nMessage-ID: <%s>\r\n"
	                       "Date: Thu, 26 Nov 2026 10:00:00 +0000\r\n\r\nBody of %s\r\n",
	                       subject, message_id, subject);
}

static char *
unique_id(void)
{
	g_autofree char *uuid = g_uuid_string_random();
	return g_strdup_printf("%s@prospect.test", uuid);
}

/* A folder name no other test run has used. */
static char *
unique_folder(const char *prefix)
{
	return g_strdup_printf("%s %08x", prefix, g_random_int());
}

static void
test_tls_and_starttls_login(void)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(ImapClient) tls = login_as("alice@sender.test", IMAP_SECURITY_TLS, NULL, &error);
	g_assert_no_error(error);
	g_assert_true(imap_client_has_capability(tls, "IDLE"));
	imap_client_logout(tls);
	g_autoptr(ImapClient) starttls =
	        login_as("alice@sender.test", IMAP_SECURITY_STARTTLS, NULL, &error);
	g_assert_no_error(error);
	g_assert_true(imap_client_has_capability(starttls, "CONDSTORE"));
	imap_client_logout(starttls);
}

static void
test_wrong_password(void)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(ImapClient) client =
	        login_as("alice@sender.test", IMAP_SECURITY_TLS, "wrong-password-xyz", &error);
	g_assert_null(client);
	g_assert_error(error, IMAP_ERROR, IMAP_ERROR_AUTH);
	g_assert_null(strstr(error->message, "wrong-password-xyz"));
}

static void
test_sent_folder_found(void)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(ImapClient) client = login_as("bob@sender.test", IMAP_SECURITY_TLS, NULL, &error);
	g_assert_no_error(error);
	g_autoptr(GPtrArray) folders = imap_client_list(client, &error);
	g_assert_no_error(error);
	const char *sent = NULL;
	const char *junk = NULL;
	for (guint i = 0; i < folders->len; i++) {
		const ImapFolder *folder = folders->pdata[i];
		if (g_strcmp0(folder->special_use, "\\Sent") == 0)
			sent = folder->name;
		if (g_strcmp0(folder->special_use, "\\Junk") == 0)
			junk = folder->name;
	}
	g_assert_cmpstr(sent, ==, "Sent");
	g_assert_cmpstr(junk, ==, "Junk");
	imap_client_logout(client);
}

static void
test_append_then_find(void)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(ImapClient) client = login_as("bob@sender.test", IMAP_SECURITY_TLS, NULL, &error);
	g_assert_no_error(error);
	g_autofree char *id = unique_id();
	g_autofree char *text = message_text(id, "Appended to Sent");
	g_autoptr(GBytes) message = g_bytes_new(text, strlen(text));
	uint32_t uid = 0;
	g_assert_true(imap_client_append(client, "Sent", "(\\Seen)", message, &uid, &error));
	g_assert_no_error(error);
	g_assert_cmpuint(uid, >, 0);

	ImapStatusData status;
	g_assert_true(imap_client_status(client, "Sent", &status, &error));
	g_assert_no_error(error);
	g_assert_cmpuint(status.uid_next, >, uid);
	g_assert_cmpuint(status.messages, >=, 1);
	g_assert_cmpuint(status.highest_modseq, >, 0);
	g_free(status.name);

	g_assert_true(imap_client_select(client, "Sent", true, &error));
	g_autofree char *bracketed = g_strdup_printf("<%s>", id);
	g_autoptr(GArray) found =
	        imap_client_uid_search_header(client, "Message-ID", bracketed, &error);
	g_assert_no_error(error);
	g_assert_cmpuint(found->len, ==, 1);
	g_assert_cmpuint(g_array_index(found, uint32_t, 0), ==, uid);
	imap_client_logout(client);
}

typedef struct {
	GPtrArray *subjects;
} Collected;

static void
collect(const ImapFetch *fetch, void *user_data)
{
	Collected *collected = user_data;
	gsize n = 0;
	const char *data = g_bytes_get_data(fetch->header, &n);
	g_autoptr(MailHeaders) headers = mail_headers_parse(data, n);
	g_ptr_array_add(collected->subjects, mail_headers_dup_decoded(headers, "Subject"));
}

static void
append_n(ImapClient *client, const char *folder, const char *prefix, int from, int to)
{
	g_autoptr(GError) error = NULL;
	for (int i = from; i <= to; i++) {
		g_autofree char *id = unique_id();
		g_autofree char *subject = g_strdup_printf("%s %d", prefix, i);
		g_autofree char *text = message_text(id, subject);
		g_autoptr(GBytes) message = g_bytes_new(text, strlen(text));
		g_assert_true(imap_client_append(client, folder, NULL, message, NULL, &error));
	}
}

static void
test_cursor_resume_exactly_new(void)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(ImapClient) writer = login_as("bob@sender.test", IMAP_SECURITY_TLS, NULL, &error);
	g_autoptr(ImapClient) reader = login_as("bob@sender.test", IMAP_SECURITY_TLS, NULL, &error);
	g_assert_no_error(error);
	g_autofree char *folder = unique_folder("Resume");
	g_assert_true(imap_client_create(writer, folder, &error));
	append_n(writer, folder, "first", 1, 3);

	ImapCursor cursor = {0};
	ImapSyncOptions options = {.folder = folder};
	Collected collected = {.subjects = g_ptr_array_new_with_free_func(g_free)};
	bool reset = true;
	g_assert_true(
	        imap_sync_folder(reader, &options, &cursor, collect, &collected, &reset, &error));
	g_assert_no_error(error);
	g_assert_false(reset);
	g_assert_cmpuint(collected.subjects->len, ==, 3);
	g_assert_cmpuint(cursor.last_uid, ==, 3);

	/* Nothing new: nothing delivered (and the folder stays selected). */
	g_assert_true(
	        imap_sync_folder(reader, &options, &cursor, collect, &collected, &reset, &error));
	g_assert_cmpuint(collected.subjects->len, ==, 3);

	append_n(writer, folder, "second", 4, 5);
	g_assert_true(
	        imap_sync_folder(reader, &options, &cursor, collect, &collected, &reset, &error));
	g_assert_no_error(error);
	g_assert_cmpuint(collected.subjects->len, ==, 5);
	g_assert_cmpstr(collected.subjects->pdata[3], ==, "second 4");
	g_assert_cmpstr(collected.subjects->pdata[4], ==, "second 5");

	/* A new session from the saved cursor sees only what came after it. */
	append_n(writer, folder, "third", 6, 6);
	g_autoptr(ImapClient) later = login_as("bob@sender.test", IMAP_SECURITY_TLS, NULL, &error);
	g_ptr_array_set_size(collected.subjects, 0);
	g_assert_true(
	        imap_sync_folder(later, &options, &cursor, collect, &collected, &reset, &error));
	g_assert_cmpuint(collected.subjects->len, ==, 1);
	g_assert_cmpstr(collected.subjects->pdata[0], ==, "third 6");
	g_ptr_array_unref(collected.subjects);
	imap_client_logout(writer);
	imap_client_logout(reader);
	imap_client_logout(later);
}

static void
test_uidvalidity_change(void)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(ImapClient) client = login_as("bob@sender.test", IMAP_SECURITY_TLS, NULL, &error);
	g_autofree char *folder = unique_folder("Recreated");
	g_assert_true(imap_client_create(client, folder, &error));
	append_n(client, folder, "old", 1, 2);
	ImapCursor cursor = {0};
	ImapSyncOptions options = {.folder = folder};
	Collected collected = {.subjects = g_ptr_array_new_with_free_func(g_free)};
	bool reset = false;
	g_assert_true(
	        imap_sync_folder(client, &options, &cursor, collect, &collected, &reset, &error));
	uint32_t old_validity = cursor.uid_validity;

	/* Delete and recreate: UIDs start again under a new UIDVALIDITY. */
	g_assert_true(imap_client_select(client, "INBOX", true, &error));
	g_assert_true(imap_client_delete(client, folder, &error));
	g_assert_true(imap_client_create(client, folder, &error));
	append_n(client, folder, "new", 1, 1);
	g_ptr_array_set_size(collected.subjects, 0);
	g_assert_true(
	        imap_sync_folder(client, &options, &cursor, collect, &collected, &reset, &error));
	g_assert_no_error(error);
	g_assert_true(reset);
	g_assert_cmpuint(cursor.uid_validity, !=, old_validity);
	g_assert_cmpuint(collected.subjects->len, ==, 1);
	g_assert_cmpstr(collected.subjects->pdata[0], ==, "new 1");
	g_ptr_array_unref(collected.subjects);
	imap_client_logout(client);
}

static void
test_non_ascii_folder(void)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(ImapClient) client = login_as("bob@sender.test", IMAP_SECURITY_TLS, NULL, &error);
	g_autofree char *name = unique_folder("Entwürfe für Kunden");
	g_autofree char *wire = g_strdup_printf("Entw&APw-rfe f&APw-r Kunden%s",
	                                        name + strlen("Entwürfe für Kunden"));
	g_assert_true(imap_client_create(client, name, &error));
	g_assert_no_error(error);
	append_n(client, name, "umlaut", 1, 1);
	g_autoptr(GPtrArray) folders = imap_client_list(client, &error);
	bool found = false;
	for (guint i = 0; i < folders->len; i++) {
		const ImapFolder *folder = folders->pdata[i];
		if (strcmp(folder->name, name) == 0) {
			found = true;
			g_assert_cmpstr(folder->wire_name, ==, wire);
		}
	}
	g_assert_true(found);
	ImapCursor cursor = {0};
	ImapSyncOptions options = {.folder = name};
	Collected collected = {.subjects = g_ptr_array_new_with_free_func(g_free)};
	bool reset = false;
	g_assert_true(
	        imap_sync_folder(client, &options, &cursor, collect, &collected, &reset, &error));
	g_assert_cmpuint(collected.subjects->len, ==, 1);
	g_ptr_array_unref(collected.subjects);
	imap_client_logout(client);
}

static void
test_idle_wakes_on_delivery(void)
{
	const TestLab *lab = test_lab_get();
	g_autoptr(GError) error = NULL;
	g_autoptr(ImapClient) client =
	        login_as("carol@prospect.test", IMAP_SECURITY_TLS, NULL, &error);
	g_assert_no_error(error);
	g_assert_true(imap_client_select(client, "INBOX", true, &error));
	g_assert_true(imap_client_idle_start(client, &error));

	g_autofree char *id = unique_id();
	g_autofree char *text = g_strdup_printf("From: <alice@sender.test>\r\nTo: "
	                                        "<carol@prospect.test>\r\nSubject: wake up\r\n"
	                                        "Message-ID: <%s>\r\n\r\nhi\r\n",
	                                        id);
	const char *to[] = {"carol@prospect.test", NULL};
	gint64 sent_at = g_get_monotonic_time();
	g_assert_true(test_lab_send(lab, "alice@sender.test", to, text, &error));
	g_assert_no_error(error);
	bool woken = false;
	g_assert_true(imap_client_idle_wait(client, 5000, -1, &woken, &error));
	gint64 woken_after_ms = (g_get_monotonic_time() - sent_at) / 1000;
	g_assert_true(woken);
	g_assert_true(imap_client_idle_done(client, &error));
	g_assert_no_error(error);
	/* The latency itself is a figure for bench/imap, not an assertion. */
	g_test_message("IDLE woke %" G_GINT64_FORMAT " ms after submission", woken_after_ms);
	imap_client_logout(client);
}

static void
record_woken(ImapClient *client, void *user_data)
{
	g_ptr_array_add(user_data, client);
}

static void
test_watcher_hands_back_only_the_woken(void)
{
	const TestLab *lab = test_lab_get();
	g_autoptr(GError) error = NULL;
	const char *users[] = {"dave@prospect.test", "bob@sender.test", "erin@prospect.test"};
	ImapClient *clients[3];
	g_autoptr(ImapWatcher) watcher = imap_watcher_new(&error);
	g_autoptr(GPtrArray) woken = g_ptr_array_new();
	for (int i = 0; i < 3; i++) {
		clients[i] = login_as(users[i], IMAP_SECURITY_TLS, NULL, &error);
		g_assert_no_error(error);
		g_assert_true(imap_client_select(clients[i], "INBOX", true, &error));
		g_assert_true(imap_client_idle_start(clients[i], &error));
		g_assert_true(imap_watcher_add(watcher, clients[i], record_woken, woken, &error));
	}
	g_assert_cmpuint(imap_watcher_get_count(watcher), ==, 3);

	g_autofree char *id = unique_id();
	g_autofree char *text = g_strdup_printf("From: <carol@prospect.test>\r\nTo: "
	                                        "<bob@sender.test>\r\nSubject: for bob\r\n"
	                                        "Message-ID: <%s>\r\n\r\nhi\r\n",
	                                        id);
	const char *to[] = {"bob@sender.test", NULL};
	g_assert_true(test_lab_send(lab, "carol@prospect.test", to, text, &error));
	while (woken->len == 0)
		g_assert_cmpint(imap_watcher_run_once(watcher, 10000, -1, &error), >=, 0);
	g_assert_cmpuint(woken->len, ==, 1);
	g_assert_true(woken->pdata[0] == clients[1]);
	g_assert_cmpuint(imap_watcher_get_count(watcher), ==, 2);

	/* Handed back, the session reads its news and leaves IDLE. */
	bool news = false;
	g_assert_true(imap_client_idle_wait(clients[1], 0, -1, &news, &error));
	g_assert_true(news);
	for (int i = 0; i < 3; i++) {
		imap_watcher_remove(watcher, clients[i]);
		g_assert_true(imap_client_idle_done(clients[i], &error));
		g_assert_no_error(error);
		imap_client_logout(clients[i]);
		imap_client_free(clients[i]);
	}
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	signal(SIGPIPE, SIG_IGN);
	g_mime_init();
	g_test_add_func("/imap/lab/tls-and-starttls-login", test_tls_and_starttls_login);
	g_test_add_func("/imap/lab/wrong-password-is-auth-error", test_wrong_password);
	g_test_add_func("/imap/lab/sent-and-junk-found-by-special-use", test_sent_folder_found);
	g_test_add_func("/imap/lab/append-then-find-by-message-id", test_append_then_find);
	g_test_add_func("/imap/lab/cursor-resume-returns-exactly-the-new",
	                test_cursor_resume_exactly_new);
	g_test_add_func("/imap/lab/uidvalidity-change-resets-cursor", test_uidvalidity_change);
	g_test_add_func("/imap/lab/non-ascii-folder-name", test_non_ascii_folder);
	g_test_add_func("/imap/lab/idle-wakes-on-delivery", test_idle_wakes_on_delivery);
	g_test_add_func("/imap/lab/watcher-hands-back-only-the-woken-session",
	                test_watcher_hands_back_only_the_woken);
	return g_test_run();
}
