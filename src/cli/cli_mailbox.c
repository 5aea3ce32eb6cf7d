#include "cli/cli_mailbox.h"

#include "app/app_mailbox.h"

#include "base/base_error.h"
#include "base/base_json.h"
#include "base/base_log.h"
#include "cli/cli_exit.h"
#include "cli/cli_options.h"
#include "cli/cli_output.h"
#include "engine/engine_dns.h"
#include "engine/engine_mailbox.h"
#include "imap/imap_client.h"
#include "mail/mail_address.h"
#include "smtp/smtp_client.h"
#include "store/store.h"

#include <stdio.h>
#include <string.h>

const char cli_mailbox_usage[] =
        "usage: piculet mailbox add ADDRESS --smtp HOST[:PORT] --imap HOST[:PORT]\n"
        "                   [--smtp-security starttls|tls|none] [--imap-security "
        "tls|starttls|none]\n"
        "                   [--smtp-user USER] [--imap-user USER] [--name NAME]\n"
        "                   (--password-env VAR | --password-file FILE | --password-cmd CMD |\n"
        "                    --store-password-env VAR)\n"
        "                   [--daily-cap N] [--interval-min S] [--interval-max S]\n"
        "                   [--signature TEXT] [--db PATH]\n"
        "       piculet mailbox edit ADDRESS [any option of add] [--resume] [--db PATH]\n"
        "       piculet mailbox list [--json] [--db PATH]\n"
        "       piculet mailbox show ADDRESS [--db PATH]\n"
        "       piculet mailbox remove ADDRESS [--db PATH]\n"
        "       piculet mailbox check ADDRESS [--ca-file FILE] [--dns-server IP[:PORT]]\n"
        "                   [--dkim-selector SEL] [--no-dns] [--trace] [--db PATH]\n"
        "\n"
        "A mailbox is where piculet sends from (SMTP: the mailbox's own server or a\n"
        "relay such as Mailgun, SES, SendGrid) and what it watches for replies\n"
        "(IMAP: the mailbox's own server). The password is never stored in clear:\n"
        "--password-env/-file/-cmd store where to read it when needed;\n"
        "--store-password-env VAR reads it now and stores it sealed (AES-256-GCM)\n"
        "under a key file created 0600 beside the database (secret.key).\n"
        "Users default to ADDRESS; ports to 587 (starttls), 465 (tls), 993 / 143.\n"
        "check logs in to SMTP and IMAP with the stored settings, finds the Sent\n"
        "folder, and reads the sender domain's DNS: MX, SPF, DMARC, and the DKIM key\n"
        "of --dkim-selector; it says plainly what is missing or wrong (exit 78 when\n"
        "something is). The resolver is the system's, or --dns-server (or\n"
        "$PICULET_DNS_SERVER).\n"
        "edit changes only what is given (a new password option replaces the old\n"
        "one); --resume ends a pause (after a refused login or a quota, say) now.\n";

typedef struct {
	char *smtp;
	char *imap;
	char *smtp_security;
	char *imap_security;
	char *smtp_user;
	char *imap_user;
	char *name;
	char *password_env;
	char *password_file;
	char *password_cmd;
	char *store_password_env;
	int daily_cap;
	int interval_min;
	int interval_max;
	char *db;
	char *ca_file;
	char *signature;
	char *dns_server;
	char *dkim_selector;
	gboolean no_dns;
	gboolean resume;
	gboolean json;
	gboolean trace;
} MailboxArgs;

