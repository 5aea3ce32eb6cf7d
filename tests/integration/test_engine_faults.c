/*
 * The engine when things go wrong, against the mail lab (and a scripted
 * server for the quota reply a real one will not give on demand): the SMTP
 * server unreachable for an hour, an IMAP password that changed, a 421
 * quota reply. The mailbox waits and says why; the prospects lose nothing
 * and get nothing twice; other mailboxes go on.
 */
#include "helpers/test_cli.h"
#include "helpers/test_fault_server.h"
#include "helpers/test_lab.h"
#include "helpers/test_pg.h"
#include "store/store.h"

#include <gio/gio.h>
#include <string.h>

static char *dir;
static char *token;

static void
piculet_env(TestCliRun *run, const char *db, const char *password, const char *const *args)
{
	const TestLab *lab = test_lab_get();
	const char *env[] = {"LAB_PW", lab->password, "WRONG_PW", password, NULL};
	test_cli_run_with_db(run, db, env, args);
}

static void
piculet_ok(const char *db, const char *const *args)
{
	g_auto(TestCliRun) run = {0};
	piculet_env(&run, db, "x", args);
	if (run.status != 0)
		g_error("piculet %s %s: exit %d: %s", args[0], args[1], run.status, run.err);
}

static char *
tick(const char *db, const char *now, const char *ca_file)
{
	g_auto(TestCliRun) run = {0};
	const char *args[] = {"tick", "--now", now, "--json", "--ca-file", ca_file, NULL};
	piculet_env(&run, db, "x", args);
	if (run.status != 0)
		g_error("tick %s: exit %d: %s", now, run.status, run.err);
	g_test_message("tick %s: %s", now, run.err);
	return g_strdup(run.out);
}

static void
add_mailbox(const char *db, const char *address, const char *smtp, const char *password_env)
{
	const TestLab *lab = test_lab_get();
	g_autofree char *imap = g_strdup_printf("127.0.0.1:%u", lab->imaps_port);
	const char *args[] = {"mailbox", "add", address,          "--smtp",     smtp,
	                      "--imap",  imap,  "--password-env", password_env, NULL};
	piculet_ok(db, args);
}

static void
campaign(const char *db, const char *name, const char *mailbox, const char *const *emails)
{
	g_autofree char *yaml = g_strdup_printf(
	        "name: %s\nmailboxes: [%s]\nwindow: daily 00:00-24:00\ndomain_caps: off\ninterval: "
	        "0s\n"
	        "steps:\n  - subject: \"%s\"\n    body: \"fault-%s for {{first_name}}\"\n",
	        name, mailbox, token, token);
	g_autofree char *yaml_path = g_strdup_printf("%s/%s.yaml", dir, name);
	g_assert_true(g_file_set_contents(yaml_path, yaml, -1, NULL));
	GString *csv = g_string_new("email,first_name\n");
	for (const char *const *e = emails; *e != NULL; e++)
		g_string_append_printf(csv, "%s,Someone\n", *e);
	g_autofree char *csv_path = g_strdup_printf("%s/%s.csv", dir, name);
	g_assert_true(g_file_set_contents(csv_path, csv->str, -1, NULL));
	g_string_free(csv, TRUE);
	const char *create[] = {"campaign", "create", yaml_path, NULL};
	const char *import[] = {"prospects",  "import", csv_path,
	                        "--campaign", name,     "--allow-other-campaigns",
	                        NULL};
	const char *start[] = {"campaign", "start", name, NULL};
	piculet_ok(db, create);
	piculet_ok(db, import);
	piculet_ok(db, start);
}

static char *
new_db(const char *name)
{
	return test_pg_store_location(dir, name);
}

/* A port nothing listens on: bound, then closed. */
static guint16
closed_port(void)
{
	g_autoptr(GSocket) socket = g_socket_new(G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM,
	                                         G_SOCKET_PROTOCOL_TCP, NULL);
	g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback(G_SOCKET_FAMILY_IPV4);
	g_autoptr(GSocketAddress) any = g_inet_socket_address_new(loopback, 0);
	g_assert_true(g_socket_bind(socket, any, FALSE, NULL));
	g_autoptr(GSocketAddress) bound = g_socket_get_local_address(socket, NULL);
	guint16 port = g_inet_socket_address_get_port(G_INET_SOCKET_ADDRESS(bound));
	g_socket_close(socket, NULL);
	return port;
}

/* A relay that comes back: on @port, forwards every connection to
 * @target_port (the lab's submission), from a thread of its own. */
typedef struct {
	guint16 port;
	guint16 target_port;
	GMainLoop *loop;
	GThread *thread;
	GMutex lock;
	GCond ready;
	bool started;
	bool listening;
} Relay;

static void
spliced(GObject *source, GAsyncResult *result, gpointer user_data)
{
	g_io_stream_splice_finish(result, NULL);
}

static gboolean
on_incoming(GSocketService *service, GSocketConnection *connection, GObject *source,
            gpointer user_data)
{
	Relay *relay = user_data;
	g_autoptr(GSocketClient) client = g_socket_client_new();
	g_autoptr(GSocketConnection) upstream = g_socket_client_connect_to_host(
	        client, "127.0.0.1", relay->target_port, NULL, NULL);
	if (upstream == NULL)
		return FALSE;
	g_io_stream_splice_async(G_IO_STREAM(connection), G_IO_STREAM(upstream),
	                         G_IO_STREAM_SPLICE_CLOSE_STREAM1 |
	                                 G_IO_STREAM_SPLICE_CLOSE_STREAM2,
	                         G_PRIORITY_DEFAULT, NULL, spliced, NULL);
	return TRUE;
}

static gpointer
relay_thread(gpointer data)
{
	Relay *relay = data;
	g_autoptr(GMainContext) context = g_main_context_new();
	g_main_context_push_thread_default(context);
	relay->loop = g_main_loop_new(context, FALSE);
	g_autoptr(GSocketService) service = g_socket_service_new();
	g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback(G_SOCKET_FAMILY_IPV4);
	g_autoptr(GSocketAddress) address = g_inet_socket_address_new(loopback, relay->port);
	bool ok = g_socket_listener_add_address(G_SOCKET_LISTENER(service), address,
	                                        G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, NULL,
	                                        NULL, NULL);
	g_signal_connect(service, "incoming", G_CALLBACK(on_incoming), relay);
	g_mutex_lock(&relay->lock);
	relay->listening = ok;
	relay->started = true;
	g_cond_signal(&relay->ready);
	g_mutex_unlock(&relay->lock);
	if (ok)
		g_main_loop_run(relay->loop);
	g_socket_service_stop(service);
	g_socket_listener_close(G_SOCKET_LISTENER(service));
	g_main_loop_unref(relay->loop);
	g_main_context_pop_thread_default(context);
	return NULL;
}

/* Starts listening on @port; false when the port was taken meanwhile. */
static bool
relay_start(Relay *relay)
{
	g_mutex_init(&relay->lock);
	g_cond_init(&relay->ready);
	relay->thread = g_thread_new("relay", relay_thread, relay);
	g_mutex_lock(&relay->lock);
	while (!relay->started)
		g_cond_wait(&relay->ready, &relay->lock);
	bool listening = relay->listening;
	g_mutex_unlock(&relay->lock);
	return listening;
}

