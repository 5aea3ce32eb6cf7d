/*
 * bench-record: what `piculet serve`'s recorder can write on its own, on
 * one core, without HTTP (bench/http/run drives it after part d).
 *
 *   bench-record DATABASE ENROLLMENTS FETCHES BATCH
 *       FETCHES opens of a browser on the first step of enrollments
 *       1..ENROLLMENTS taken at random, written BATCH to a transaction by
 *       app_tracking_record_all, as the recorder does. Prints fetches/s and
 *       the CPU time of a fetch.
 */
#include "app/app_tracking.h"
#include "store/store.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static double
cpu_seconds(void)
{
	struct timespec now;
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
	return (double)now.tv_sec + (double)now.tv_nsec / 1e9;
}

int
main(int argc, char **argv)
{
	if (argc != 5) {
		fprintf(stderr, "usage: bench-record DATABASE ENROLLMENTS FETCHES BATCH\n");
		return 2;
	}
	g_autoptr(GError) error = NULL;
	Store *store = store_open(argv[1], &error);
	if (store == NULL) {
		fprintf(stderr, "bench-record: %s\n", error->message);
		return 1;
	}
	int enrollments = (int)g_ascii_strtoll(argv[2], NULL, 10);
	int total = (int)g_ascii_strtoll(argv[3], NULL, 10);
	int batch = (int)g_ascii_strtoll(argv[4], NULL, 10);
	if (enrollments < 1 || total < 1 || batch < 1) {
		fprintf(stderr, "bench-record: ENROLLMENTS, FETCHES and BATCH are counts\n");
		return 2;
	}
	static const char agent[] = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, "
	                            "like Gecko) Chrome/120.0 Safari/537.36";
	GRand *rand = g_rand_new_with_seed(14);
	AppTrackingFetch **fetches = g_new0(AppTrackingFetch *, (gsize)batch);
	double wall = (double)g_get_monotonic_time() / 1e6;
	double cpu = cpu_seconds();
	int done = 0;
	while (done < total) {
		int n = MIN(batch, total - done);
		for (int i = 0; i < n; i++) {
			AppTrackingFetch *fetch = g_new0(AppTrackingFetch, 1);
			fetch->kind = APP_TRACKING_OPEN;
			fetch->enrollment_id = g_rand_int_range(rand, 1, enrollments + 1);
			fetch->step = 1;
			fetch->method = g_strdup("GET");
			fetch->user_agent = g_strdup(agent);
			fetch->at_us = g_get_real_time();
			fetches[i] = fetch;
		}
		if (!app_tracking_record_all(store, fetches, (gsize)n, &error)) {
			fprintf(stderr, "bench-record: %s\n", error->message);
			return 1;
		}
		for (int i = 0; i < n; i++)
			app_tracking_fetch_free(fetches[i]);
		done += n;
	}
	cpu = cpu_seconds() - cpu;
	wall = (double)g_get_monotonic_time() / 1e6 - wall;
	printf("%d fetches in batches of %d: %.0f/s, %.1f us of a core a fetch\n", total, batch,
	       total / wall, cpu * 1e6 / total);
	g_free(fetches);
	g_rand_free(rand);
	store_close(store);
	return 0;
}
