-- The outbox: the chat side effects a change needs, stored in the change's
-- own transaction and sent by the bot afterwards, with retries and again
-- after a restart, so that a crash loses none of them.
--
-- kind says what to do:
--   card    post the request's card if it has none (in its town's desk
--           channel, else in channel, where the request was made), else
--           replace it with the request as it is now (request_cards holds
--           the card's channel and ts, recorded in the transaction that
--           deletes the row);
--   line    post body (a line of the request's timeline, said by by_user)
--           in the thread of the request's card;
--   post    post body (a rendered message) in channel, under ts if set;
--   update  replace the message ts in channel with body.
-- Rows of one queue go out one after another, in id order (a card before
-- its timeline); request rows share the queue 'request:' || request_id.
--
-- attempts counts the calls started: a row with attempts > 0 may have
-- reached the chat platform before the process died, so the next attempt
-- first looks for the message (it carries its row's id as metadata). ids
-- are never reused (AUTOINCREMENT) for that reason. owner and lease_until
-- are the instance sending the row and when another may take it over;
-- not_before delays a retry. Bodies are stored with phone and ID numbers
-- masked.
CREATE TABLE outbox (
	id          INTEGER PRIMARY KEY AUTOINCREMENT,
	queue       TEXT NOT NULL,
	kind        TEXT NOT NULL CHECK (kind IN ('card', 'line', 'post', 'update')),
	request_id  TEXT NOT NULL DEFAULT '',
	channel     TEXT NOT NULL DEFAULT '',
	ts          TEXT NOT NULL DEFAULT '',
	by_user     TEXT NOT NULL DEFAULT '',
	body        TEXT NOT NULL DEFAULT '',
	created_at  TEXT NOT NULL,
	attempts    INTEGER NOT NULL DEFAULT 0,
	first_try   TEXT NOT NULL DEFAULT '',
	not_before  TEXT NOT NULL DEFAULT '',
	last_error  TEXT NOT NULL DEFAULT '',
	owner       TEXT NOT NULL DEFAULT '',
	lease_until TEXT NOT NULL DEFAULT ''
);
CREATE INDEX outbox_queue ON outbox (queue, id);
CREATE INDEX outbox_owner ON outbox (owner);