static void
relay_stop(Relay *relay)
{
	g_main_loop_quit(relay->loop);
	g_thread_join(relay->thread);
	g_mutex_clear(&relay->lock);
	g_cond_clear(&relay->ready);
}

static StoreMailbox *
mailbox_of(const char *db, const char *address)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(Store) store = store_open(db, &error);
	g_assert_no_error(error);
	return store_mailbox_get(store, address, &error);
}

static void
test_smtp_down_for_an_hour(void)
{
	const TestLab *lab = test_lab_get();
	g_autofree char *db = new_db("down");
	guint16 dead_port = closed_port();
	g_autofree char *dead = g_strdup_printf("127.0.0.1:%u", dead_port);
	add_mailbox(db, "alice@sender.test", dead, "LAB_PW");
	const char *emails[] = {"judy@prospect.test", NULL};
	campaign(db, "down", "alice@sender.test", emails);

	g_autofree char *first = tick(db, "2026-12-01T09:00:00Z", lab->ca_file);
	g_assert_nonnull(strstr(first, "\"sent\":0,"));
	g_autoptr(StoreMailbox) paused = mailbox_of(db, "alice@sender.test");
	g_assert_nonnull(paused->paused_reason);
	g_assert_true(g_str_has_prefix(paused->paused_reason, "SMTP: "));
	/* Still down half an hour later: tried again, waits again. */
	g_autofree char *second = tick(db, "2026-12-01T09:30:00Z", lab->ca_file);
	g_assert_nonnull(strstr(second, "\"sent\":0,"));
	g_auto(TestCliRun) status = {0};
	const char *status_args[] = {"status", "--now", "2026-12-01T09:31:00Z", NULL};
	piculet_env(&status, db, "x", status_args);
	g_assert_nonnull(strstr(status.out, "alice@sender.test: paused: SMTP: "));
	/* Back after an hour: the server listens on its port again. */
	Relay relay = {.port = dead_port, .target_port = lab->submission_port};
	g_assert_true(relay_start(&relay));
	g_autofree char *third = tick(db, "2026-12-01T10:00:00Z", lab->ca_file);
	g_assert_nonnull(strstr(third, "\"sent\":1,"));
	g_autofree char *marker = g_strdup_printf("fault-%s", token);
	g_assert_true(test_lab_wait_for_count(lab, "judy@prospect.test", marker, 1, 20000));
	g_autofree char *later = tick(db, "2026-12-02T10:00:00Z", lab->ca_file);
	g_assert_nonnull(strstr(later, "\"sent\":0,"));
	g_assert_cmpuint(test_lab_count_text(lab, "judy@prospect.test", marker), ==, 1);
	relay_stop(&relay);
}

static void
test_imap_password_changed(void)
{
	const TestLab *lab = test_lab_get();
	g_autofree char *db = new_db("password");
	g_autofree char *smtp = g_strdup_printf("127.0.0.1:%u", lab->submission_port);
	add_mailbox(db, "alice@sender.test", smtp, "LAB_PW");
	add_mailbox(db, "bob@sender.test", smtp, "WRONG_PW");
	const char *alice_people[] = {"ken@prospect.test", NULL};
	const char *bob_people[] = {"liz@prospect.test", NULL};
	campaign(db, "alice-c", "alice@sender.test", alice_people);
	campaign(db, "bob-c", "bob@sender.test", bob_people);
	g_autofree char *pass = tick(db, "2026-12-01T09:00:00Z", lab->ca_file);
	/* Alice sends; Bob's login is refused: Bob waits and says why. */
	g_assert_nonnull(strstr(pass, "\"sent\":1,"));
	g_assert_nonnull(strstr(pass, "\"mailboxes_paused\":1}"));
	g_autoptr(StoreMailbox) bob = mailbox_of(db, "bob@sender.test");
	g_assert_nonnull(bob->paused_reason);
	g_assert_true(g_str_has_prefix(bob->paused_reason, "IMAP: "));
	g_autoptr(StoreMailbox) alice = mailbox_of(db, "alice@sender.test");
	g_assert_null(alice->paused_reason);
	g_autofree char *marker = g_strdup_printf("fault-%s", token);
	g_assert_true(test_lab_wait_for_count(lab, "ken@prospect.test", marker, 1, 20000));
	g_assert_cmpuint(test_lab_count_text(lab, "liz@prospect.test", marker), ==, 0);
}

static void
test_quota_421_pauses_until_tomorrow(void)
{
	const TestLab *lab = test_lab_get();
	g_autofree char *db = new_db("quota");
	g_autoptr(TestFaultServer) server =
	        test_fault_server_start("127.0.0.1", "S: 220 relay.test ESMTP\n"
	                                             "C: EHLO\n"
	                                             "S: 250-relay.test\n"
	                                             "S: 250 STARTTLS\n"
	                                             "C: STARTTLS\n"
	                                             "S: 220 go ahead\n"
	                                             "TLS\n"
	                                             "C: EHLO\n"
	                                             "S: 250-relay.test\n"
	                                             "S: 250 AUTH PLAIN\n"
	                                             "C: AUTH PLAIN\n"
	                                             "S: 235 2.7.0 ok\n"
	                                             "C: MAIL FROM:<alice@sender.test>\n"
	                                             "S: 421 4.7.0 Daily sending quota exceeded\n"
	                                             "EOF\n");
	g_autofree char *relay =
	        g_strdup_printf("127.0.0.1:%u", test_fault_server_get_port(server));
	add_mailbox(db, "alice@sender.test", relay, "LAB_PW");
	const char *emails[] = {"mallory@prospect.test", NULL};
	campaign(db, "quota", "alice@sender.test", emails);
	/* One file with both CAs: the relay's and the lab's IMAP. */
	g_autofree char *lab_ca = NULL;
	g_autofree char *test_ca = NULL;
	g_assert_true(g_file_get_contents(lab->ca_file, &lab_ca, NULL, NULL));
	g_autofree char *test_ca_file =
	        g_test_build_filename(G_TEST_DIST, "data", "tls", "ca.crt", NULL);
	g_assert_true(g_file_get_contents(test_ca_file, &test_ca, NULL, NULL));
	g_autofree char *both = g_strconcat(lab_ca, test_ca, NULL);
	g_autofree char *ca_file = g_strdup_printf("%s/both-ca.crt", dir);
	g_assert_true(g_file_set_contents(ca_file, both, -1, NULL));

	g_autofree char *pass = tick(db, "2026-12-01T15:00:00Z", ca_file);
	g_autofree char *script_error = test_fault_server_finish(server);
	if (script_error != NULL)
		g_error("the relay's script: %s", script_error);
	g_assert_nonnull(strstr(pass, "\"sent\":0,"));
	g_autoptr(StoreMailbox) alice = mailbox_of(db, "alice@sender.test");
	g_assert_nonnull(alice->paused_reason);
	g_assert_nonnull(strstr(alice->paused_reason, "quota"));
	g_autoptr(GTimeZone) utc = g_time_zone_new_utc();
	g_autoptr(GDateTime) tomorrow = g_date_time_new(utc, 2026, 12, 2, 0, 0, 0);
	g_assert_cmpint(alice->paused_until, ==, g_date_time_to_unix(tomorrow) * G_USEC_PER_SEC);
	/* The prospect is untouched: still waiting for step 1, nothing sent. */
	g_autoptr(GError) error = NULL;
	g_autoptr(Store) store = store_open(db, &error);
	g_autoptr(StoreCampaign) c = store_campaign_get(store, "quota", &error);
	g_autoptr(StoreEnrollment) e =
	        store_enrollment_get(store, c->id, "mallory@prospect.test", &error);
	g_assert_cmpstr(e->state, ==, "queued");
	g_autoptr(GPtrArray) messages = store_message_list_for_enrollment(store, e->id, &error);
	g_assert_cmpuint(messages->len, ==, 0);
	/* Later the same day nothing is tried (the fault server is gone). */
	g_autofree char *again = tick(db, "2026-12-01T20:00:00Z", ca_file);
	g_assert_nonnull(strstr(again, "\"sent\":0,\"failed\":0,\"deferred\":0,"));
	g_assert_nonnull(strstr(again, "\"mailboxes_paused\":0}"));
}

