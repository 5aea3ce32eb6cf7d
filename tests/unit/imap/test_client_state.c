/*
 * Every call of the IMAP session that can fail says why: on a session that
 * never connected, or one that broke, each public call returns false (or
 * NULL) with an IMAP_ERROR set, never a bare false that a caller would
 * dereference (a PREAUTH greeting once made login return false without an
 * error, and every IMAP user crashed).
 */
#include "imap/imap_client.h"

static bool
on_fetch(const ImapFetch *fetch, void *user_data)
{
	return true;
}

#define ASSERT_FAILS_WITH_ERROR(call)                                                              \
	do {                                                                                       \
		g_autoptr(GError) error = NULL;                                                    \
		g_assert_false(call);                                                              \
		g_assert_nonnull(error);                                                           \
		g_assert_true(error->domain == IMAP_ERROR);                                        \
	} while (0)

static void
walk_every_call(ImapClient *client)
{
	g_autoptr(BaseSecret) secret = base_secret_new("secret", -1);
	ImapCredentials credentials = {.user = "alice", .secret = secret};
	bool enabled = false;
	bool woken = false;
	ImapStatusData status = {0};
	g_autoptr(GBytes) message = g_bytes_new_static("Subject: x\r\n\r\nx\r\n", 17);

	ASSERT_FAILS_WITH_ERROR(imap_client_login(client, &credentials, &error));
	{
		/* Not offered (nothing is known of the server): a no-op. */
		g_autoptr(GError) error = NULL;
		g_assert_true(imap_client_enable(client, "CONDSTORE", &enabled, &error));
		g_assert_false(enabled);
		g_assert_no_error(error);
	}
	ASSERT_FAILS_WITH_ERROR(imap_client_list(client, &error) != NULL);
	ASSERT_FAILS_WITH_ERROR(imap_client_select(client, "INBOX", true, &error));
	ASSERT_FAILS_WITH_ERROR(imap_client_status(client, "INBOX", &status, &error));
	ASSERT_FAILS_WITH_ERROR(imap_client_noop(client, &error));
	ASSERT_FAILS_WITH_ERROR(
	        imap_client_uid_search_header(client, "Message-ID", "<a@b>", &error) != NULL);
	ASSERT_FAILS_WITH_ERROR(
	        imap_client_uid_fetch(client, "1:*", "UID FLAGS", on_fetch, NULL, &error));
	ASSERT_FAILS_WITH_ERROR(imap_client_append(client, "Sent", NULL, message, NULL, &error));
	ASSERT_FAILS_WITH_ERROR(imap_client_create(client, "X", &error));
	ASSERT_FAILS_WITH_ERROR(imap_client_delete(client, "X", &error));
	ASSERT_FAILS_WITH_ERROR(imap_client_idle_start(client, &error));
	ASSERT_FAILS_WITH_ERROR(imap_client_idle_wait(client, 0, -1, &woken, &error));
	ASSERT_FAILS_WITH_ERROR(imap_client_idle_done(client, &error));
}

static void
test_never_connected(void)
{
	ImapClientOptions options = {
	        .host = "127.0.0.1", .port = 1, .security = IMAP_SECURITY_NONE};
	g_autoptr(ImapClient) client = imap_client_new(&options);
	walk_every_call(client);
	imap_client_logout(client);
}

static void
test_after_failed_connect(void)
{
	/* Port 1 on loopback: refused at once. */
	ImapClientOptions options = {.host = "127.0.0.1",
	                             .port = 1,
	                             .security = IMAP_SECURITY_NONE,
	                             .connect_timeout_ms = 1000};
	g_autoptr(ImapClient) client = imap_client_new(&options);
	g_autoptr(GError) error = NULL;
	g_assert_false(imap_client_connect(client, &error));
	g_assert_error(error, IMAP_ERROR, IMAP_ERROR_CONNECT);
	walk_every_call(client);
	g_autoptr(GError) again = NULL;
	g_assert_false(imap_client_connect(client, &again));
	g_assert_nonnull(again);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/imap/client/every-call-on-a-dead-session-sets-its-error",
	                test_never_connected);
	g_test_add_func("/imap/client/every-call-after-a-failed-connect-sets-its-error",
	                test_after_failed_connect);
	return g_test_run();
}
