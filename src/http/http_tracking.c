#include "http/http_tracking.h"

#include "app/app_tracking.h"

/* GIF89a, 1x1, one transparent pixel. */
static const guint8 pixel[] = {0x47, 0x49, 0x46, 0x38, 0x39, 0x61, 0x01, 0x00, 0x01, 0x00, 0x80,
                               0x00, 0x00, 0x00, 0x00, 0x00, 0xff, 0xff, 0xff, 0x21, 0xf9, 0x04,
                               0x01, 0x00, 0x00, 0x00, 0x00, 0x2c, 0x00, 0x00, 0x00, 0x00, 0x01,
                               0x00, 0x01, 0x00, 0x00, 0x02, 0x02, 0x44, 0x01, 0x00, 0x3b};

/* Asks the server to record the fetch of the token in the path (it runs
 * the handler again once it is written); a token not ours is refused. */
static void
ask_to_record(HttpExchange *x, AppTrackingKind kind)
{
	x->to_record = app_tracking_fetch_new(x->links_key, kind, x->param[0], x->method,
	                                      x->user_agent, x->now_us, &x->error);
}

void
http_tracking_open(HttpExchange *x)
{
	if (x->recorded == NULL) {
		ask_to_record(x, APP_TRACKING_OPEN);
		return;
	}
	if (x->recorded->error != NULL) {
		x->error = g_error_copy(x->recorded->error);
		return;
	}
	x->answer_bytes = g_bytes_new_static(pixel, sizeof pixel);
	x->answer_type = "image/gif";
}

void
http_tracking_click(HttpExchange *x)
{
	if (x->recorded == NULL) {
		ask_to_record(x, APP_TRACKING_CLICK);
		return;
	}
	/* The reader goes on even when recording failed (a busy database). */
	if (x->recorded->error != NULL)
		g_warning("a click not recorded: %s", x->recorded->error->message);
	x->status = 302;
	x->answer_location = g_strdup(x->recorded->url);
}
