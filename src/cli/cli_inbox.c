#define G_LOG_DOMAIN "piculet-cli"

#include "cli/cli_inbox.h"

#include "base/base_json.h"
#include "base/base_log.h"
#include "base/base_secret.h"
#include "cli/cli_exit.h"
#include "cli/cli_options.h"
#include "cli/cli_output.h"
#include "cli/cli_signal.h"
#include "imap/imap_client.h"
#include "imap/imap_sync.h"
#include "mail/mail_headers.h"

#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

const char cli_inbox_usage[] =
        "usage: piculet inbox scan    --imap HOST[:PORT] [CONNECTION...] [--folder NAME]\n"
        "                             [--cursor FILE] [--body-bytes N]\n"
        "       piculet inbox watch   --imap HOST[:PORT] [CONNECTION...] [--folder NAME]\n"
        "                             [--cursor FILE] [--body-bytes N] [--poll-seconds N]\n"
        "       piculet inbox folders --imap HOST[:PORT] [CONNECTION...] [--json]\n"
        "\n"
        "Reads a mailbox over IMAP. `scan` prints one JSON line per message that is\n"
        "new since the cursor (all messages without --cursor): its UID, size, flags\n"
        "and the header fields piculet reads, decoded to UTF-8, and with --body-bytes\n"
        "the first N bytes of its text. With --cursor FILE it resumes from the saved\n"
        "cursor and then replaces the file atomically. `watch` does the same, then\n"
        "waits in IDLE (or polls where IDLE is missing) and prints new messages as\n"
        "they arrive, until interrupted. `folders` lists the folders with their\n"
        "special use (\\Sent, \\Junk, ...).\n"
        "\n"
        "CONNECTION:\n"
        "  --tls | --starttls | --plain   TLS from the first byte (default; port 993),\n"
        "                        STARTTLS (port 143), or none at all\n"
        "  --user USER           log in as USER; the secret comes from one of:\n"
        "  --password-env VAR | --password-file FILE | --password-cmd CMD\n"
        "  --oauth2              the secret is an OAuth2 bearer token (XOAUTH2)\n"
        "  --ca-file FILE        trust the CAs in FILE instead of the system's\n"
        "  --insecure            do NOT verify the server's certificate\n"
        "  --allow-plaintext-auth  log in even without TLS\n"
        "  --timeout SECONDS     deadline of each server response (default 120)\n"
        "  --trace               print the protocol exchange on stderr\n"
        "\n"
        "Exit status: 0 done; 66 no such folder; 69 server unreachable; 76 protocol\n"
        "error; 77 login refused; 78 configuration. See piculet help.\n";

typedef struct {
	CliConnectionArgs conn;
	char *imap;
	char *folder;
	char *cursor;
	int body_bytes;
	int poll_seconds;
	gboolean json;
} InboxArgs;

