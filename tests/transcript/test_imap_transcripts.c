/*
 * Replays every tests/transcript/imap/NAME.script against the IMAP client:
 * the scripted server plays the server's side; the client connects without
 * TLS, logs in as alice/secret, syncs INBOX from a cursor and logs out.
 * The header of each script says what must come of it:
 *
 *   error:    none|connect|timeout|closed|protocol|command|auth|policy|no_folder
 *   messages: N           new messages the sync must hand over (default 0)
 *   cursor:   UIDVALIDITY/LAST_UID   where the sync starts (default 0/0)
 *   body:     N           fetch the first N bytes of each text (default 0)
 *   max-literal: N        the client's literal limit (default 16 MiB)
 *   auth: password|xoauth2  how alice logs in (default password "secret")
 *   security: none|starttls|tls  how TLS comes up (default none)
 *   preauth: refuse|allow  whether a PREAUTH greeting over TLS is taken
 *   warning: PATTERN       a warning the client must log
 *   warning-from: imap|net the layer that logs it (default imap)
 *
 * Each ends within its deadline: the client's timeout is 1 s, and the test
 * asserts the whole exchange took less than 5 s.
 */
#include "helpers/test_fault_server.h"
#include "helpers/test_script.h"
#include "imap/imap_client.h"
#include "imap/imap_sync.h"

#include <signal.h>
#include <string.h>

static const char *const error_names[] = {
        [IMAP_ERROR_CONNECT] = "connect",     [IMAP_ERROR_CERTIFICATE] = "certificate",
        [IMAP_ERROR_TIMEOUT] = "timeout",     [IMAP_ERROR_CLOSED] = "closed",
        [IMAP_ERROR_PROTOCOL] = "protocol",   [IMAP_ERROR_COMMAND] = "command",
        [IMAP_ERROR_AUTH] = "auth",           [IMAP_ERROR_POLICY] = "policy",
        [IMAP_ERROR_NO_FOLDER] = "no_folder", [IMAP_ERROR_INPUT] = "input",
        [IMAP_ERROR_STATE] = "state",         [IMAP_ERROR_STOPPED] = "stopped",
};

static ImapSecurity
security_of(const char *name)
{
	if (strcmp(name, "starttls") == 0)
		return IMAP_SECURITY_STARTTLS;
	if (strcmp(name, "tls") == 0)
		return IMAP_SECURITY_TLS;
	return IMAP_SECURITY_NONE;
}

typedef struct {
	guint count;
	gsize body_bytes; /* asked for; 0: none */
} Delivered;

static void
count_message(const ImapFetch *fetch, void *user_data)
{
	Delivered *delivered = user_data;
	delivered->count++;
	/* Never more of the text than asked for, whatever the server sent. */
	if (delivered->body_bytes > 0 && fetch->text != NULL)
		g_assert_cmpuint(g_bytes_get_size(fetch->text), <=, delivered->body_bytes);
}

static const char *
run_client(const TestScript *script, uint16_t port, Delivered *delivered)
{
	g_autoptr(GError) error = NULL;
	ImapLimits limits;
	imap_response_limits_init(&limits);
	limits.max_literal_bytes = (gsize)g_ascii_strtoull(
	        test_script_get(script, "max-literal", "16777216"), NULL, 10);
	g_autofree char *ca = g_test_build_filename(G_TEST_DIST, "data", "tls", "ca.crt", NULL);
	NetTlsOptions tls_options = {.ca_file = ca};
	g_autoptr(NetTls) tls = net_tls_new(&tls_options, &error);
	g_assert_no_error(error);
	ImapClientOptions options = {
	        .host = "127.0.0.1",
	        .port = port,
	        .security = security_of(test_script_get(script, "security", "none")),
	        .tls = tls,
	        .allow_preauth = strcmp(test_script_get(script, "preauth", "refuse"), "allow") == 0,
	        .connect_timeout_ms = 1000,
	        .command_timeout_ms = 1000,
	        .allow_plaintext_auth = true,
	        .limits = &limits,
	};
	g_autoptr(ImapClient) client = imap_client_new(&options);
	g_autoptr(BaseSecret) secret = base_secret_new("secret", -1);
	ImapCredentials credentials = {
	        .user = "alice",
	        .secret = secret,
	        .oauth2 = strcmp(test_script_get(script, "auth", "password"), "xoauth2") == 0 ||
	                  strcmp(test_script_get(script, "auth", "password"), "oauthbearer") == 0};
	ImapCursor cursor = {0};
	g_auto(GStrv) cursor_parts = g_strsplit(test_script_get(script, "cursor", "0/0"), "/", 2);
	cursor.uid_validity = (uint32_t)g_ascii_strtoull(cursor_parts[0], NULL, 10);
	cursor.last_uid = (uint32_t)g_ascii_strtoull(cursor_parts[1], NULL, 10);
	ImapSyncOptions sync = {
	        .folder = "INBOX",
	        .body_bytes =
	                (gsize)g_ascii_strtoull(test_script_get(script, "body", "0"), NULL, 10),
	};
	bool reset = false;

	if (imap_client_connect(client, &error) &&
	    imap_client_login(client, &credentials, &error) &&
	    imap_sync_folder(client, &sync, &cursor, count_message, delivered, &reset, &error)) {
		imap_client_logout(client);
		return "none";
	}
	g_assert_true(error->domain == IMAP_ERROR);
	g_test_message("client error: %s", error->message);
	/* "error-says: TEXT": the error tells the user this. */
	const char *says = test_script_get(script, "error-says", NULL);
	if (says != NULL && strstr(error->message, says) == NULL)
		g_error("%s: the error \"%s\" does not say \"%s\"", script->name, error->message,
		        says);
	return error_names[error->code];
}

static void
test_script(gconstpointer data)
{
	const TestScript *script = data;
	g_autoptr(TestFaultServer) server = test_fault_server_start("127.0.0.1", script->dialog);
	gint64 started = g_get_monotonic_time();
	Delivered delivered = {.body_bytes = (gsize)g_ascii_strtoull(
	                               test_script_get(script, "body", "0"), NULL, 10)};

	const char *warning = test_script_get(script, "warning", NULL);
	g_autofree char *domain =
	        g_strdup_printf("piculet-%s", test_script_get(script, "warning-from", "imap"));
	if (warning != NULL)
		g_test_expect_message(domain, G_LOG_LEVEL_WARNING, warning);
	const char *error_name = run_client(script, test_fault_server_get_port(server), &delivered);
	g_autofree char *problem = test_fault_server_finish(server);
	gint64 elapsed_ms = (g_get_monotonic_time() - started) / 1000;
	if (warning != NULL)
		g_test_assert_expected_messages();

	g_assert_cmpstr(error_name, ==, test_script_get(script, "error", "none"));
	g_assert_cmpuint(delivered.count, ==,
	                 g_ascii_strtoull(test_script_get(script, "messages", "0"), NULL, 10));
	if (problem != NULL)
		g_error("%s: the client did not follow the script: %s", script->name, problem);
	g_assert_cmpint(elapsed_ms, <, 5000);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	signal(SIGPIPE, SIG_IGN);
	test_script_add_all("imap", test_script);
	return g_test_run();
}
