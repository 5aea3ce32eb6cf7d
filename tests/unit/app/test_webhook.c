/*
 * The webhook types a subscription may ask for are exactly those the
 * engine announces: an event type missing from the list could never be
 * subscribed to.
 */
#include "app/app_webhook.h"
#include "engine/engine_lifecycle.h"

#include <string.h>

static bool
listed(const char *type)
{
	for (gsize i = 0; app_webhook_types[i] != NULL; i++)
		if (strcmp(app_webhook_types[i], type) == 0)
			return true;
	return false;
}

static void
test_types_are_the_engine_s(void)
{
	guint announced = 0;
	for (int event = 0; event <= ENGINE_EVENT_LAST; event++) {
		const char *type = engine_lifecycle_event_webhook((EngineEvent)event);
		if (type == NULL)
			continue;
		g_test_message("%s -> %s", engine_lifecycle_event_name((EngineEvent)event), type);
		g_assert_true(listed(type));
		announced++;
	}
	/* And nothing listed that the engine never says. */
	for (gsize i = 0; app_webhook_types[i] != NULL; i++) {
		bool said = false;
		for (int event = 0; event <= ENGINE_EVENT_LAST && !said; event++) {
			const char *type = engine_lifecycle_event_webhook((EngineEvent)event);
			said = type != NULL && strcmp(type, app_webhook_types[i]) == 0;
		}
		g_assert_true(said);
	}
	g_assert_cmpuint(announced, >=, 13);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/app/webhook/types-are-the-engine-s", test_types_are_the_engine_s);
	return g_test_run();
}