static void
inbox_args_clear(InboxArgs *args)
{
	cli_options_connection_clear(&args->conn);
	g_free(args->imap);
	g_free(args->folder);
	g_free(args->cursor);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(InboxArgs, inbox_args_clear)

static int
exit_code_of(const GError *error)
{
	if (error == NULL || error->domain != IMAP_ERROR)
		return CLI_EXIT_SOFTWARE;
	switch ((ImapError)error->code) {
	case IMAP_ERROR_CONNECT:
	case IMAP_ERROR_TIMEOUT:
	case IMAP_ERROR_CLOSED:
		return CLI_EXIT_UNAVAILABLE;
	case IMAP_ERROR_CERTIFICATE:
	case IMAP_ERROR_POLICY:
		return CLI_EXIT_CONFIG;
	case IMAP_ERROR_PROTOCOL:
	case IMAP_ERROR_COMMAND:
		return CLI_EXIT_PROTOCOL;
	case IMAP_ERROR_AUTH:
		return CLI_EXIT_AUTH;
	case IMAP_ERROR_NO_FOLDER:
		return CLI_EXIT_NO_INPUT;
	case IMAP_ERROR_INPUT:
		return CLI_EXIT_DATA;
	case IMAP_ERROR_STOPPED:
		return CLI_EXIT_OK;
	case IMAP_ERROR_STATE:
		return CLI_EXIT_SOFTWARE;
	}
	return CLI_EXIT_SOFTWARE;
}

static bool
parse_args(const char *command, int argc, char **argv, InboxArgs *args)
{
	const GOptionEntry own[] = {
	        {"imap", 0, 0, G_OPTION_ARG_STRING, &args->imap, NULL, NULL},
	        {"folder", 0, 0, G_OPTION_ARG_STRING, &args->folder, NULL, NULL},
	        {"cursor", 0, 0, G_OPTION_ARG_FILENAME, &args->cursor, NULL, NULL},
	        {"body-bytes", 0, 0, G_OPTION_ARG_INT, &args->body_bytes, NULL, NULL},
	        {"poll-seconds", 0, 0, G_OPTION_ARG_INT, &args->poll_seconds, NULL, NULL},
	        {"json", 0, 0, G_OPTION_ARG_NONE, &args->json, NULL, NULL},
	};
	g_autoptr(GArray) entries = g_array_new(FALSE, FALSE, sizeof(GOptionEntry));
	g_array_append_vals(entries, own, G_N_ELEMENTS(own));
	cli_options_add_connection(entries, &args->conn);
	if (!cli_options_parse_array(command, entries, argc, argv))
		return false;
	const char *problem = cli_options_check_connection(&args->conn, true);
	if (args->imap == NULL)
		problem = "--imap HOST[:PORT] is required";
	else if (problem != NULL)
		; /* as the shared check said */
	else if (args->body_bytes < 0 || args->body_bytes > 1024 * 1024)
		problem = "--body-bytes must be between 0 and 1048576";
	else if (args->poll_seconds < 0)
		problem = "--poll-seconds must be positive";
	if (problem == NULL)
		return true;
	cli_output_eprintf("piculet %s: %s (see piculet inbox --help)\n", command, problem);
	return false;
}

static ImapClient *
open_session(const char *command, const InboxArgs *args, int *code)
{
	g_autoptr(GError) error = NULL;
	g_autofree char *host = NULL;
	guint16 port = 0;
	guint16 default_port = args->conn.starttls || args->conn.plain ? 143 : 993;
	if (!cli_options_parse_host_port(args->imap, default_port, &host, &port, &error)) {
		cli_output_eprintf("piculet %s: --imap: %s\n", command, error->message);
		*code = CLI_EXIT_USAGE;
		return NULL;
	}
	g_autoptr(BaseSecret) secret = cli_options_load_secret(
	        args->conn.password_env, args->conn.password_file, args->conn.password_cmd, &error);
	if (secret == NULL) {
		cli_output_eprintf("piculet %s: %s\n", command, error->message);
		*code = CLI_EXIT_CONFIG;
		return NULL;
	}
	ImapSecurity security = args->conn.plain      ? IMAP_SECURITY_NONE
	                        : args->conn.starttls ? IMAP_SECURITY_STARTTLS
	                                              : IMAP_SECURITY_TLS;
	g_autoptr(NetTls) tls = NULL;
	if (security != IMAP_SECURITY_NONE) {
		if ((tls = cli_options_new_tls(&args->conn, &error)) == NULL) {
			cli_output_eprintf("piculet %s: %s\n", command, error->message);
			*code = CLI_EXIT_CONFIG;
			return NULL;
		}
	}
	ImapClientOptions options = {
	        .host = host,
	        .port = port,
	        .security = security,
	        .tls = tls,
	        .command_timeout_ms = args->conn.timeout_s > 0 ? args->conn.timeout_s * 1000 : 0,
	        .allow_plaintext_auth = args->conn.allow_plaintext_auth,
	};
	g_autoptr(ImapClient) client = imap_client_new(&options);
	ImapCredentials credentials = {
	        .user = args->conn.user, .secret = secret, .oauth2 = args->conn.oauth2};
	bool enabled = false;
	if (!imap_client_connect(client, &error) ||
	    !imap_client_login(client, &credentials, &error) || !imap_client_id(client, &error) ||
	    !imap_client_enable(client, "CONDSTORE", &enabled, &error)) {
		cli_output_eprintf("piculet %s: %s:%u: %s\n", command, host, port, error->message);
		*code = exit_code_of(error);
		imap_client_logout(client);
		return NULL;
	}
	return g_steal_pointer(&client);
}

/* The cursor file: {"uidvalidity": n, "last_uid": n, "highestmodseq": n}. */
static bool
load_cursor(const char *path, ImapCursor *cursor, GError **error)
{
	memset(cursor, 0, sizeof *cursor);
	if (path == NULL || !g_file_test(path, G_FILE_TEST_EXISTS))
		return true;
	json_error_t json_error;
	json_t *root = json_load_file(path, 0, &json_error);
	if (root == NULL || !json_is_object(root)) {
		g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_INVAL, "%s:%d: not a cursor: %s",
		            path, json_error.line,
		            root == NULL ? json_error.text : "not an object");
		json_decref(root);
		return false;
	}
	json_int_t validity = json_integer_value(json_object_get(root, "uidvalidity"));
	json_int_t last = json_integer_value(json_object_get(root, "last_uid"));
	json_int_t modseq = json_integer_value(json_object_get(root, "highestmodseq"));
	json_decref(root);
	if (validity < 0 || validity > G_MAXUINT32 || last < 0 || last > G_MAXUINT32 ||
	    modseq < 0) {
		g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_INVAL,
		            "%s: cursor values out of range", path);
		return false;
	}
	cursor->uid_validity = (uint32_t)validity;
	cursor->last_uid = (uint32_t)last;
	cursor->highest_modseq = (uint64_t)modseq;
	return true;
}

