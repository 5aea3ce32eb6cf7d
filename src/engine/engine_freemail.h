/*
 * engine_freemail: whether a domain is a public mailbox provider (gmail.com,
 * outlook.com, web.de, ...), where two addresses share a domain but not a
 * company. The "stop on company reply" policy uses it: one person at
 * gmail.com answering must not stop every other gmail.com prospect.
 *
 * The list is data (engine_freemail.c): the consumer domains of the large
 * webmail and ISP providers of North America, Europe, Asia and Latin
 * America, as the providers publish them on their sign-up pages, written
 * down by us; it is kept short and exact rather than exhaustive, since a
 * missing entry only means a stranger's reply stops a sequence it need not.
 *
 * Pure and thread-safe.
 */
#pragma once

#include <stdbool.h>

/* @domain: "gmail.com" or "@gmail.com", any case. */
bool engine_freemail_is_provider(const char *domain);
