#include "engine/engine_campaign.h"
#include "engine/engine_error.h"

#include <string.h>

static const char *const good_campaign = "name: Q4 founders\n"
                                         "mailboxes: [Alice@Sender.test, bob@sender.test]\n"
                                         "timezone: Europe/Berlin\n"
                                         "use_prospect_timezone: false\n"
                                         "window:\n"
                                         "  mon: 09:00-17:00\n"
                                         "  tuesday: 10:00-12:00\n"
                                         "interval: 2m-5m\n"
                                         "daily_limit: 40\n"
                                         "count_only_sending_days: true\n"
                                         "policies:\n"
                                         "  stop_on_company_reply: false\n"
                                         "  auto_reply: continue\n"
                                         "  auto_reply_days: 3\n"
                                         "  list_unsubscribe: true\n"
                                         "  on_reply:\n"
                                         "    later: pause step 2\n"
                                         "    meeting: move Demo calls\n"
                                         "    wrong_person: enroll_referral\n"
                                         "    not_interested: stop\n"
                                         "  later_days: 60\n"
                                         "tracking_domain: https://links.example.com\n"
                                         "steps:\n"
                                         "  - subject: \"Quick question, {{first_name}}\"\n"
                                         "    body: |\n"
                                         "      Hi {{first_name}},\n"
                                         "      how is {{company|your team}}?\n"
                                         "  - delay: 3d\n"
                                         "    body: Just bumping this up.\n"
                                         "  - delay: 1w\n"
                                         "    subject: Last try\n"
                                         "    body: \"{{spin: Bye|Cheers}}\"\n";

static EngineCampaign *
parse(const char *text, GError **error)
{
	return engine_campaign_parse(text, strlen(text), "q4.yaml", error);
}

static void
test_good(void)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(EngineCampaign) campaign = parse(good_campaign, &error);
	g_assert_no_error(error);
	g_assert_cmpstr(campaign->name, ==, "Q4 founders");
	g_assert_cmpuint(campaign->mailboxes->len, ==, 2);
	g_assert_cmpstr(campaign->mailboxes->pdata[0], ==, "alice@sender.test");
	g_assert_cmpstr(campaign->timezone, ==, "Europe/Berlin");
	g_assert_false(campaign->use_prospect_timezone);
	g_assert_cmpint(campaign->window.start_min[1], ==, 10 * 60);
	g_assert_cmpint(campaign->window.end_min[2], ==, 0);
	g_assert_cmpint(campaign->interval_min_s, ==, 120);
	g_assert_cmpint(campaign->interval_max_s, ==, 300);
	g_assert_cmpint(campaign->daily_limit, ==, 40);
	g_assert_true(campaign->count_only_sending_days);
	g_assert_false(campaign->stop_on_company_reply);
	g_assert_cmpint(campaign->auto_reply, ==, ENGINE_AUTO_REPLY_CONTINUE);
	g_assert_cmpint(campaign->auto_reply_days, ==, 3);
	g_assert_true(campaign->list_unsubscribe);
	const EngineReplyPolicy *later = &campaign->on_reply[MAIL_INTENT_LATER];
	g_assert_cmpint(later->action, ==, ENGINE_REPLY_PAUSE);
	g_assert_cmpint(later->resume_step, ==, 2);
	const EngineReplyPolicy *meeting = &campaign->on_reply[MAIL_INTENT_MEETING];
	g_assert_cmpint(meeting->action, ==, ENGINE_REPLY_MOVE);
	g_assert_cmpstr(meeting->campaign, ==, "Demo calls");
	g_assert_cmpint(campaign->on_reply[MAIL_INTENT_WRONG_PERSON].action, ==,
	                ENGINE_REPLY_ENROLL_REFERRAL);
	g_assert_cmpint(campaign->on_reply[MAIL_INTENT_NOT_INTERESTED].action, ==,
	                ENGINE_REPLY_STOP);
	g_assert_cmpint(campaign->on_reply[MAIL_INTENT_INTERESTED].action, ==, ENGINE_REPLY_STOP);
	g_assert_cmpint(campaign->later_days, ==, 60);
	g_assert_cmpstr(campaign->tracking_domain, ==, "https://links.example.com");
	g_assert_cmpuint(campaign->steps->len, ==, 3);
	EngineCampaignStep *step = campaign->steps->pdata[1];
	g_assert_null(step->subject);
	g_assert_cmpint(step->delay_s, ==, 3 * 86400);
	step = campaign->steps->pdata[0];
	g_assert_cmpstr(step->body, ==, "Hi {{first_name}},\nhow is {{company|your team}}?\n");
	g_assert_cmpint(step->delay_s, ==, 0);
	g_assert_cmpstr(campaign->text, ==, good_campaign);
}

