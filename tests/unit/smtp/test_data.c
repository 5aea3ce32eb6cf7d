#include "smtp/smtp_data.h"

#include <string.h>

static char *
encode_in_pieces(const char *input, gsize piece)
{
	g_autoptr(SmtpDataEncoder) encoder = smtp_data_encoder_new();
	g_autoptr(GByteArray) out = g_byte_array_new();
	gsize n = strlen(input);
	for (gsize at = 0; at < n; at += piece)
		smtp_data_encoder_push(encoder, input + at, MIN(piece, n - at), out);
	smtp_data_encoder_finish(encoder, out);
	return g_strndup((const char *)out->data, out->len);
}

typedef struct {
	const char *input;
	const char *expected;
} Case;

static const Case cases[] = {
        {"", ".\r\n"},
        {"a", "a\r\n.\r\n"},
        {"a\r\n", "a\r\n.\r\n"},
        {"a\nb\n", "a\r\nb\r\n.\r\n"},
        {"a\rb", "a\r\nb\r\n.\r\n"},
        {".", "..\r\n.\r\n"},
        {".\r\n", "..\r\n.\r\n"},
        {"a\n.\nb", "a\r\n..\r\nb\r\n.\r\n"},
        {"a\r\n.\r\n", "a\r\n..\r\n.\r\n"},
        {"..x\n", "...x\r\n.\r\n"},
        {"a.b\n", "a.b\r\n.\r\n"},
        {"\r\n\r\n", "\r\n\r\n.\r\n"},
        {"x\r\r\ny", "x\r\n\r\ny\r\n.\r\n"},
};

static void
test_cases_any_piece_size(void)
{
	for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
		for (gsize piece = 1; piece <= 8; piece++) {
			g_autofree char *got = encode_in_pieces(cases[i].input, piece);
			g_assert_cmpstr(got, ==, cases[i].expected);
		}
	}
}

/* Undoes the encoding as a receiving server does (RFC 5321 4.5.2). */
static char *
decode(const char *wire)
{
	GString *out = g_string_new(NULL);
	g_auto(GStrv) lines = g_strsplit(wire, "\r\n", -1);
	for (char **line = lines; *line != NULL; line++) {
		if (strcmp(*line, ".") == 0)
			break;
		const char *text = (*line)[0] == '.' ? *line + 1 : *line;
		g_string_append_printf(out, "%s\r\n", text);
	}
	return g_string_free(out, FALSE);
}

static void
test_round_trip_random(void)
{
	const char alphabet[] = "ab.\r\n ";
	GRand *rand = g_rand_new_with_seed(42);
	for (int round = 0; round < 2000; round++) {
		gsize n = (gsize)g_rand_int_range(rand, 0, 64);
		g_autofree char *input = g_malloc(n + 1);
		for (gsize i = 0; i < n; i++)
			input[i] = alphabet[g_rand_int_range(rand, 0, sizeof alphabet - 1)];
		input[n] = '\0';
		g_autofree char *wire =
		        encode_in_pieces(input, (gsize)g_rand_int_range(rand, 1, 9));
		/* No bare CR or LF on the wire; exactly one terminator at the end. */
		for (char *p = wire; *p != '\0'; p++) {
			if (*p == '\r')
				g_assert_cmpint(p[1], ==, '\n');
			if (*p == '\n')
				g_assert_true(p > wire && p[-1] == '\r');
		}
		g_assert_true(g_str_has_suffix(wire, ".\r\n"));
		g_autofree char *decoded = decode(wire);
		/* The decoded text is the input with every line end made CRLF. */
		g_autoptr(GString) normal = g_string_new(NULL);
		for (gsize i = 0; i < n; i++) {
			if (input[i] == '\r') {
				g_string_append(normal, "\r\n");
				if (i + 1 < n && input[i + 1] == '\n')
					i++;
			} else if (input[i] == '\n') {
				g_string_append(normal, "\r\n");
			} else {
				g_string_append_c(normal, input[i]);
			}
		}
		if (normal->len > 0 && !g_str_has_suffix(normal->str, "\r\n"))
			g_string_append(normal, "\r\n");
		g_assert_cmpstr(decoded, ==, normal->str);
	}
	g_rand_free(rand);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/smtp/data/crlf-and-dot-stuffing-whatever-the-pieces",
	                test_cases_any_piece_size);
	g_test_add_func("/smtp/data/round-trips-through-a-server-decoder", test_round_trip_random);
	return g_test_run();
}