/* A delivery report for @recipient's copy of @original, as the receiving
 * side's MTA sends it: "failed" with @status. Without @original, a forged
 * one: it quotes nothing we sent, only the recipient and the status. */
static void
deliver_report(const char *recipient, GBytes *original, const char *action, const char *status)
{
	const TestLab *lab = test_lab_get();
	g_autofree char *message_id =
	        original != NULL ? test_lab_header(original, "Message-Id") : g_strdup("<x@y>");
	g_autofree char *raw = g_strdup_printf(
	        "From: Mail Delivery System <MAILER-DAEMON@prospect.test>\r\n"
	        "To: <alice@sender.test>\r\nSubject: Undelivered Mail Returned to Sender\r\n"
	        "Auto-Submitted: auto-replied\r\nMIME-Version: 1.0\r\n"
	        "Content-Type: multipart/report; report-type=delivery-status; boundary=\"B\"\r\n"
	        "\r\n--B\r\nContent-Type: text/plain\r\n\r\nThe mailbox is full.\r\n"
	        "--B\r\nContent-Type: message/delivery-status\r\n\r\n"
	        "Reporting-MTA: dns; mx.prospect.test\r\n\r\n"
	        "Final-Recipient: rfc822; %s\r\nAction: %s\r\nStatus: %s\r\n"
	        "Diagnostic-Code: smtp; 552 %s mailbox full, quota exceeded\r\n"
	        "\r\n--B\r\nContent-Type: text/rfc822-headers\r\n\r\n"
	        "Message-ID: %s\r\nTo: <%s>\r\n\r\n--B--\r\n",
	        recipient, action, status, status, message_id, recipient);
	if (original == NULL) {
		g_free(raw);
		raw = g_strdup_printf(
		        "From: <carol@prospect.test>\r\nTo: <alice@sender.test>\r\n"
		        "Subject: forged report\r\nMIME-Version: 1.0\r\n"
		        "Content-Type: multipart/report; report-type=delivery-status; "
		        "boundary=\"B\"\r\n\r\n--B\r\nContent-Type: text/plain\r\n\r\nGone.\r\n"
		        "--B\r\nContent-Type: message/delivery-status\r\n\r\n"
		        "Reporting-MTA: dns; mx.forged.test\r\n\r\n"
		        "Final-Recipient: rfc822; %s\r\nAction: %s\r\nStatus: %s\r\n\r\n"
		        "--B--\r\n",
		        recipient, action, status);
	}
	const char *to[] = {"alice@sender.test", NULL};
	g_autoptr(GError) error = NULL;
	/* Sent through the lab as one of its users; the report names its
	 * sender in the header, as MTAs do. */
	g_assert_true(test_lab_send(lab, "carol@prospect.test", to, raw, &error));
	g_assert_no_error(error);
}

static StoreEnrollment *
enrollment_in(const char *db, const char *campaign_name, const char *email)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(Store) store = store_open(db, &error);
	g_autoptr(StoreCampaign) c = store_campaign_get(store, campaign_name, &error);
	return store_enrollment_get(store, c->id, email, &error);
}

static void
test_soft_bounce_retries_then_stops(void)
{
	const TestLab *lab = test_lab_get();
	g_autofree char *db = new_db("soft");
	g_autofree char *smtp = g_strdup_printf("127.0.0.1:%u", lab->submission_port);
	add_mailbox(db, "alice@sender.test", smtp, "LAB_PW");
	const char *emails[] = {"nina@prospect.test", NULL};
	campaign(db, "soft", "alice@sender.test", emails);
	/* A second step ten days on: a pause must not bring it forward. */
	g_autofree char *yaml = g_strdup_printf(
	        "name: soft\nmailboxes: [alice@sender.test]\nwindow: daily "
	        "00:00-24:00\ndomain_caps: off\n"
	        "interval: 0s\nsteps:\n  - subject: \"%s\"\n    body: \"fault-%s for "
	        "{{first_name}}\"\n"
	        "  - delay: 10d\n    body: later\n",
	        token, token);
	g_autofree char *yaml_path = g_strdup_printf("%s/soft-2.yaml", dir);
	g_assert_true(g_file_set_contents(yaml_path, yaml, -1, NULL));
	const char *edit[] = {"campaign", "edit", yaml_path, NULL};
	piculet_ok(db, edit);
	g_autofree char *first = tick(db, "2026-12-01T09:00:00Z", lab->ca_file);
	g_assert_nonnull(strstr(first, "\"sent\":1,"));
	g_autofree char *marker = g_strdup_printf("fault-%s", token);
	g_autoptr(GBytes) sent = test_lab_wait_for_text(lab, "nina@prospect.test", marker, 20000);
	g_assert_nonnull(sent);
	/* Three reports of a full mailbox (5.2.2, not the address's fault):
	 * the first two pause a day, the third stops; the address stays good. */
	const char *days[] = {"2026-12-02T09:00:00Z", "2026-12-03T09:00:00Z",
	                      "2026-12-04T09:00:00Z"};
	for (guint i = 0; i < G_N_ELEMENTS(days); i++) {
		guint before = test_lab_count_text(lab, "alice@sender.test", "mailbox full");
		deliver_report("nina@prospect.test", sent, "failed", "5.2.2");
		g_assert_true(test_lab_wait_for_count(lab, "alice@sender.test", "mailbox full",
		                                      before + 1, 20000));
		g_autofree char *pass = tick(db, days[i], lab->ca_file);
		g_assert_nonnull(strstr(pass, "\"sent\":0,"));
		g_autoptr(StoreEnrollment) e = enrollment_in(db, "soft", "nina@prospect.test");
		if (i < 2) {
			g_assert_cmpstr(e->state, ==, "paused");
			g_assert_true(g_str_has_prefix(e->reason,
			                               i == 0 ? "soft bounce 1" : "soft bounce 2"));
		} else {
			g_assert_cmpstr(e->state, ==, "bounced");
		}
	}
	g_autoptr(GError) error = NULL;
	g_autoptr(Store) store = store_open(db, &error);
	g_autoptr(StoreProspect) nina = store_prospect_get(store, "nina@prospect.test", &error);
	g_assert_cmpstr(nina->status, ==, "ok");
}

/* Anyone can send a report naming an address. One that quotes nothing we
 * sent and comes from an ordinary sender (not the null sender of real
 * bounces) changes nothing: the prospect is not bounced anywhere, the
 * sequence goes on, and the report is kept for a person to look at. */