static bool
save_cursor(const char *path, const ImapCursor *cursor, GError **error)
{
	if (path == NULL)
		return true;
	g_autofree char *text = g_strdup_printf(
	        "{\"uidvalidity\": %u, \"last_uid\": %u, \"highestmodseq\": %" G_GUINT64_FORMAT
	        "}\n",
	        cursor->uid_validity, cursor->last_uid, cursor->highest_modseq);
	/* Written to a temporary file and renamed: a crash leaves the old cursor
	 * or the new one, never half of one. */
	return g_file_set_contents_full(path, text, -1, G_FILE_SET_CONTENTS_CONSISTENT, 0600,
	                                error);
}

static const char *const output_fields[] = {
        "From",
        "Sender",
        "To",
        "Cc",
        "Reply-To",
        "Subject",
        "Date",
        "Message-ID",
        "In-Reply-To",
        "References",
        "Auto-Submitted",
        "X-Autoreply",
        "X-Autorespond",
        "Precedence",
        "X-Failed-Recipients",
        "Content-Type",
        "List-Id",
        "List-Unsubscribe",
        "Return-Path",
        "Thread-Index",
};

/* The JSON keys of output_fields: lower case, "_" for "-". */
static const char *const output_keys[] = {
        "from",
        "sender",
        "to",
        "cc",
        "reply_to",
        "subject",
        "date",
        "message_id",
        "in_reply_to",
        "references",
        "auto_submitted",
        "x_autoreply",
        "x_autorespond",
        "precedence",
        "x_failed_recipients",
        "content_type",
        "list_id",
        "list_unsubscribe",
        "return_path",
        "thread_index",
};
G_STATIC_ASSERT(G_N_ELEMENTS(output_keys) == G_N_ELEMENTS(output_fields));

typedef struct {
	const char *folder;
	GString *line; /* reused for every message */
	guint printed;
} PrintContext;

