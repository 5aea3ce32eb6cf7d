/*
 * cli_send: `piculet send`, an msmtp/swaks-like command over the SMTP client
 * that doubles as a diagnostic (--trace, --count).
 */
#pragma once

extern const char cli_send_usage[];

int cli_send_run(int argc, char **argv);
