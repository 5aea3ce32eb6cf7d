#include "cli/cli_doctor.h"

#include "app/app_check.h"
#include "base/base_seal.h"
#include "cli/cli_config.h"
#include "cli/cli_exit.h"
#include "cli/cli_options.h"
#include "cli/cli_output.h"
#include "engine/engine_seal_key.h"
#include "store/store.h"

#include <errno.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

const char cli_doctor_usage[] =
        "usage: piculet doctor [--offline] [--ca-file FILE] [--dns-server IP[:PORT]]\n"
        "                      [--db PATH]\n"
        "\n"
        "Checks the whole installation and says what is wrong, one line a check:\n"
        "the configuration files, the database (it opens, its schema, its folder\n"
        "not readable by others), the seal key (there when sealed secrets need it,\n"
        "0600, this user's, the database's), whether an engine works on the\n"
        "database, the clock (not behind the newest message the database began;\n"
        "on a PostgreSQL server, within 5 s of the server's), and each mailbox as\n"
        "piculet mailbox check sees it (SMTP and IMAP logins, the Sent folder, the\n"
        "sender domain's DNS; --offline leaves those out). Exit 0 when nothing is\n"
        "wrong, 78 when something is (a warning alone is 0). The database is\n"
        "never created here.\n";

typedef struct {
	guint failures;
	guint warnings;
} Findings;

static void
say(Findings *findings, const char *verdict, const char *what, const char *detail)
{
	if (strcmp(verdict, "FAIL") == 0)
		findings->failures++;
	else if (strcmp(verdict, "warn") == 0)
		findings->warnings++;
	cli_output_printf("%-4s %s: %s\n", verdict, what, detail);
}

/* A file or folder readable or writable by others than its owner. */
static bool
open_to_others(const struct stat *st)
{
	return (st->st_mode & (S_IRWXG | S_IRWXO)) != 0;
}

static void
check_files(Findings *findings, const char *path)
{
	g_autofree char *folder = g_path_get_dirname(path);
	struct stat st;
	if (stat(folder, &st) == 0 && (st.st_mode & S_IRWXO) != 0) {
		g_autofree char *detail = g_strdup_printf(
		        "%s is open to other users (mode %03o): the database holds prospects and "
		        "the seal key; chmod 700 it",
		        folder, (unsigned)(st.st_mode & 0777));
		say(findings, "warn", "data folder", detail);
	} else if (stat(folder, &st) == 0) {
		say(findings, "ok", "data folder", folder);
	}
	if (stat(path, &st) == 0 && open_to_others(&st)) {
		g_autofree char *detail = g_strdup_printf("%s has mode %03o: chmod 600 it", path,
		                                          (unsigned)(st.st_mode & 0777));
		say(findings, "warn", "database file", detail);
	}
}

static void
check_key(Findings *findings, Store *store, const GPtrArray *mailboxes)
{
	const char *key = store_get_key_path(store);
	guint sealed = 0;
	for (guint i = 0; i < mailboxes->len; i++)
		sealed += ((const StoreMailbox *)mailboxes->pdata[i])->secret_sealed != NULL;
	struct stat st;
	if (stat(key, &st) != 0) {
		if (sealed > 0) {
			g_autofree char *detail = g_strdup_printf(
			        "%s is missing, and %u mailbox%s sealed secrets need it: put the "
			        "backup's FILE.key there",
			        key, sealed, sealed == 1 ? " has" : "es have");
			say(findings, "FAIL", "seal key", detail);
		} else {
			g_autofree char *detail =
			        g_strdup_printf("%s: none yet (made when a secret is sealed)", key);
			say(findings, "ok", "seal key", detail);
		}
		return;
	}
	if (open_to_others(&st) || st.st_uid != geteuid()) {
		g_autofree char *detail = g_strdup_printf(
		        "%s has mode %03o, owner %u: it must be 0600 and this user's (%u), or "
		        "piculet refuses it",
		        key, (unsigned)(st.st_mode & 0777), (unsigned)st.st_uid,
		        (unsigned)geteuid());
		say(findings, "FAIL", "seal key", detail);
		return;
	}
	/* Read only: the doctor records no fingerprint. */
	g_autoptr(GError) error = NULL;
	g_autoptr(BaseSealKey) loaded = base_seal_key_load(key, &error);
	if (loaded == NULL || !engine_seal_key_compare(store, loaded, &error)) {
		say(findings, "FAIL", "seal key", error->message);
		return;
	}
	char fingerprint[BASE_SEAL_FINGERPRINT_CHARS + 1];
	base_seal_key_fingerprint(loaded, fingerprint);
	g_autofree char *detail = g_strdup_printf("%s (fingerprint %s)", key, fingerprint);
	say(findings, "ok", "seal key", detail);
}

