-- Questions from chat waiting for their answer to be posted. A question is
-- stored (with its event ID claimed in chat_events, in the same
-- transaction) before the platform is acknowledged, so that neither a
-- shutdown with a backlog nor a crash loses it. The row holds the question
-- until the answer is worked out, then also the rendered reply until the
-- platform has accepted it; then it is deleted. The question is stored with
-- phone and ID numbers masked, and the reply is rendered masked.
--
-- owner is the instance working on the row and lease_until when another
-- may take it over: an instance renews its rows while it runs and gives
-- them up ('' lease) when it stops; after a crash they wait for the lease.
CREATE TABLE chat_inbox (
	id          INTEGER PRIMARY KEY,
	received_at TEXT NOT NULL,
	channel     TEXT NOT NULL,
	user_id     TEXT NOT NULL,
	root_ts     TEXT NOT NULL,            -- the message the reply goes under
	thread      TEXT NOT NULL,            -- the conversation key (thread_places)
	question    TEXT NOT NULL,
	reply       TEXT NOT NULL DEFAULT '', -- the front end's encoding; '' until worked out
	owner       TEXT NOT NULL DEFAULT '',
	lease_until TEXT NOT NULL DEFAULT ''
);
CREATE INDEX chat_inbox_owner ON chat_inbox (owner);
CREATE INDEX chat_inbox_lease ON chat_inbox (lease_until);