static void
test_defaults(void)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(EngineCampaign) campaign = parse(
	        "name: x\nmailboxes: a@b.test\nsteps:\n  - subject: Hi\n    body: Hello\n", &error);
	g_assert_no_error(error);
	g_assert_cmpstr(campaign->timezone, ==, "UTC");
	g_assert_true(campaign->use_prospect_timezone);
	g_autofree char *window = engine_window_format(&campaign->window);
	g_assert_cmpstr(window, ==, "mon-fri 09:00-17:00");
	g_assert_cmpint(campaign->interval_min_s, ==, 60);
	g_assert_cmpint(campaign->interval_max_s, ==, 180);
	g_assert_cmpint(campaign->daily_limit, ==, 30);
	g_assert_true(campaign->stop_on_company_reply);
	g_assert_cmpint(campaign->auto_reply, ==, ENGINE_AUTO_REPLY_PAUSE);
	g_assert_cmpint(campaign->auto_reply_days, ==, 7);
	g_assert_false(campaign->list_unsubscribe);
	g_assert_null(campaign->tracking_domain);
	/* Every reply stops the sequence unless the campaign says otherwise. */
	for (int i = 0; i < MAIL_INTENT_COUNT; i++)
		g_assert_cmpint(campaign->on_reply[i].action, ==, ENGINE_REPLY_STOP);
	g_assert_cmpint(campaign->later_days, ==, 30);
}

