#include "base/base_log.h"

#include "base/base_error.h"

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

static BaseLogLevel log_level = BASE_LOG_NORMAL;

/* Set before threads start, read-only after. */
static int journal_fd = -1;
static struct sockaddr_un journal_address;

#define CONTEXT_BYTES 256
static _Thread_local char log_context[BASE_LOG_N_FIELDS][CONTEXT_BYTES];
static const char *const context_keys[BASE_LOG_N_FIELDS] = {
        "PICULET_MAILBOX", "PICULET_CAMPAIGN", "PICULET_ENROLLMENT", "PICULET_MESSAGE_ID"};

void
base_log_context_set(BaseLogField field, const char *value)
{
	g_strlcpy(log_context[field], value != NULL ? value : "", CONTEXT_BYTES);
}

void
base_log_context_clear(void)
{
	for (int i = 0; i < BASE_LOG_N_FIELDS; i++)
		log_context[i][0] = '\0';
}

/* Each level's name on a line, and syslog's number for it, which the
 * journal's PRIORITY takes; the most severe first (a message may carry
 * several flags). */
static const struct {
	GLogLevelFlags flag;
	const char *name;
	const char *priority;
} levels[] = {
        {G_LOG_LEVEL_ERROR, "error", "3"},     {G_LOG_LEVEL_CRITICAL, "critical", "2"},
        {G_LOG_LEVEL_WARNING, "warning", "4"}, {G_LOG_LEVEL_MESSAGE, "message", "5"},
        {G_LOG_LEVEL_INFO, "info", "6"},       {G_LOG_LEVEL_DEBUG, "debug", "7"},
};

static gsize
level_of(GLogLevelFlags flags)
{
	for (gsize i = 0; i < G_N_ELEMENTS(levels); i++)
		if (flags & levels[i].flag)
			return i;
	return G_N_ELEMENTS(levels) - 1;
}

/* One field of the journal's native protocol: KEY=VALUE, or, for a value
 * with a newline, KEY, a newline, its length (64 bits, little-endian) and
 * the value. */
static void
add_field(GString *datagram, const char *key, const char *value)
{
	if (strchr(value, '\n') == NULL) {
		g_string_append_printf(datagram, "%s=%s\n", key, value);
		return;
	}
	uint64_t length = strlen(value);
	unsigned char bytes[8];
	for (int i = 0; i < 8; i++)
		bytes[i] = (unsigned char)(length >> (8 * i));
	g_string_append_printf(datagram, "%s\n", key);
	g_string_append_len(datagram, (const char *)bytes, 8);
	g_string_append(datagram, value);
	g_string_append_c(datagram, '\n');
}

static bool
write_journal(GLogLevelFlags flags, const char *domain, const char *message)
{
	g_autoptr(GString) datagram = g_string_new(NULL);
	add_field(datagram, "MESSAGE", message);
	add_field(datagram, "PRIORITY", levels[level_of(flags)].priority);
	add_field(datagram, "SYSLOG_IDENTIFIER", "piculet");
	add_field(datagram, "GLIB_DOMAIN", domain != NULL ? domain : "piculet");
	for (int i = 0; i < BASE_LOG_N_FIELDS; i++)
		if (log_context[i][0] != '\0')
			add_field(datagram, context_keys[i], log_context[i]);
	/* Never waits: a journal that cannot take it now gets the plain line on
	 * stderr (its stream) instead. */
	return sendto(journal_fd, datagram->str, datagram->len, MSG_NOSIGNAL | MSG_DONTWAIT,
	              (const struct sockaddr *)&journal_address,
	              sizeof journal_address) == (ssize_t)datagram->len;
}

bool
base_log_use_journal(const char *socket_path)
{
	if (strlen(socket_path) >= sizeof journal_address.sun_path)
		return false;
	int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return false;
	memset(&journal_address, 0, sizeof journal_address);
	journal_address.sun_family = AF_UNIX;
	g_strlcpy(journal_address.sun_path, socket_path, sizeof journal_address.sun_path);
	if (journal_fd >= 0)
		close(journal_fd);
	journal_fd = fd;
	return true;
}

