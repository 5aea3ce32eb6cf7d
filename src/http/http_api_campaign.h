/* The API's campaign routes (http_api.c lists them; openapi.json words them). */
#pragma once

#include "http/http_route.h"

void http_api_campaign_list(HttpExchange *exchange);
void http_api_campaign_get(HttpExchange *exchange);
/* A new campaign from {"definition": "<the YAML file>"}; 201. */
void http_api_campaign_create(HttpExchange *exchange);
/* The campaign of the path replaced by {"definition": ...} (same name). */
void http_api_campaign_replace(HttpExchange *exchange);
void http_api_campaign_report(HttpExchange *exchange);
void http_api_campaign_preview(HttpExchange *exchange);
/* POST /campaigns/preview {"definition", "prospect", "from"}: a campaign
 * file not saved (a draft as it is typed), previewed the same way. */
void http_api_campaign_preview_draft(HttpExchange *exchange);
/* start, pause, resume or archive: the second path segment. */
void http_api_campaign_act(HttpExchange *exchange);
/* POST /campaigns/fields {definition, campaign?}: what the file's templates
 * ask of the prospects (app_campaign_fields): each field with its steps and
 * how many prospects lack it, each spintax with its alternatives. */
void http_api_campaign_fields(HttpExchange *exchange);
