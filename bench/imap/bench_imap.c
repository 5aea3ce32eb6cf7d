/*
 * bench-imap: the IMAP figures that need the library itself.
 *
 *   bench-imap poll HOST PORT USER CAFILE N   N polls of INBOX with nothing new
 *                                             on one live session: time and
 *                                             bytes per poll
 *   bench-imap idle HOST PORT USER CAFILE K   K sessions in IDLE in one watcher:
 *                                             resident memory per session, threads
 *   bench-imap raw HOST PORT USER CAFILE 0    the ceiling: log in, EXAMINE INBOX,
 *                                             send the sync's FETCH of every message
 *                                             and only read the lines of the answer
 *                                             (no parsing, no literals decoded)
 *
 * The password is read from $BENCH_IMAP_PASSWORD. Prints one line of
 * "key=value" figures.
 */
#include "imap/imap_client.h"
#include "imap/imap_sync.h"
#include "imap/imap_watcher.h"
#include "net/net_conn.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static ImapClient *
open_session(const char *host, uint16_t port, const char *user, NetTls *tls)
{
	g_autoptr(GError) error = NULL;
	ImapClientOptions options = {
	        .host = host, .port = port, .security = IMAP_SECURITY_TLS, .tls = tls};
	ImapClient *client = imap_client_new(&options);
	g_autoptr(BaseSecret) secret = base_secret_new_from_env("BENCH_IMAP_PASSWORD", &error);
	ImapCredentials credentials = {.user = user, .secret = secret};
	bool enabled = false;
	if (secret == NULL || !imap_client_connect(client, &error) ||
	    !imap_client_login(client, &credentials, &error) ||
	    !imap_client_enable(client, "CONDSTORE", &enabled, &error)) {
		fprintf(stderr, "bench-imap: %s\n", error->message);
		exit(1);
	}
	return client;
}

static void
ignore(const ImapFetch *fetch, void *user_data)
{
	(*(guint *)user_data)++;
}

static long
rss_kib(void)
{
	g_autofree char *status = NULL;
	if (!g_file_get_contents("/proc/self/status", &status, NULL, NULL))
		return -1;
	const char *line = strstr(status, "VmRSS:");
	return line != NULL ? strtol(line + 6, NULL, 10) : -1;
}

static long
threads(void)
{
	g_autofree char *status = NULL;
	if (!g_file_get_contents("/proc/self/status", &status, NULL, NULL))
		return -1;
	const char *line = strstr(status, "Threads:");
	return line != NULL ? strtol(line + 8, NULL, 10) : -1;
}

static int
run_poll(const char *host, uint16_t port, const char *user, NetTls *tls, int n)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(ImapClient) client = open_session(host, port, user, tls);
	ImapCursor cursor = {0};
	ImapSyncOptions options = {.folder = "INBOX"};
	bool reset = false;
	guint delivered = 0;
	/* The first sync reads everything; the polls after it find nothing. */
	if (!imap_sync_folder(client, &options, &cursor, ignore, &delivered, &reset, &error)) {
		fprintf(stderr, "bench-imap: %s\n", error->message);
		return 1;
	}
	guint64 in0, out0, in1, out1;
	imap_client_get_traffic(client, &in0, &out0);
	guint before = delivered;
	gint64 start = g_get_monotonic_time();
	for (int i = 0; i < n; i++) {
		if (!imap_sync_folder(client, &options, &cursor, ignore, &delivered, &reset,
		                      &error)) {
			fprintf(stderr, "bench-imap: %s\n", error->message);
			return 1;
		}
	}
	gint64 elapsed = g_get_monotonic_time() - start;
	imap_client_get_traffic(client, &in1, &out1);
	printf("polls=%d messages_in_folder=%u new=%u us_per_poll=%.1f bytes_in_per_poll=%.1f "
	       "bytes_out_per_poll=%.1f\n",
	       n, before, delivered - before, (double)elapsed / n, (double)(in1 - in0) / n,
	       (double)(out1 - out0) / n);
	imap_client_logout(client);
	return 0;
}

static void
on_woken(ImapClient *client, void *user_data)
{
	(*(int *)user_data)++;
}

