-- Power lists. A list belongs to one place (a county, or a town in it);
-- every import adds an edition, and the list points at its current one.
-- Earlier editions and their rows are kept for diff and audit.
CREATE TABLE lists (
	id                 INTEGER PRIMARY KEY,
	place_code         TEXT NOT NULL UNIQUE,
	province           TEXT NOT NULL,
	city               TEXT NOT NULL DEFAULT '',
	county             TEXT NOT NULL,
	county_code        TEXT NOT NULL,
	town               TEXT NOT NULL DEFAULT '',
	town_code          TEXT NOT NULL DEFAULT '',
	current_edition_id INTEGER REFERENCES editions(id)
);

CREATE TABLE editions (
	id          INTEGER PRIMARY KEY,
	list_id     INTEGER NOT NULL REFERENCES lists(id),
	edition     TEXT NOT NULL,
	files       TEXT NOT NULL DEFAULT '',
	imported_at TEXT NOT NULL,
	row_count   INTEGER NOT NULL,
	UNIQUE (list_id, edition)
);

CREATE TABLE items (
	edition_id INTEGER NOT NULL REFERENCES editions(id),
	seq        INTEGER NOT NULL,
	code       TEXT NOT NULL,
	name       TEXT NOT NULL,
	subitem    TEXT NOT NULL DEFAULT '',
	category   TEXT NOT NULL DEFAULT '',
	basis      TEXT NOT NULL DEFAULT '',
	body       TEXT NOT NULL,
	office     TEXT NOT NULL DEFAULT '',
	mode       TEXT NOT NULL,
	level      TEXT NOT NULL DEFAULT '',
	domain     TEXT NOT NULL DEFAULT '',
	note       TEXT NOT NULL DEFAULT '',
	PRIMARY KEY (edition_id, seq),
	UNIQUE (edition_id, code)
);

-- kb_generation changes whenever any list's current edition changes; the
-- search index records the generation it was built from and is rebuilt
-- when they differ.
CREATE TABLE meta (
	key   TEXT PRIMARY KEY,
	value TEXT NOT NULL
);
INSERT INTO meta (key, value) VALUES ('kb_generation', '0');
