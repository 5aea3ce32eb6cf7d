#include "cli/cli_mailbox.h"

#include "app/app_check.h"
#include "app/app_mailbox.h"

#include "base/base_json.h"
#include "base/base_log.h"
#include "cli/cli_exit.h"
#include "cli/cli_oauth.h"
#include "cli/cli_options.h"
#include "cli/cli_output.h"
#include "mail/mail_address.h"
#include "store/store.h"

#include <stdio.h>
#include <string.h>

const char cli_mailbox_usage[] =
        "usage: piculet mailbox add ADDRESS [--provider google|microsoft|other]\n"
        "                   [--smtp HOST[:PORT]] [--imap HOST[:PORT]]\n"
        "                   [--smtp-security starttls|tls|none] [--imap-security "
        "tls|starttls|none]\n"
        "                   [--smtp-user USER] [--imap-user USER] [--name NAME]\n"
        "                   (--password-env VAR | --password-file FILE | --password-cmd CMD |\n"
        "                    --store-password-env VAR | --oauth CLIENT)\n"
        "                   [--daily-cap N] [--ramp START+STEP/day] [--freeze FIRST..LAST]\n"
        "                   [--timezone ZONE] [--interval-min S]\n"
        "                   [--interval-max S]\n"
        "                   [--signature TEXT] [--db PATH]\n"
        "       piculet mailbox edit ADDRESS [any option of add] [--resume] [--db PATH]\n"
        "       piculet mailbox list [--json] [--db PATH]\n"
        "       piculet mailbox show ADDRESS [--db PATH]\n"
        "       piculet mailbox remove ADDRESS [--db PATH]\n"
        "       piculet mailbox pause ADDRESS [--db PATH]\n"
        "       piculet mailbox resume ADDRESS [--ack-guard] [--db PATH]\n"
        "       piculet mailbox check ADDRESS [--ca-file FILE] [--dns-server IP[:PORT]]\n"
        "                   [--dkim-selector SEL] [--no-dns] [--trace] [--db PATH]\n"
        "       piculet mailbox authorize ADDRESS [--device] [--no-browser] [--timeout S]\n"
        "                   [--ca-file FILE] [--db PATH]\n"
        "\n"
        "A mailbox is where piculet sends from (SMTP: the mailbox's own server or a\n"
        "relay such as Mailgun, SES, SendGrid) and what it watches for replies\n"
        "(IMAP: the mailbox's own server). The password is never stored in clear:\n"
        "--password-env/-file/-cmd store where to read it when needed;\n"
        "--store-password-env VAR reads it now and stores it sealed (AES-256-GCM)\n"
        "under a key file created 0600 beside the database (secret.key).\n"
        "Users default to ADDRESS; ports to 587 (starttls), 465 (tls), 993 / 143.\n"
        "--ramp 10+5/day: a new mailbox sends 10 on its first sending day and 5 more\n"
        "on each later one, up to its daily cap (--ramp off ends it).\n"
        "--timezone Europe/Berlin: the mailbox's own day, which its daily cap, its\n"
        "per-domain day caps and its ramp's days count (UTC by default).\n"
        "--freeze 2026-12-20..2027-01-05: it sends nothing on those UTC days, both\n"
        "included (its mail is still read); --freeze off ends it.\n"
        "--provider google|microsoft fills in the provider's servers and its daily\n"
        "limit, and (no password option given) signs in with OAuth2 through the\n"
        "client of that name (piculet oauth set); without --smtp, --imap and\n"
        "--provider, the provider is guessed from the domain's MX. --oauth CLIENT\n"
        "signs in through that OAuth2 client; then `mailbox authorize` signs in\n"
        "(docs/oauth.md).\n"
        "check logs in to SMTP and IMAP with the stored settings, finds the Sent\n"
        "folder, and reads the sender domain's DNS: MX, SPF, DMARC, and the DKIM key\n"
        "of --dkim-selector; it says plainly what is missing or wrong (exit 78 when\n"
        "something is). The resolver is the system's, or --dns-server (or\n"
        "$PICULET_DNS_SERVER).\n"
        "edit changes only what is given (a new password option replaces the old\n"
        "one); --resume ends a pause (after a refused login or a quota, say) now.\n"
        "pause stops the mailbox sending until resume (its mail is still read, so a\n"
        "reply still stops a sequence); resume ends any pause now.\n";

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
	char *provider;
	char *oauth;
	char *ramp;
	char *freeze;
	char *timezone;
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
	gboolean ack_guard;
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
	g_free(args->provider);
	g_free(args->oauth);
	g_free(args->ramp);
	g_free(args->freeze);
	g_free(args->timezone);
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
	        {"provider", 0, 0, G_OPTION_ARG_STRING, &args->provider, NULL, NULL},
	        {"ramp", 0, 0, G_OPTION_ARG_STRING, &args->ramp, NULL, NULL},
	        {"freeze", 0, 0, G_OPTION_ARG_STRING, &args->freeze, NULL, NULL},
	        {"timezone", 0, 0, G_OPTION_ARG_STRING, &args->timezone, NULL, NULL},
	        {"oauth", 0, 0, G_OPTION_ARG_STRING, &args->oauth, NULL, NULL},
	        {"daily-cap", 0, 0, G_OPTION_ARG_INT, &args->daily_cap, NULL, NULL},
	        {"interval-min", 0, 0, G_OPTION_ARG_INT, &args->interval_min, NULL, NULL},
	        {"interval-max", 0, 0, G_OPTION_ARG_INT, &args->interval_max, NULL, NULL},
	        {"db", 0, 0, G_OPTION_ARG_FILENAME, &args->db, NULL, NULL},
	        {"json", 0, 0, G_OPTION_ARG_NONE, &args->json, NULL, NULL},
	        {"ca-file", 0, 0, G_OPTION_ARG_FILENAME, &args->ca_file, NULL, NULL},
	        {"trace", 0, 0, G_OPTION_ARG_NONE, &args->trace, NULL, NULL},
	        {"signature", 0, 0, G_OPTION_ARG_STRING, &args->signature, NULL, NULL},
	        {"resume", 0, 0, G_OPTION_ARG_NONE, &args->resume, NULL, NULL},
	        {"ack-guard", 0, 0, G_OPTION_ARG_NONE, &args->ack_guard, NULL, NULL},
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
	*path = cli_options_database_path(args->db);
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