bool
base_log_stderr_is_journal(void)
{
	const char *stream = g_getenv("JOURNAL_STREAM");
	struct stat st;
	if (stream == NULL || fstat(STDERR_FILENO, &st) != 0)
		return false;
	g_autofree char *expected = g_strdup_printf("%" G_GUINT64_FORMAT ":%" G_GUINT64_FORMAT,
	                                            (guint64)st.st_dev, (guint64)st.st_ino);
	return strcmp(stream, expected) == 0;
}

static bool
level_enabled(GLogLevelFlags flags)
{
	if (flags & (G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING))
		return true;
	if (flags & (G_LOG_LEVEL_MESSAGE | G_LOG_LEVEL_INFO))
		return log_level >= BASE_LOG_NORMAL;
	return log_level >= BASE_LOG_VERBOSE;
}

/* Writes @n bytes of @text to @fd, as far as it takes them. */
static void
write_all(int fd, const char *text, size_t n)
{
	while (n > 0) {
		ssize_t written = write(fd, text, n);
		if (written < 0 && errno == EINTR)
			continue;
		if (written <= 0)
			return;
		text += written;
		n -= (size_t)written;
	}
}

static GLogWriterOutput
write_line(GLogLevelFlags flags, const GLogField *fields, gsize n_fields, gpointer user_data)
{
	const char *domain = NULL;
	const char *message = NULL;

	if (!level_enabled(flags))
		return G_LOG_WRITER_HANDLED;
	for (gsize i = 0; i < n_fields; i++) {
		if (g_strcmp0(fields[i].key, "GLIB_DOMAIN") == 0)
			domain = fields[i].value;
		else if (g_strcmp0(fields[i].key, "MESSAGE") == 0)
			message = fields[i].value;
	}
	/* Never GLib's time functions here: GLib may log while holding its
	 * time zone cache's lock, and asking it for the time would take that
	 * lock again (a deadlock seen with a zone named "/etc/passwd"). */
	char stamp[40] = "-";
	struct timespec now;
	struct tm tm;
	if (clock_gettime(CLOCK_REALTIME, &now) == 0 && gmtime_r(&now.tv_sec, &tm) != NULL) {
		size_t n = strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%S", &tm);
		g_snprintf(stamp + n, sizeof stamp - n, ".%03ldZ", now.tv_nsec / 1000000);
	}
	/* Whatever a message quotes from outside (a server's alert, a file's
	 * line) reaches the terminal printable: no escape sequences. */
	g_autofree char *shown = base_error_printable_dup(message, -1, 2000);
	if (journal_fd >= 0 && write_journal(flags, domain, shown))
		return G_LOG_WRITER_HANDLED;
	/* One write of the whole line, not stdio's: threads logging at once
	 * (a server's every request) waited in turn on stderr's lock. A line
	 * is shorter than PIPE_BUF: never mixed with another on a pipe. */
	g_autofree char *line =
	        g_strdup_printf("%s %s %s: %s\n", stamp, levels[level_of(flags)].name,
	                        domain != NULL ? domain : "piculet", shown);
	write_all(STDERR_FILENO, line, strlen(line));
	return G_LOG_WRITER_HANDLED;
}

void
base_log_init(BaseLogLevel level)
{
	/* main() calls this before any thread starts (see the header). */
	static bool installed = false;
	log_level = level;
	if (!installed) {
		g_log_set_writer_func(write_line, NULL, NULL);
		installed = true;
		/* Run by systemd: the journal, with fields. */
		if (base_log_stderr_is_journal())
			base_log_use_journal("/run/systemd/journal/socket");
	}
}

void
base_log_set_level(BaseLogLevel level)
{
	log_level = level;
}

BaseLogLevel
base_log_get_level(void)
{
	return log_level;
}
