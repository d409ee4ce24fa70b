package bot

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/slack-go/slack"
	"github.com/slack-go/slack/slackevents"

	"github.com/towndesk/towndesk"
	"github.com/towndesk/towndesk/bot/deliver"
	"github.com/towndesk/towndesk/handlers/chat"
	"github.com/towndesk/towndesk/storage"
)

// Questions (mentions and DMs) go through the inbox (deliver.Inbox), a
// table: each is stored, its event ID claimed, before Slack gets the ack;
// it is answered by a worker, which stores the reply and hands it to the
// channel's post queue; once Slack has the reply the row is deleted. So
// the paced posts of a busy channel wait in the poster, not in a worker; a
// shutdown with a backlog stops at once and leaves the rest stored; and
// the next start (or, after a crash, whichever instance finds the lease
// run out) answers what was left, each question once.

// questionKey is the pool key of a channel's questions: they take turns
// with other channels' questions and with people's commands and clicks.
func questionKey(channel string) string { return "q:" + channel }

// userKey is the pool key of one person's commands and clicks.
func userKey(user string) string { return "u:" + user }

// questionOf returns the question an Events API event asks, if it is one:
// a mention of the bot, or a message in a DM with it.
func questionOf(inner slackevents.EventsAPIInnerEvent) (storage.InboxQuestion, bool) {
	switch e := inner.Data.(type) {
	case *slackevents.AppMentionEvent:
		if e.BotID != "" {
			return storage.InboxQuestion{}, false
		}
		root := e.ThreadTimeStamp
		if root == "" {
			root = e.TimeStamp
		}
		return storage.InboxQuestion{Channel: e.Channel, User: e.User, Root: root, Thread: root, Text: cleanText(e.Text)}, true
	case *slackevents.MessageEvent:
		if e.ChannelType != "im" || e.BotID != "" || e.SubType != "" || e.User == "" {
			return storage.InboxQuestion{}, false
		}
		root := e.ThreadTimeStamp
		memory := root
		if root == "" {
			root = e.TimeStamp
			// Unthreaded messages in a DM are one conversation: its place
			// carries over from one question to the next.
			memory = "dm"
		}
		return storage.InboxQuestion{Channel: e.Channel, User: e.User, Root: root, Thread: memory, Text: cleanText(e.Text)}, true
	}
	return storage.InboxQuestion{}, false
}

// acceptEvent takes an Events API callback before the ack. A question is
// stored with its event ID (so that a redelivery or a restart does not
// answer it twice, and a shutdown or a crash does not lose it) and queued
// for an answer; other events need nothing. It returns errBusy when the
// question cannot be taken now: the caller then lets Slack redeliver.
func (b *Bot) acceptEvent(ctx context.Context, eventID string, inner slackevents.EventsAPIInnerEvent) error {
	q, ok := questionOf(inner)
	if !ok {
		return nil
	}
	if b.draining.Load() || !b.pool.Room(questionKey(q.Channel)) {
		b.log.Warn("work queue full or closing; asking Slack to redeliver", "job", "question", "channel", q.Channel)
		return errBusy
	}
	fresh, err := b.inbox.Queue(ctx, eventID, &q)
	if err != nil {
		b.log.Error("store question", "event_id", eventID, "channel", q.Channel, "err", err)
		return errBusy
	}
	if !fresh {
		b.log.Info("duplicate event skipped", "event_id", eventID)
		return nil
	}
	b.dispatch(q)
	return nil
}

// dispatch queues a stored question for a worker. If the queue has no
// room, the question is given up in the inbox for the next sweep.
func (b *Bot) dispatch(q storage.InboxQuestion) {
	if b.submit(questionKey(q.Channel), "question", func(ctx context.Context) { b.answer(ctx, q) }) {
		return
	}
	b.inbox.Release(q.ID)
}

