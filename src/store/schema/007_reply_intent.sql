-- piculet schema, version 7: what a reply means.
--
-- Each person's reply is read for its intent (interested, meeting, later,
-- not_interested, wrong_person, unsubscribe, needs_review: mail_intent),
-- with the date a "later" names and the colleague a "wrong person" refers
-- to. Kept on the inbound row, '' for mail that is no reply, so that
-- replies can be listed and counted by intent. With them what webhooks
-- announce of the other kinds: an auto-reply's return date, a bounce's
-- status, reason and hardness.
ALTER TABLE inbound ADD COLUMN intent TEXT NOT NULL DEFAULT '';
ALTER TABLE inbound ADD COLUMN intent_date TEXT NOT NULL DEFAULT '';
ALTER TABLE inbound ADD COLUMN referral TEXT NOT NULL DEFAULT '';
ALTER TABLE inbound ADD COLUMN needs_review INTEGER NOT NULL DEFAULT 0;
ALTER TABLE inbound ADD COLUMN return_date TEXT NOT NULL DEFAULT '';
ALTER TABLE inbound ADD COLUMN bounce_status TEXT NOT NULL DEFAULT '';
ALTER TABLE inbound ADD COLUMN bounce_reason TEXT NOT NULL DEFAULT '';
ALTER TABLE inbound ADD COLUMN bounce_hard INTEGER NOT NULL DEFAULT 0;
CREATE INDEX inbound_by_intent ON inbound (intent) WHERE intent != '';
