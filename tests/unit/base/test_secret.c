#include "base/base_error.h"
#include "base/base_secret.h"

#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

static void
test_from_env(void)
{
	g_autoptr(GError) error = NULL;
	g_setenv("PICULET_TEST_SECRET", "s3cret", TRUE);
	g_autoptr(BaseSecret) secret = base_secret_new_from_env("PICULET_TEST_SECRET", &error);
	g_assert_no_error(error);
	g_assert_cmpstr(base_secret_get(secret), ==, "s3cret");
	g_assert_cmpuint(base_secret_get_length(secret), ==, 6);
}

static void
test_from_env_unset_is_not_found(void)
{
	g_autoptr(GError) error = NULL;
	g_unsetenv("PICULET_TEST_NO_SECRET");
	g_autoptr(BaseSecret) secret = base_secret_new_from_env("PICULET_TEST_NO_SECRET", &error);
	g_assert_null(secret);
	g_assert_error(error, BASE_ERROR, BASE_ERROR_NOT_FOUND);
	g_assert_nonnull(strstr(error->message, "PICULET_TEST_NO_SECRET"));
}

static void
test_from_file_first_line_only(void)
{
	g_autoptr(GError) error = NULL;
	g_autofree char *path = NULL;
	int fd = g_file_open_tmp("secret-XXXXXX", &path, &error);
	g_assert_no_error(error);
	close(fd);
	g_assert_true(g_file_set_contents(path, "pa ss\r\nsecond line\n", -1, &error));
	g_autoptr(BaseSecret) secret = base_secret_new_from_file(path, &error);
	g_remove(path);
	g_assert_no_error(error);
	g_assert_cmpstr(base_secret_get(secret), ==, "pa ss");
}

static void
test_from_missing_file_names_it_without_value(void)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(BaseSecret) secret = base_secret_new_from_file("/nonexistent/pw", &error);
	g_assert_null(secret);
	g_assert_nonnull(error);
	g_assert_nonnull(strstr(error->message, "/nonexistent/pw"));
}

static void
test_from_command(void)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(BaseSecret) secret = base_secret_new_from_command("printf 'tok\\nrest'", &error);
	g_assert_no_error(error);
	g_assert_cmpstr(base_secret_get(secret), ==, "tok");
}

static void
test_from_failing_command(void)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(BaseSecret) secret = base_secret_new_from_command("echo hunter2; exit 3", &error);
	g_assert_null(secret);
	g_assert_error(error, BASE_ERROR, BASE_ERROR_NOT_FOUND);
	/* The output of a failed command may be a secret: it stays out. */
	g_assert_null(strstr(error->message, "hunter2"));
}

static void
test_from_silent_command(void)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(BaseSecret) secret = base_secret_new_from_command("true", &error);
	g_assert_null(secret);
	g_assert_error(error, BASE_ERROR, BASE_ERROR_NOT_FOUND);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/base/secret/from-env", test_from_env);
	g_test_add_func("/base/secret/from-env-unset-is-not-found",
	                test_from_env_unset_is_not_found);
	g_test_add_func("/base/secret/from-file-first-line-only", test_from_file_first_line_only);
	g_test_add_func("/base/secret/from-missing-file-names-it-without-value",
	                test_from_missing_file_names_it_without_value);
	g_test_add_func("/base/secret/from-command", test_from_command);
	g_test_add_func("/base/secret/from-failing-command-hides-output",
	                test_from_failing_command);
	g_test_add_func("/base/secret/from-silent-command", test_from_silent_command);
	return g_test_run();
}