/* --smtp or --imap into host and port (0 when not given: the usual one
 * for the protocol and its security). */
static bool
parse_endpoint(const char *option, const char *text, char **host, guint16 *port)
{
	g_autoptr(GError) error = NULL;
	if (text == NULL)
		return true;
	if (cli_options_parse_host_port(text, 0, host, port, &error))
		return true;
	cli_output_eprintf("piculet mailbox: %s: %s\n", option, error->message);
	return false;
}

/* The settings the options give: CLI_EXIT_OK, or the exit code. The
 * endpoints' hosts and a --store-password-env secret are the caller's
 * (@smtp_host, @imap_host, @secret). */
static int
settings_of(const MailboxArgs *args, const char *address, AppMailboxSettings *settings,
            char **smtp_host, char **imap_host, BaseSecret **secret)
{
	*settings = (AppMailboxSettings){
	        .address = address,
	        .provider = args->provider,
	        .display_name = args->name,
	        .smtp_security = args->smtp_security,
	        .smtp_user = args->smtp_user,
	        .imap_security = args->imap_security,
	        .imap_user = args->imap_user,
	        .password = {.env = args->password_env,
	                     .file = args->password_file,
	                     .command = args->password_cmd,
	                     .oauth = args->oauth},
	        .daily_cap = args->daily_cap,
	        .interval_min_s = args->interval_min,
	        .interval_max_s = args->interval_max,
	        .signature = args->signature,
	        .ramp_start = -1,
	        .ramp_step = -1,
	        .timezone = args->timezone,
	};
	if (args->ramp != NULL &&
	    !app_mailbox_parse_ramp(args->ramp, &settings->ramp_start, &settings->ramp_step)) {
		cli_output_eprintf("piculet mailbox: --ramp: expected START+STEP/day (10+5/day) or "
		                   "off, not \"%s\"\n",
		                   args->ramp);
		return CLI_EXIT_USAGE;
	}
	if (args->freeze != NULL) {
		settings->freeze_given = true;
		if (!app_mailbox_parse_freeze(args->freeze, &settings->freeze_from,
		                              &settings->freeze_until)) {
			cli_output_eprintf("piculet mailbox: --freeze: expected FIRST..LAST days "
			                   "(2026-12-20..2027-01-05) or off, not \"%s\"\n",
			                   args->freeze);
			return CLI_EXIT_USAGE;
		}
	}
	if (!parse_endpoint("--smtp", args->smtp, smtp_host, &settings->smtp_port) ||
	    !parse_endpoint("--imap", args->imap, imap_host, &settings->imap_port))
		return CLI_EXIT_USAGE;
	settings->smtp_host = *smtp_host;
	settings->imap_host = *imap_host;
	if (args->store_password_env != NULL) {
		g_autoptr(GError) error = NULL;
		*secret = base_secret_new_from_env(args->store_password_env, &error);
		if (*secret == NULL) {
			cli_output_eprintf("piculet mailbox: --store-password-env: %s\n",
			                   error->message);
			return CLI_EXIT_CONFIG;
		}
		settings->password.given = *secret;
	}
	return CLI_EXIT_OK;
}