static void
mailbox_args_clear(MailboxArgs *args)
{
	g_free(args->smtp);
	g_free(args->imap);
	g_free(args->smtp_security);
	g_free(args->imap_security);
	g_free(args->smtp_user);
	g_free(args->imap_user);
	g_free(args->name);
	g_free(args->password_env);
	g_free(args->password_file);
	g_free(args->password_cmd);
	g_free(args->store_password_env);
	g_free(args->db);
	g_free(args->ca_file);
	g_free(args->signature);
	g_free(args->dns_server);
	g_free(args->dkim_selector);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(MailboxArgs, mailbox_args_clear)

static bool
parse(const char *command, int argc, char **argv, MailboxArgs *args)
{
	GOptionEntry entries[] = {
	        {"smtp", 0, 0, G_OPTION_ARG_STRING, &args->smtp, NULL, NULL},
	        {"imap", 0, 0, G_OPTION_ARG_STRING, &args->imap, NULL, NULL},
	        {"smtp-security", 0, 0, G_OPTION_ARG_STRING, &args->smtp_security, NULL, NULL},
	        {"imap-security", 0, 0, G_OPTION_ARG_STRING, &args->imap_security, NULL, NULL},
	        {"smtp-user", 0, 0, G_OPTION_ARG_STRING, &args->smtp_user, NULL, NULL},
	        {"imap-user", 0, 0, G_OPTION_ARG_STRING, &args->imap_user, NULL, NULL},
	        {"name", 0, 0, G_OPTION_ARG_STRING, &args->name, NULL, NULL},
	        {"password-env", 0, 0, G_OPTION_ARG_STRING, &args->password_env, NULL, NULL},
	        {"password-file", 0, 0, G_OPTION_ARG_FILENAME, &args->password_file, NULL, NULL},
	        {"password-cmd", 0, 0, G_OPTION_ARG_STRING, &args->password_cmd, NULL, NULL},
	        {"store-password-env", 0, 0, G_OPTION_ARG_STRING, &args->store_password_env, NULL,
	         NULL},
	        {"daily-cap", 0, 0, G_OPTION_ARG_INT, &args->daily_cap, NULL, NULL},
	        {"interval-min", 0, 0, G_OPTION_ARG_INT, &args->interval_min, NULL, NULL},
	        {"interval-max", 0, 0, G_OPTION_ARG_INT, &args->interval_max, NULL, NULL},
	        {"db", 0, 0, G_OPTION_ARG_FILENAME, &args->db, NULL, NULL},
	        {"json", 0, 0, G_OPTION_ARG_NONE, &args->json, NULL, NULL},
	        {"ca-file", 0, 0, G_OPTION_ARG_FILENAME, &args->ca_file, NULL, NULL},
	        {"trace", 0, 0, G_OPTION_ARG_NONE, &args->trace, NULL, NULL},
	        {"signature", 0, 0, G_OPTION_ARG_STRING, &args->signature, NULL, NULL},
	        {"resume", 0, 0, G_OPTION_ARG_NONE, &args->resume, NULL, NULL},
	        {"dns-server", 0, 0, G_OPTION_ARG_STRING, &args->dns_server, NULL, NULL},
	        {"dkim-selector", 0, 0, G_OPTION_ARG_STRING, &args->dkim_selector, NULL, NULL},
	        {"no-dns", 0, 0, G_OPTION_ARG_NONE, &args->no_dns, NULL, NULL},
	        {NULL, 0, 0, 0, NULL, NULL, NULL},
	};
	return cli_options_parse(command, entries, argc, argv);
}

static Store *
open_store(const MailboxArgs *args, char **path, int *code)
{
	*path = args->db != NULL ? g_strdup(args->db) : store_default_path();
	return cli_options_open_store("mailbox", *path, code);
}

/* ADDRESS, then the options: the address normalised, or NULL with *@code. */
static char *
address_and_options(const char *command, int argc, char **argv, MailboxArgs *args, int *code)
{
	g_autoptr(GError) error = NULL;
	if (argc < 2 || argv[1][0] == '-') {
		fputs(cli_mailbox_usage, stderr);
		*code = CLI_EXIT_USAGE;
		return NULL;
	}
	g_autofree char *address = mail_address_normalize(argv[1], &error);
	if (address == NULL) {
		cli_output_eprintf("piculet %s: \"%s\": %s\n", command, argv[1], error->message);
		*code = CLI_EXIT_DATA;
		return NULL;
	}
	argv[1] = argv[0];
	if (!parse(command, argc - 1, argv + 1, args)) {
		*code = CLI_EXIT_USAGE;
		return NULL;
	}
	return g_steal_pointer(&address);
}

static int
count_password_options(const MailboxArgs *args)
{
	return (args->password_env != NULL) + (args->password_file != NULL) +
	       (args->password_cmd != NULL) + (args->store_password_env != NULL);
}

/* --smtp or --imap into host and port; without a port, the usual one for
 * the protocol and its security. */
static bool
parse_endpoint(const char *text, bool smtp, const char *security, char **host, guint16 *port,
               GError **error)
{
	bool tls = strcmp(security, "tls") == 0;
	guint16 usual = smtp ? (tls ? 465 : 587) : (tls ? 993 : 143);
	return cli_options_parse_host_port(text, usual, host, port, error);
}

/* "env:VAR", "file:PATH", "cmd:COMMAND", or "sealed" with *@sealed set. */
static char *
secret_source(const MailboxArgs *args, Store *store, const char *address, GBytes **sealed,
              GError **error)
{
	if (args->password_env != NULL)
		return g_strdup_printf("env:%s", args->password_env);
	if (args->password_file != NULL)
		return g_strdup_printf("file:%s", args->password_file);
	if (args->password_cmd != NULL)
		return g_strdup_printf("cmd:%s", args->password_cmd);
	g_autoptr(BaseSecret) secret = base_secret_new_from_env(args->store_password_env, error);
	if (secret == NULL ||
	    (*sealed = app_mailbox_seal_password(store, address, secret, error)) == NULL)
		return NULL;
	return g_strdup("sealed");
}

static int
run_add(int argc, char **argv)
{
	g_auto(MailboxArgs) args = {.daily_cap = 50, .interval_min = 60, .interval_max = 180};
	g_autoptr(GError) error = NULL;
	int code = CLI_EXIT_OK;
	g_autofree char *address = address_and_options("mailbox add", argc, argv, &args, &code);
	if (address == NULL)
		return code;
	if (args.smtp == NULL || args.imap == NULL || count_password_options(&args) != 1) {
		cli_output_eprintf("piculet mailbox add: --smtp, --imap and exactly one password "
		                   "option are required (see piculet mailbox --help)\n");
		return CLI_EXIT_USAGE;
	}
	const char *smtp_security = args.smtp_security != NULL ? args.smtp_security : "starttls";
	const char *imap_security = args.imap_security != NULL ? args.imap_security : "tls";
	g_autofree char *smtp_host = NULL;
	g_autofree char *imap_host = NULL;
	guint16 smtp_port = 0, imap_port = 0;
	if (!parse_endpoint(args.smtp, true, smtp_security, &smtp_host, &smtp_port, &error) ||
	    !parse_endpoint(args.imap, false, imap_security, &imap_host, &imap_port, &error)) {
		cli_output_eprintf("piculet mailbox add: %s\n", error->message);
		return CLI_EXIT_USAGE;
	}
	g_autofree char *db_path = NULL;
	g_autoptr(Store) store = open_store(&args, &db_path, &code);
	if (store == NULL)
		return code;
	g_autoptr(GBytes) sealed = NULL;
	g_autofree char *source = secret_source(&args, store, address, &sealed, &error);
	if (source == NULL) {
		cli_output_eprintf("piculet mailbox add: %s\n", error->message);
		return CLI_EXIT_CONFIG;
	}
	StoreMailboxInput mailbox = {
	        .address = address,
	        .display_name = args.name,
	        .smtp_host = smtp_host,
	        .smtp_port = smtp_port,
	        .smtp_security = smtp_security,
	        .smtp_user = args.smtp_user != NULL ? args.smtp_user : address,
	        .imap_host = imap_host,
	        .imap_port = imap_port,
	        .imap_security = imap_security,
	        .imap_user = args.imap_user != NULL ? args.imap_user : address,
	        .secret_source = source,
	        .secret_sealed = sealed,
	        .daily_cap = args.daily_cap,
	        .interval_min_s = args.interval_min,
	        .interval_max_s = args.interval_max,
	        .signature = args.signature,
	};
	if (!store_mailbox_add(store, &mailbox, NULL, &error)) {
		cli_output_eprintf("piculet mailbox add: %s\n", error->message);
		return cli_exit_of_error(error);
	}
	cli_output_printf("mailbox %s added\n", address);
	return CLI_EXIT_OK;
}

static int
run_edit(int argc, char **argv)
{
	g_auto(MailboxArgs) args = {.daily_cap = -1, .interval_min = -1, .interval_max = -1};
	g_autoptr(GError) error = NULL;
	int code = CLI_EXIT_OK;
	g_autofree char *address = address_and_options("mailbox edit", argc, argv, &args, &code);
	if (address == NULL)
		return code;
	int n_secrets = count_password_options(&args);
	if (n_secrets > 1) {
		cli_output_eprintf("piculet mailbox edit: at most one password option\n");
		return CLI_EXIT_USAGE;
	}
	g_autofree char *db_path = NULL;
	g_autoptr(Store) store = open_store(&args, &db_path, &code);
	if (store == NULL)
		return code;
	g_autoptr(StoreMailbox) old = app_mailbox_get(store, address, &error);
	if (old == NULL) {
		cli_output_eprintf("piculet mailbox edit: %s\n", error->message);
		return cli_exit_of_error(error);
	}
	const char *smtp_security =
	        args.smtp_security != NULL ? args.smtp_security : old->smtp_security;
	const char *imap_security =
	        args.imap_security != NULL ? args.imap_security : old->imap_security;
	g_autofree char *smtp_host = g_strdup(old->smtp_host);
	g_autofree char *imap_host = g_strdup(old->imap_host);
	guint16 smtp_port = old->smtp_port;
	guint16 imap_port = old->imap_port;
	if (args.smtp != NULL) {
		g_clear_pointer(&smtp_host, g_free);
		if (!parse_endpoint(args.smtp, true, smtp_security, &smtp_host, &smtp_port,
		                    &error)) {
			cli_output_eprintf("piculet mailbox edit: %s\n", error->message);
			return CLI_EXIT_USAGE;
		}
	}
	if (args.imap != NULL) {
		g_clear_pointer(&imap_host, g_free);
		if (!parse_endpoint(args.imap, false, imap_security, &imap_host, &imap_port,
		                    &error)) {
			cli_output_eprintf("piculet mailbox edit: %s\n", error->message);
			return CLI_EXIT_USAGE;
		}
	}
	g_autoptr(GBytes) sealed =
	        old->secret_sealed != NULL ? g_bytes_ref(old->secret_sealed) : NULL;
	g_autofree char *source = g_strdup(old->secret_source);
	if (n_secrets == 1) {
		g_clear_pointer(&sealed, g_bytes_unref);
		g_free(source);
		source = secret_source(&args, store, address, &sealed, &error);
		if (source == NULL) {
			cli_output_eprintf("piculet mailbox edit: %s\n", error->message);
			return CLI_EXIT_CONFIG;
		}
	}
	StoreMailboxInput mailbox = {
	        .address = address,
	        .display_name = args.name != NULL ? args.name : old->display_name,
	        .smtp_host = smtp_host,
	        .smtp_port = smtp_port,
	        .smtp_security = smtp_security,
	        .smtp_user = args.smtp_user != NULL ? args.smtp_user : old->smtp_user,
	        .imap_host = imap_host,
	        .imap_port = imap_port,
	        .imap_security = imap_security,
	        .imap_user = args.imap_user != NULL ? args.imap_user : old->imap_user,
	        .secret_source = source,
	        .secret_sealed = sealed,
	        .daily_cap = args.daily_cap >= 0 ? args.daily_cap : old->daily_cap,
	        .interval_min_s = args.interval_min >= 0 ? args.interval_min : old->interval_min_s,
	        .interval_max_s = args.interval_max >= 0 ? args.interval_max : old->interval_max_s,
	        .signature = args.signature != NULL ? args.signature : old->signature,
	};
	bool found = false;
	if (!store_mailbox_update(store, &mailbox, &found, &error) ||
	    (args.resume && !store_mailbox_set_paused(store, old->id, NULL, NULL, 0, &error))) {
		cli_output_eprintf("piculet mailbox edit: %s\n", error->message);
		return cli_exit_of_error(error);
	}
	cli_output_printf("mailbox %s updated%s\n", address,
	                  args.resume && old->paused_reason != NULL ? " and resumed" : "");
	return CLI_EXIT_OK;
}

static void
print_mailbox(const StoreMailbox *m, bool json)
{
	/* The secret itself is never printed: only where it comes from. */
	if (!json) {
		cli_output_printf("%s\t%s\tsmtp %s:%u %s\timap %s:%u %s\tpassword %s\tcap %d/day\t"
		                  "interval %d-%ds%s%s\n",
		                  m->address, m->display_name, m->smtp_host, m->smtp_port,
		                  m->smtp_security, m->imap_host, m->imap_port, m->imap_security,
		                  m->secret_source, m->daily_cap, m->interval_min_s,
		                  m->interval_max_s, m->paused_reason ? "\tpaused: " : "",
		                  m->paused_reason ? m->paused_reason : "");
		return;
	}
	g_autoptr(GString) line = g_string_new("{");
	g_autofree char *smtp = g_strdup_printf("%s:%u", m->smtp_host, m->smtp_port);
	g_autofree char *imap = g_strdup_printf("%s:%u", m->imap_host, m->imap_port);
	base_json_append_member_string(line, "address", m->address);
	base_json_append_member_string(line, "name", m->display_name);
	base_json_append_member_string(line, "smtp", smtp);
	base_json_append_member_string(line, "smtp_security", m->smtp_security);
	base_json_append_member_string(line, "imap", imap);
	base_json_append_member_string(line, "imap_security", m->imap_security);
	base_json_append_member_string(line, "password", m->secret_source);
	base_json_append_member_uint(line, "daily_cap", (uint64_t)m->daily_cap);
	g_string_append(line, "}\n");
	fputs(line->str, stdout);
}

static int
check_smtp(const StoreMailbox *m, const BaseSecret *secret, NetTls *tls)
{
	g_autoptr(GError) error = NULL;
	SmtpOutcome outcome = SMTP_OUTCOME_UNKNOWN;
	g_autoptr(SmtpClient) client =
	        engine_mailbox_open_smtp(m, secret, tls, -1, &outcome, &error);
	if (client == NULL) {
		cli_output_printf("smtp %s:%u: failed: %s\n", m->smtp_host, m->smtp_port,
		                  error->message);
		return outcome == SMTP_OUTCOME_AUTH_REJECTED   ? CLI_EXIT_AUTH
		       : outcome == SMTP_OUTCOME_CONFIGURATION ? CLI_EXIT_CONFIG
		                                               : CLI_EXIT_UNAVAILABLE;
	}
	const char *tls_text = smtp_client_get_tls_description(client);
	cli_output_printf("smtp %s:%u: ok (%s, %s%s)\n", m->smtp_host, m->smtp_port,
	                  tls_text != NULL ? tls_text : "no TLS",
	                  m->smtp_user[0] != '\0' ? "logged in as " : "no login", m->smtp_user);
	smtp_client_quit(client);
	return CLI_EXIT_OK;
}

static int
check_imap(const StoreMailbox *m, const BaseSecret *secret, NetTls *tls)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(ImapClient) client = engine_mailbox_open_imap(m, secret, tls, -1, &error);
	g_autoptr(GPtrArray) folders = client != NULL ? imap_client_list(client, &error) : NULL;
	if (folders == NULL) {
		cli_output_printf("imap %s:%u: failed: %s\n", m->imap_host, m->imap_port,
		                  error->message);
		if (client != NULL)
			imap_client_logout(client);
		return error->code == IMAP_ERROR_AUTH ? CLI_EXIT_AUTH
		       : error->code == IMAP_ERROR_POLICY || error->code == IMAP_ERROR_CERTIFICATE
		               ? CLI_EXIT_CONFIG
		               : CLI_EXIT_UNAVAILABLE;
	}
	const char *sent = imap_client_folder_for_use(folders, "\\Sent");
	if (sent != NULL)
		cli_output_printf("imap %s:%u: ok (logged in as %s, Sent folder \"%s\")\n",
		                  m->imap_host, m->imap_port, m->imap_user, sent);
	else
		cli_output_printf(
		        "imap %s:%u: ok (logged in as %s), but no folder is marked \\Sent: sent "
		        "mail will not be filed\n",
		        m->imap_host, m->imap_port, m->imap_user);
	imap_client_logout(client);
	return CLI_EXIT_OK;
}