static void
print_message(const ImapFetch *fetch, void *user_data)
{
	PrintContext *context = user_data;
	GString *line = context->line;
	g_string_assign(line, "{");
	base_json_append_member_string(line, "folder", context->folder);
	base_json_append_member_uint(line, "uid", fetch->uid);
	if (fetch->has_size)
		base_json_append_member_uint(line, "size", fetch->size);
	base_json_append_key(line, "flags");
	g_string_append_c(line, '[');
	for (guint i = 0; fetch->flags != NULL && i < fetch->flags->len; i++) {
		if (i > 0)
			g_string_append_c(line, ',');
		g_autofree char *flag = g_utf8_make_valid(fetch->flags->pdata[i], -1);
		base_json_append_string(line, flag);
	}
	g_string_append_c(line, ']');
	if (fetch->header != NULL) {
		gsize n = 0;
		const char *data = g_bytes_get_data(fetch->header, &n);
		g_autoptr(MailHeaders) headers = mail_headers_parse(data, n);
		for (gsize i = 0; i < G_N_ELEMENTS(output_fields); i++) {
			g_autofree char *value =
			        mail_headers_dup_decoded(headers, output_fields[i]);
			if (value != NULL)
				base_json_append_member_string(line, output_keys[i], value);
		}
	}
	if (fetch->text != NULL) {
		gsize n = 0;
		const char *data = g_bytes_get_data(fetch->text, &n);
		/* NUL bytes cannot be in a JSON string we build from C strings. */
		g_autofree char *text = g_utf8_make_valid(data, (gssize)n);
		base_json_append_member_string(line, "body", text);
	}
	g_string_append(line, "}\n");
	fwrite(line->str, 1, line->len, stdout);
	context->printed++;
}

static bool
sync_once(ImapClient *client, const InboxArgs *args, ImapCursor *cursor, GError **error)
{
	g_autoptr(GString) line = g_string_sized_new(1024);
	PrintContext context = {.folder = args->folder != NULL ? args->folder : "INBOX",
	                        .line = line};
	ImapSyncOptions options = {.folder = context.folder, .body_bytes = (gsize)args->body_bytes};
	bool reset = false;
	bool ok =
	        imap_sync_folder(client, &options, cursor, print_message, &context, &reset, error);
	/* Whatever was printed reaches the reader before the cursor moves. */
	fflush(stdout);
	return ok && save_cursor(args->cursor, cursor, error);
}

static int
run_scan(int argc, char **argv)
{
	g_auto(InboxArgs) args = {0};
	g_autoptr(GError) error = NULL;
	ImapCursor cursor;
	int code = CLI_EXIT_OK;
	if (!parse_args("inbox scan", argc, argv, &args))
		return CLI_EXIT_USAGE;
	if (args.conn.trace)
		base_log_set_level(BASE_LOG_VERBOSE);
	if (!load_cursor(args.cursor, &cursor, &error)) {
		cli_output_eprintf("piculet inbox scan: %s\n", error->message);
		return CLI_EXIT_DATA;
	}
	g_autoptr(ImapClient) client = open_session("inbox scan", &args, &code);
	if (client == NULL)
		return code;
	if (!sync_once(client, &args, &cursor, &error)) {
		cli_output_eprintf("piculet inbox scan: %s\n", error->message);
		code = error->domain == IMAP_ERROR ? exit_code_of(error) : CLI_EXIT_IO;
	}
	imap_client_logout(client);
	return code;
}

/* Waits for news: IDLE where offered, else a NOOP poll every @poll_s. */
static bool
wait_for_news(ImapClient *client, int poll_s, bool *stop, GError **error)
{
	bool woken = false;
	if (!imap_client_has_capability(client, "IDLE")) {
		struct pollfd wake = {.fd = cli_signal_get_stop_fd(), .events = POLLIN};
		*stop = poll(&wake, 1, poll_s * 1000) > 0 && cli_signal_stop_requested();
		return true;
	}
	if (!imap_client_idle_start(client, error) ||
	    !imap_client_idle_wait(client, imap_client_idle_restart_ms(), cli_signal_get_stop_fd(),
	                           &woken, error))
		return false;
	*stop = !woken && cli_signal_stop_requested();
	return imap_client_idle_done(client, error);
}

