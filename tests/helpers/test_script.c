#include "test_script.h"

#include <string.h>

void
test_script_free(TestScript *script)
{
	if (script == NULL)
		return;
	g_free(script->name);
	g_hash_table_unref(script->header);
	g_free(script->dialog);
	g_free(script);
}

TestScript *
test_script_load(const char *path)
{
	g_autofree char *text = NULL;
	g_autoptr(GError) error = NULL;
	if (!g_file_get_contents(path, &text, NULL, &error))
		g_error("%s: %s", path, error->message);
	const char *split = strstr(text, "\n---\n");
	if (split == NULL)
		g_error("%s: no \"---\" line between header and dialog", path);

	TestScript *script = g_new0(TestScript, 1);
	g_autofree char *base = g_path_get_basename(path);
	script->name = g_strndup(base, strlen(base) - strlen(".script"));
	script->header = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	script->dialog = g_strdup(split + 5);
	g_autofree char *head = g_strndup(text, (gsize)(split - text));
	g_auto(GStrv) lines = g_strsplit(head, "\n", -1);
	for (char **line = lines; *line != NULL; line++) {
		const char *colon = strchr(*line, ':');
		if ((*line)[0] == '#' || colon == NULL)
			continue;
		g_hash_table_insert(script->header,
		                    g_strstrip(g_strndup(*line, (gsize)(colon - *line))),
		                    g_strstrip(g_strdup(colon + 1)));
	}
	return script;
}

const char *
test_script_get(const TestScript *script, const char *key, const char *fallback)
{
	const char *value = g_hash_table_lookup(script->header, key);
	return value != NULL ? value : fallback;
}

static int
compare_paths(gconstpointer a, gconstpointer b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

void
test_script_add_all(const char *protocol, GTestDataFunc test)
{
	g_autofree char *dir = g_test_build_filename(G_TEST_DIST, "transcript", protocol, NULL);
	g_autoptr(GError) error = NULL;
	g_autoptr(GDir) listing = g_dir_open(dir, 0, &error);
	g_assert_no_error(error);
	g_autoptr(GPtrArray) paths = g_ptr_array_new_with_free_func(g_free);
	const char *name;
	while ((name = g_dir_read_name(listing)) != NULL)
		if (g_str_has_suffix(name, ".script"))
			g_ptr_array_add(paths, g_build_filename(dir, name, NULL));
	g_ptr_array_sort(paths, compare_paths);
	g_assert_cmpuint(paths->len, >, 0);
	for (guint i = 0; i < paths->len; i++) {
		/* Kept for the whole run: GTest holds the pointer. */
		TestScript *script = test_script_load(paths->pdata[i]);
		g_autofree char *test_path =
		        g_strdup_printf("/%s/transcript/%s", protocol, script->name);
		g_test_add_data_func_full(test_path, script, test,
		                          (GDestroyNotify)test_script_free);
	}
}
