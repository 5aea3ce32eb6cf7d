/*
 * http_web_assets: the dashboard's files, embedded at build time by
 * tools/embed-web.py (plain and gzip-compressed), served by http_web.
 */
#pragma once

typedef struct {
	const char *path; /* "/app.js" */
	const char *type; /* its media type */
	const char *etag; /* a quoted digest of its content */
	const unsigned char *plain;
	unsigned plain_size;
	const unsigned char *packed; /* gzip */
	unsigned packed_size;
} HttpWebAsset;

extern const HttpWebAsset http_web_assets[];
extern const unsigned http_web_asset_count;
