package bot

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"time"

	"github.com/slack-go/slack"

	"github.com/towndesk/towndesk"
	"github.com/towndesk/towndesk/handlers/desk"
	"github.com/towndesk/towndesk/storage"
)

// The Slack side of the outbox (see bot/deliver): what each stored post
// becomes in Slack.
//
// Every message posted from the outbox carries metadata naming its post.
// A post whose earlier attempt was recorded but not its outcome (the
// process died during the call, or right after it) is first looked for in
// the channel's history, or its thread's, since that attempt; if found it
// is recorded as made. So a crash never makes a second card. What is left
// is at least once, not exactly once, in these cases: the history cannot
// be read (the app lacks channels:history, groups:history for private
// channels, or the call fails), in which case towndesk posts anyway,
// preferring a rare duplicate to a lost card; and a message someone
// deleted in between, which is posted again. Updates replace the same
// message and need no lookup.

// outboxEvent is the metadata event type of messages posted from the
// outbox; its payload names the post.
const outboxEvent = "towndesk_post"

// maxLookupPages bounds the history read to find an earlier attempt.
const maxLookupPages = 5

// sender implements deliver.Sender over Slack.
type sender struct{ b *Bot }

// messagePost returns the outbox post of m in channel, under root ("" for
// the channel itself).
func messagePost(channel, root string, m message) storage.Post {
	body, err := encodeReply(m)
	if err != nil { // blocks we built ourselves always encode; keep the text at least
		body, _ = encodeReply(message{text: m.text, failure: m.failure})
	}
	return storage.Post{Kind: storage.PostMessage, Channel: channel, TS: root, Body: body}
}

// cardPost returns the outbox post that brings request id's card up to
// date, the request having been changed from channel.
func cardPost(id, channel string) storage.Post {
	return storage.Post{Kind: storage.PostCard, RequestID: id, Channel: channel}
}

// Channel implements deliver.Sender.
func (s sender) Channel(ctx context.Context, p storage.Post) (string, error) {
	b := s.b
	switch p.Kind {
	case storage.PostCard, storage.PostLine:
		if b.chat.Desk == nil {
			return "", nil
		}
		ch, _, err := b.store.RequestCard(ctx, p.RequestID)
		switch {
		case err == nil:
			return ch, nil
		case towndesk.ErrorCode(err) != towndesk.ENOTFOUND:
			return "", err
		case p.Kind == storage.PostLine:
			return "", nil // no card to post under
		}
		show, err := b.chat.Desk.Desk().Show(ctx, desk.RequestShowInput{ID: p.RequestID, By: "towndesk"})
		if err != nil {
			return "", err
		}
		return b.deskChannel(show.Request.Town, p.Channel), nil
	}
	return p.Channel, nil
}

// Send implements deliver.Sender.
func (s sender) Send(ctx context.Context, p storage.Post) (*storage.PostedCard, error) {
	b := s.b
	switch p.Kind {
	case storage.PostCard:
		show, err := b.chat.Desk.Desk().Show(ctx, desk.RequestShowInput{ID: p.RequestID, By: "towndesk"})
		if err != nil {
			return nil, err
		}
		m := cardMessage(show)
		ch, ts, err := b.store.RequestCard(ctx, p.RequestID)
		switch {
		case err == nil:
			err := b.update(ctx, ch, ts, m)
			if !messageGone(err) {
				return nil, err
			}
			b.log.Warn("request card gone from the channel; posting it again", "id", p.RequestID, "channel", ch)
		case towndesk.ErrorCode(err) != towndesk.ENOTFOUND:
			return nil, err
		case show.Request.Status.Final():
			// Closed before its card was ever posted (registered with
			// the CLI while no serve ran): no card, no flood of old
			// requests when serve first starts.
			return nil, nil
		default:
			ch = b.deskChannel(show.Request.Town, p.Channel)
		}
		if ch == "" {
			return nil, nil
		}
		ts, err = b.postOnce(ctx, ch, "", m, p)
		if err != nil {
			return nil, err
		}
		return &storage.PostedCard{RequestID: p.RequestID, Channel: ch, TS: ts}, nil
	case storage.PostLine:
		ch, root, err := b.store.RequestCard(ctx, p.RequestID)
		if towndesk.ErrorCode(err) == towndesk.ENOTFOUND {
			return nil, nil
		}
		if err != nil {
			return nil, err
		}
		show, err := b.chat.Desk.Desk().Show(ctx, desk.RequestShowInput{ID: p.RequestID, By: "towndesk"})
		if err != nil {
			return nil, err
		}
		_, err = b.postOnce(ctx, ch, root, timeline(p.By, p.Body, show.Request.Assignee), p)
		return nil, err
	case storage.PostMessage, storage.PostUpdate:
		m, err := decodeReply(p.Body)
		if err != nil {
			b.log.Error("outbox post unreadable; dropped", "post", p.ID, "err", err)
			return nil, nil
		}
		if p.Kind == storage.PostUpdate {
			return nil, b.update(ctx, p.Channel, p.TS, m)
		}
		_, err = b.postOnce(ctx, p.Channel, p.TS, m, p)
		return nil, err
	}
	return nil, fmt.Errorf("unknown outbox post kind %q", p.Kind)
}