static void
test_forged_bounce_changes_nothing(void)
{
	const TestLab *lab = test_lab_get();
	g_autofree char *db = new_db("forged");
	g_autofree char *smtp = g_strdup_printf("127.0.0.1:%u", lab->submission_port);
	add_mailbox(db, "alice@sender.test", smtp, "LAB_PW");
	const char *emails[] = {"oscar@prospect.test", NULL};
	campaign(db, "forged", "alice@sender.test", emails);
	g_autofree char *yaml = g_strdup_printf(
	        "name: forged\nmailboxes: [alice@sender.test]\nwindow: daily "
	        "00:00-24:00\ndomain_caps: off\n"
	        "interval: 0s\nsteps:\n  - subject: \"%s\"\n    body: \"fault-%s for "
	        "{{first_name}}\"\n  - delay: 10d\n    body: later\n",
	        token, token);
	g_autofree char *yaml_path = g_strdup_printf("%s/forged-2.yaml", dir);
	g_assert_true(g_file_set_contents(yaml_path, yaml, -1, NULL));
	const char *edit[] = {"campaign", "edit", yaml_path, NULL};
	piculet_ok(db, edit);
	g_autofree char *first = tick(db, "2026-12-01T09:00:00Z", lab->ca_file);
	g_assert_nonnull(strstr(first, "\"sent\":1,"));
	guint before = test_lab_count_text(lab, "alice@sender.test", "forged report");
	deliver_report("oscar@prospect.test", NULL, "failed", "5.1.1");
	g_assert_true(test_lab_wait_for_count(lab, "alice@sender.test", "forged report", before + 1,
	                                      20000));
	g_autofree char *pass = tick(db, "2026-12-01T10:00:00Z", lab->ca_file);
	g_assert_nonnull(strstr(pass, "\"bounces\":0,"));
	g_autoptr(StoreEnrollment) e = enrollment_in(db, "forged", "oscar@prospect.test");
	g_assert_cmpstr(e->state, ==, "active");
	g_autoptr(GError) error = NULL;
	g_autoptr(Store) store = store_open(db, &error);
	g_autoptr(StoreProspect) oscar = store_prospect_get(store, "oscar@prospect.test", &error);
	g_assert_cmpstr(oscar->status, ==, "ok");
	/* Kept for a person to look at. */
	g_auto(TestCliRun) replies = {0};
	const char *replies_args[] = {"replies", NULL};
	piculet_env(&replies, db, "x", replies_args);
	g_assert_cmpint(replies.status, ==, 0);
	g_assert_nonnull(strstr(replies.out, "unmatched_bounce"));
	g_assert_nonnull(strstr(replies.out, "refers to no message of ours"));

	/* A real report that delivery is only delayed (Action: delayed,
	 * quoting our message) changes nothing either, and is not counted as
	 * a bounce. */
	g_autofree char *marker = g_strdup_printf("fault-%s", token);
	g_autoptr(GBytes) sent = test_lab_wait_for_text(lab, "oscar@prospect.test", marker, 20000);
	g_assert_nonnull(sent);
	guint reports = test_lab_count_text(lab, "alice@sender.test", "mailbox full");
	deliver_report("oscar@prospect.test", sent, "delayed", "4.4.7");
	g_assert_true(test_lab_wait_for_count(lab, "alice@sender.test", "mailbox full", reports + 1,
	                                      20000));
	g_autofree char *after_delay = tick(db, "2026-12-01T11:00:00Z", lab->ca_file);
	g_assert_nonnull(strstr(after_delay, "\"bounces\":0,"));
	g_autoptr(StoreEnrollment) still = enrollment_in(db, "forged", "oscar@prospect.test");
	g_assert_cmpstr(still->state, ==, "active");
	g_auto(TestCliRun) report = {0};
	const char *report_args[] = {"report", "forged", "--json", NULL};
	piculet_env(&report, db, "x", report_args);
	g_assert_cmpint(report.status, ==, 0);
	g_assert_nonnull(strstr(report.out, "\"step\":1,\"sent\":1,"));
	g_assert_nonnull(strstr(report.out, "\"bounced\":0"));
}

/* A campaign of two steps (the second ten days on) from alice to @emails. */
static void
two_step_campaign(const char *db, const char *name, const char *const *emails)
{
	campaign(db, name, "alice@sender.test", emails);
	g_autofree char *yaml = g_strdup_printf(
	        "name: %s\nmailboxes: [alice@sender.test]\nwindow: daily 00:00-24:00\ndomain_caps: "
	        "off\n"
	        "interval: 0s\nsteps:\n  - subject: \"%s %s\"\n    body: \"fault-%s for "
	        "{{first_name}}\"\n  - delay: 10d\n    body: later\n",
	        name, name, token, token);
	g_autofree char *yaml_path = g_strdup_printf("%s/%s-2.yaml", dir, name);
	g_assert_true(g_file_set_contents(yaml_path, yaml, -1, NULL));
	const char *edit[] = {"campaign", "edit", yaml_path, NULL};
	piculet_ok(db, edit);
}

/* Someone else at the company writes a new message ("AW: <our subject>",
 * no thread headers): with the company policy, the company has answered:
 * recorded, and the sequences to that company stop. */
static void
test_colleague_without_thread_headers(void)
{
	const TestLab *lab = test_lab_get();
	g_autofree char *db = new_db("colleague");
	g_autofree char *smtp = g_strdup_printf("127.0.0.1:%u", lab->submission_port);
	add_mailbox(db, "alice@sender.test", smtp, "LAB_PW");
	const char *emails[] = {"ann@acme.test", "ben@acme.test", NULL};
	two_step_campaign(db, "colleague", emails);
	g_autofree char *first = tick(db, "2026-12-01T09:00:00Z", lab->ca_file);
	g_assert_nonnull(strstr(first, "\"sent\":2,"));
	g_autofree char *marker = g_strdup_printf("colleague-note-%s", token);
	g_autofree char *raw =
	        g_strdup_printf("From: Cat <cat@acme.test>\r\nTo: <alice@sender.test>\r\n"
	                        "Subject: AW: colleague %s\r\nMessage-ID: <%s@acme.test>\r\n"
	                        "Date: Tue, 01 Dec 2026 09:30:00 +0000\r\n\r\n"
	                        "Ann is away; I look after this. %s\r\n",
	                        token, marker, marker);
	const char *to[] = {"alice@sender.test", NULL};
	g_autoptr(GError) error = NULL;
	g_assert_true(test_lab_send(lab, "cat@acme.test", to, raw, &error));
	g_assert_no_error(error);
	g_assert_true(test_lab_wait_for_count(lab, "alice@sender.test", marker, 1, 20000));
	g_autofree char *pass = tick(db, "2026-12-01T10:00:00Z", lab->ca_file);
	g_assert_nonnull(strstr(pass, "\"replies\":1,"));
	g_autoptr(StoreEnrollment) ann = enrollment_in(db, "colleague", "ann@acme.test");
	g_autoptr(StoreEnrollment) ben = enrollment_in(db, "colleague", "ben@acme.test");
	g_assert_true(strcmp(ann->state, "replied") == 0 || strcmp(ben->state, "replied") == 0);
	g_assert_true(strcmp(ann->state, "active") != 0 && strcmp(ben->state, "active") != 0);
	g_auto(TestCliRun) replies = {0};
	const char *replies_args[] = {"replies", "colleague", NULL};
	piculet_env(&replies, db, "x", replies_args);
	g_assert_nonnull(strstr(replies.out, "cat@acme.test"));
	/* Ten days on, no second step to either. */
	g_autofree char *later = tick(db, "2026-12-12T09:00:00Z", lab->ca_file);
	g_assert_nonnull(strstr(later, "\"sent\":0,"));
}