static int
count_password_options(const MailboxArgs *args)
{
	return (args->password_env != NULL) + (args->password_file != NULL) +
	       (args->password_cmd != NULL) + (args->store_password_env != NULL) +
	       (args->oauth != NULL);
}

/* add and edit: the options are the settings (edit: only what changes). */
static int
run_add_or_edit(bool add, int argc, char **argv)
{
	const char *command = add ? "mailbox add" : "mailbox edit";
	g_auto(MailboxArgs) args = {.daily_cap = -1, .interval_min = -1, .interval_max = -1};
	g_autoptr(GError) error = NULL;
	int code = CLI_EXIT_OK;
	g_autofree char *address = address_and_options(command, argc, argv, &args, &code);
	if (address == NULL)
		return code;
	int n_passwords = count_password_options(&args);
	if (add && args.provider == NULL && args.smtp == NULL && args.imap == NULL) {
		/* Nothing says where the mailbox is: its domain's MX may. */
		/* --dns-server, else as configured (cli_config filled it in). */
		const char *guessed = app_check_provider_by_mx(address, args.dns_server, &error);
		if (guessed == NULL) {
			cli_output_eprintf("piculet mailbox add: %s; give --smtp and --imap, or "
			                   "--provider\n",
			                   error != NULL
			                           ? error->message
			                           : "its domain's MX names no provider piculet "
			                             "knows");
			return CLI_EXIT_USAGE;
		}
		cli_output_printf("provider: %s (from the MX of %s)\n", guessed,
		                  strrchr(address, '@') + 1);
		args.provider = g_strdup(guessed);
	}
	bool preset = args.provider != NULL && g_ascii_strcasecmp(args.provider, "other") != 0;
	if (add && ((!preset && (args.smtp == NULL || args.imap == NULL)) || n_passwords > 1 ||
	            (!preset && n_passwords != 1))) {
		cli_output_eprintf(
		        "piculet mailbox add: --smtp, --imap (or --provider) and exactly "
		        "one password option (or --oauth) are required (see piculet "
		        "mailbox --help)\n");
		return CLI_EXIT_USAGE;
	}
	if (n_passwords > 1) {
		cli_output_eprintf("piculet %s: at most one password option\n", command);
		return CLI_EXIT_USAGE;
	}
	AppMailboxSettings settings;
	g_autofree char *smtp_host = NULL;
	g_autofree char *imap_host = NULL;
	g_autoptr(BaseSecret) secret = NULL;
	code = settings_of(&args, address, &settings, &smtp_host, &imap_host, &secret);
	if (code != CLI_EXIT_OK)
		return code;
	g_autofree char *db_path = NULL;
	g_autoptr(Store) store = open_store(&args, &db_path, &code);
	if (store == NULL)
		return code;
	bool resumed = false;
	if (!(add ? app_mailbox_add(store, &settings, &error)
	          : app_mailbox_edit(store, &settings, &error)) ||
	    (args.resume && !app_mailbox_resume_with(store, address, g_get_real_time(),
	                                             args.ack_guard, &resumed, &error))) {
		cli_output_eprintf("piculet %s: %s\n", command, error->message);
		return cli_exit_of_error(error);
	}
	cli_output_printf("mailbox %s %s%s\n", address, add ? "added" : "updated",
	                  resumed ? " and resumed" : "");
	g_autoptr(StoreMailbox) stored = app_mailbox_get(store, address, NULL);
	if (stored != NULL && g_str_has_prefix(stored->secret_source, "oauth:") &&
	    stored->secret_sealed == NULL)
		cli_output_printf("now sign it in: piculet mailbox authorize %s\n", address);
	return CLI_EXIT_OK;
}

