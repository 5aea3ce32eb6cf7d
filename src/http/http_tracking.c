#include "http/http_tracking.h"

#include "app/app_tracking.h"

/* GIF89a, 1x1, one transparent pixel. */
static const guint8 pixel[] = {0x47, 0x49, 0x46, 0x38, 0x39, 0x61, 0x01, 0x00, 0x01, 0x00, 0x80,
                               0x00, 0x00, 0x00, 0x00, 0x00, 0xff, 0xff, 0xff, 0x21, 0xf9, 0x04,
                               0x01, 0x00, 0x00, 0x00, 0x00, 0x2c, 0x00, 0x00, 0x00, 0x00, 0x01,
                               0x00, 0x01, 0x00, 0x00, 0x02, 0x02, 0x44, 0x01, 0x00, 0x3b};

/* The fetch of the token in the path, for the server to record; NULL (the
 * error set) when the token is not ours. */
static AppTrackingFetch *
fetch_of(HttpExchange *x, AppTrackingKind kind)
{
	x->to_record = app_tracking_fetch_new(x->links_key, kind, x->param[0], x->method,
	                                      x->user_agent, x->now_us, &x->error);
	return x->to_record;
}

void
http_tracking_open(HttpExchange *x)
{
	if (fetch_of(x, APP_TRACKING_OPEN) == NULL)
		return;
	x->answer_bytes = g_bytes_new_static(pixel, sizeof pixel);
	x->answer_type = "image/gif";
}

void
http_tracking_click(HttpExchange *x)
{
	const AppTrackingFetch *fetch = fetch_of(x, APP_TRACKING_CLICK);
	if (fetch == NULL)
		return;
	x->status = 302;
	x->answer_location = g_strdup(fetch->url);
}