// RetryAfter implements deliver.Sender.
func (sender) RetryAfter(err error) (time.Duration, bool) {
	var rl *slack.RateLimitedError
	if errors.As(err, &rl) {
		return rl.RetryAfter, true
	}
	return 0, false
}

// Refused implements deliver.Sender: Slack's errors for a message it will
// never take as it is. Errors about the channel (not_in_channel,
// channel_not_found, is_archived) are retried: someone can invite the bot
// or restore the channel, and every post to that channel fails meanwhile,
// so nothing waits behind them that could have gone.
func (sender) Refused(err error) bool {
	var se slack.SlackErrorResponse
	if !errors.As(err, &se) {
		return false
	}
	switch se.Err {
	case "invalid_blocks", "invalid_blocks_format", "msg_too_long", "no_text", "too_many_attachments",
		"invalid_metadata_format", "invalid_metadata_schema", "metadata_too_large", "invalid_arguments":
		return true
	}
	return false
}

// messageGone reports whether err says the message to update is no more.
func messageGone(err error) bool {
	var se slack.SlackErrorResponse
	return errors.As(err, &se) && (se.Err == "message_not_found" || se.Err == "cant_update_message")
}

// update replaces the message at ts in channel with m: one call, its
// failures for the outbox to retry.
func (b *Bot) update(ctx context.Context, channel, ts string, m message) error {
	_, _, _, err := b.api.UpdateMessageContext(ctx, channel, ts, m.options("")...)
	return err
}

// postOnce posts m for outbox post p in channel, under root ("" for the
// channel itself), with metadata naming p, and returns its ts. After an
// earlier attempt at p it first looks for that attempt's message, and
// returns its ts if found.
func (b *Bot) postOnce(ctx context.Context, channel, root string, m message, p storage.Post) (string, error) {
	if p.Attempts > 1 {
		want := strconv.FormatInt(p.ID, 10)
		if ts, ok := findEarlier(ctx, b.api, b.log, channel, root, p.FirstTry, func(md slack.SlackMetadata) bool {
			return md.EventType == outboxEvent && fmt.Sprint(md.EventPayload["post"]) == want
		}, "post", p.ID); ok {
			return ts, nil
		}
	}
	opts := append(m.options(root), slack.MsgOptionMetadata(slack.SlackMetadata{EventType: outboxEvent,
		EventPayload: map[string]any{"post": strconv.FormatInt(p.ID, 10), "request": p.RequestID}}))
	_, ts, err := b.api.PostMessageContext(ctx, channel, opts...)
	return ts, err
}

// findEarlier looks in channel's history (or root's thread) since an
// earlier attempt at a post, whose outcome was not recorded, for that
// attempt's message: the first whose metadata match accepts. It returns
// its ts; false if there is none, or if the history cannot be read (then
// the caller posts, preferring a rare duplicate to a lost message). what
// names the post in the log.
func findEarlier(ctx context.Context, api *slack.Client, log *slog.Logger, channel, root string, since time.Time,
	match func(slack.SlackMetadata) bool, what ...any) (string, bool) {
	ts, err := findByMetadata(ctx, api, channel, root, since, match)
	switch {
	case err != nil:
		log.Warn("cannot read the channel to look for an earlier attempt; posting (needs channels:history)",
			append(what, "channel", channel, "err", err)...)
		return "", false
	case ts == "":
		return "", false
	}
	log.Info("found the message of an earlier attempt; recording it", append(what, "channel", channel, "ts", ts)...)
	return ts, true
}

// findByMetadata pages through channel's history (or root's thread, if
// root is not "") from a minute before since, for at most maxLookupPages
// pages, and returns the ts of the first message whose metadata match
// accepts; "" if there is none.
func findByMetadata(ctx context.Context, api *slack.Client, channel, root string, since time.Time, match func(slack.SlackMetadata) bool) (string, error) {
	oldest := fmt.Sprintf("%d.000000", since.Add(-time.Minute).Unix())
	cursor := ""
	for range maxLookupPages {
		var msgs []slack.Message
		var more bool
		var err error
		if root == "" {
			var h *slack.GetConversationHistoryResponse
			h, err = api.GetConversationHistoryContext(ctx, &slack.GetConversationHistoryParameters{
				ChannelID: channel, Oldest: oldest, Limit: 200, Cursor: cursor, IncludeAllMetadata: true})
			if h != nil {
				msgs, more, cursor = h.Messages, h.HasMore, h.ResponseMetaData.NextCursor
			}
		} else {
			msgs, more, cursor, err = api.GetConversationRepliesContext(ctx, &slack.GetConversationRepliesParameters{
				ChannelID: channel, Timestamp: root, Oldest: oldest, Limit: 200, Cursor: cursor, IncludeAllMetadata: true})
		}
		if err != nil {
			return "", err
		}
		for _, m := range msgs {
			if match(m.Metadata) {
				return m.Timestamp, nil
			}
		}
		if !more || cursor == "" {
			break
		}
	}
	return "", nil
}
