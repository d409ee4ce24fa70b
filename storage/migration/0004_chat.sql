-- The question log: every question asked in chat, what came of it and what
-- people said about the answer. The weekly summary reads unanswered and
-- "没用" questions per channel and place per week, hence the codes and the
-- asked_at indexes. Questions are stored with phone and ID numbers masked.
CREATE TABLE questions (
	id          INTEGER PRIMARY KEY,
	asked_at    TEXT NOT NULL,
	source      TEXT NOT NULL DEFAULT '',  -- slack, console
	user_id     TEXT NOT NULL DEFAULT '',
	channel     TEXT NOT NULL DEFAULT '',
	thread_ts   TEXT NOT NULL DEFAULT '',
	question    TEXT NOT NULL,
	status      TEXT NOT NULL CHECK (status IN ('answered', 'ambiguous_place', 'need_place', 'not_found', 'error')),
	province    TEXT NOT NULL DEFAULT '',
	county      TEXT NOT NULL DEFAULT '',
	county_code TEXT NOT NULL DEFAULT '',
	town        TEXT NOT NULL DEFAULT '',
	town_code   TEXT NOT NULL DEFAULT '',
	top_code    TEXT NOT NULL DEFAULT '', -- power-list code of the best answer
	terms       TEXT NOT NULL DEFAULT ''  -- search terms, joined by "、"
);
CREATE INDEX questions_asked   ON questions (asked_at);
CREATE INDEX questions_status  ON questions (status, asked_at);
CREATE INDEX questions_channel ON questions (channel, asked_at);
CREATE INDEX questions_town    ON questions (town_code, asked_at);
CREATE INDEX questions_county  ON questions (county_code, asked_at);

-- Feedback on an answer: one vote per person and question, the latest wins.
CREATE TABLE question_feedback (
	question_id INTEGER NOT NULL REFERENCES questions (id),
	user_id     TEXT NOT NULL,
	useful      INTEGER NOT NULL CHECK (useful IN (0, 1)),
	at          TEXT NOT NULL,
	PRIMARY KEY (question_id, user_id)
);
CREATE INDEX question_feedback_at ON question_feedback (at, useful);

-- Slack event IDs already handled: Slack redelivers events it thinks were
-- not acknowledged, and a restart must not answer twice.
CREATE TABLE chat_events (
	event_id    TEXT PRIMARY KEY,
	received_at TEXT NOT NULL
);
CREATE INDEX chat_events_received ON chat_events (received_at);

-- The place a conversation thread is about, so that a follow-up in the same
-- thread keeps it.
CREATE TABLE thread_places (
	channel     TEXT NOT NULL,
	thread_ts   TEXT NOT NULL,
	province    TEXT NOT NULL DEFAULT '',
	county      TEXT NOT NULL,
	county_code TEXT NOT NULL DEFAULT '',
	town        TEXT NOT NULL DEFAULT '',
	town_code   TEXT NOT NULL DEFAULT '',
	updated_at  TEXT NOT NULL,
	PRIMARY KEY (channel, thread_ts)
);

-- The one card message of each request in its desk channel; the card's
-- thread is the request's timeline.
CREATE TABLE request_cards (
	request_id TEXT PRIMARY KEY,
	channel    TEXT NOT NULL,
	ts         TEXT NOT NULL,
	posted_at  TEXT NOT NULL
);

-- Idempotency keys of button clicks and modal submissions: the first
-- delivery claims the key and records its outcome; repeats get the outcome.
CREATE TABLE chat_keys (
	key        TEXT PRIMARY KEY,
	result     TEXT NOT NULL DEFAULT '',
	done       INTEGER NOT NULL DEFAULT 0,
	claimed_at TEXT NOT NULL
);
CREATE INDEX chat_keys_claimed ON chat_keys (claimed_at);
