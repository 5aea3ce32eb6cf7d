/*
 * http_api_task: the API's tasks, the to-dos of task steps (app_task):
 * the open ones (?all=true: the done ones too), and marking one done.
 */
#pragma once

#include "http/http_route.h"

void http_api_task_list(HttpExchange *exchange);
void http_api_task_done(HttpExchange *exchange);