/* The company policy never spans a public provider's domain: here the
 * campaign declares prospect.test one (as gmail.com is by default), so one
 * person there answering stops nobody else there. */
static void
test_public_domain_is_not_a_company(void)
{
	const TestLab *lab = test_lab_get();
	g_autofree char *db = new_db("public");
	g_autofree char *smtp = g_strdup_printf("127.0.0.1:%u", lab->submission_port);
	add_mailbox(db, "alice@sender.test", smtp, "LAB_PW");
	const char *emails[] = {"rupert@prospect.test", "sybil@prospect.test", NULL};
	campaign(db, "public", "alice@sender.test", emails);
	g_autofree char *yaml =
	        g_strdup_printf("name: public\nmailboxes: [alice@sender.test]\nwindow: daily "
	                        "00:00-24:00\ndomain_caps: off\n"
	                        "interval: 0s\npolicies:\n  public_domains: [prospect.test]\n"
	                        "steps:\n  - subject: \"public %s\"\n    body: \"fault-%s for "
	                        "{{first_name}}\"\n  - delay: 10d\n    body: later\n",
	                        token, token);
	g_autofree char *yaml_path = g_strdup_printf("%s/public-2.yaml", dir);
	g_assert_true(g_file_set_contents(yaml_path, yaml, -1, NULL));
	const char *edit[] = {"campaign", "edit", yaml_path, NULL};
	piculet_ok(db, edit);
	g_autofree char *day1 = tick(db, "2026-12-01T09:00:00Z", lab->ca_file);
	g_assert_nonnull(strstr(day1, "\"sent\":2,"));
	g_autofree char *subject = g_strdup_printf("public %s", token);
	g_autoptr(GBytes) sent =
	        test_lab_wait_for_message(lab, "rupert@prospect.test", "Subject", subject, 20000);
	g_assert_nonnull(sent);
	g_autoptr(GError) error = NULL;
	g_autofree char *reply_id =
	        test_lab_reply(lab, "rupert@prospect.test", sent, "Sure.", false, &error);
	g_assert_no_error(error);
	g_assert_true(test_lab_wait_for_count(lab, "alice@sender.test", reply_id, 1, 20000));
	g_autofree char *pass = tick(db, "2026-12-01T10:00:00Z", lab->ca_file);
	g_assert_nonnull(strstr(pass, "\"replies\":1,"));
	g_autoptr(StoreEnrollment) rupert = enrollment_in(db, "public", "rupert@prospect.test");
	g_autoptr(StoreEnrollment) sybil = enrollment_in(db, "public", "sybil@prospect.test");
	g_assert_cmpstr(rupert->state, ==, "replied");
	g_assert_cmpstr(sybil->state, ==, "active");
}

/* A person who answers in one campaign is in a conversation: the same
 * person's sequence in another campaign stops too. */
static void
test_reply_stops_other_campaigns(void)
{
	const TestLab *lab = test_lab_get();
	g_autofree char *db = new_db("elsewhere");
	g_autofree char *smtp = g_strdup_printf("127.0.0.1:%u", lab->submission_port);
	add_mailbox(db, "alice@sender.test", smtp, "LAB_PW");
	const char *emails[] = {"peggy@prospect.test", NULL};
	two_step_campaign(db, "first", emails);
	two_step_campaign(db, "second", emails);
	g_autofree char *day1 = tick(db, "2026-12-01T09:00:00Z", lab->ca_file);
	g_assert_nonnull(strstr(day1, "\"sent\":2,"));
	g_autofree char *subject = g_strdup_printf("first %s", token);
	g_autoptr(GBytes) sent =
	        test_lab_wait_for_message(lab, "peggy@prospect.test", "Subject", subject, 20000);
	g_assert_nonnull(sent);
	g_autoptr(GError) error = NULL;
	g_autofree char *reply_id =
	        test_lab_reply(lab, "peggy@prospect.test", sent, "Happy to talk.", false, &error);
	g_assert_no_error(error);
	g_assert_true(test_lab_wait_for_count(lab, "alice@sender.test", reply_id, 1, 20000));
	g_autofree char *pass = tick(db, "2026-12-01T10:00:00Z", lab->ca_file);
	g_assert_nonnull(strstr(pass, "\"replies\":1,"));
	g_autoptr(StoreEnrollment) in_first = enrollment_in(db, "first", "peggy@prospect.test");
	g_autoptr(StoreEnrollment) in_second = enrollment_in(db, "second", "peggy@prospect.test");
	g_assert_cmpstr(in_first->state, ==, "replied");
	g_assert_cmpstr(in_second->state, ==, "stopped");
	g_assert_nonnull(strstr(in_second->reason, "replied in campaign \"first\""));
	g_autofree char *later = tick(db, "2026-12-12T09:00:00Z", lab->ca_file);
	g_assert_nonnull(strstr(later, "\"sent\":0,"));
}

/* "Never after a reply" holds when the database is busy while the reply
 * is read: another process holds its write lock through a whole pass. That
 * pass fails and says so, applies nothing and keeps the folder's cursor;
 * the next pass applies the reply. (On PostgreSQL another writer does not
 * hold up this pass: it applies the reply at once.) */
static void
test_reply_survives_a_busy_database(void)
{
	const TestLab *lab = test_lab_get();
	g_autofree char *db = new_db("busy");
	g_autofree char *smtp = g_strdup_printf("127.0.0.1:%u", lab->submission_port);
	add_mailbox(db, "alice@sender.test", smtp, "LAB_PW");
	const char *emails[] = {"quinn@prospect.test", NULL};
	two_step_campaign(db, "busy", emails);
	g_autofree char *first = tick(db, "2026-12-01T09:00:00Z", lab->ca_file);
	g_assert_nonnull(strstr(first, "\"sent\":1,"));
	g_autofree char *subject = g_strdup_printf("busy %s", token);
	g_autoptr(GBytes) sent =
	        test_lab_wait_for_message(lab, "quinn@prospect.test", "Subject", subject, 20000);
	g_assert_nonnull(sent);
	g_autoptr(GError) error = NULL;
	g_autofree char *reply_id =
	        test_lab_reply(lab, "quinn@prospect.test", sent, "Let's talk.", false, &error);
	g_assert_no_error(error);
	g_assert_true(test_lab_wait_for_count(lab, "alice@sender.test", reply_id, 1, 20000));

	/* Another process takes the write lock and keeps it until its input
	 * closes. */
	TestCliLock *lock = test_cli_hold_write_lock(db);
	g_auto(TestCliRun) busy = {0};
	const char *args[] = {"tick",       "--now", "2026-12-01T10:00:00Z", "--json", "--ca-file",
	                      lab->ca_file, NULL};
	piculet_env(&busy, db, "x", args);
	if (test_pg_wanted()) {
		g_assert_cmpint(busy.status, ==, 0);
		g_assert_nonnull(strstr(busy.out, "\"replies\":1,"));
	} else {
		g_assert_cmpint(busy.status, ==, 75);
		g_assert_nonnull(strstr(busy.err, "locked"));
	}
	test_cli_release_lock(lock);

	g_autofree char *after = tick(db, "2026-12-01T10:05:00Z", lab->ca_file);
	g_assert_nonnull(strstr(after, test_pg_wanted() ? "\"replies\":0," : "\"replies\":1,"));
	g_autoptr(StoreEnrollment) e = enrollment_in(db, "busy", "quinn@prospect.test");
	g_assert_cmpstr(e->state, ==, "replied");
	g_autofree char *later = tick(db, "2026-12-12T09:00:00Z", lab->ca_file);
	g_assert_nonnull(strstr(later, "\"sent\":0,"));
}