static int
check_dns(const StoreMailbox *m, const MailboxArgs *args)
{
	g_autoptr(GError) error = NULL;
	const char *server =
	        args->dns_server != NULL ? args->dns_server : g_getenv("PICULET_DNS_SERVER");
	g_autoptr(NetDns) dns = net_dns_new(server, &error);
	const char *domain = strrchr(m->address, '@') + 1;
	g_autoptr(GPtrArray) findings =
	        dns != NULL ? engine_dns_check_domain(dns, domain, args->dkim_selector, &error)
	                    : NULL;
	if (findings == NULL) {
		cli_output_printf("dns %s: failed: %s\n", domain, error->message);
		return dns == NULL ? CLI_EXIT_USAGE : CLI_EXIT_UNAVAILABLE;
	}
	int code = CLI_EXIT_OK;
	for (guint i = 0; i < findings->len; i++) {
		const EngineDnsFinding *f = findings->pdata[i];
		static const char *const verdicts[] = {"ok", "warning", "missing"};
		cli_output_printf("dns %s %s: %s: %s\n", f->what, f->name, verdicts[f->verdict],
		                  f->detail);
		if (f->verdict == ENGINE_DNS_MISSING)
			code = CLI_EXIT_CONFIG;
	}
	if (args->dkim_selector == NULL)
		cli_output_printf(
		        "dns DKIM: not checked (give --dkim-selector; your provider's set-up page "
		        "names it)\n");
	return code;
}

