/*
 * cli_classify: `piculet classify FILE... | -`, one JSON line per message.
 */
#pragma once

extern const char cli_classify_usage[];

int cli_classify_run(int argc, char **argv);