/* Campaign @name of two steps from alice to @who, its opening sent: the
 * Message-ID (with <>) of that opening, as @who received it. */
static char *
opened(const char *db, const char *name, const char *who)
{
	const TestLab *lab = test_lab_get();
	g_autofree char *smtp = g_strdup_printf("127.0.0.1:%u", lab->submission_port);
	add_mailbox(db, "alice@sender.test", smtp, "LAB_PW");
	const char *emails[] = {who, NULL};
	two_step_campaign(db, name, emails);
	g_autofree char *first = tick(db, "2026-12-01T09:00:00Z", lab->ca_file);
	g_assert_nonnull(strstr(first, "\"sent\":1,"));
	/* This campaign's message (its subject names it), not another test's. */
	g_autofree char *marker = g_strdup_printf("%s %s", name, token);
	g_autoptr(GBytes) sent = test_lab_wait_for_text(lab, who, marker, 20000);
	g_assert_nonnull(sent);
	return test_lab_header(sent, "Message-Id");
}

/* Mail from the prospect that no rule can read (here a report of a kind
 * nobody knows, in the thread) may be a reply: the sequence holds, no
 * follow-up goes, until a person looks and resumes it. */
static void
test_unreadable_mail_holds_the_sequence(void)
{
	const TestLab *lab = test_lab_get();
	g_autofree char *db = new_db("held");
	g_autofree char *ours = opened(db, "held", "rupert@prospect.test");
	g_autofree char *marker = g_strdup_printf("held-%s", token);
	g_autofree char *raw = g_strdup_printf(
	        "From: <rupert@prospect.test>\r\nTo: <alice@sender.test>\r\n"
	        "Subject: Report\r\nIn-Reply-To: %s\r\nMIME-Version: 1.0\r\n"
	        "Content-Type: multipart/report; report-type=x-vendor-status; boundary=\"B\"\r\n"
	        "\r\n--B\r\nContent-Type: text/plain\r\n\r\n%s\r\n--B--\r\n",
	        ours, marker);
	const char *to[] = {"alice@sender.test", NULL};
	g_autoptr(GError) error = NULL;
	g_assert_true(test_lab_send(lab, "rupert@prospect.test", to, raw, &error));
	g_assert_no_error(error);
	g_assert_true(test_lab_wait_for_count(lab, "alice@sender.test", marker, 1, 20000));
	g_autofree char *pass = tick(db, "2026-12-01T10:00:00Z", lab->ca_file);
	g_assert_nonnull(strstr(pass, "\"replies\":0,"));
	g_autoptr(StoreEnrollment) held = enrollment_in(db, "held", "rupert@prospect.test");
	g_assert_cmpstr(held->state, ==, "paused");
	g_assert_nonnull(strstr(held->reason, "needs a look"));
	g_auto(TestCliRun) replies = {0};
	const char *replies_args[] = {"replies", "held", NULL};
	piculet_env(&replies, db, "x", replies_args);
	g_assert_nonnull(strstr(replies.out, "rupert@prospect.test (other, needs review)"));
	g_auto(TestCliRun) status = {0};
	const char *status_args[] = {"status", NULL};
	piculet_env(&status, db, "x", status_args);
	g_assert_nonnull(strstr(status.out, "held until a person looks"));
	/* Ten days on, the follow-up is due but does not go. */
	g_autofree char *later = tick(db, "2026-12-12T09:00:00Z", lab->ca_file);
	g_assert_nonnull(strstr(later, "\"sent\":0,"));
	/* A person looked: it was nothing. The sequence goes on. */
	const char *resume[] = {"prospects", "resume", "rupert@prospect.test", NULL};
	piculet_ok(db, resume);
	g_autofree char *resumed = tick(db, "2026-12-12T10:00:00Z", lab->ca_file);
	g_assert_nonnull(strstr(resumed, "\"sent\":1,"));
	g_autoptr(StoreEnrollment) done = enrollment_in(db, "held", "rupert@prospect.test");
	g_assert_cmpstr(done->state, ==, "completed");
}

/* The prospect answers by booking a time through the link in our message:
 * the scheduling tool, not the person, writes to us, outside our thread,
 * and names them. That is their reply: the sequence stops, and a notice
 * that names nobody we wrote to changes nothing. */
static void
test_booking_notice_is_the_reply(void)
{
	const TestLab *lab = test_lab_get();
	g_autofree char *db = new_db("booked");
	g_autofree char *ours = opened(db, "booked", "heidi@prospect.test");
	g_assert_nonnull(ours);
	const char *to[] = {"alice@sender.test", NULL};
	const char *invitees[] = {"xavier@elsewhere.test", "heidi@prospect.test"};
	for (gsize i = 0; i < G_N_ELEMENTS(invitees); i++) {
		g_autofree char *marker =
		        g_strdup_printf("booked-%" G_GSIZE_FORMAT "-%s", i, token);
		g_autofree char *raw = g_strdup_printf(
		        "From: Calendly <notifications@calendly.example>\r\nTo: "
		        "<alice@sender.test>\r\n"
		        "Subject: New Event: %s - 03:00pm Thu, Dec 3, 2026 - 30 Minute Meeting\r\n"
		        "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"
		        "Hi Alice,\r\n\r\nA new event has been scheduled.\r\n\r\n"
		        "Invitee Email:\r\n%s\r\n\r\nHelp: support@calendly.example\r\n",
		        marker, invitees[i]);
		g_autoptr(GError) error = NULL;
		g_assert_true(test_lab_send(lab, "carol@prospect.test", to, raw, &error));
		g_assert_no_error(error);
		g_assert_true(test_lab_wait_for_count(lab, "alice@sender.test", marker, 1, 20000));
		g_autofree char *pass = tick(
		        db, i == 0 ? "2026-12-01T10:00:00Z" : "2026-12-01T11:00:00Z", lab->ca_file);
		g_assert_nonnull(strstr(pass, i == 0 ? "\"replies\":0," : "\"replies\":1,"));
	}
	g_autoptr(StoreEnrollment) e = enrollment_in(db, "booked", "heidi@prospect.test");
	g_assert_cmpstr(e->state, ==, "replied");
	g_auto(TestCliRun) replies = {0};
	const char *replies_args[] = {"replies", "booked", "--intent", "meeting", NULL};
	piculet_env(&replies, db, "x", replies_args);
	g_assert_nonnull(strstr(replies.out, "heidi@prospect.test"));
	/* Ten days on, the follow-up is due but does not go. */
	g_autofree char *later = tick(db, "2026-12-12T09:00:00Z", lab->ca_file);
	g_assert_nonnull(strstr(later, "\"sent\":0,"));
}