/* The clock must not be behind what the database already holds: pacing,
 * windows and daily caps count on it. */
static void
check_clock(Findings *findings, Store *store, const GPtrArray *mailboxes)
{
	int64_t newest_us = 0;
	for (guint i = 0; i < mailboxes->len; i++) {
		int64_t at = 0;
		g_autoptr(GError) error = NULL;
		if (store_mailbox_last_message_at(
		            store, ((const StoreMailbox *)mailboxes->pdata[i])->id, &at, &error))
			newest_us = MAX(newest_us, at);
	}
	int64_t now_us = g_get_real_time();
	if (newest_us > now_us + (int64_t)60 * G_USEC_PER_SEC) {
		g_autofree char *newest = cli_output_time(newest_us);
		g_autofree char *detail = g_strdup_printf(
		        "the newest message was begun at %s, after now: the clock was set back (or "
		        "runs behind); pacing and daily caps count on it",
		        newest);
		say(findings, "FAIL", "clock", detail);
		return;
	}
	say(findings, "ok", "clock", "not behind the database");
}

/* Beyond this, a machine's sends move noticeably against the others'. */
#define SERVER_SKEW_WARN_S 5

/* Engines on several machines hold their leases on the database server's
 * clock, but each keeps its sending windows, pacing and the day's counts
 * on its own: a machine whose clock is off sends at the wrong hours. */
static void
check_server_clock(Findings *findings, Store *store)
{
	g_autoptr(GError) error = NULL;
	int64_t server_us = 0;
	int64_t before_us = g_get_real_time();
	if (!store_lease_clock(store, &server_us, &error)) {
		say(findings, "FAIL", "database clock", error->message);
		return;
	}
	int64_t here_us = before_us + (g_get_real_time() - before_us) / 2;
	int64_t skew_s = (here_us - server_us) / G_USEC_PER_SEC;
	if (skew_s > SERVER_SKEW_WARN_S || skew_s < -SERVER_SKEW_WARN_S) {
		g_autofree char *detail = g_strdup_printf(
		        "this machine's clock is %" G_GINT64_FORMAT
		        " s %s the database server's: sending windows, pacing and the day's "
		        "counts follow each machine's clock; keep both on NTP",
		        skew_s > 0 ? skew_s : -skew_s, skew_s > 0 ? "ahead of" : "behind");
		say(findings, "warn", "database clock", detail);
		return;
	}
	g_autofree char *detail = g_strdup_printf(
	        "this machine's is within %d s of the database server's", SERVER_SKEW_WARN_S);
	say(findings, "ok", "database clock", detail);
}

static void
check_mailboxes(Findings *findings, Store *store, const GPtrArray *mailboxes,
                const AppCheckOptions *options)
{
	static const char *const verdicts[] = {"ok", "login refused", "settings", "unreachable"};
	for (guint i = 0; i < mailboxes->len; i++) {
		const StoreMailbox *mailbox = mailboxes->pdata[i];
		g_autofree char *what = g_strdup_printf("mailbox %s", mailbox->address);
		g_autoptr(GError) error = NULL;
		g_autoptr(AppCheckReport) report =
		        app_check_mailbox(store, mailbox->address, options, &error);
		if (report == NULL) {
			g_autofree char *prefix = g_strdup_printf("%s: ", mailbox->address);
			const char *message = error->message;
			if (g_str_has_prefix(message, prefix))
				message += strlen(prefix);
			say(findings, "FAIL", what, message);
			continue;
		}
		AppCheckVerdict verdict = app_check_report_verdict(report);
		const char *failure = report->smtp.failure != NULL   ? report->smtp.failure
		                      : report->imap.failure != NULL ? report->imap.failure
		                      : report->dns.failure != NULL  ? report->dns.failure
		                                                     : NULL;
		g_autofree char *detail =
		        verdict == APP_CHECK_OK
		                ? g_strdup_printf(
		                          "SMTP and IMAP log in%s",
		                          report->sent_folder != NULL ? ", Sent folder found" : "")
		                : g_strdup_printf("%s: %s (piculet mailbox check %s says more)",
		                                  verdicts[verdict],
		                                  failure != NULL ? failure
		                                                  : "a DNS record is missing",
		                                  mailbox->address);
		say(findings, verdict == APP_CHECK_OK ? "ok" : "FAIL", what, detail);
	}
}

/* A file: whether an engine holds its lock, asked of a connection of its
 * own, closed at once (the doctor must not keep a run from starting). */