static int
run_check(Store *store, const char *db_path, const char *address, const MailboxArgs *args)
{
	g_autoptr(GError) error = NULL;
	if (args->trace)
		base_log_set_level(BASE_LOG_VERBOSE);
	g_autoptr(StoreMailbox) mailbox = app_mailbox_get(store, address, &error);
	if (mailbox == NULL) {
		cli_output_eprintf("piculet mailbox check: %s\n", error->message);
		return cli_exit_of_error(error);
	}
	g_autoptr(BaseSecret) secret =
	        engine_mailbox_load_secret(mailbox, store_get_key_path(store), &error);
	if (secret == NULL) {
		cli_output_eprintf("piculet mailbox check: %s: password: %s\n", address,
		                   error != NULL ? error->message : "none stored");
		return CLI_EXIT_CONFIG;
	}
	NetTlsOptions tls_options = {.ca_file = args->ca_file};
	g_autoptr(NetTls) tls = net_tls_new(&tls_options, &error);
	if (tls == NULL) {
		cli_output_eprintf("piculet mailbox check: %s\n", error->message);
		return CLI_EXIT_CONFIG;
	}
	int smtp = check_smtp(mailbox, secret, tls);
	int imap = check_imap(mailbox, secret, tls);
	int dns = args->no_dns ? CLI_EXIT_OK : check_dns(mailbox, args);
	return smtp != CLI_EXIT_OK ? smtp : imap != CLI_EXIT_OK ? imap : dns;
}