/* A spam complaint (an ARF report from a feedback loop, quoting our
 * message) opts the person out: the address is blacklisted and the
 * complaint is in the history, against the mailbox that sent. */
static void
test_complaint_opts_out(void)
{
	const TestLab *lab = test_lab_get();
	g_autofree char *db = new_db("complaint");
	g_autofree char *ours = opened(db, "complaint", "sybil@prospect.test");
	g_autofree char *marker = g_strdup_printf("complaint-%s", token);
	g_autofree char *raw = g_strdup_printf(
	        "From: Feedback Loop <fbl@prospect.test>\r\nTo: <alice@sender.test>\r\n"
	        "Subject: %s\r\nMIME-Version: 1.0\r\n"
	        "Content-Type: multipart/report; report-type=feedback-report; boundary=\"A\"\r\n"
	        "\r\n--A\r\nContent-Type: text/plain\r\n\r\nAn abuse report.\r\n"
	        "--A\r\nContent-Type: message/feedback-report\r\n\r\n"
	        "Feedback-Type: abuse\r\nVersion: 1\r\n"
	        "Original-Rcpt-To: <sybil@prospect.test>\r\n"
	        "\r\n--A\r\nContent-Type: text/rfc822-headers\r\n\r\n"
	        "Message-ID: %s\r\nTo: <sybil@prospect.test>\r\n\r\n--A--\r\n",
	        marker, ours);
	const char *to[] = {"alice@sender.test", NULL};
	g_autoptr(GError) error = NULL;
	g_assert_true(test_lab_send(lab, "carol@prospect.test", to, raw, &error));
	g_assert_no_error(error);
	g_assert_true(test_lab_wait_for_count(lab, "alice@sender.test", marker, 1, 20000));
	g_autofree char *pass = tick(db, "2026-12-01T10:00:00Z", lab->ca_file);
	g_assert_nonnull(strstr(pass, "\"opt_outs\":1,"));
	g_autoptr(StoreEnrollment) e = enrollment_in(db, "complaint", "sybil@prospect.test");
	g_assert_cmpstr(e->state, ==, "opted_out");
	g_autoptr(Store) store = store_open(db, &error);
	bool blocked = false;
	g_assert_true(store_blacklist_blocks(store, "sybil@prospect.test", &blocked, &error));
	g_assert_true(blocked);
	g_auto(TestCliRun) show = {0};
	const char *show_args[] = {"prospects", "show", "sybil@prospect.test", NULL};
	piculet_env(&show, db, "x", show_args);
	g_assert_nonnull(strstr(show.out, "complaint"));
	/* Against the mailbox's health. */
	g_auto(TestCliRun) status = {0};
	const char *status_args[] = {"status", "--now", "2026-12-01T11:00:00Z", NULL};
	piculet_env(&status, db, "x", status_args);
	g_assert_nonnull(strstr(status.out, "1 spam complaint(s) in 30 days"));
	g_autofree char *later = tick(db, "2026-12-12T09:00:00Z", lab->ca_file);
	g_assert_nonnull(strstr(later, "\"sent\":0,"));
}

/* An Amazon SES complaint published to the mailbox (JSON through SNS,
 * from no null sender, returning nothing of our message) names our
 * message by its Message-ID: believed only when that is one we sent. */
static char *
ses_complaint(const char *subject, const char *about)
{
	return g_strdup_printf(
	        "From: AWS Notifications <no-reply@sns.amazonaws.com>\r\nTo: "
	        "<alice@sender.test>\r\n"
	        "Subject: %s\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=UTF-8\r\n"
	        "\r\n{\"notificationType\":\"Complaint\",\"complaint\":{\"complainedRecipients\":"
	        "[{\"emailAddress\":\"grace@prospect.test\"}],\"complaintFeedbackType\":\"abuse\"},"
	        "\"mail\":{\"source\":\"alice@sender.test\",\"commonHeaders\":{\"messageId\":"
	        "\"%s\"}}}\r\n\r\n--\r\nIf you wish to stop receiving notifications from this "
	        "topic, please click or visit the link below to unsubscribe:\r\n",
	        subject, about);
}

/* Sends a complaint marked @marker naming @about to alice, waits for it,
 * and returns the engine pass at @when. */
static char *
complain_and_tick(const char *db, const char *marker, const char *about, const char *when)
{
	const TestLab *lab = test_lab_get();
	const char *to[] = {"alice@sender.test", NULL};
	g_autoptr(GError) error = NULL;
	g_autofree char *raw = ses_complaint(marker, about);
	g_assert_true(test_lab_send(lab, "carol@prospect.test", to, raw, &error));
	g_assert_no_error(error);
	g_assert_true(test_lab_wait_for_count(lab, "alice@sender.test", marker, 1, 20000));
	return tick(db, when, lab->ca_file);
}

static void
test_ses_complaint_by_reference(void)
{
	const TestLab *lab = test_lab_get();
	g_autofree char *db = new_db("ses");
	g_autofree char *ours = opened(db, "ses", "grace@prospect.test");
	/* One naming a message we never sent: kept for a person, nothing
	 * else. */
	g_autofree char *forged_marker = g_strdup_printf("ses-forged-%s", token);
	g_autofree char *nobody = g_strdup_printf("<never-%s@sender.test>", token);
	g_autofree char *first =
	        complain_and_tick(db, forged_marker, nobody, "2026-12-01T10:00:00Z");
	g_assert_nonnull(strstr(first, "\"opt_outs\":0,"));
	g_autoptr(StoreEnrollment) still = enrollment_in(db, "ses", "grace@prospect.test");
	g_assert_cmpstr(still->state, ==, "active");
	/* One naming ours: the person is opted out. */
	g_autofree char *marker = g_strdup_printf("ses-%s", token);
	g_autofree char *second = complain_and_tick(db, marker, ours, "2026-12-01T11:00:00Z");
	g_assert_nonnull(strstr(second, "\"opt_outs\":1,"));
	g_autoptr(StoreEnrollment) e = enrollment_in(db, "ses", "grace@prospect.test");
	g_assert_cmpstr(e->state, ==, "opted_out");
	g_autofree char *later = tick(db, "2026-12-12T09:00:00Z", lab->ca_file);
	g_assert_nonnull(strstr(later, "\"sent\":0,"));
}

/* What a reply means decides what follows, by the campaign's policies:
 * "check back in Q2" pauses the sequence until then and it goes on by
 * itself; "not the right person, write to victor@" ends it and enrolls
 * Victor; "let's meet" moves the person to the demo campaign. */