static int
run_watch(int argc, char **argv)
{
	g_auto(InboxArgs) args = {0};
	g_autoptr(GError) error = NULL;
	ImapCursor cursor;
	int code = CLI_EXIT_OK;
	bool stop = false;
	if (!parse_args("inbox watch", argc, argv, &args))
		return CLI_EXIT_USAGE;
	if (args.conn.trace)
		base_log_set_level(BASE_LOG_VERBOSE);
	if (!load_cursor(args.cursor, &cursor, &error)) {
		cli_output_eprintf("piculet inbox watch: %s\n", error->message);
		return CLI_EXIT_DATA;
	}
	if (!cli_signal_install_stop()) {
		cli_output_eprintf("piculet inbox watch: cannot install signal handlers\n");
		return CLI_EXIT_SOFTWARE;
	}
	g_autoptr(ImapClient) client = open_session("inbox watch", &args, &code);
	if (client == NULL)
		return code;
	while (!stop) {
		if (!sync_once(client, &args, &cursor, &error) ||
		    !wait_for_news(client, args.poll_seconds > 0 ? args.poll_seconds : 60, &stop,
		                   &error)) {
			cli_output_eprintf("piculet inbox watch: %s\n", error->message);
			code = error->domain == IMAP_ERROR ? exit_code_of(error) : CLI_EXIT_IO;
			break;
		}
	}
	imap_client_logout(client);
	return code;
}

static int
run_folders(int argc, char **argv)
{
	g_auto(InboxArgs) args = {0};
	g_autoptr(GError) error = NULL;
	int code = CLI_EXIT_OK;
	if (!parse_args("inbox folders", argc, argv, &args))
		return CLI_EXIT_USAGE;
	if (args.conn.trace)
		base_log_set_level(BASE_LOG_VERBOSE);
	g_autoptr(ImapClient) client = open_session("inbox folders", &args, &code);
	if (client == NULL)
		return code;
	g_autoptr(GPtrArray) folders = imap_client_list(client, &error);
	if (folders == NULL) {
		cli_output_eprintf("piculet inbox folders: %s\n", error->message);
		imap_client_logout(client);
		return exit_code_of(error);
	}
	for (guint i = 0; i < folders->len; i++) {
		const ImapFolder *folder = folders->pdata[i];
		if (args.json) {
			json_t *object = json_object();
			json_object_set_new(object, "name", json_string(folder->name));
			json_object_set_new(object, "special_use",
			                    folder->special_use ? json_string(folder->special_use)
			                                        : json_null());
			json_object_set_new(object, "selectable", json_boolean(folder->selectable));
			char *line = json_dumps(object, JSON_COMPACT);
			printf("%s\n", line);
			free(line);
			json_decref(object);
		} else {
			cli_output_printf("%s%s%s\n", folder->name, folder->special_use ? "\t" : "",
			                  folder->special_use ? folder->special_use : "");
		}
	}
	imap_client_logout(client);
	return CLI_EXIT_OK;
}

int
cli_inbox_run(int argc, char **argv)
{
	if (argc < 2) {
		fputs(cli_inbox_usage, stderr);
		return CLI_EXIT_USAGE;
	}
	if (strcmp(argv[1], "scan") == 0)
		return run_scan(argc - 1, argv + 1);
	if (strcmp(argv[1], "watch") == 0)
		return run_watch(argc - 1, argv + 1);
	if (strcmp(argv[1], "folders") == 0)
		return run_folders(argc - 1, argv + 1);
	cli_output_eprintf("piculet inbox: no subcommand \"%s\" (scan, watch, folders)\n", argv[1]);
	return CLI_EXIT_USAGE;
}
