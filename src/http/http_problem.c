/* Errors as RFC 9457 problem+json, with one table of statuses. */
#include "http/http_problem.h"

#include "app/app_error.h"
#include "base/base_error.h"
#include "engine/engine_error.h"
#include "store/store.h"

#include <jansson.h>

static unsigned
status_of_store(StoreError code)
{
	switch (code) {
	case STORE_ERROR_BUSY:
	case STORE_ERROR_UNAVAILABLE:
		return 503;
	case STORE_ERROR_CONFLICT:
	case STORE_ERROR_FENCED:
		return 409;
	case STORE_ERROR_INVALID:
		return 422;
	case STORE_ERROR_OPEN:
	case STORE_ERROR_VERSION:
	case STORE_ERROR_READ_ONLY:
	case STORE_ERROR_FAILED:
		break;
	}
	return 500;
}

static unsigned
status_of_app(AppError code)
{
	switch (code) {
	case APP_ERROR_NOT_FOUND:
		return 404;
	case APP_ERROR_STATE:
		return 409;
	case APP_ERROR_INVALID:
	case APP_ERROR_CONFIG:
		return 422;
	case APP_ERROR_DENIED:
		return 401;
	case APP_ERROR_SIGN_IN:
		return 409;
	case APP_ERROR_UNAVAILABLE:
		return 503;
	}
	return 500;
}

static unsigned
status_of_engine(EngineError code)
{
	switch (code) {
	case ENGINE_ERROR_INPUT:
	case ENGINE_ERROR_MAILBOX:
		return 422;
	case ENGINE_ERROR_STATE:
	case ENGINE_ERROR_SIGN_IN:
		return 409;
	case ENGINE_ERROR_TRY_LATER:
	case ENGINE_ERROR_STOPPED:
		return 503;
	case ENGINE_ERROR_STORE:
	case ENGINE_ERROR_CONFIG:
		break;
	}
	return 500;
}

unsigned
http_problem_status_of(const GError *error)
{
	if (error == NULL)
		return 500;
	if (error->domain == STORE_ERROR)
		return status_of_store((StoreError)error->code);
	if (error->domain == APP_ERROR)
		return status_of_app((AppError)error->code);
	if (error->domain == ENGINE_ERROR)
		return status_of_engine((EngineError)error->code);
	if (error->domain == BASE_ERROR && error->code == BASE_ERROR_INVALID)
		return 422;
	return 500;
}

static const struct {
	unsigned status;
	const char *type;
	const char *title;
} kinds[] = {
        {400, "bad-request", "The request is malformed"},
        {401, "unauthorized", "An API key is needed"},
        {403, "forbidden", "The API key may not do this"},
        {404, "not-found", "Not found"},
        {405, "method-not-allowed", "Not allowed on this resource"},
        {409, "conflict", "Not in this state"},
        {413, "too-large", "The request body is too large"},
        {415, "unsupported-media-type", "The request body is not JSON"},
        {422, "invalid", "The request does not make sense"},
        {429, "too-many-requests", "Too many requests from this key"},
        {503, "busy", "The database is busy; try again"},
};

char *
http_problem_json(unsigned status, const char *detail)
{
	const char *type = "internal";
	const char *title = "Internal error";
	for (gsize i = 0; i < G_N_ELEMENTS(kinds); i++)
		if (kinds[i].status == status) {
			type = kinds[i].type;
			title = kinds[i].title;
		}
	g_autofree char *uri = g_strconcat("urn:piculet:problem:", type, NULL);
	json_t *body = json_pack("{s:s, s:s, s:i}", "type", uri, "title", title, "status",
	                         (json_int_t)status);
	if (detail != NULL) {
		g_autofree char *valid = g_utf8_make_valid(detail, -1);
		json_object_set_new(body, "detail", json_string(valid));
	}
	char *text = json_dumps(body, JSON_COMPACT);
	json_decref(body);
	char *copy = g_strdup(text);
	free(text);
	return copy;
}
