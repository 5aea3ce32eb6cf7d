/* What /metrics shows, apart from any back end. */
#include "store/store.h"

const double store_latency_bounds_s[STORE_LATENCY_BOUNDS] = {0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60};

void
store_metrics_clear(StoreMetrics *metrics)
{
	g_clear_pointer(&metrics->messages_by_state, g_ptr_array_unref);
	g_clear_pointer(&metrics->events_by_kind, g_ptr_array_unref);
	g_clear_pointer(&metrics->paused_by_kind, g_ptr_array_unref);
	g_clear_pointer(&metrics->enrollments_by_state, g_ptr_array_unref);
}
