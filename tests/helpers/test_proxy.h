/*
 * test_proxy: a TCP proxy on 127.0.0.1 to a Unix socket (the PostgreSQL
 * lab's), that can be cut like a network: cut, it forwards nothing either
 * way and new connections wait, but nothing is closed (both ends wait, as
 * across a dropped link); mended, everything flows again.
 */
#pragma once

#include <glib-unix.h>
#include <glib.h>
#include <stdbool.h>
#include <stdint.h>

typedef struct TestProxy TestProxy;

/* Listens on a free port of 127.0.0.1, in a thread of its own. */
TestProxy *test_proxy_start(const char *upstream_path);
uint16_t test_proxy_get_port(const TestProxy *proxy);
void test_proxy_cut(TestProxy *proxy);
/* Cuts once @bytes more have gone from the clients to the server: a link
 * dropped in the middle of a large write (what was read past them is
 * lost, as on the wire). */
void test_proxy_cut_after(TestProxy *proxy, gsize bytes);
void test_proxy_mend(TestProxy *proxy);
void test_proxy_free(TestProxy *proxy);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(TestProxy, test_proxy_free)
