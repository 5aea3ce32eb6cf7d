#include "engine/engine_condition.h"

#include <string.h>

typedef enum {
	CONDITION_EQUALS,
	CONDITION_DIFFERS,
	CONDITION_IN,
	CONDITION_NOT_IN,
	CONDITION_PRESENT,
	CONDITION_ABSENT,
} ConditionOp;

struct EngineCondition {
	char *text;
	char *field;
	ConditionOp op;
	GPtrArray *values; /* char *, trimmed */
};

void
engine_condition_free(EngineCondition *condition)
{
	if (condition == NULL)
		return;
	g_free(condition->text);
	g_free(condition->field);
	if (condition->values != NULL)
		g_ptr_array_unref(condition->values);
	g_free(condition);
}

/* "{{ country }}" or "country" into "country"; NULL when it is neither. */
static char *
field_name(const char *text)
{
	g_autofree char *name = g_strstrip(g_strdup(text));
	if (g_str_has_prefix(name, "{{") && g_str_has_suffix(name, "}}")) {
		char *inner = g_strstrip(g_strndup(name + 2, strlen(name) - 4));
		g_free(name);
		name = inner;
	}
	if (name[0] == '\0')
		return NULL;
	for (const char *c = name; *c != '\0'; c++)
		if (!g_ascii_isalnum(*c) && *c != '_' && *c != '.' && *c != '-')
			return NULL;
	return g_steal_pointer(&name);
}

/* A value, its quotes taken off. */
static char *
value_of(const char *text)
{
	g_autofree char *value = g_strstrip(g_strdup(text));
	gsize length = strlen(value);
	if (length >= 2 && ((value[0] == '"' && value[length - 1] == '"') ||
	                    (value[0] == '\'' && value[length - 1] == '\'')))
		return g_strndup(value + 1, length - 2);
	return g_steal_pointer(&value);
}

/* "[DE, AT]" or "DE, AT" into its values. */
static GPtrArray *
list_of(const char *text)
{
	g_autofree char *list = g_strstrip(g_strdup(text));
	gsize length = strlen(list);
	if (length >= 2 && list[0] == '[' && list[length - 1] == ']') {
		list[length - 1] = '\0';
		memmove(list, list + 1, length - 1);
	}
	GPtrArray *values = g_ptr_array_new_with_free_func(g_free);
	g_auto(GStrv) parts = g_strsplit(list, ",", -1);
	for (gsize i = 0; parts[i] != NULL; i++) {
		char *value = value_of(parts[i]);
		if (value[0] == '\0')
			g_free(value);
		else
			g_ptr_array_add(values, value);
	}
	return values;
}

EngineCondition *
engine_condition_parse(const char *text, const char **why)
{
	*why = NULL;
	if (text == NULL || strchr(text, '\n') != NULL) {
		*why = "a condition is one line";
		return NULL;
	}
	g_autoptr(EngineCondition) condition = g_new0(EngineCondition, 1);
	condition->text = g_strstrip(g_strdup(text));
	condition->values = g_ptr_array_new_with_free_func(g_free);
	static const struct {
		const char *token;
		ConditionOp op;
	} ops[] = {
	        {"==", CONDITION_EQUALS},
	        {"!=", CONDITION_DIFFERS},
	        {" not in ", CONDITION_NOT_IN},
	        {" in ", CONDITION_IN},
	};
	const char *left_end = NULL;
	const char *right = NULL;
	for (gsize i = 0; i < G_N_ELEMENTS(ops) && left_end == NULL; i++) {
		const char *at = strstr(condition->text, ops[i].token);
		if (at == NULL)
			continue;
		left_end = at;
		right = at + strlen(ops[i].token);
		condition->op = ops[i].op;
	}
	if (left_end == NULL) {
		const char *name = condition->text;
		condition->op = CONDITION_PRESENT;
		if (g_str_has_prefix(name, "not ")) {
			condition->op = CONDITION_ABSENT;
			name += 4;
		}
		condition->field = field_name(name);
		if (condition->field == NULL) {
			*why = "expected a field and a value: \"{{country}} == DE\", \"{{country}} "
			       "in "
			       "[DE, AT]\", \"{{phone}}\", \"reply == later\"";
			return NULL;
		}
		return g_steal_pointer(&condition);
	}
	g_autofree char *left = g_strndup(condition->text, (gsize)(left_end - condition->text));
	condition->field = field_name(left);
	if (condition->field == NULL) {
		*why = "the left side is a field, like {{country}} or reply";
		return NULL;
	}
	if (condition->op == CONDITION_IN || condition->op == CONDITION_NOT_IN) {
		g_ptr_array_unref(condition->values);
		condition->values = list_of(right);
	} else {
		char *value = value_of(right);
		g_ptr_array_add(condition->values, value);
	}
	if (condition->values->len == 0 ||
	    (condition->op != CONDITION_IN && condition->op != CONDITION_NOT_IN &&
	     ((char *)condition->values->pdata[0])[0] == '\0')) {
		*why = "the right side is a value (or a list of them after in)";
		return NULL;
	}
	return g_steal_pointer(&condition);
}

const char *
engine_condition_field(const EngineCondition *condition)
{
	return condition->field;
}

const char *
engine_condition_text(const EngineCondition *condition)
{
	return condition->text;
}

bool
engine_condition_holds(const EngineCondition *condition, const char *value)
{
	g_autofree char *given = g_strstrip(g_strdup(value != NULL ? value : ""));
	bool present = given[0] != '\0';
	bool listed = false;
	for (guint i = 0; i < condition->values->len; i++)
		listed = listed || g_ascii_strcasecmp(given, condition->values->pdata[i]) == 0;
	switch (condition->op) {
	case CONDITION_EQUALS:
	case CONDITION_IN:
		return listed;
	case CONDITION_DIFFERS:
	case CONDITION_NOT_IN:
		return !listed;
	case CONDITION_PRESENT:
		return present;
	case CONDITION_ABSENT:
		return !present;
	}
	return false;
}
