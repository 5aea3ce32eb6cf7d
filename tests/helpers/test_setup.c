#include "helpers/test_setup.h"
#include "helpers/test_pg.h"

#include "helpers/test_lab.h"

#include <string.h>

void
test_setup_init(TestSetup *setup, const char *name)
{
	g_autofree char *template = g_strdup_printf("piculet-%s-XXXXXX", name);
	setup->dir = g_dir_make_tmp(template, NULL);
	g_assert_nonnull(setup->dir);
	setup->db = test_pg_store_location(setup->dir, "piculet");
	setup->token = g_uuid_string_random();
}

void
test_setup_clear(TestSetup *setup)
{
	if (setup->dir != NULL) {
		g_autofree char *command = g_strdup_printf("rm -rf '%s'", setup->dir);
		g_spawn_command_line_sync(command, NULL, NULL, NULL, NULL);
	}
	g_free(setup->dir);
	g_free(setup->db);
	g_free(setup->token);
}

void
test_setup_piculet(TestSetup *setup, TestCliRun *run, const char *const *args)
{
	const TestLab *lab = test_lab_get();
	const char *env[] = {"LAB_PW", lab->password, NULL};
	test_cli_run_with_db(run, setup->db, env, args);
}

void
test_setup_piculet_ok(TestSetup *setup, const char *const *args)
{
	g_auto(TestCliRun) run = {0};
	test_setup_piculet(setup, &run, args);
	if (run.status != 0)
		g_error("piculet %s %s: exit %d: %s", args[0], args[1] != NULL ? args[1] : "",
		        run.status, run.err);
}

void
test_setup_mailbox(TestSetup *setup, const char *address, const char *const *more)
{
	const TestLab *lab = test_lab_get();
	g_autofree char *smtp = g_strdup_printf("127.0.0.1:%u", lab->submission_port);
	g_autofree char *imap = g_strdup_printf("127.0.0.1:%u", lab->imaps_port);
	g_autoptr(GPtrArray) args = g_ptr_array_new();
	const char *base[] = {"mailbox", "add", address, "--smtp", smtp, "--imap", imap, NULL};
	bool stored = false;
	for (const char *const *a = base; *a != NULL; a++)
		g_ptr_array_add(args, (char *)*a);
	for (const char *const *a = more; a != NULL && *a != NULL; a++) {
		stored = stored || strcmp(*a, "--store-password-env") == 0;
		g_ptr_array_add(args, (char *)*a);
	}
	if (!stored) {
		g_ptr_array_add(args, (char *)"--password-env");
		g_ptr_array_add(args, (char *)"LAB_PW");
	}
	g_ptr_array_add(args, NULL);
	test_setup_piculet_ok(setup, (const char *const *)args->pdata);
}

void
test_setup_campaign(TestSetup *setup, const char *name, const char *yaml, const char *csv)
{
	g_auto(GStrv) parts = g_strsplit(yaml, "TOKEN", -1);
	g_autofree char *marked = g_strjoinv(setup->token, parts);
	g_autofree char *yaml_path = g_strdup_printf("%s/%s.yaml", setup->dir, name);
	g_assert_true(g_file_set_contents(yaml_path, marked, -1, NULL));
	g_autofree char *csv_path = g_strdup_printf("%s/%s.csv", setup->dir, name);
	g_assert_true(g_file_set_contents(csv_path, csv, -1, NULL));
	const char *create[] = {"campaign", "create", yaml_path, NULL};
	const char *import[] = {"prospects", "import", csv_path, "--campaign", name, NULL};
	const char *start[] = {"campaign", "start", name, NULL};
	test_setup_piculet_ok(setup, create);
	test_setup_piculet_ok(setup, import);
	test_setup_piculet_ok(setup, start);
}

guint
test_setup_tick(TestSetup *setup, const char *now, const char *field)
{
	const TestLab *lab = test_lab_get();
	const char *args[] = {"tick", "--now", now, "--ca-file", lab->ca_file, "--json", NULL};
	g_auto(TestCliRun) run = {0};
	test_setup_piculet(setup, &run, args);
	if (run.status != 0)
		g_error("piculet tick: exit %d: %s", run.status, run.err);
	g_autofree char *key = g_strdup_printf("\"%s\":", field);
	const char *at = strstr(run.out, key);
	g_assert_nonnull(at);
	return (guint)g_ascii_strtoull(at + strlen(key), NULL, 10);
}
