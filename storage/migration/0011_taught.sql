-- Corrections taught by list maintainers: this wording of a question means
-- this item (or no item). Links are append-only; a retraction is a row of
-- its own. The question is stored with phone and ID numbers masked.
CREATE TABLE taught_links (
	id          INTEGER PRIMARY KEY,
	question    TEXT NOT NULL,
	matter      TEXT NOT NULL,            -- normalised form, words joined by " "
	scope       TEXT NOT NULL CHECK (scope IN ('town', 'county', 'all')),
	province    TEXT NOT NULL DEFAULT '',
	county      TEXT NOT NULL DEFAULT '',
	county_code TEXT NOT NULL DEFAULT '',
	town        TEXT NOT NULL DEFAULT '',
	town_code   TEXT NOT NULL DEFAULT '',
	code        TEXT NOT NULL DEFAULT '', -- '' for "no list has this"
	item_name   TEXT NOT NULL DEFAULT '',
	none        INTEGER NOT NULL DEFAULT 0 CHECK (none IN (0, 1)),
	note        TEXT NOT NULL DEFAULT '',
	taught_by   TEXT NOT NULL,
	taught_at   TEXT NOT NULL,
	-- the logged question it was taught from in chat, if any: teaching is
	-- part of the question log
	question_id INTEGER REFERENCES questions (id)
);
CREATE INDEX taught_links_question ON taught_links (question_id);
CREATE INDEX taught_links_at ON taught_links (taught_at);

CREATE TABLE taught_retractions (
	link_id      INTEGER PRIMARY KEY REFERENCES taught_links (id),
	retracted_by TEXT NOT NULL,
	retracted_at TEXT NOT NULL,
	reason       TEXT NOT NULL DEFAULT ''
);

CREATE TRIGGER taught_links_no_update BEFORE UPDATE ON taught_links
BEGIN SELECT RAISE(ABORT, 'taught_links is append-only'); END;
CREATE TRIGGER taught_links_no_delete BEFORE DELETE ON taught_links
BEGIN SELECT RAISE(ABORT, 'taught_links is append-only'); END;
CREATE TRIGGER taught_retractions_no_update BEFORE UPDATE ON taught_retractions
BEGIN SELECT RAISE(ABORT, 'taught_retractions is append-only'); END;
CREATE TRIGGER taught_retractions_no_delete BEFORE DELETE ON taught_retractions
BEGIN SELECT RAISE(ABORT, 'taught_retractions is append-only'); END;

-- A taught answer looks its item up by name in the asker's lists.
CREATE INDEX items_name ON items (edition_id, name);
