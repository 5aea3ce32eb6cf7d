/*
 * mail_referral: the address a text refers us to ("please write to
 * maria@prospect.test"), written plainly or hidden from harvesters the
 * way people hide them ("maria [at] prospect [dot] test", "maria(at)
 * prospect.de", "maria at prospect dot test", "maria arroba prospect punto
 * com"). Pure.
 */
#pragma once

/* The first address in @text that is not @sender's (NULL: any), newly
 * allocated, as written in plain, or NULL: whom a reply or a departed
 * person's notice refers us to. */
char *mail_referral_find(const char *text, const char *sender);

/* The same, skipping every address of the NULL-terminated @except (none
 * when NULL). */
char *mail_referral_find_except(const char *text, const char *const *except);