int
cli_mailbox_run(int argc, char **argv)
{
	if (argc < 2) {
		fputs(cli_mailbox_usage, stderr);
		return CLI_EXIT_USAGE;
	}
	const char *action = argv[1];
	if (strcmp(action, "add") == 0)
		return run_add(argc - 1, argv + 1);
	if (strcmp(action, "edit") == 0)
		return run_edit(argc - 1, argv + 1);
	g_auto(MailboxArgs) args = {0};
	g_autoptr(GError) error = NULL;
	bool needs_address = strcmp(action, "show") == 0 || strcmp(action, "remove") == 0 ||
	                     strcmp(action, "check") == 0;
	if ((!needs_address && strcmp(action, "list") != 0) ||
	    (needs_address && (argc < 3 || argv[2][0] == '-'))) {
		fputs(cli_mailbox_usage, stderr);
		return CLI_EXIT_USAGE;
	}
	g_autofree char *address = NULL;
	if (needs_address && (address = mail_address_normalize(argv[2], &error)) == NULL) {
		cli_output_eprintf("piculet mailbox %s: \"%s\": %s\n", action, argv[2],
		                   error->message);
		return CLI_EXIT_DATA;
	}
	int skip = needs_address ? 2 : 1;
	argv[skip] = argv[0];
	if (!parse("mailbox", argc - skip, argv + skip, &args))
		return CLI_EXIT_USAGE;
	int code = CLI_EXIT_OK;
	g_autofree char *db_path = NULL;
	g_autoptr(Store) store = open_store(&args, &db_path, &code);
	if (store == NULL)
		return code;
	if (strcmp(action, "list") == 0) {
		g_autoptr(GPtrArray) all = store_mailbox_list(store, &error);
		if (all == NULL) {
			cli_output_eprintf("piculet mailbox list: %s\n", error->message);
			return cli_exit_of_error(error);
		}
		for (guint i = 0; i < all->len; i++)
			print_mailbox(all->pdata[i], args.json);
		return CLI_EXIT_OK;
	}
	if (strcmp(action, "check") == 0)
		return run_check(store, db_path, address, &args);
	if (strcmp(action, "show") == 0) {
		g_autoptr(StoreMailbox) mailbox = app_mailbox_get(store, address, &error);
		if (mailbox == NULL) {
			cli_output_eprintf("piculet mailbox show: %s\n", error->message);
			return cli_exit_of_error(error);
		}
		print_mailbox(mailbox, args.json);
		return CLI_EXIT_OK;
	}
	if (!app_mailbox_remove(store, address, &error)) {
		cli_output_eprintf("piculet mailbox remove: %s\n", error->message);
		return cli_exit_of_error(error);
	}
	return CLI_EXIT_OK;
}
