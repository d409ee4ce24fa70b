-- Ledger corrections (冲正): a reversing entry references the entry it
-- cancels. The ledger stays append-only (its triggers refuse UPDATE and
-- DELETE); an entry is reversed at most once, by an entry of the same
-- request, type and amount that is not itself a reversal, whatever program
-- writes the file.
ALTER TABLE request_ledger ADD COLUMN reverses INTEGER REFERENCES request_ledger (id);
CREATE UNIQUE INDEX request_ledger_reverses ON request_ledger (reverses) WHERE reverses IS NOT NULL;
CREATE TRIGGER request_ledger_reversal BEFORE INSERT ON request_ledger
WHEN NEW.reverses IS NOT NULL AND NOT EXISTS (SELECT 1 FROM request_ledger o WHERE o.id = NEW.reverses
	AND o.request_id = NEW.request_id AND o.type = NEW.type AND o.amount = NEW.amount AND o.reverses IS NULL)
BEGIN SELECT RAISE(ABORT, 'a reversal must match an ordinary entry of the same request'); END;

-- The weekly summary counts the follow-up calls made during the week,
-- from their events (a request may be followed up twice in a week).
CREATE INDEX request_events_followed ON request_events (at) WHERE type = 'followed_up';

-- Replies to the previous message of a conversation (a place after "请问是
-- 哪个乡镇", a choice among places): the last question of a thread, and the
-- places offered with it (gazetteer codes joined by " ": the candidates of
-- an ambiguous_place reply, or the same-named places a default ruled out).
ALTER TABLE questions ADD COLUMN places TEXT NOT NULL DEFAULT '';
CREATE INDEX questions_thread ON questions (channel, thread_ts, id);

-- A conversation started over (新问题): follow-ups refer only to its
-- questions after after_id.
CREATE TABLE thread_states (
	channel    TEXT NOT NULL,
	thread_ts  TEXT NOT NULL,
	after_id   INTEGER NOT NULL DEFAULT 0,
	updated_at TEXT NOT NULL,
	PRIMARY KEY (channel, thread_ts)
);
