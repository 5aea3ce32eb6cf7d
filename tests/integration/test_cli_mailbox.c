/*
 * `piculet mailbox check` against the mail lab: it logs in to SMTP and IMAP
 * with the stored settings and the sealed (or sourced) password, finds the
 * Sent folder, and says plainly what fails.
 */
#include "helpers/test_cli.h"
#include "helpers/test_lab.h"
#include "helpers/test_pg.h"

#include <string.h>

static char *db;

static void
add_mailbox(const char *address, const char *password_option, const char *variable)
{
	const TestLab *lab = test_lab_get();
	g_autofree char *smtp = g_strdup_printf("127.0.0.1:%u", lab->submission_port);
	g_autofree char *imap = g_strdup_printf("127.0.0.1:%u", lab->imaps_port);
	const char *env[] = {"LAB_PW", lab->password, NULL};
	const char *args[] = {"mailbox", "add",           address,  "--smtp", smtp, "--imap",
	                      imap,      password_option, variable, "--db",   db,   NULL};
	g_auto(TestCliRun) run = {0};
	test_cli_run(&run, env, args);
	g_assert_cmpint(run.status, ==, 0);
}

/* Every check asks the lab's DNS server, never the system's resolver. */
static void
check(TestCliRun *run, const char *address, const char *ca_file, const char *password)
{
	const TestLab *lab = test_lab_get();
	const char *env[] = {"BOB_PW", password, NULL};
	const char *args[] = {"mailbox",
	                      "check",
	                      address,
	                      "--db",
	                      db,
	                      "--dns-server",
	                      lab->dns_server,
	                      "--dkim-selector",
	                      "lab",
	                      ca_file ? "--ca-file" : NULL,
	                      ca_file,
	                      NULL};
	test_cli_run(run, env, args);
}

static void
test_check(void)
{
	const TestLab *lab = test_lab_get();
	add_mailbox("alice@sender.test", "--store-password-env", "LAB_PW");
	g_auto(TestCliRun) ok = {0};
	check(&ok, "alice@sender.test", lab->ca_file, "unused");
	g_assert_cmpint(ok.status, ==, 0);
	g_assert_nonnull(strstr(ok.out, ": ok (TLSv1."));
	g_assert_nonnull(strstr(ok.out, "Sent folder \"Sent\""));
	g_assert_null(strstr(ok.out, lab->password));
	/* The sender domain publishes what it should. */
	g_assert_nonnull(strstr(ok.out, "dns MX sender.test: ok: mail.sender.test (10)\n"));
	g_assert_nonnull(
	        strstr(ok.out, "dns SPF sender.test: ok: \"v=spf1 ip4:127.0.0.1 -all\"\n"));
	g_assert_nonnull(
	        strstr(ok.out, "dns DMARC _dmarc.sender.test: ok: \"v=DMARC1; p=quarantine"));
	g_assert_nonnull(
	        strstr(ok.out, "dns DKIM lab._domainkey.sender.test: ok: a key is published"));

	add_mailbox("bob@sender.test", "--password-env", "BOB_PW");
	g_auto(TestCliRun) wrong = {0};
	check(&wrong, "bob@sender.test", lab->ca_file, "not-the-password");
	g_assert_cmpint(wrong.status, ==, 77);
	g_assert_nonnull(strstr(wrong.out, "535"));
	g_assert_null(strstr(wrong.out, "not-the-password"));

	/* A domain with an MX only: SPF, DMARC and DKIM named as missing, 78,
	 * though both logins work. */
	add_mailbox("carol@prospect.test", "--password-env", "BOB_PW");
	g_auto(TestCliRun) bare = {0};
	check(&bare, "carol@prospect.test", lab->ca_file, lab->password);
	g_assert_cmpint(bare.status, ==, 78);
	g_assert_nonnull(strstr(bare.out, "imap 127.0.0.1:"));
	g_assert_null(strstr(bare.out, "failed"));
	g_assert_nonnull(strstr(bare.out, "dns MX prospect.test: ok: mx.prospect.test (10)"));
	g_assert_nonnull(strstr(bare.out, "dns SPF prospect.test: missing: no SPF record"));
	g_assert_nonnull(
	        strstr(bare.out, "dns DMARC _dmarc.prospect.test: missing: no DMARC record"));
	g_assert_nonnull(strstr(bare.out, "dns DKIM lab._domainkey.prospect.test: missing"));

	/* Without the lab's CA, its certificate is not trusted: a refusal. */
	g_auto(TestCliRun) untrusted = {0};
	check(&untrusted, "alice@sender.test", NULL, "unused");
	g_assert_cmpint(untrusted.status, ==, 78);
	g_assert_nonnull(strstr(untrusted.out, "certificate not trusted"));
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_autofree char *dir = g_dir_make_tmp("piculet-cli-mailbox-XXXXXX", NULL);
	db = test_pg_store_location(dir, "piculet");
	g_test_add_func("/cli/mailbox/check-logs-in-finds-sent-and-names-failures", test_check);
	int status = g_test_run();
	g_autofree char *command = g_strdup_printf("rm -rf '%s'", dir);
	g_spawn_command_line_sync(command, NULL, NULL, NULL, NULL);
	g_free(db);
	return status;
}