static void
check_engine_lock(Findings *findings, Store *store)
{
	g_autoptr(GError) busy = NULL;
	Store *probe = store_open_another(store, &busy);
	if (probe != NULL && store_lock_engine(probe, &busy))
		say(findings, "ok", "engine", "none works on the database now");
	else
		say(findings, "ok", "engine", busy->message);
	store_close(probe);
}

/* A server: the engines that hold mailboxes now (their leases). */
static void
check_nodes(Findings *findings, Store *store)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GPtrArray) leases = store_lease_list(store, &error);
	int64_t now = 0;
	if (leases == NULL || !store_lease_clock(store, &now, &error)) {
		say(findings, "FAIL", "engines", error->message);
		return;
	}
	g_autoptr(GHashTable) nodes = g_hash_table_new(g_str_hash, g_str_equal);
	for (guint i = 0; i < leases->len; i++) {
		const StoreLeaseInfo *lease = leases->pdata[i];
		if (lease->holder[0] != '\0' && lease->expires_at > now)
			g_hash_table_add(nodes, lease->holder);
	}
	g_autofree char *said =
	        g_hash_table_size(nodes) == 0
	                ? g_strdup("none works on the database now")
	                : g_strdup_printf("%u work on the database now (piculet status says which "
	                                  "mailboxes each)",
	                                  g_hash_table_size(nodes));
	say(findings, "ok", "engines", said);
}

int
cli_doctor_run(int argc, char **argv)
{
	g_autofree char *db = NULL;
	g_autofree char *ca_file = NULL;
	g_autofree char *dns_server = NULL;
	gboolean offline = FALSE;
	GOptionEntry entries[] = {
	        {"db", 0, 0, G_OPTION_ARG_FILENAME, &db, NULL, NULL},
	        {"ca-file", 0, 0, G_OPTION_ARG_FILENAME, &ca_file, NULL, NULL},
	        {"dns-server", 0, 0, G_OPTION_ARG_STRING, &dns_server, NULL, NULL},
	        {"offline", 0, 0, G_OPTION_ARG_NONE, &offline, NULL, NULL},
	        {NULL, 0, 0, 0, NULL, NULL, NULL},
	};
	if (!cli_options_parse("doctor", entries, argc, argv))
		return CLI_EXIT_USAGE;
	Findings findings = {0};
	/* The dispatcher loaded the configuration: a wrong one never gets here. */
	say(&findings, "ok", "configuration", "read (piculet config show says from where)");
	g_autofree char *path = cli_options_database_path(db);
	bool server = store_location_is_server(path);
	if (!server && !g_file_test(path, G_FILE_TEST_IS_REGULAR)) {
		g_autofree char *detail =
		        g_strdup_printf("none yet at %s (piculet mailbox add makes it)", path);
		say(&findings, "warn", "database", detail);
		cli_output_printf("%u problem%s, %u warning%s\n", findings.failures,
		                  findings.failures == 1 ? "" : "s", findings.warnings,
		                  findings.warnings == 1 ? "" : "s");
		return CLI_EXIT_OK;
	}
	g_autoptr(GError) error = NULL;
	StoreSettings settings = {.key_path = cli_options_key_file()};
	g_autoptr(Store) store = store_open_with(path, &settings, &error);
	if (store == NULL) {
		say(&findings, "FAIL", "database", error->message);
		return CLI_EXIT_CONFIG;
	}
	g_autofree char *shown = store_location_display(path);
	g_autofree char *opened =
	        g_strdup_printf("%s (schema %u)", shown, store_get_schema_version(store));
	say(&findings, "ok", "database", opened);
	if (!server)
		check_files(&findings, path);
	g_autoptr(GPtrArray) mailboxes = store_mailbox_list(store, &error);
	if (mailboxes == NULL) {
		say(&findings, "FAIL", "database", error->message);
		return CLI_EXIT_CONFIG;
	}
	check_key(&findings, store, mailboxes);
	if (server)
		check_nodes(&findings, store);
	else
		check_engine_lock(&findings, store);
	check_clock(&findings, store, mailboxes);
	if (server)
		check_server_clock(&findings, store);
	if (offline) {
		say(&findings, "ok", "mailboxes", "not checked (--offline)");
	} else {
		AppCheckOptions options = {.ca_file = ca_file, .dns_server = dns_server};
		check_mailboxes(&findings, store, mailboxes, &options);
	}
	cli_output_printf("%u problem%s, %u warning%s\n", findings.failures,
	                  findings.failures == 1 ? "" : "s", findings.warnings,
	                  findings.warnings == 1 ? "" : "s");
	return findings.failures > 0 ? CLI_EXIT_CONFIG : CLI_EXIT_OK;
}