/* Each bad file and the exact start of its error: the place, then what. */
static void
test_bad(void)
{
	static const struct {
		const char *text;
		const char *message;
	} cases[] = {
	        {"name: x\n\tmailboxes: a@b.test\n",
	         "q4.yaml:2:1: a tab in the indentation; YAML indents with spaces"},
	        {"name: x\nmailbox: a@b.test\n", "q4.yaml:2:1: unknown key \"mailbox\""},
	        {"name: x\nmailboxes:\n  a: : ? b:\t: c:\n",
	         "q4.yaml:3:8: an explicit key (\"? \") with a tab after it (line 3)"},
	        {"name: x\r? a: b\rc:\t1\r",
	         "q4.yaml:2:1: an explicit key (\"? \") with a tab after it (line 3)"},
	        {"name: x\n? a: b\nc:\n  d:\te\n",
	         "q4.yaml:2:1: an explicit key (\"? \") with a tab after it (line 4)"},
	        {"?\r\n $::\t|||||||||iR>",
	         "q4.yaml:1:1: an explicit key (\"? \") with a tab after it (line 2)"},
	        {"name: x\n?\n a:\t|\n",
	         "q4.yaml:2:1: an explicit key (\"? \") with a tab after it (line 3)"},
	        {"name: x\n{?\n a:\t-}\n",
	         "q4.yaml:2:2: an explicit key (\"? \") with a tab after it (line 3)"},
	        {"name: x\nname: y\n", "q4.yaml:2:1: duplicate key"},
	        {"name: \"x\n", "q4.yaml:1:"},
	        {"name: x\nmailboxes: a@b@c\n", "q4.yaml:2:12: mailboxes: "},
	        {"name: x\nmailboxes: a@b.test\ntimezone: Mars/Olympus\n",
	         "q4.yaml:3:11: timezone: \"Mars/Olympus\" is not a known time zone"},
	        {"name: x\nmailboxes: a@b.test\nwindow: mon-fri 17:00-09:00\n",
	         "q4.yaml:3:9: window \"mon-fri 17:00-09:00\": the window ends before it starts"},
	        {"name: x\nmailboxes: a@b.test\nwindow:\n  funday: 09:00-10:00\n",
	         "q4.yaml:4:3: window: \"funday\" is not a weekday"},
	        {"name: x\nmailboxes: a@b.test\ninterval: fast\n",
	         "q4.yaml:3:11: interval \"fast\": "},
	        {"name: x\nmailboxes: a@b.test\ndaily_limit: lots\n",
	         "q4.yaml:3:14: daily_limit: expected a whole number from 1 to 10000"},
	        {"name: x\nmailboxes: a@b.test\npolicies:\n  auto_reply: ignore\n",
	         "q4.yaml:4:15: auto_reply: expected pause, continue or stop"},
	        {"name: x\nmailboxes: a@b.test\npolicies:\n  open_tracking: true\n",
	         "q4.yaml:4:3: policies: unknown key \"open_tracking\""},
	        {"name: x\nmailboxes: a@b.test\npolicies:\n  public_domains: [ok.example, \"a "
	         "b\"]\n",
	         "q4.yaml:4:33: public_domains: \"a b\" is not a domain"},
	        {"name: x\nmailboxes: a@b.test\n", "q4.yaml: steps is missing"},
	        {"mailboxes: a@b.test\nsteps: []\n", "q4.yaml:2:1: steps: at least one step"},
	        {"name: x\nmailboxes: a@b.test\nsteps:\n  - body: Hi\n",
	         "q4.yaml:4:11: step 1: subject is missing"},
	        {"name: x\nmailboxes: a@b.test\nsteps:\n  - subject: Hi\n    body: Hi\n"
	         "  - body: Again\n",
	         "q4.yaml:6:11: step 2: delay is missing"},
	        {"name: x\nmailboxes: a@b.test\nsteps:\n  - subject: Hi\n    body: Hi\n"
	         "  - body: Again\n    delay: soon\n",
	         "q4.yaml:7:12: step 2: delay \"soon\": "},
	        {"name: x\nmailboxes: a@b.test\nsteps:\n  - subject: Hi {{first_name\n    body: "
	         "Hi\n",
	         "q4.yaml:4:14: step 1 subject:1:"},
	        {"name: x\nmailboxes: a@b.test\nsteps:\n  - subject: Hi\n    body: Hi\n    cc: x\n",
	         "q4.yaml:6:5: step 1: unknown key \"cc\""},
	        {"name: x\nmailboxes: a@b.test\nsteps:\n  - task: call\n",
	         "q4.yaml:4:5: step 1: task: the first step is an email"},
	        {"name: x\nmailboxes: a@b.test\nsteps:\n  - subject: Hi\n    body: Hi\n"
	         "  - delay: 1d\n    task: call\n    body: Hi\n",
	         "q4.yaml:7:5: step 2: task: a task step has no subject, body or variants"},
	        {"name: x\nmailboxes: a@b.test\nsteps:\n  - subject: Hi\n    body: Hi\n"
	         "  - delay: 1d\n    task: Call Her\n",
	         "q4.yaml:7:11: step 2: task: one word for what to do"},
	        {"name: x\nmailboxes: a@b.test\nsteps:\n  - subject: Hi\n    body: Hi\n"
	         "  - task: call\n",
	         "q4.yaml:6:5: step 2: delay is missing"},
	        {"name: x\nmailboxes: a@b.test\nsteps:\n  - subject: Hi\n    body: Hi\n"
	         "  - delay: 1d\n    note: Ring\n",
	         "q4.yaml:7:5: step 2: note: only a task step has one"},
	        {"- a\n- b\n", "q4.yaml: expected a campaign"},
	        {"name: [x]\n", "q4.yaml:1:1: name: expected a single value"},
	        {"name: \"a\\nb\"\n", "q4.yaml:1:8: name: one line"},
	        {"name: x\nmailboxes: a@b.test\ntracking_domain: http://links.example.com\n",
	         "q4.yaml:3:18: tracking_domain \"http://links.example.com\": an https:// address"},
	        {"name: x\nmailboxes: a@b.test\ntracking_domain: https://a.example/?x=1\n",
	         "q4.yaml:3:18: tracking_domain"},
	        {"name: x\nmailboxes: a@b.test\ntracking_domain: \"https://a.example/u v\"\n",
	         "q4.yaml:3:19: tracking_domain"},
	        {"name: x\nmailboxes: a@b.test\ntracking_domain: ftp://a.example\n",
	         "q4.yaml:3:18: tracking_domain"},
	        {"name: x\nmailboxes: a@b.test\npolicies:\n  on_reply:\n    keen: stop\n",
	         "q4.yaml:5:5: on_reply: \"keen\" is no intent"},
	        {"name: x\nmailboxes: a@b.test\npolicies:\n  on_reply:\n    unsubscribe: stop\n",
	         "q4.yaml:5:5: on_reply: unsubscribe always opts the person out"},
	        {"name: x\nmailboxes: a@b.test\npolicies:\n  on_reply:\n    later: snooze\n",
	         "q4.yaml:5:12: on_reply: later: \"snooze\": expected stop, pause"},
	        {"name: x\nmailboxes: a@b.test\npolicies:\n  on_reply:\n    later: pause step 0\n",
	         "q4.yaml:5:12: on_reply: later: \"pause step 0\": the step is a number"},
	        {"name: x\nmailboxes: a@b.test\npolicies:\n  on_reply:\n    meeting: \"move \"\n",
	         "q4.yaml:5:15: on_reply: meeting: \"move\": expected stop"},
	        {"name: x\nmailboxes: a@b.test\npolicies:\n  on_reply: later\n",
	         "q4.yaml:4:13: on_reply: expected an intent"},
	        {"name: x\nmailboxes: a@b.test\npolicies:\n  later_days: 0\n",
	         "q4.yaml:4:15: later_days: expected a whole number from 1 to 365"},
	        {"name: x\nmailboxes: a@b.test\npolicies:\n  on_reply:\n    later: pause step 3\n"
	         "steps:\n  - subject: Hi\n    body: Hi\n",
	         "q4.yaml: on_reply: later: pause step 3, but the campaign has 1 step(s)"},
	};
	for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autoptr(GError) error = NULL;
		g_autoptr(EngineCampaign) campaign = parse(cases[i].text, &error);
		g_assert_null(campaign);
		g_assert_error(error, ENGINE_ERROR, ENGINE_ERROR_INPUT);
		if (!g_str_has_prefix(error->message, cases[i].message))
			g_error("case %" G_GSIZE_FORMAT ": \"%s\" does not start with \"%s\"", i,
			        error->message, cases[i].message);
	}
}

