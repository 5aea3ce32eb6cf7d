/*
 * Linked into every fuzz target, under libFuzzer and in the corpus replay:
 * a GLib warning or critical (a GError set twice, a g_return_if_fail that
 * failed) is a bug the input found, so it aborts like a crash (SIGABRT,
 * which libFuzzer catches and saves a reproducer for) instead of scrolling
 * past. Set before main() because libFuzzer owns main() and
 * LLVMFuzzerInitialize is optional.
 */
#include <glib.h>
#include <stdio.h>
#include <stdlib.h>

static void fuzz_fatal_init(void) __attribute__((constructor));

static GLogWriterOutput
fuzz_fatal_writer(GLogLevelFlags log_level, const GLogField *fields, gsize n_fields,
                  gpointer user_data)
{
	(void)user_data;
	if (log_level & (G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING)) {
		for (gsize i = 0; i < n_fields; i++)
			if (g_strcmp0(fields[i].key, "MESSAGE") == 0 && fields[i].length < 0)
				fprintf(stderr, "fuzz: GLib said: %s\n",
				        (const char *)fields[i].value);
		abort();
	}
	return G_LOG_WRITER_HANDLED;
}

static void
fuzz_fatal_init(void)
{
	g_log_set_writer_func(fuzz_fatal_writer, NULL, NULL);
}
