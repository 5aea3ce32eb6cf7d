/*
 * engine_content: what `campaign preview` warns of in a campaign's texts,
 * as written: more than two links, link shorteners, images, wording spam
 * filters dislike, shouting (capitals, "!!"), a long body or subject, and
 * an unsubscribe the campaign asks for that no step offers. Warnings only,
 * each with its place ("step 2 body:3: ..."); nothing is changed. Pure.
 */
#pragma once

#include "engine/engine_campaign.h"

#include <glib.h>

/* The warnings for @campaign, in step order: a new array of char *. */
GPtrArray *engine_content_check(const EngineCampaign *campaign);
