/*
 * test_fault_server: a scripted server on loopback for the faults a real
 * server will not make on demand (a 421 mid-session, a cut during DATA, a
 * 10 MB line, garbage, bytes pushed with the STARTTLS reply). It plays a
 * script with the first client that connects, in a thread of its own.
 *
 * Script lines (CRLF is added to S: lines):
 *   S: text       send "text\r\n"
 *   RAW: text     send text as is, with \r \n \\ escapes
 *   C: prefix     read one line; it must start with prefix (case-insensitive)
 *   DATA          read lines up to and including a lone "."
 *   DRAIN         read everything until the client closes
 *   HANG          answer nothing more; wait for the client to close
 *   EOF           the client must close without sending another line
 *   CLOSE         cut the connection now (a reset, as a crash or a middlebox does)
 *   BIGLINE n     send n bytes of "x" without a line end
 *   TLS           do the server side of a TLS handshake (tests/data/tls)
 *   # ...         a comment
 * When the script ends, the server closes the connection.
 */
#pragma once

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>

typedef struct TestFaultServer TestFaultServer;

/* Listens on @address ("127.0.0.1" or "::1") on a free port and plays
 * @script (the text of the lines above). */
TestFaultServer *test_fault_server_start(const char *address, const char *script);

uint16_t test_fault_server_get_port(const TestFaultServer *server);

/* Waits for the server thread (bounded: a stuck script is a failure) and
 * returns NULL when the client did what the script expected, else a
 * description of the first difference (newly allocated). */
char *test_fault_server_finish(TestFaultServer *server);

void test_fault_server_free(TestFaultServer *server);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(TestFaultServer, test_fault_server_free)
