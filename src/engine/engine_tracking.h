/*
 * engine_tracking: opt-in open and click tracking (off unless a campaign
 * file says `track_opens: true` or `track_clicks: true`, with its
 * tracking_domain). A tracked step gets an HTML part beside its text: the
 * text as paragraphs, its links rewritten to BASE/c/TOKEN (clicks) and a
 * 1x1 image BASE/o/TOKEN at the end (opens). The text part keeps the links
 * as written.
 *
 * Tokens are signed like the unsubscribe links (engine_links, label
 * "piculet track v1"): an open token carries the enrollment and the step; a
 * click token also the URL itself, so the redirect can only go where the
 * message pointed, with no database row to look it up in and nothing to
 * enumerate.
 *
 * Not every fetch is a person: mail security gateways fetch every link
 * within seconds of delivery, and providers' image proxies and privacy
 * prefetchers load images without the reader. engine_tracking_judge says
 * which fetches count; docs/campaign.md states the rule.
 */
#pragma once

#include "base/base_seal.h"

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>

/* The HTML part of a tracked step: @text (the rendered body, signature
 * included) escaped, as paragraphs (a blank line) and line breaks, its
 * http(s) links as anchors (rewritten when @clicks), the pixel at the end
 * when @opens. @base is the campaign's tracking_domain. Newly allocated. */
char *engine_tracking_html(const char *text, const BaseSealKey *key, const char *base,
                           int64_t enrollment_id, int step, bool opens, bool clicks);

/* The open token of (@enrollment_id, @step), and a click token that also
 * carries @url. Newly allocated, base64url. */
char *engine_tracking_open_token(const BaseSealKey *key, int64_t enrollment_id, int step);
char *engine_tracking_click_token(const BaseSealKey *key, int64_t enrollment_id, int step,
                                  const char *url);

/* Whether @token is an open (or click) token this key made; what it
 * carries (*@url newly allocated). Constant time in the signature. */
bool engine_tracking_open_check(const BaseSealKey *key, const char *token, int64_t *enrollment_id,
                                int *step);
bool engine_tracking_click_check(const BaseSealKey *key, const char *token, int64_t *enrollment_id,
                                 int *step, char **url);

/* Whether a fetch counts as a person's: not a HEAD, not a known proxy,
 * scanner or prefetcher by its User-Agent (@user_agent may be NULL: not a
 * person either), and not within ENGINE_TRACKING_SCAN_S of the send
 * (@since_sent_s; a negative value: unknown, not held against it). When it
 * does not, *@reason says why (static). Pure. */
#define ENGINE_TRACKING_SCAN_S 15
bool engine_tracking_judge(const char *method, const char *user_agent, int64_t since_sent_s,
                           const char **reason);
