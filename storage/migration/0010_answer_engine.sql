-- The answer engine's third outcome, uncertain, and what the teaching of
-- the bot needs from the question log: the question's normalised form (its
-- matter as words, without place and frame) and the candidates shown.
--
-- SQLite cannot change a CHECK constraint in place: the table is rebuilt.
-- Its child table is rebuilt with it, first, so that no foreign key ever
-- points at a dropped table (foreign keys stay on during migrations).
CREATE TABLE questions_new (
	id          INTEGER PRIMARY KEY,
	asked_at    TEXT NOT NULL,
	source      TEXT NOT NULL DEFAULT '',
	user_id     TEXT NOT NULL DEFAULT '',
	channel     TEXT NOT NULL DEFAULT '',
	thread_ts   TEXT NOT NULL DEFAULT '',
	question    TEXT NOT NULL,
	status      TEXT NOT NULL CHECK (status IN ('answered', 'uncertain', 'ambiguous_place', 'need_place', 'not_found', 'error')),
	province    TEXT NOT NULL DEFAULT '',
	county      TEXT NOT NULL DEFAULT '',
	county_code TEXT NOT NULL DEFAULT '',
	town        TEXT NOT NULL DEFAULT '',
	town_code   TEXT NOT NULL DEFAULT '',
	top_code    TEXT NOT NULL DEFAULT '', -- power-list code of the best answer
	terms       TEXT NOT NULL DEFAULT '', -- search terms, joined by "、"
	matter      TEXT NOT NULL DEFAULT '', -- normalised form: the matter's words, joined by " "
	candidates  TEXT NOT NULL DEFAULT ''  -- codes shown as candidates of an uncertain reply, joined by " "
);
INSERT INTO questions_new (id, asked_at, source, user_id, channel, thread_ts, question, status,
	province, county, county_code, town, town_code, top_code, terms)
	SELECT id, asked_at, source, user_id, channel, thread_ts, question, status,
		province, county, county_code, town, town_code, top_code, terms FROM questions;

CREATE TABLE question_feedback_new (
	question_id INTEGER NOT NULL REFERENCES questions_new (id),
	user_id     TEXT NOT NULL,
	useful      INTEGER NOT NULL CHECK (useful IN (0, 1)),
	at          TEXT NOT NULL,
	PRIMARY KEY (question_id, user_id)
);
INSERT INTO question_feedback_new SELECT question_id, user_id, useful, at FROM question_feedback;

DROP TABLE question_feedback;
DROP TABLE questions;
ALTER TABLE questions_new RENAME TO questions;
ALTER TABLE question_feedback_new RENAME TO question_feedback;

CREATE INDEX questions_asked   ON questions (asked_at);
CREATE INDEX questions_status  ON questions (status, asked_at);
CREATE INDEX questions_channel ON questions (channel, asked_at);
CREATE INDEX questions_town    ON questions (town_code, asked_at);
CREATE INDEX questions_county  ON questions (county_code, asked_at);
CREATE INDEX questions_matter  ON questions (matter, asked_at);
CREATE INDEX question_feedback_at ON question_feedback (at, useful);

-- A pick among the candidates of an uncertain reply: who chose which row.
-- Append-only; the latest pick of a person counts.
CREATE TABLE question_picks (
	id          INTEGER PRIMARY KEY,
	question_id INTEGER NOT NULL REFERENCES questions (id),
	user_id     TEXT NOT NULL,
	code        TEXT NOT NULL,
	at          TEXT NOT NULL
);
CREATE INDEX question_picks_question ON question_picks (question_id, at);