// answer works out the reply to a stored question, stores it and hands it
// to the channel's post queue.
func (b *Bot) answer(ctx context.Context, q storage.InboxQuestion) {
	if b.draining.Load() {
		return // left stored: the next start answers it
	}
	if q.Reply != "" {
		m, err := decodeReply(q.Reply)
		if err == nil {
			b.postAnswer(q, m)
			return
		}
		b.log.Error("stored reply unreadable; answering again", "id", q.ID, "err", err)
	}
	if n := b.posts.Pending(q.Channel); n >= b.backlog {
		// Slack takes one message a second in a channel: beyond this the
		// answer would come too late to help. Tell the asker, privately.
		b.log.Warn("channel backlog full; question refused", "channel", q.Channel, "user", q.User, "waiting", n)
		text := fmt.Sprintf("本频道待发的回复已有 %d 条，超过上限 %d 条，这个问题没有排队。请稍后再问，或私信我。", n, b.backlog)
		b.ephemeral(ctx, "", q.Channel, q.User, q.Root, message{text: text})
		b.inbox.Forget(q.ID)
		return
	}
	start := time.Now()
	town, county := b.placeOf(q.Channel)
	req := chat.Message{Source: "slack", User: q.User, Channel: q.Channel, Thread: q.Thread,
		Text: q.Text, Town: town, County: county}
	reply, err := b.chat.Handle(ctx, req)
	if err != nil && ctx.Err() != nil && b.draining.Load() {
		// Cut short by shutdown: left stored, answered after the restart.
		b.log.Info("answer cut short by shutdown; kept for the next start", "channel", q.Channel, "id", q.ID)
		return
	}
	var m message
	switch {
	case err != nil:
		b.log.Error("answer failed", "channel", q.Channel, "user", q.User, "question", clip(q.Text, 200), "err", err)
		m = failureMessage(err)
	case reply.Private:
		// Shown to the asker only: not a channel post, nothing to pace.
		if err := b.ephemeral(ctx, "", q.Channel, q.User, q.Root, render(reply)); err != nil && ctx.Err() != nil && b.draining.Load() {
			return
		}
		b.inbox.Forget(q.ID)
		return
	default:
		m = render(reply)
		b.log.Info("answered", "channel", q.Channel, "user", q.User, "question", clip(q.Text, 200), "status", status(reply),
			"ms", time.Since(start).Milliseconds())
	}
	b.keepReply(q.ID, m)
	b.postAnswer(q, m)
}

// postAnswer hands a stored question's reply to the channel's post queue.
// Once Slack has it, the question is forgotten; a post that fails for any
// reason but shutdown gets the failure reply instead.
func (b *Bot) postAnswer(q storage.InboxQuestion, m message) {
	err := b.posts.Add(q.Channel, deliver.Job{Durable: true, Run: func(ctx context.Context) {
		_, err := b.postNow(ctx, q.Channel, q.Root, m)
		if err != nil && ctx.Err() != nil {
			return // shutdown ran out of time: still stored, posted by the next start
		}
		if err != nil && !m.failure {
			if err := b.enqueue(ctx, messagePost(q.Channel, q.Root, failureMessage(err))); err != nil {
				b.log.Error("queue failure reply", "channel", q.Channel, "err", err)
			}
		}
		b.inbox.Forget(q.ID)
	}})
	if err != nil {
		// Closing (the row is given up with the rest at Close) or too many
		// posts waiting: give it up now, so that a later sweep retries.
		b.log.Warn("reply not queued; kept for later", "channel", q.Channel, "id", q.ID, "reason", err)
		b.inbox.Release(q.ID)
	}
}

// failureMessage is the reply to a question whose answer could not be had
// or delivered.
func failureMessage(err error) message {
	return message{text: failureText(err), blocks: []slack.Block{section(failureText(err))}, failure: true}
}

// keepReply stores the reply worked out for question id (inbox.KeepReply).
func (b *Bot) keepReply(id int64, m message) {
	enc, err := encodeReply(m)
	if err != nil {
		b.log.Error("encode reply", "id", id, "err", err)
		return
	}
	b.inbox.KeepReply(id, enc)
}

// inboxRoom is how many stored questions to take over at a time: half the
// pool's free room, none while closing.
func (b *Bot) inboxRoom() int {
	if b.draining.Load() {
		return 0
	}
	return b.pool.Free() / 2
}

// storedReply is a rendered reply as the inbox keeps it.
type storedReply struct {
	Text    string       `json:"text"`
	Blocks  slack.Blocks `json:"blocks"`
	Failure bool         `json:"failure,omitempty"`
}

// encodeReply returns m as stored, numbers masked.
func encodeReply(m message) (string, error) {
	j, err := json.Marshal(storedReply{Text: towndesk.MaskText(m.text), Blocks: slack.Blocks{BlockSet: m.blocks}, Failure: m.failure})
	return string(j), err
}

func decodeReply(s string) (message, error) {
	var r storedReply
	if err := json.Unmarshal([]byte(s), &r); err != nil {
		return message{}, fmt.Errorf("decode stored reply: %w", err)
	}
	if r.Text == "" && len(r.Blocks.BlockSet) == 0 {
		return message{}, errors.New("decode stored reply: empty")
	}
	return message{text: r.Text, blocks: r.Blocks.BlockSet, failure: r.Failure}, nil
}
