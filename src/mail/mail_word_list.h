/*
 * A list of words the message readers look for in lower-case text, and
 * the search for any of them.
 *
 * A list is static data: its words never change, and the index that
 * speeds up long lists is built on the first search and kept for the life
 * of the process (shared by all threads; building it is thread-safe).
 * Short lists are searched word by word, which the C library does faster
 * than any index for a handful of words.
 */
#pragma once

#include <glib.h>
#include <stdbool.h>

typedef struct MailWordIndex MailWordIndex;

/* A table of words kept in a file of its own: the words, how many, and
 * where its index goes once built (MAIL_WORD_LIST gives each list one). */
typedef struct {
	const char *const *words;
	gsize n;
	MailWordIndex **index;
} MailWordList;

/* A MailWordList of the static @array. At file scope only: the index slot
 * is a compound literal, which lives as long as the program there. */
#define MAIL_WORD_LIST(array)                                                                      \
	{                                                                                          \
		(array), G_N_ELEMENTS(array), (MailWordIndex *[1])                                 \
		{                                                                                  \
			NULL                                                                       \
		}                                                                                  \
	}

/* True when @text holds one of the words of @list (plain substring
 * search, byte for byte: the same answer as strstr on each word). */
bool mail_word_list_in(const MailWordList *list, const char *text);

/* Frees the index of a @list made at run time (a static list keeps its
 * index for the life of the process); the list stays usable. */
void mail_word_list_drop_index(const MailWordList *list);
