-- Weekly summaries posted to channels: one row per (channel, ISO week).
-- A poster claims the slot before posting (state 'claimed', with a lease);
-- after Slack accepted the message it records 'posted' and the message ts.
-- A claim whose lease has run out (its poster died or gave up) may be taken
-- over, so a crash between claiming and posting causes a retry, not a loss;
-- a 'posted' row is final, so nothing is ever posted twice once recorded.
CREATE TABLE summary_deliveries (
	channel     TEXT NOT NULL,
	week        TEXT NOT NULL,             -- ISO week, 2026-W48
	state       TEXT NOT NULL CHECK (state IN ('claimed', 'posted')),
	owner       TEXT NOT NULL,             -- the instance holding or having posted it
	attempts    INTEGER NOT NULL DEFAULT 0, -- claims taken, including retries
	first_claim TEXT NOT NULL,             -- when the slot was first claimed
	lease_until TEXT NOT NULL,             -- a claim is free to take after this
	posted_at   TEXT NOT NULL DEFAULT '',
	ts          TEXT NOT NULL DEFAULT '',  -- Slack message ts
	last_error  TEXT NOT NULL DEFAULT '',
	PRIMARY KEY (channel, week)
);
