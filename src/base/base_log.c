#include "base/base_log.h"

#include "base/base_error.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static BaseLogLevel log_level = BASE_LOG_NORMAL;

static const char *
level_name(GLogLevelFlags flags)
{
	if (flags & G_LOG_LEVEL_ERROR)
		return "error";
	if (flags & G_LOG_LEVEL_CRITICAL)
		return "critical";
	if (flags & G_LOG_LEVEL_WARNING)
		return "warning";
	if (flags & G_LOG_LEVEL_MESSAGE)
		return "message";
	if (flags & G_LOG_LEVEL_INFO)
		return "info";
	return "debug";
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
	fprintf(stderr, "%s %s %s: %s\n", stamp, level_name(flags),
	        domain != NULL ? domain : "piculet", shown);
	fflush(stderr);
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
