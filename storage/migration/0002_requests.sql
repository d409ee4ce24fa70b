-- Proxy-service requests (代办). A request's id is YYYY-NNNN, numbered
-- without gaps within a year from request_counters, inside the creating
-- transaction. version is bumped by every change; a change made against an
-- older version is refused (optimistic concurrency).
CREATE TABLE request_counters (
	year INTEGER PRIMARY KEY,
	last INTEGER NOT NULL
);

CREATE TABLE requests (
	n              INTEGER PRIMARY KEY, -- creation order
	id             TEXT NOT NULL UNIQUE,
	version        INTEGER NOT NULL,
	province       TEXT NOT NULL,
	city           TEXT NOT NULL DEFAULT '',
	county         TEXT NOT NULL,
	county_code    TEXT NOT NULL,
	town           TEXT NOT NULL,
	town_code      TEXT NOT NULL,
	village        TEXT NOT NULL DEFAULT '',
	citizen        TEXT NOT NULL,
	phone          TEXT NOT NULL,
	id_number      TEXT NOT NULL DEFAULT '',
	kind           TEXT NOT NULL,
	promised_days  INTEGER NOT NULL,
	matter         TEXT NOT NULL,
	materials      TEXT NOT NULL DEFAULT '[]', -- JSON array of strings
	item_code      TEXT NOT NULL DEFAULT '',
	assignee       TEXT NOT NULL DEFAULT '',
	status         TEXT NOT NULL CHECK (status IN ('received', 'accepted', 'in_progress',
	               'waiting_citizen', 'waiting_dept', 'done', 'closed', 'rejected', 'cancelled')),
	due            TEXT NOT NULL DEFAULT '', -- YYYY-MM-DD, China time
	late_due       TEXT NOT NULL DEFAULT '', -- towndesk.Request.LateDue: overdue when before today
	waiting_since  TEXT NOT NULL DEFAULT '',
	result         TEXT NOT NULL DEFAULT '',
	reason         TEXT NOT NULL DEFAULT '',
	follow_up      TEXT NOT NULL DEFAULT '',
	follow_up_note TEXT NOT NULL DEFAULT '',
	reopened       INTEGER NOT NULL DEFAULT 0,
	created_by     TEXT NOT NULL,
	created_at     TEXT NOT NULL,
	updated_at     TEXT NOT NULL,
	accepted_at    TEXT NOT NULL DEFAULT '',
	done_at        TEXT NOT NULL DEFAULT '',
	followed_up_at TEXT NOT NULL DEFAULT '',
	ended_at       TEXT NOT NULL DEFAULT '' -- closed, rejected or cancelled
);

-- The list filters walk one of these newest first (created_at, then n: the
-- rowid ends every index) and stop at the limit; --since is a range on the
-- same index. Town and assignee indexes also hold the status, the filter
-- most often combined with them, so that it and the count are checked in
-- the index; they hold no more than that, because every column here is
-- rewritten on each change of it.
CREATE INDEX requests_status   ON requests (status, created_at);
CREATE INDEX requests_town     ON requests (town_code, created_at, status);
CREATE INDEX requests_assignee ON requests (assignee, created_at, status);
CREATE INDEX requests_kind     ON requests (kind, created_at);
CREATE INDEX requests_created  ON requests (created_at);
-- Overdue requests (always few: the list query prefers this index when
-- --overdue is given), and what the weekly summary counts by date.
CREATE INDEX requests_late     ON requests (late_due, town_code, assignee, kind, status, created_at) WHERE late_due <> '';
CREATE INDEX requests_accepted ON requests (accepted_at) WHERE accepted_at <> '';
CREATE INDEX requests_done     ON requests (done_at) WHERE done_at <> '';
CREATE INDEX requests_followed ON requests (followed_up_at) WHERE followed_up_at <> '';
CREATE INDEX requests_ended    ON requests (ended_at) WHERE ended_at <> '';

-- Every change to a request, and every unmasked view of its personal data.
CREATE TABLE request_events (
	id         INTEGER PRIMARY KEY,
	request_id TEXT NOT NULL REFERENCES requests (id),
	at         TEXT NOT NULL,
	actor      TEXT NOT NULL,
	type       TEXT NOT NULL,
	from_value TEXT NOT NULL DEFAULT '',
	to_value   TEXT NOT NULL DEFAULT '',
	note       TEXT NOT NULL DEFAULT ''
);
CREATE INDEX request_events_request ON request_events (request_id, id);

-- Money received, paid, collected and handed over, in fen.
CREATE TABLE request_ledger (
	id         INTEGER PRIMARY KEY,
	request_id TEXT NOT NULL REFERENCES requests (id),
	type       TEXT NOT NULL CHECK (type IN ('收取', '支付', '领取', '交付')),
	amount     INTEGER NOT NULL CHECK (amount > 0),
	receipt    TEXT NOT NULL DEFAULT '',
	note       TEXT NOT NULL DEFAULT '',
	actor      TEXT NOT NULL,
	at         TEXT NOT NULL
);
CREATE INDEX request_ledger_request ON request_ledger (request_id, id);

-- History and money are append-only: nothing may rewrite or remove what
-- was recorded, whatever program opens the file.
CREATE TRIGGER request_events_no_update BEFORE UPDATE ON request_events
BEGIN SELECT RAISE(ABORT, 'request_events is append-only'); END;
CREATE TRIGGER request_events_no_delete BEFORE DELETE ON request_events
BEGIN SELECT RAISE(ABORT, 'request_events is append-only'); END;
CREATE TRIGGER request_ledger_no_update BEFORE UPDATE ON request_ledger
BEGIN SELECT RAISE(ABORT, 'request_ledger is append-only'); END;
CREATE TRIGGER request_ledger_no_delete BEFORE DELETE ON request_ledger
BEGIN SELECT RAISE(ABORT, 'request_ledger is append-only'); END;
