/*
 * Replays a fuzz target's corpus as an ordinary test (TAP), for builds
 * without libFuzzer: each file of the directories given is one test case.
 */
#include <glib.h>
#include <stdint.h>
#include <stdio.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
main(int argc, char **argv)
{
	g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func(g_free);
	for (int i = 1; i < argc; i++) {
		g_autoptr(GDir) dir = g_dir_open(argv[i], 0, NULL);
		const char *name;
		if (dir == NULL) {
			g_ptr_array_add(files, g_strdup(argv[i]));
			continue;
		}
		while ((name = g_dir_read_name(dir)) != NULL)
			g_ptr_array_add(files, g_build_filename(argv[i], name, NULL));
	}
	printf("1..%u\n", files->len);
	for (guint i = 0; i < files->len; i++) {
		char *data = NULL;
		gsize n = 0;
		if (!g_file_get_contents(files->pdata[i], &data, &n, NULL)) {
			printf("not ok %u %s (unreadable)\n", i + 1, (char *)files->pdata[i]);
			continue;
		}
		LLVMFuzzerTestOneInput((const uint8_t *)data, n);
		g_free(data);
		printf("ok %u %s\n", i + 1, (char *)files->pdata[i]);
	}
	return 0;
}
