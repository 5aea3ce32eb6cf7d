/*
 * Shared inside the message layer and its tests only.
 */
#pragma once

#include <glib.h>
#include <stdbool.h>

#include "mail/mail_headers.h"
#include "mail/mail_message.h"
#include "mail/mail_word_list.h"

/* Lower case of @length bytes of UTF-8 @text (-1: NUL-terminated), newly
 * allocated: ASCII text (the common case) takes the fast path, since
 * g_utf8_strdown costs tens of instructions a byte. */
char *mail_classify_dup_lower(const char *text, gssize length);

/* Lower case of @text (mail_classify_dup_lower), every run of white space
 * one space, newly allocated. */
char *mail_classify_dup_folded(const char *text);

/* True when @text holds one of the @n @words (plain substring search). */
bool mail_classify_has_any(const char *text, const char *const *words, gsize n);
/* The same over a whole static array @list. */
#define MAIL_CLASSIFY_HAS(text, list) mail_classify_has_any((text), (list), G_N_ELEMENTS(list))

/* The decoded Subject of @headers without the tags a receiving gateway
 * puts before it ("[EXTERNAL] ", "EXT: ", "[Extern] ", ...), or NULL when
 * there is none. Newly allocated. */
char *mail_classify_dup_subject(const MailHeaders *headers);

/* Keeps in *@latest the later of it and @date (taken, or freed). */
void mail_classify_keep_later_date(GDate **latest, GDate *date);

/* True when @text begins with one of the @n @words. */
bool mail_classify_starts_with_any(const char *text, const char *const *words, gsize n);

/* The sentence of @text around @at: from the last ".", "!" or "?" before
 * it to the next one, newly allocated. A stop ends a sentence only when a
 * space or the end follows it: not the dots of "acme.example/jobs". */
char *mail_classify_dup_sentence(const char *text, const char *at);

/* Where the sentence starting at @start ends: right after its stop (or a
 * line's end when @at_lines), or at the end of the text. */
const char *mail_classify_sentence_end(const char *start, bool at_lines);

/* Whether @message answers another (In-Reply-To or References). */
bool mail_classify_in_a_thread(const MailMessage *message);

/* @message's Date, or NULL when it has none that reads. */
GDateTime *mail_classify_dup_date(const MailMessage *message);

/* The one of the @n @words that ends right where @at begins in @text
 * ("we " before "unsubscribed"), or NULL. */
const char *mail_classify_word_before(const char *text, const char *at, const char *const *words,
                                      gsize n);

/* What a person's client puts before the subject it answers or forwards
 * ("re:", "aw:", "sv:", "fwd:", ...), lower case: MAIL_ANSWER_PREFIXES_N
 * of them. */
extern const char *const mail_answer_prefixes[];
#define MAIL_ANSWER_PREFIXES_N 18
