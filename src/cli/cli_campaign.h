/*
 * cli_campaign: `piculet campaign create|list|show|edit|start|pause|resume|
 * archive|preview`.
 */
#pragma once

extern const char cli_campaign_usage[];

int cli_campaign_run(int argc, char **argv);
