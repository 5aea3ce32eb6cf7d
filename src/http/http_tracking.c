#include "http/http_tracking.h"

#include "app/app_tracking.h"

/* GIF89a, 1x1, one transparent pixel. */
static const guint8 pixel[] = {0x47, 0x49, 0x46, 0x38, 0x39, 0x61, 0x01, 0x00, 0x01, 0x00, 0x80,
                               0x00, 0x00, 0x00, 0x00, 0x00, 0xff, 0xff, 0xff, 0x21, 0xf9, 0x04,
                               0x01, 0x00, 0x00, 0x00, 0x00, 0x2c, 0x00, 0x00, 0x00, 0x00, 0x01,
                               0x00, 0x01, 0x00, 0x00, 0x02, 0x02, 0x44, 0x01, 0x00, 0x3b};

void
http_tracking_open(HttpExchange *x)
{
	if (!app_tracking_record(x->store, x->links_key, APP_TRACKING_OPEN, x->param[0], x->method,
	                         x->user_agent, x->now_us, NULL, &x->error))
		return;
	x->answer_bytes = g_bytes_new_static(pixel, sizeof pixel);
	x->answer_type = "image/gif";
}

void
http_tracking_click(HttpExchange *x)
{
	g_autofree char *url = NULL;
	bool recorded = app_tracking_record(x->store, x->links_key, APP_TRACKING_CLICK, x->param[0],
	                                    x->method, x->user_agent, x->now_us, &url, &x->error);
	if (url == NULL)
		return;
	/* The reader goes on even when recording failed (a busy database). */
	if (!recorded) {
		g_warning("a click not recorded: %s", x->error->message);
		g_clear_error(&x->error);
	}
	x->status = 302;
	x->answer_location = g_steal_pointer(&url);
}
