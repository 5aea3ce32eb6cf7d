/* The dashboard's files from the binary. */
#include "http/http_web.h"

#include "http/http_json.h"
#include "http/http_web_assets.h"

#include <string.h>

/* Nothing but this server: no third-party request can leave the page. */
#define POLICY                                                                                     \
	"default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "          \
	"connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"

static const HttpWebAsset *
asset_of(const char *path)
{
	for (unsigned i = 0; i < http_web_asset_count; i++)
		if (strcmp(http_web_assets[i].path, path) == 0)
			return &http_web_assets[i];
	return NULL;
}

/* Whether the browser takes gzip (an Accept-Encoding that names it, not
 * with q=0). */
static bool
takes_gzip(const char *accept_encoding)
{
	if (accept_encoding == NULL)
		return false;
	g_auto(GStrv) codings = g_strsplit(accept_encoding, ",", -1);
	for (char **coding = codings; *coding != NULL; coding++) {
		g_strstrip(*coding);
		if (g_ascii_strncasecmp(*coding, "gzip", 4) != 0)
			continue;
		const char *rest = *coding + 4;
		return strstr(rest, "q=0") == NULL || strstr(rest, "q=0.") != NULL;
	}
	return false;
}

static void
serve(HttpExchange *x, const HttpWebAsset *asset, const char *if_none_match)
{
	if (asset == NULL) {
		http_json_fail(x, APP_ERROR_NOT_FOUND, "no such page");
		return;
	}
	http_route_add_header(x, "ETag", asset->etag);
	http_route_add_header(x, "Cache-Control", "no-cache");
	http_route_add_header(x, "Vary", "Accept-Encoding");
	http_route_add_header(x, "Content-Security-Policy", POLICY);
	http_route_add_header(x, "X-Frame-Options", "DENY");
	x->answer_type = asset->type;
	if (if_none_match != NULL && strcmp(if_none_match, asset->etag) == 0) {
		x->status = 304;
		x->answer_bytes = g_bytes_new_static("", 0);
		return;
	}
	if (takes_gzip(x->accept_encoding)) {
		http_route_add_header(x, "Content-Encoding", "gzip");
		x->answer_bytes = g_bytes_new_static(asset->packed, asset->packed_size);
	} else {
		x->answer_bytes = g_bytes_new_static(asset->plain, asset->plain_size);
	}
}

void
http_web_page(HttpExchange *x)
{
	serve(x, asset_of("/index.html"), x->if_none_match);
}

void
http_web_file(HttpExchange *x)
{
	g_autofree char *path = g_strconcat("/", x->param[0], NULL);
	serve(x, asset_of(path), x->if_none_match);
}