static void
print_mailbox(const StoreMailbox *m, bool json)
{
	/* The secret itself is never printed: only where it comes from. */
	if (!json) {
		g_autofree char *ramp =
		        m->ramp_start > 0
		                ? g_strdup_printf("\tramp %d+%d/day", m->ramp_start, m->ramp_step)
		                : g_strdup("");
		bool utc = m->timezone == NULL || strcmp(m->timezone, "UTC") == 0;
		cli_output_printf(
		        "%s\t%s\tsmtp %s:%u %s\timap %s:%u %s\tpassword %s\tcap %d/day%s%s%s\t"
		        "interval %d-%ds%s%s\n",
		        m->address, m->display_name, m->smtp_host, m->smtp_port, m->smtp_security,
		        m->imap_host, m->imap_port, m->imap_security, m->secret_source,
		        m->daily_cap, utc ? "" : " ", utc ? "" : m->timezone, ramp,
		        m->interval_min_s, m->interval_max_s, m->paused_reason ? "\tpaused: " : "",
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
exit_of_verdict(AppCheckVerdict verdict)
{
	switch (verdict) {
	case APP_CHECK_OK:
		return CLI_EXIT_OK;
	case APP_CHECK_AUTH:
		return CLI_EXIT_AUTH;
	case APP_CHECK_CONFIG:
		return CLI_EXIT_CONFIG;
	case APP_CHECK_UNAVAILABLE:
		break;
	}
	return CLI_EXIT_UNAVAILABLE;
}

static void
print_check(const AppCheckReport *report)
{
	const StoreMailbox *m = report->mailbox;
	cli_output_printf("provider: %s; sign-in: %s\n",
	                  report->provider != NULL ? report->provider : "other", report->sign_in);
	if (report->smtp.verdict != APP_CHECK_OK)
		cli_output_printf("smtp %s:%u: failed: %s\n", m->smtp_host, m->smtp_port,
		                  report->smtp.failure);
	else
		cli_output_printf("smtp %s:%u: ok (%s, %s%s)\n", m->smtp_host, m->smtp_port,
		                  report->smtp_tls != NULL ? report->smtp_tls : "no TLS",
		                  m->smtp_user[0] != '\0' ? "logged in as " : "no login",
		                  m->smtp_user);
	if (report->imap.verdict != APP_CHECK_OK)
		cli_output_printf("imap %s:%u: failed: %s\n", m->imap_host, m->imap_port,
		                  report->imap.failure);
	else if (report->sent_folder != NULL)
		cli_output_printf("imap %s:%u: ok (logged in as %s, Sent folder \"%s\")\n",
		                  m->imap_host, m->imap_port, m->imap_user, report->sent_folder);
	else
		cli_output_printf(
		        "imap %s:%u: ok (logged in as %s), but no folder is marked \\Sent: sent "
		        "mail will not be filed\n",
		        m->imap_host, m->imap_port, m->imap_user);
	if (!report->dns_checked)
		return;
	const char *domain = strrchr(m->address, '@') + 1;
	if (report->dns.verdict != APP_CHECK_OK) {
		cli_output_printf("dns %s: failed: %s\n", domain, report->dns.failure);
		return;
	}
	static const char *const verdicts[] = {"ok", "warning", "missing"};
	for (guint i = 0; i < report->dns_findings->len; i++) {
		const EngineDnsFinding *f = report->dns_findings->pdata[i];
		cli_output_printf("dns %s %s: %s: %s\n", f->what, f->name, verdicts[f->verdict],
		                  f->detail);
	}
	if (!report->dkim_checked)
		cli_output_printf(
		        "dns DKIM: not checked (give --dkim-selector; your provider's set-up page "
		        "names it)\n");
}

static int
run_check(Store *store, const char *address, const MailboxArgs *args)
{
	g_autoptr(GError) error = NULL;
	if (args->trace)
		base_log_set_level(BASE_LOG_VERBOSE);
	AppCheckOptions options = {
	        .ca_file = args->ca_file,
	        .dns_server = args->dns_server,
	        .dkim_selector = args->dkim_selector,
	        .skip_dns = args->no_dns,
	};
	g_autoptr(AppCheckReport) report = app_check_mailbox(store, address, &options, &error);
	if (report == NULL) {
		cli_output_eprintf("piculet mailbox check: %s\n", error->message);
		return cli_exit_of_error(error);
	}
	print_check(report);
	return exit_of_verdict(app_check_report_verdict(report));
}

/* pause and resume. */
static int
run_pause_or_resume(Store *store, const char *action, const char *address, bool ack_guard)
{
	g_autoptr(GError) error = NULL;
	bool was_paused = true;
	bool pause = strcmp(action, "pause") == 0;
	if (!(pause ? app_mailbox_pause(store, address, g_get_real_time(), &error)
	            : app_mailbox_resume_with(store, address, g_get_real_time(), ack_guard,
	                                      &was_paused, &error))) {
		cli_output_eprintf("piculet mailbox %s: %s\n", action, error->message);
		return cli_exit_of_error(error);
	}
	cli_output_printf("mailbox %s %s\n", address,
	                  pause ? "paused: it sends nothing until resumed (replies are still read)"
	                  : was_paused ? "resumed"
	                               : "was not paused");
	return CLI_EXIT_OK;
}

int
cli_mailbox_run(int argc, char **argv)
{
	if (argc < 2) {
		fputs(cli_mailbox_usage, stderr);
		return CLI_EXIT_USAGE;
	}
	const char *action = argv[1];
	if (strcmp(action, "add") == 0 || strcmp(action, "edit") == 0)
		return run_add_or_edit(strcmp(action, "add") == 0, argc - 1, argv + 1);
	if (strcmp(action, "authorize") == 0)
		return cli_oauth_authorize(argc - 1, argv + 1);
	g_auto(MailboxArgs) args = {0};
	g_autoptr(GError) error = NULL;
	bool needs_address = strcmp(action, "show") == 0 || strcmp(action, "remove") == 0 ||
	                     strcmp(action, "check") == 0 || strcmp(action, "pause") == 0 ||
	                     strcmp(action, "resume") == 0;
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
		return run_check(store, address, &args);
	if (strcmp(action, "pause") == 0 || strcmp(action, "resume") == 0)
		return run_pause_or_resume(store, action, address, args.ack_guard);
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