static int
run_idle(const char *host, uint16_t port, const char *user, NetTls *tls, int k)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(ImapWatcher) watcher = imap_watcher_new(&error);
	g_autoptr(GPtrArray) clients = g_ptr_array_new();
	/* One session first, so the fixed costs (TLS library, trust store)
	 * are not counted per session. */
	ImapClient *first = open_session(host, port, user, tls);
	g_ptr_array_add(clients, first);
	long base = rss_kib();
	int woken = 0;
	for (int i = 1; i <= k; i++) {
		ImapClient *client = i == 1 ? first : open_session(host, port, user, tls);
		if (i > 1)
			g_ptr_array_add(clients, client);
		if (!imap_client_select(client, "INBOX", true, &error) ||
		    !imap_client_idle_start(client, &error) ||
		    !imap_watcher_add(watcher, client, on_woken, &woken, &error)) {
			fprintf(stderr, "bench-imap: session %d: %s\n", i, error->message);
			return 1;
		}
	}
	long after = rss_kib();
	imap_watcher_run_once(watcher, 100, -1, &error);
	printf("sessions=%d rss_kib_total=%ld kib_per_session=%.1f threads=%ld\n", k, after,
	       (double)(after - base) / (k > 1 ? k - 1 : 1), threads());
	for (guint i = 0; i < clients->len; i++) {
		imap_watcher_remove(watcher, clients->pdata[i]);
		imap_client_free(clients->pdata[i]);
	}
	return 0;
}

/* Reads lines until one starts with @tag; returns how many. */
static guint64
read_until_tag(NetConn *conn, const char *tag)
{
	g_autoptr(GError) error = NULL;
	guint64 lines = 0;
	for (;;) {
		const char *line;
		gsize length;
		if (!net_conn_read_line(conn, 1 << 20, &line, &length, &error)) {
			fprintf(stderr, "bench-imap: %s\n", error->message);
			exit(1);
		}
		lines++;
		if (length >= strlen(tag) && memcmp(line, tag, strlen(tag)) == 0)
			return lines;
	}
}

static void
send_line(NetConn *conn, const char *line)
{
	g_autoptr(GError) error = NULL;
	if (!net_conn_write(conn, line, strlen(line), &error) || !net_conn_flush(conn, &error)) {
		fprintf(stderr, "bench-imap: %s\n", error->message);
		exit(1);
	}
}

static int
run_raw(const char *host, uint16_t port, const char *user, NetTls *tls)
{
	g_autoptr(GError) error = NULL;
	const char *password = g_getenv("BENCH_IMAP_PASSWORD");
	gint64 start = g_get_monotonic_time();
	g_autoptr(NetConn) conn = net_conn_connect(host, port, 30000, &error);
	if (conn == NULL || !net_conn_start_tls(conn, tls, &error)) {
		fprintf(stderr, "bench-imap: %s\n", error->message);
		return 1;
	}
	read_until_tag(conn, "* OK");
	g_autofree char *login = g_strdup_printf("A1 LOGIN \"%s\" \"%s\"\r\n", user, password);
	send_line(conn, login);
	read_until_tag(conn, "A1 ");
	send_line(conn, "A2 EXAMINE INBOX\r\n");
	read_until_tag(conn, "A2 ");
	g_autofree char *fetch = g_strdup_printf("A3 UID FETCH 1:* (UID RFC822.SIZE FLAGS "
	                                         "BODY.PEEK[HEADER.FIELDS (%s)])\r\n",
	                                         imap_sync_header_fields);
	send_line(conn, fetch);
	guint64 lines = read_until_tag(conn, "A3 ");
	printf("seconds=%.6f lines=%" G_GUINT64_FORMAT "\n",
	       (double)(g_get_monotonic_time() - start) / G_USEC_PER_SEC, lines);
	return 0;
}

int
main(int argc, char **argv)
{
	signal(SIGPIPE, SIG_IGN);
	if (argc != 7) {
		fprintf(stderr, "usage: bench-imap poll|idle|raw HOST PORT USER CAFILE N\n");
		return 2;
	}
	g_autoptr(GError) error = NULL;
	NetTlsOptions tls_options = {.ca_file = argv[5]};
	g_autoptr(NetTls) tls = net_tls_new(&tls_options, &error);
	uint16_t port = (uint16_t)g_ascii_strtoull(argv[3], NULL, 10);
	int n = (int)g_ascii_strtoll(argv[6], NULL, 10);
	if (strcmp(argv[1], "poll") == 0)
		return run_poll(argv[2], port, argv[4], tls, n);
	if (strcmp(argv[1], "raw") == 0)
		return run_raw(argv[2], port, argv[4], tls);
	return run_idle(argv[2], port, argv[4], tls, n);
}
