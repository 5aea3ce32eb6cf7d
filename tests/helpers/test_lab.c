#include "test_lab.h"

#include <fcntl.h>
#include <gio/gio.h>
#include <gmime/gmime.h>
#include <string.h>
#include <sys/types.h>
#include <unistd.h>

/* GMime 3.2 defines no autoptr cleanups of its own. */
G_DEFINE_AUTOPTR_CLEANUP_FUNC(GMimeStream, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC(GMimeParser, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC(GMimeMessage, g_object_unref)

static TestLab *the_lab;

static char *
mail_lab_script(void)
{
	return g_build_filename(PICULET_SOURCE_DIR, "scripts", "mail-lab", NULL);
}

/*
 * A child that outlives nothing: it waits for end of file on a pipe whose
 * only writer is this process, then stops the lab. The kernel closes the
 * pipe however the test ends (exit, abort, a signal), so the lab never
 * outlives the test that started it.
 */
static void
start_guardian(const char *dir)
{
	int fds[2];
	g_assert_cmpint(pipe(fds), ==, 0);
	pid_t pid = fork();
	g_assert_cmpint(pid, >=, 0);
	if (pid == 0) {
		char byte;
		close(fds[1]);
		setsid();
		while (read(fds[0], &byte, 1) > 0)
			;
		g_autofree char *script = mail_lab_script();
		int devnull = open("/dev/null", O_RDWR);
		if (devnull >= 0) {
			dup2(devnull, STDOUT_FILENO);
			dup2(devnull, STDIN_FILENO);
		}
		execl("/bin/sh", "sh", "-c", "\"$0\" stop \"$1\" && rm -rf \"$1\"", script, dir,
		      (char *)NULL);
		_exit(127);
	}
	close(fds[0]);
	/* Only this process may hold the writing end. */
	g_assert_cmpint(fcntl(fds[1], F_SETFD, FD_CLOEXEC), ==, 0);
}

static char *
start_own_lab(void)
{
	g_autoptr(GError) error = NULL;
	g_autofree char *dir = g_dir_make_tmp("piculet-lab-XXXXXX", &error);
	g_assert_no_error(error);
	g_autofree char *script = mail_lab_script();
	const char *argv[] = {script, "start", dir, NULL};
	int status = 0;
	g_autofree char *out = NULL;
	g_autofree char *err = NULL;

	if (!g_spawn_sync(NULL, (char **)argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, &err,
	                  &status, &error) ||
	    !g_spawn_check_wait_status(status, &error))
		g_error("cannot start the mail lab: %s\n%s", error->message, err ? err : "");
	start_guardian(dir);
	return g_build_filename(dir, "lab.env", NULL);
}

static uint16_t
port_value(GHashTable *env, const char *key)
{
	const char *value = g_hash_table_lookup(env, key);
	guint64 port = 0;
	g_assert_nonnull(value);
	g_assert_true(g_ascii_string_to_unsigned(value, 10, 1, 65535, &port, NULL));
	return (uint16_t)port;
}

static char *
string_value(GHashTable *env, const char *key)
{
	const char *value = g_hash_table_lookup(env, key);
	if (value == NULL)
		g_error("lab.env has no %s", key);
	return g_strdup(value);
}

static TestLab *
load_lab(const char *env_path)
{
	g_autofree char *contents = NULL;
	g_autoptr(GError) error = NULL;
	g_autoptr(GHashTable) env = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);

	if (!g_file_get_contents(env_path, &contents, NULL, &error))
		g_error("cannot read the lab's environment: %s", error->message);
	g_auto(GStrv) lines = g_strsplit(contents, "\n", -1);
	for (char **line = lines; *line != NULL; line++) {
		const char *eq = strchr(*line, '=');
		if (eq == NULL)
			continue;
		g_autofree char *value = g_strdup(eq + 1);
		gsize n = strlen(value);
		if (n >= 2 && value[0] == '"' && value[n - 1] == '"') {
			value[n - 1] = '\0';
			memmove(value, value + 1, n - 1);
		}
		g_hash_table_insert(env, g_strndup(*line, (gsize)(eq - *line)),
		                    g_steal_pointer(&value));
	}

	TestLab *lab = g_new0(TestLab, 1);
	lab->dir = string_value(env, "LAB_DIR");
	lab->host = string_value(env, "LAB_HOST");
	lab->smtp_port = port_value(env, "LAB_SMTP_PORT");
	lab->submission_port = port_value(env, "LAB_SUBMISSION_PORT");
	lab->submissions_port = port_value(env, "LAB_SUBMISSIONS_PORT");
	lab->imap_port = port_value(env, "LAB_IMAP_PORT");
	lab->imaps_port = port_value(env, "LAB_IMAPS_PORT");
	lab->ca_file = string_value(env, "LAB_CA_FILE");
	lab->other_ca_file = string_value(env, "LAB_OTHER_CA_FILE");
	lab->password = string_value(env, "LAB_PASSWORD");
	lab->dns_server = string_value(env, "LAB_DNS_SERVER");
	lab->oauth_issuer = string_value(env, "LAB_OAUTH_ISSUER");
	lab->oauth_client_id = string_value(env, "LAB_OAUTH_CLIENT_ID");
	lab->oauth_client_secret = string_value(env, "LAB_OAUTH_CLIENT_SECRET");
	lab->oauth_public_client_id = string_value(env, "LAB_OAUTH_PUBLIC_CLIENT_ID");
	lab->oauth_admin_secret = string_value(env, "LAB_OAUTH_ADMIN_SECRET");
	lab->oauth_log = string_value(env, "LAB_OAUTH_LOG");
	lab->dovecot_log = string_value(env, "LAB_DOVECOT_LOG");
	lab->postfix_log = string_value(env, "LAB_POSTFIX_LOG");
	lab->sender_domain = string_value(env, "LAB_SENDER_DOMAIN");
	lab->prospect_domain = string_value(env, "LAB_PROSPECT_DOMAIN");
	lab->bounce_domain = string_value(env, "LAB_BOUNCE_DOMAIN");
	lab->crowd_domain = string_value(env, "LAB_CROWD_DOMAIN");
	lab->crowd_mailbox = string_value(env, "LAB_CROWD_MAILBOX");
	lab->mail_root = string_value(env, "LAB_MAIL_ROOT");
	return lab;
}

const TestLab *
test_lab_get(void)
{
	if (the_lab != NULL)
		return the_lab;
	g_mime_init();
	const char *env = g_getenv("PICULET_LAB_ENV");
	g_autofree char *env_path = NULL;
	if (env != NULL && env[0] != '\0')
		env_path = g_strdup(env);
	else
		env_path = start_own_lab();
	the_lab = load_lab(env_path);
	return the_lab;
}

char *
test_lab_maildir(const TestLab *lab, const char *address)
{
	const char *at = strchr(address, '@');
	g_assert_nonnull(at);
	g_autofree char *user = g_strndup(address, (gsize)(at - address));
	return g_build_filename(lab->mail_root, at + 1, user, "Maildir", NULL);
}

static GPtrArray *
list_messages(const TestLab *lab, const char *address)
{
	g_autofree char *maildir = test_lab_maildir(lab, address);
	GPtrArray *paths = g_ptr_array_new_with_free_func(g_free);
	const char *subdirs[] = {"new", "cur"};

	for (gsize i = 0; i < G_N_ELEMENTS(subdirs); i++) {
		g_autofree char *path = g_build_filename(maildir, subdirs[i], NULL);
		g_autoptr(GDir) dir = g_dir_open(path, 0, NULL);
		const char *name;
		if (dir == NULL)
			continue;
		while ((name = g_dir_read_name(dir)) != NULL)
			g_ptr_array_add(paths, g_build_filename(path, name, NULL));
	}
	return paths;
}

GPtrArray *
test_lab_dup_texts(const TestLab *lab, const char *address, const char *needle)
{
	g_autoptr(GPtrArray) paths = list_messages(lab, address);
	GPtrArray *texts = g_ptr_array_new_with_free_func((GDestroyNotify)g_bytes_unref);
	for (guint i = 0; i < paths->len; i++) {
		char *contents = NULL;
		gsize n = 0;
		if (!g_file_get_contents(paths->pdata[i], &contents, &n, NULL))
			continue;
		if (g_strstr_len(contents, (gssize)n, needle) != NULL)
			g_ptr_array_add(texts, g_bytes_new_take(contents, n));
		else
			g_free(contents);
	}
	return texts;
}

guint
test_lab_count_text(const TestLab *lab, const char *address, const char *needle)
{
	g_autoptr(GPtrArray) texts = test_lab_dup_texts(lab, address, needle);
	return texts->len;
}

guint
test_lab_count_messages(const TestLab *lab, const char *address)
{
	g_autoptr(GPtrArray) paths = list_messages(lab, address);
	return paths->len;
}

static GMimeMessage *
parse_message(GBytes *message)
{
	gsize n = 0;
	const guint8 *data = g_bytes_get_data(message, &n);
	g_autoptr(GMimeStream) stream = g_mime_stream_mem_new_with_buffer((const char *)data, n);
	g_autoptr(GMimeParser) parser = g_mime_parser_new_with_stream(stream);
	return g_mime_parser_construct_message(parser, NULL);
}

char *
test_lab_header(GBytes *message, const char *name)
{
	g_autoptr(GMimeMessage) parsed = parse_message(message);
	if (parsed == NULL)
		return NULL;
	const char *value = g_mime_object_get_header(GMIME_OBJECT(parsed), name);
	/* GMime files Content-* headers under the message's top MIME part. */
	GMimeObject *part = g_mime_message_get_mime_part(parsed);
	if (value == NULL && part != NULL)
		value = g_mime_object_get_header(part, name);
	if (value == NULL)
		return NULL;
	g_autofree char *unfolded = g_mime_utils_header_unfold(value);
	return g_strdup(g_strstrip(unfolded));
}

typedef bool (*MessageMatch)(GBytes *message, const char *header, const char *needle);

static bool
header_contains(GBytes *message, const char *header, const char *needle)
{
	g_autofree char *value = test_lab_header(message, header);
	return value != NULL && strstr(value, needle) != NULL;
}

static bool
text_contains(GBytes *message, const char *header, const char *needle)
{
	gsize n = 0;
	const char *data = g_bytes_get_data(message, &n);
	return g_strstr_len(data, (gssize)n, needle) != NULL;
}

static GBytes *
wait_for(const TestLab *lab, const char *address, MessageMatch match, const char *header,
         const char *needle, guint timeout_ms)
{
	gint64 deadline = g_get_monotonic_time() + (gint64)timeout_ms * 1000;

	/* Polling a local directory every 10 ms, bounded by a deadline. */
	for (;;) {
		g_autoptr(GPtrArray) paths = list_messages(lab, address);
		for (guint i = 0; i < paths->len; i++) {
			char *contents = NULL;
			gsize n = 0;
			if (!g_file_get_contents(paths->pdata[i], &contents, &n, NULL))
				continue; /* moved from new/ to cur/ meanwhile */
			g_autoptr(GBytes) bytes = g_bytes_new_take(contents, n);
			if (match(bytes, header, needle))
				return g_steal_pointer(&bytes);
		}
		if (g_get_monotonic_time() >= deadline)
			return NULL;
		g_usleep(10 * 1000);
	}
}

GBytes *
test_lab_wait_for_message(const TestLab *lab, const char *address, const char *header,
                          const char *needle, guint timeout_ms)
{
	return wait_for(lab, address, header_contains, header, needle, timeout_ms);
}

GBytes *
test_lab_wait_for_text(const TestLab *lab, const char *address, const char *needle,
                       guint timeout_ms)
{
	return wait_for(lab, address, text_contains, NULL, needle, timeout_ms);
}

bool
test_lab_send(const TestLab *lab, const char *from, const char *const *recipients, const char *raw,
              GError **error)
{
	g_autofree char *message_path = NULL;
	int fd = g_file_open_tmp("piculet-test-XXXXXX.eml", &message_path, error);
	if (fd < 0)
		return false;
	close(fd);
	if (!g_file_set_contents(message_path, raw, -1, error))
		return false;

	g_autofree char *url = g_strdup_printf("smtp://%s:%u", lab->host, lab->submission_port);
	g_autoptr(GPtrArray) argv = g_ptr_array_new();
	g_ptr_array_add(argv, (char *)"curl");
	g_ptr_array_add(argv, (char *)"--silent");
	g_ptr_array_add(argv, (char *)"--show-error");
	g_ptr_array_add(argv, (char *)"--ssl-reqd");
	g_ptr_array_add(argv, (char *)"--cacert");
	g_ptr_array_add(argv, lab->ca_file);
	g_ptr_array_add(argv, (char *)"--url");
	g_ptr_array_add(argv, url);
	g_ptr_array_add(argv, (char *)"--mail-from");
	g_ptr_array_add(argv, (char *)from);
	for (const char *const *r = recipients; *r != NULL; r++) {
		g_ptr_array_add(argv, (char *)"--mail-rcpt");
		g_ptr_array_add(argv, (char *)*r);
	}
	g_ptr_array_add(argv, (char *)"--upload-file");
	g_ptr_array_add(argv, message_path);
	/* The credentials go through a config on stdin, never argv. */
	g_ptr_array_add(argv, (char *)"--config");
	g_ptr_array_add(argv, (char *)"-");
	g_ptr_array_add(argv, NULL);

	g_autofree char *config = g_strdup_printf("user = \"%s:%s\"\n", from, lab->password);
	g_autoptr(GSubprocess) curl = g_subprocess_newv(
	        (const char *const *)argv->pdata,
	        G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE, error);
	g_autofree char *err = NULL;
	bool ok = curl != NULL &&
	          g_subprocess_communicate_utf8(curl, config, NULL, NULL, &err, error);
	unlink(message_path);
	if (!ok)
		return false;
	if (!g_subprocess_get_if_exited(curl) || g_subprocess_get_exit_status(curl) != 0) {
		g_set_error(error, G_IO_ERROR, G_IO_ERROR_FAILED, "curl exit %d: %s",
		            g_subprocess_get_exit_status(curl), err ? g_strstrip(err) : "");
		return false;
	}
	return true;
}

static char *
quote_body(GMimeMessage *original)
{
	GMimeObject *body = g_mime_message_get_body(original);
	GString *quoted = g_string_new("");
	if (GMIME_IS_TEXT_PART(body)) {
		g_autofree char *text = g_mime_text_part_get_text(GMIME_TEXT_PART(body));
		g_auto(GStrv) lines = g_strsplit(text != NULL ? text : "", "\n", -1);
		for (char **line = lines; *line != NULL; line++) {
			g_strchomp(*line);
			g_string_append_printf(quoted, ">%s%s\r\n", **line ? " " : "", *line);
		}
	}
	return g_string_free(quoted, FALSE);
}

char *
test_lab_reply(const TestLab *lab, const char *from, GBytes *original, const char *body,
               bool auto_reply, GError **error)
{
	g_autoptr(GMimeMessage) parsed = parse_message(original);
	if (parsed == NULL) {
		g_set_error_literal(error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
		                    "original is not a message");
		return NULL;
	}
	InternetAddressList *to_list = g_mime_message_get_reply_to(parsed);
	if (to_list == NULL || internet_address_list_length(to_list) == 0)
		to_list = g_mime_message_get_from(parsed);
	InternetAddress *to = internet_address_list_get_address(to_list, 0);
	const char *to_addr = internet_address_mailbox_get_addr(INTERNET_ADDRESS_MAILBOX(to));
	const char *message_id = g_mime_message_get_message_id(parsed);
	const char *subject = g_mime_message_get_subject(parsed);
	const char *references = g_mime_object_get_header(GMIME_OBJECT(parsed), "References");
	const char *original_from = g_mime_object_get_header(GMIME_OBJECT(parsed), "From");
	const char *domain = strchr(from, '@') + 1;

	g_autofree char *uuid = g_uuid_string_random();
	g_autofree char *own_id = g_strdup_printf("%s@%s", uuid, domain);
	/* A reply is written after what it answers: dated a minute after the
	 * original, never from this machine's clock, so a test on a simulated
	 * clock reads the same on any day it runs. */
	GDateTime *original_date = g_mime_message_get_date(parsed);
	g_autoptr(GDateTime) answered = original_date != NULL
	                                        ? g_date_time_add_minutes(original_date, 1)
	                                        : g_date_time_new_utc(2026, 12, 1, 9, 0, 0);
	g_autofree char *date = g_mime_utils_header_format_date(answered);
	g_autofree char *quoted = quote_body(parsed);
	bool has_re = subject != NULL && g_ascii_strncasecmp(subject, "Re:", 3) == 0;
	g_autofree char *refs = NULL;
	if (references != NULL)
		refs = g_strdup_printf("%s <%s>", references, message_id);
	else
		refs = g_strdup_printf("<%s>", message_id);

	GString *raw = g_string_new(NULL);
	g_string_append_printf(raw, "From: <%s>\r\nTo: <%s>\r\n", from, to_addr);
	if (auto_reply)
		g_string_append_printf(raw,
		                       "Subject: Automatic reply: %s\r\n"
		                       "Auto-Submitted: auto-replied\r\nX-Autoreply: yes\r\n",
		                       subject ? subject : "");
	else
		g_string_append_printf(raw, "Subject: %s%s\r\n",
		                       has_re ? "" : "Re: ", subject ? subject : "");
	g_string_append_printf(raw,
	                       "Date: %s\r\nMessage-ID: <%s>\r\nIn-Reply-To: <%s>\r\n"
	                       "References: %s\r\nMIME-Version: 1.0\r\n"
	                       "Content-Type: text/plain; charset=UTF-8\r\n"
	                       "Content-Transfer-Encoding: 8bit\r\n\r\n%s\r\n",
	                       date, own_id, message_id, refs, body);
	if (!auto_reply)
		g_string_append_printf(raw, "\r\n%s wrote:\r\n%s", original_from, quoted);

	g_autofree char *text = g_string_free(raw, FALSE);
	const char *recipients[] = {to_addr, NULL};
	if (!test_lab_send(lab, from, recipients, text, error))
		return NULL;
	return g_steal_pointer(&own_id);
}

bool
test_lab_wait_for_count(const TestLab *lab, const char *address, const char *needle, guint count,
                        guint timeout_ms)
{
	gint64 deadline = g_get_monotonic_time() + (gint64)timeout_ms * 1000;
	/* Polling a local directory every 10 ms, bounded by a deadline. */
	while (test_lab_count_text(lab, address, needle) < count) {
		if (g_get_monotonic_time() >= deadline)
			return false;
		g_usleep(10 * 1000);
	}
	return true;
}
