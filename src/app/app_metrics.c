#include "app/app_metrics.h"

/* A label value as the text format wants it: \, " and newline escaped. */
static void
put_label(GString *out, const char *value)
{
	for (const char *c = value; *c != '\0'; c++) {
		if (*c == '\\' || *c == '"')
			g_string_append_c(out, '\\');
		if (*c == '\n')
			g_string_append(out, "\\n");
		else
			g_string_append_c(out, *c);
	}
}

static void
put_family(GString *out, const char *name, const char *type, const char *help)
{
	g_string_append_printf(out, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

static void
put_counts(GString *out, const char *name, const char *type, const char *help, const char *label,
           const GPtrArray *counts)
{
	put_family(out, name, type, help);
	for (guint i = 0; i < counts->len; i++) {
		const StoreCount *count = counts->pdata[i];
		g_string_append_printf(out, "%s{%s=\"", name, label);
		put_label(out, count->name);
		g_string_append_printf(out, "\"} %" G_GUINT64_FORMAT "\n", count->n);
	}
}

static void
put_value(GString *out, const char *name, const char *type, const char *help, guint64 value)
{
	put_family(out, name, type, help);
	g_string_append_printf(out, "%s %" G_GUINT64_FORMAT "\n", name, value);
}

char *
app_metrics_text(Store *store, int64_t now_us, const AppMetricsEngine *engine, GError **error)
{
	g_auto(StoreMetrics) metrics = {0};
	if (!store_metrics_read(store, now_us, &metrics, error))
		return NULL;
	GString *out = g_string_new(NULL);
	put_counts(out, "piculet_messages", "gauge",
	           "Messages begun, by state (sending, sent, failed, uncertain).", "state",
	           metrics.messages_by_state);
	put_counts(out, "piculet_events_total", "counter",
	           "Events recorded, by kind (sent, reply, auto_reply, bounce, opt_out, "
	           "complaint, ...).",
	           "kind", metrics.events_by_kind);
	put_value(out, "piculet_mailboxes", "gauge", "Mailboxes.", metrics.mailboxes);
	put_counts(out, "piculet_mailboxes_paused", "gauge",
	           "Mailboxes paused, by what the pause stops (sending, reading).", "stops",
	           metrics.paused_by_kind);
	put_value(out, "piculet_mailboxes_guarded", "gauge",
	          "Mailboxes paused by a guard until a person acknowledges it.",
	          metrics.mailboxes_guarded);
	put_counts(out, "piculet_enrollments", "gauge", "Enrollments, by state.", "state",
	           metrics.enrollments_by_state);
	put_value(out, "piculet_queue_due", "gauge",
	          "Enrollments whose next step is due now (queued or active).", metrics.due_now);
	put_family(out, "piculet_send_latency_seconds", "histogram",
	           "From a message's start to the server's acceptance, sent messages.");
	for (int i = 0; i < STORE_LATENCY_BOUNDS; i++) {
		char bound[G_ASCII_DTOSTR_BUF_SIZE];
		g_ascii_dtostr(bound, sizeof bound, store_latency_bounds_s[i]);
		g_string_append_printf(
		        out,
		        "piculet_send_latency_seconds_bucket{le=\"%s\"} %" G_GUINT64_FORMAT "\n",
		        bound, metrics.latency_le[i]);
	}
	char sum[G_ASCII_DTOSTR_BUF_SIZE];
	g_ascii_dtostr(sum, sizeof sum, metrics.latency_sum_s);
	g_string_append_printf(out,
	                       "piculet_send_latency_seconds_bucket{le=\"+Inf\"} %" G_GUINT64_FORMAT
	                       "\npiculet_send_latency_seconds_sum %s\n"
	                       "piculet_send_latency_seconds_count %" G_GUINT64_FORMAT "\n",
	                       metrics.latency_count, sum, metrics.latency_count);
	if (engine != NULL) {
		put_value(out, "piculet_imap_idle_sessions", "gauge",
		          "Mailboxes waiting in IMAP IDLE (the engine in this process).",
		          engine->idle_sessions);
		put_value(out, "piculet_engine_workers", "gauge",
		          "Mailbox worker threads of the engine in this process.", engine->workers);
	}
	return g_string_free(out, FALSE);
}
