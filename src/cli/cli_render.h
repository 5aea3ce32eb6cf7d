/*
 * cli_render: `piculet render`, a template rendered for given fields, or a
 * complete composed message (what the engine's preview shows).
 */
#pragma once

extern const char cli_render_usage[];

int cli_render_run(int argc, char **argv);