static void
test_not_text(void)
{
	g_autoptr(GError) error = NULL;
	static const char binary[] = "name: \xff\xfe\n";
	g_autoptr(EngineCampaign) campaign =
	        engine_campaign_parse(binary, sizeof binary - 1, "q4.yaml", &error);
	g_assert_null(campaign);
	g_assert_cmpstr(error->message, ==, "q4.yaml: not UTF-8 text");
}

/* Public providers: piculet's list, and a campaign's own additions. */
static void
test_public_domains(void)
{
	const char *text = "name: x\nmailboxes: a@b.test\npolicies:\n"
	                   "  public_domains: [Mail.Example, \"@other.example\"]\n"
	                   "steps:\n  - subject: Hi\n    body: Hi\n";
	g_autoptr(GError) error = NULL;
	EngineCampaign *campaign = engine_campaign_parse(text, strlen(text), "q4.yaml", &error);
	g_assert_no_error(error);
	g_assert_true(engine_campaign_is_public_domain(campaign, "mail.example"));
	g_assert_true(engine_campaign_is_public_domain(campaign, "@other.example"));
	g_assert_true(engine_campaign_is_public_domain(campaign, "gmail.com"));
	g_assert_false(engine_campaign_is_public_domain(campaign, "acme.test"));
	engine_campaign_free(campaign);
}

/* A task step: its kind and note, no email of its own. */
static void
test_task_step(void)
{
	const char *text = "name: x\nmailboxes: [a@b.test]\nsteps:\n  - subject: S\n    body: B\n"
	                   "  - delay: 2d\n    task: call\n    note: Ask about the demo\n"
	                   "  - delay: 1d\n    body: After the call.\n";
	g_autoptr(GError) error = NULL;
	g_autoptr(EngineCampaign) campaign = parse(text, &error);
	g_assert_no_error(error);
	const EngineCampaignStep *task = campaign->steps->pdata[1];
	g_assert_cmpstr(task->task, ==, "call");
	g_assert_cmpstr(task->note, ==, "Ask about the demo");
	g_assert_null(task->body);
	g_assert_null(task->subject);
	g_assert_cmpint(task->delay_s, ==, 2 * 86400);
	g_assert_null(((const EngineCampaignStep *)campaign->steps->pdata[2])->task);
}

static void
test_zone(void)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(EngineCampaign) campaign = parse(good_campaign, &error);
	g_assert_no_error(error);
	/* use_prospect_timezone: false → always the campaign's. */
	g_autoptr(GTimeZone) zone = engine_campaign_dup_zone(campaign, "America/New_York");
	g_assert_cmpstr(g_time_zone_get_identifier(zone), ==, "Europe/Berlin");
	campaign->use_prospect_timezone = true;
	g_autoptr(GTimeZone) own = engine_campaign_dup_zone(campaign, "America/New_York");
	g_assert_cmpstr(g_time_zone_get_identifier(own), ==, "America/New_York");
	g_autoptr(GTimeZone) unknown = engine_campaign_dup_zone(campaign, "");
	g_assert_cmpstr(g_time_zone_get_identifier(unknown), ==, "Europe/Berlin");
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/engine/campaign/good", test_good);
	g_test_add_func("/engine/campaign/defaults", test_defaults);
	g_test_add_func("/engine/campaign/bad", test_bad);
	g_test_add_func("/engine/campaign/not-text", test_not_text);
	g_test_add_func("/engine/campaign/zone", test_zone);
	g_test_add_func("/engine/campaign/task-step", test_task_step);
	g_test_add_func("/engine/campaign/public-domains", test_public_domains);
	return g_test_run();
}