static void
test_reply_policies_by_intent(void)
{
	const TestLab *lab = test_lab_get();
	g_autofree char *db = new_db("policies");
	g_autofree char *smtp = g_strdup_printf("127.0.0.1:%u", lab->submission_port);
	add_mailbox(db, "alice@sender.test", smtp, "LAB_PW");
	const char *nobody[] = {NULL};
	campaign(db, "Demo", "alice@sender.test", nobody);
	const char *emails[] = {"trent@prospect.test", "uma@prospect.test", "ivan@prospect.test",
	                        NULL};
	campaign(db, "policies", "alice@sender.test", emails);
	g_autofree char *yaml = g_strdup_printf(
	        "name: policies\nmailboxes: [alice@sender.test]\nwindow: daily "
	        "00:00-24:00\ndomain_caps: off\n"
	        "interval: 0s\npolicies:\n  stop_on_company_reply: false\n  on_reply:\n    later: "
	        "pause\n"
	        "    wrong_person: enroll_referral\n    meeting: move Demo\n"
	        "steps:\n  - subject: \"policies %s\"\n    body: \"fault-%s for "
	        "{{first_name|you}}\"\n"
	        "  - delay: 10d\n    body: \"second-%s\"\n",
	        token, token, token);
	g_autofree char *yaml_path = g_strdup_printf("%s/policies-2.yaml", dir);
	g_assert_true(g_file_set_contents(yaml_path, yaml, -1, NULL));
	const char *edit[] = {"campaign", "edit", yaml_path, NULL};
	piculet_ok(db, edit);
	g_autofree char *first = tick(db, "2026-12-01T09:00:00Z", lab->ca_file);
	g_assert_nonnull(strstr(first, "\"sent\":3,"));
	g_autofree char *marker = g_strdup_printf("fault-%s", token);
	struct {
		const char *from;
		const char *text;
	} replies[] = {
	        {"trent@prospect.test", "Not right now, check back in Q2."},
	        {"uma@prospect.test",
	         "I'm not the right person for this. Please reach out to victor@prospect.test."},
	        {"ivan@prospect.test", "Sounds good, let's meet. Does Thursday at 3pm work?"},
	};
	guint before = test_lab_count_text(lab, "alice@sender.test", "Re: policies");
	for (gsize i = 0; i < G_N_ELEMENTS(replies); i++) {
		g_autoptr(GBytes) original =
		        test_lab_wait_for_text(lab, replies[i].from, marker, 20000);
		g_assert_nonnull(original);
		g_autoptr(GError) error = NULL;
		g_autofree char *id = test_lab_reply(lab, replies[i].from, original,
		                                     replies[i].text, false, &error);
		g_assert_no_error(error);
		g_assert_nonnull(id);
	}
	g_assert_true(test_lab_wait_for_count(lab, "alice@sender.test", "Re: policies",
	                                      before + G_N_ELEMENTS(replies), 20000));
	g_autofree char *pass = tick(db, "2026-12-01T10:00:00Z", lab->ca_file);
	g_assert_nonnull(strstr(pass, "\"replies\":3,"));

	g_autoptr(StoreEnrollment) trent = enrollment_in(db, "policies", "trent@prospect.test");
	g_assert_cmpstr(trent->state, ==, "paused");
	g_assert_cmpstr(trent->reason, ==, "replied (later): paused");
	g_autoptr(GDateTime) q2 = g_date_time_new_utc(2027, 4, 1, 0, 0, 0);
	g_assert_cmpint(trent->next_due_at, ==, g_date_time_to_unix(q2) * G_USEC_PER_SEC);
	g_autoptr(StoreEnrollment) uma = enrollment_in(db, "policies", "uma@prospect.test");
	g_assert_cmpstr(uma->state, ==, "replied");
	g_autoptr(StoreEnrollment) ivan = enrollment_in(db, "policies", "ivan@prospect.test");
	g_assert_cmpstr(ivan->state, ==, "replied");
	g_auto(TestCliRun) later = {0};
	const char *later_args[] = {"replies", "policies", "--intent", "later", NULL};
	piculet_env(&later, db, "x", later_args);
	g_assert_nonnull(strstr(later.out, "trent@prospect.test (reply, later until 2027-04-01)"));

	/* Victor's first step and Ivan's demo go (in this pass or the next);
	 * Trent hears nothing until April, then his sequence goes on by
	 * itself. */
	g_autofree char *next = tick(db, "2026-12-01T10:05:00Z", lab->ca_file);
	g_assert_nonnull(strstr(next, "\"replies\":0,"));
	g_autoptr(StoreEnrollment) victor = enrollment_in(db, "policies", "victor@prospect.test");
	g_assert_cmpstr(victor->state, ==, "active");
	g_assert_true(test_lab_wait_for_count(lab, "victor@prospect.test", marker, 1, 20000));
	g_autoptr(StoreEnrollment) moved = enrollment_in(db, "Demo", "ivan@prospect.test");
	g_assert_cmpstr(moved->state, ==, "completed");
	g_autofree char *december = tick(db, "2026-12-20T09:00:00Z", lab->ca_file);
	g_assert_nonnull(strstr(december, "\"replies\":0,"));
	g_autoptr(StoreEnrollment) waiting = enrollment_in(db, "policies", "trent@prospect.test");
	g_assert_cmpstr(waiting->state, ==, "paused");
	g_autofree char *second = g_strdup_printf("second-%s", token);
	g_assert_cmpuint(test_lab_count_text(lab, "trent@prospect.test", second), ==, 0);
	g_autofree char *april = tick(db, "2027-04-01T09:00:00Z", lab->ca_file);
	g_assert_nonnull(strstr(april, "\"sent\":1,"));
	g_assert_true(test_lab_wait_for_count(lab, "trent@prospect.test", second, 1, 20000));
	g_autoptr(StoreEnrollment) done = enrollment_in(db, "policies", "trent@prospect.test");
	g_assert_cmpstr(done->state, ==, "completed");
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	dir = g_dir_make_tmp("piculet-faults-XXXXXX", NULL);
	token = g_uuid_string_random();
	g_test_add_func("/engine/faults/smtp-down-for-an-hour", test_smtp_down_for_an_hour);
	g_test_add_func("/engine/faults/imap-password-changed", test_imap_password_changed);
	g_test_add_func("/engine/faults/quota-421-pauses-until-tomorrow",
	                test_quota_421_pauses_until_tomorrow);
	g_test_add_func("/engine/faults/soft-bounce-retries-then-stops",
	                test_soft_bounce_retries_then_stops);
	g_test_add_func("/engine/faults/forged-bounce-changes-nothing",
	                test_forged_bounce_changes_nothing);
	g_test_add_func("/engine/inbox/colleague-without-thread-headers-stops-the-company",
	                test_colleague_without_thread_headers);
	g_test_add_func("/engine/inbox/reply-stops-the-same-person-in-other-campaigns",
	                test_reply_stops_other_campaigns);
	g_test_add_func("/engine/inbox/public-domain-is-not-a-company",
	                test_public_domain_is_not_a_company);
	g_test_add_func("/engine/inbox/reply-survives-a-busy-database",
	                test_reply_survives_a_busy_database);
	g_test_add_func("/engine/inbox/unreadable-mail-holds-the-sequence",
	                test_unreadable_mail_holds_the_sequence);
	g_test_add_func("/engine/inbox/complaint-opts-out", test_complaint_opts_out);
	g_test_add_func("/engine/inbox/ses-complaint-believed-by-reference",
	                test_ses_complaint_by_reference);
	g_test_add_func("/engine/inbox/reply-policies-by-intent", test_reply_policies_by_intent);
	g_test_add_func("/engine/inbox/booking-notice-is-the-reply",
	                test_booking_notice_is_the_reply);
	int status = g_test_run();
	g_autofree char *command = g_strdup_printf("rm -rf '%s'", dir);
	g_spawn_command_line_sync(command, NULL, NULL, NULL, NULL);
	g_free(dir);
	g_free(token);
	return status;
}
