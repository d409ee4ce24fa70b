// Package bot is towndesk's chat front end: Slack over the HTTP Events API
// or Socket Mode, and a local console. It is the only package that imports
// slack-go. Every front end goes through the one command table of
// chat.Chat; bot only translates Slack payloads into chat messages and
// chat replies into Block Kit, acks Slack within its
// 3-second limit, and does the work in the background.
package bot

import (
	"context"
	"errors"
	"fmt"
	"html"
	"log/slog"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/slack-go/slack"
	"github.com/slack-go/slack/slackevents"

	"github.com/towndesk/towndesk"
	"github.com/towndesk/towndesk/config"
	"github.com/towndesk/towndesk/handlers/chat"
)

// store is what the bot keeps in the database besides what handlers keep.
type store interface {
	ClaimEvent(ctx context.Context, eventID string) (bool, error)
	ClaimKey(ctx context.Context, key string) (result string, fresh bool, err error)
	FinishKey(ctx context.Context, key, result string) error
	ReleaseKey(ctx context.Context, key string) error
	SetRequestCard(ctx context.Context, requestID, channel, ts string) error
	RequestCard(ctx context.Context, requestID string) (channel, ts string, err error)
	PruneChat(ctx context.Context, before time.Time) error
}

// Options configure a Bot.
type Options struct {
	BotToken      string // xoxb-…, always
	SigningSecret string // HTTP mode
	AppToken      string // xapp-…, Socket Mode
	// APIURL replaces the Slack Web API base URL (tests, proxies).
	APIURL string
	// HTTPClient makes the calls to Slack; nil for a client with a 10 s timeout.
	HTTPClient *http.Client

	Config config.Config
	Chat   *chat.Chat
	Store  store
	Logger *slog.Logger // its handler should mask (NewMaskingHandler); nil discards

	// Workers and Queue size the background pool (default 8 and 256).
	Workers, Queue int
	// ChannelInterval and ChannelBurst space posts to one channel
	// (default one per second after a burst of 3).
	ChannelInterval time.Duration
	ChannelBurst    int
	// Now is the clock for signature checks; nil for time.Now.
	Now func() time.Time
}

// Bot is a running Slack front end.
type Bot struct {
	api    *slack.Client
	http   *http.Client
	chat   *chat.Chat
	store  store
	cfg    config.Config
	secret string
	app    string
	log    *slog.Logger
	now    func() time.Time
	pool   *pool
	queue  *channelQueue

	draining atomic.Bool
}

// New returns a Bot. It returns an error when a required option is missing.
func New(o Options) (*Bot, error) {
	switch {
	case o.BotToken == "":
		return nil, errors.New("bot: missing bot token (SLACK_BOT_TOKEN)")
	case o.Chat == nil || o.Store == nil:
		return nil, errors.New("bot: missing Chat or Store")
	}
	if o.HTTPClient == nil {
		o.HTTPClient = &http.Client{Timeout: 10 * time.Second}
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Workers <= 0 {
		o.Workers = 8
	}
	if o.Queue <= 0 {
		o.Queue = 256
	}
	if o.ChannelInterval == 0 {
		o.ChannelInterval = time.Second
	}
	if o.ChannelBurst == 0 {
		o.ChannelBurst = 3
	}
	opts := slackOptions(o.HTTPClient, o.APIURL)
	if o.AppToken != "" {
		opts = append(opts, slack.OptionAppLevelToken(o.AppToken))
	}
	return &Bot{
		api: slack.New(o.BotToken, opts...), http: o.HTTPClient, chat: o.Chat, store: o.Store, cfg: o.Config,
		secret: o.SigningSecret, app: o.AppToken, log: o.Logger, now: o.Now,
		pool: newPool(o.Workers, o.Queue), queue: newChannelQueue(o.ChannelInterval, o.ChannelBurst),
	}, nil
}

// Close stops taking work and waits for the work in flight, until ctx
// ends (then in-flight calls to Slack are cancelled).
func (b *Bot) Close(ctx context.Context) error {
	b.draining.Store(true)
	return b.pool.close(ctx)
}

// submit runs job in the background; false if the bot is full or closing.
func (b *Bot) submit(name string, job func(context.Context)) bool {
	if b.draining.Load() {
		return false
	}
	ok := b.pool.submit(func(ctx context.Context) {
		defer func() {
			if p := recover(); p != nil {
				b.log.Error("job panicked", "job", name, "panic", fmt.Sprint(p))
			}
		}()
		job(ctx)
	})
	if !ok {
		b.log.Warn("work queue full or closing; asking Slack to retry", "job", name)
	}
	return ok
}

// placeOf returns the configured default place of a channel.
func (b *Bot) placeOf(channel string) (town, county string) {
	p, _ := b.cfg.ChannelPlace(channel)
	return p.Town, p.County
}

var mentionRe = regexp.MustCompile(`<@[A-Z0-9]+(?:\|[^>]*)?>`)

// cleanText removes user mentions from a Slack message and undoes Slack's
// escaping of &, < and >.
func cleanText(s string) string {
	return strings.TrimSpace(html.UnescapeString(mentionRe.ReplaceAllString(s, " ")))
}

// handleEvent processes one Events API callback (after the ack): it
// skips event IDs seen before (stored, so a restart does not answer twice)
// and answers mentions and direct messages.
func (b *Bot) handleEvent(ctx context.Context, eventID string, inner slackevents.EventsAPIInnerEvent) {
	if eventID != "" {
		fresh, err := b.store.ClaimEvent(ctx, eventID)
		if err != nil {
			// Better to risk answering twice than not at all.
			b.log.Error("record event id", "event_id", eventID, "err", err)
		} else if !fresh {
			b.log.Info("duplicate event skipped", "event_id", eventID)
			return
		}
	}
	switch e := inner.Data.(type) {
	case *slackevents.AppMentionEvent:
		if e.BotID != "" {
			return
		}
		root := e.ThreadTimeStamp
		if root == "" {
			root = e.TimeStamp
		}
		b.question(ctx, e.Channel, e.User, root, root, e.Text)
	case *slackevents.MessageEvent:
		if e.ChannelType != "im" || e.BotID != "" || e.SubType != "" || e.User == "" {
			return
		}
		root := e.ThreadTimeStamp
		memory := root
		if root == "" {
			root = e.TimeStamp
			// Unthreaded messages in a DM are one conversation: its place
			// carries over from one question to the next.
			memory = "dm"
		}
		b.question(ctx, e.Channel, e.User, root, memory, e.Text)
	}
}

// question answers a message in the thread root, remembering the place
// under the thread key memory.
func (b *Bot) question(ctx context.Context, channel, user, root, memory, text string) {
	start := time.Now()
	town, county := b.placeOf(channel)
	req := chat.Message{Source: "slack", User: user, Channel: channel, Thread: memory,
		Text: cleanText(text), Town: town, County: county}
	reply, err := b.chat.Handle(ctx, req)
	if err == nil {
		err = b.deliverThread(ctx, channel, root, user, reply)
	}
	if err != nil {
		b.log.Error("answer failed", "channel", channel, "user", user, "question", req.Text, "err", err)
		// Never silence: the failure reply goes out even when the work was
		// cut short (shutdown cancels the jobs' context), on a short
		// context of its own.
		fctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 3*time.Second)
		defer cancel()
		if _, perr := b.postThread(fctx, channel, root, message{text: failureText(err), blocks: []slack.Block{section(failureText(err))}}); perr != nil {
			b.log.Error("failure reply not delivered", "channel", channel, "user", user, "err", perr)
		}
		return
	}
	b.log.Info("answered", "channel", channel, "user", user, "question", req.Text, "status", status(reply),
		"ms", time.Since(start).Milliseconds())
}

func status(r *chat.Reply) string {
	if r.Answer != nil {
		return string(r.Answer.Status)
	}
	return "command"
}

// deliverThread shows a reply to a message in its thread.
func (b *Bot) deliverThread(ctx context.Context, channel, root, user string, r *chat.Reply) error {
	if r.Private {
		return b.ephemeral(ctx, "", channel, user, root, render(r))
	}
	_, err := b.postThread(ctx, channel, root, render(r))
	return err
}

// postThread posts m in the thread of root ("" for the channel itself),
// in the channel's turn, waiting out rate limits. It returns the posted
// message's ts.
func (b *Bot) postThread(ctx context.Context, channel, root string, m message) (string, error) {
	if err := b.queue.wait(ctx, channel); err != nil {
		return "", err
	}
	opts := m.options()
	if root != "" {
		opts = append(opts, slack.MsgOptionTS(root))
	}
	var ts string
	err := withRetry(ctx, func() error {
		var err error
		_, ts, err = b.api.PostMessageContext(ctx, channel, opts...)
		return err
	})
	if err != nil {
		b.log.Error("chat.postMessage failed", "channel", channel, "err", err)
	}
	return ts, err
}

// update replaces the message at ts in channel.
func (b *Bot) update(ctx context.Context, channel, ts string, m message) error {
	if err := b.queue.wait(ctx, channel); err != nil {
		return err
	}
	err := withRetry(ctx, func() error {
		_, _, _, err := b.api.UpdateMessageContext(ctx, channel, ts, m.options()...)
		return err
	})
	if err != nil {
		b.log.Error("chat.update failed", "channel", channel, "err", err)
	}
	return err
}

// ephemeral shows m to user only: through the response URL when Slack gave
// one (it works in channels the bot is not in), else chat.postEphemeral.
func (b *Bot) ephemeral(ctx context.Context, responseURL, channel, user, root string, m message) error {
	var err error
	if responseURL != "" {
		msg := &slack.WebhookMessage{Text: clip(escape(m.text), maxMessageText), ResponseType: slack.ResponseTypeEphemeral}
		if len(m.blocks) > 0 {
			msg.Blocks = &slack.Blocks{BlockSet: m.blocks}
		}
		err = withRetry(ctx, func() error { return slack.PostWebhookCustomHTTPContext(ctx, responseURL, b.http, msg) })
	} else {
		opts := m.options()
		if root != "" {
			opts = append(opts, slack.MsgOptionTS(root))
		}
		err = withRetry(ctx, func() error {
			_, err := b.api.PostEphemeralContext(ctx, channel, user, opts...)
			return err
		})
	}
	if err != nil {
		b.log.Error("ephemeral reply failed", "channel", channel, "user", user, "err", err)
	}
	return err
}

// handleCommand runs a slash command (after the ack). Its replies are
// private to the user.
func (b *Bot) handleCommand(ctx context.Context, sc slack.SlashCommand) {
	town, county := b.placeOf(sc.ChannelID)
	req := chat.Message{Source: "slack", User: sc.UserID, Channel: sc.ChannelID, Text: strings.TrimSpace(sc.Text),
		Town: town, County: county, Private: true}
	if req.Text == "" {
		req.Text = "帮助"
	}
	reply, err := b.chat.Handle(ctx, req)
	if err == nil && b.openModal(ctx, sc.TriggerID, sc.ChannelID, reply) {
		return
	}
	if err == nil {
		reply.Private = true
		err = b.ephemeral(ctx, sc.ResponseURL, sc.ChannelID, sc.UserID, "", render(reply))
	}
	if err != nil {
		b.log.Error("slash command failed", "channel", sc.ChannelID, "user", sc.UserID, "text", sc.Text, "err", err)
		b.ephemeral(ctx, sc.ResponseURL, sc.ChannelID, sc.UserID, "", message{text: failureText(err)})
		return
	}
	b.log.Info("slash command", "channel", sc.ChannelID, "user", sc.UserID, "text", sc.Text, "status", status(reply))
}

// handleAction runs one button click (after the ack).
func (b *Bot) handleAction(ctx context.Context, cb slack.InteractionCallback, a *slack.BlockAction) {
	channel, user := cb.Channel.ID, cb.User.ID
	if channel == "" {
		channel = cb.Container.ChannelID
	}
	root := cb.Message.ThreadTimestamp
	if root == "" {
		root = cb.Container.MessageTs
	}
	private := cb.Container.IsEphemeral
	var err error
	switch a.ActionID {
	case actBasis:
		var r *chat.Reply
		if r, err = b.chat.Basis(a.Value); err == nil {
			if private {
				err = b.ephemeral(ctx, cb.ResponseURL, channel, user, "", render(r))
			} else {
				_, err = b.postThread(ctx, channel, root, render(r))
			}
		}
	case actUseful, actUseless:
		var r *chat.Reply
		id, perr := strconv.ParseInt(a.Value, 10, 64)
		if perr != nil {
			err = towndesk.Errorf(towndesk.EINVALID, "按钮已失效")
			break
		}
		if r, err = b.chat.Feedback(ctx, chat.Message{Source: "slack", User: user, Channel: channel, Thread: root}, id, a.ActionID == actUseful); err == nil {
			err = b.ephemeral(ctx, cb.ResponseURL, channel, user, root, render(r))
		}
	case actPlace:
		err = b.pickPlace(ctx, cb, a, channel, root, private)
	case actShare:
		err = b.share(ctx, cb, a, channel)
	default:
		if b.deskAction(ctx, cb, a) {
			return
		}
		b.log.Warn("unknown action", "action_id", a.ActionID)
		return
	}
	if err != nil {
		b.log.Error("button failed", "action_id", a.ActionID, "channel", channel, "user", user, "err", err)
		b.ephemeral(ctx, cb.ResponseURL, channel, user, root, message{text: failureText(err)})
	}
}

// once runs work under an idempotency key: a repeated click or delivery of
// the same business action does nothing.
func (b *Bot) once(ctx context.Context, key string, work func() (string, error)) (done bool, err error) {
	_, fresh, err := b.store.ClaimKey(ctx, key)
	if err != nil {
		return false, err
	}
	if !fresh {
		// A double click or a redelivery while the first is at work or
		// done. (A claim whose work died expires; see storage.ClaimKey.)
		b.log.Info("repeated action skipped", "key", key)
		return false, nil
	}
	// Recording the outcome must survive the request's context: Slack may
	// hang up after 3 s, and a claim left open would block a retry.
	record, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer cancel()
	out, err := work()
	if err != nil {
		if rerr := b.store.ReleaseKey(record, key); rerr != nil {
			b.log.Error("release key", "key", key, "err", rerr)
		}
		return false, err
	}
	return true, b.store.FinishKey(record, key, out)
}

func (b *Bot) pickPlace(ctx context.Context, cb slack.InteractionCallback, a *slack.BlockAction, channel, root string, private bool) error {
	parts := strings.SplitN(a.Value, "|", 3)
	id, perr := strconv.ParseInt(parts[0], 10, 64)
	if perr != nil || len(parts) != 3 {
		return towndesk.Errorf(towndesk.EINVALID, "按钮已失效")
	}
	_, err := b.once(ctx, "pick:"+parts[0], func() (string, error) {
		req := chat.Message{Source: "slack", User: cb.User.ID, Channel: channel, Thread: root, Private: private}
		r, err := b.chat.PickPlace(ctx, req, id, parts[1], parts[2])
		if err != nil {
			return "", err
		}
		if private {
			return "", b.ephemeral(ctx, cb.ResponseURL, channel, cb.User.ID, "", render(r))
		}
		chosen := fmt.Sprintf("<@%s> 选择了：%s%s", cb.User.ID, parts[1], parts[2])
		if err := b.update(ctx, channel, cb.Container.MessageTs, message{text: chosen, blocks: []slack.Block{section(chosen)}}); err != nil {
			b.log.Warn("could not mark the place choice", "err", err)
		}
		_, err = b.postThread(ctx, channel, root, render(r))
		return "", err
	})
	return err
}

func (b *Bot) share(ctx context.Context, cb slack.InteractionCallback, a *slack.BlockAction, channel string) error {
	id, perr := strconv.ParseInt(a.Value, 10, 64)
	if perr != nil {
		return towndesk.Errorf(towndesk.EINVALID, "按钮已失效")
	}
	_, err := b.once(ctx, "share:"+a.Value, func() (string, error) {
		r, err := b.chat.Reanswer(ctx, id)
		if err != nil {
			return "", err
		}
		m := render(r)
		m.text = fmt.Sprintf("<@%s> 分享了一个回答：%s", cb.User.ID, r.Text)
		ts, err := b.postThread(ctx, channel, "", m)
		return ts, err
	})
	return err
}

// prune forgets old event IDs and idempotency keys once a day.
func (b *Bot) prune(ctx context.Context) {
	t := time.NewTicker(24 * time.Hour)
	defer t.Stop()
	for {
		if err := b.store.PruneChat(ctx, b.now().Add(-7*24*time.Hour)); err != nil && ctx.Err() == nil {
			b.log.Warn("prune chat records", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// slackOptions are the Web API client options every towndesk client uses:
// its HTTP client and, if set, another API base URL (tests, proxies),
// which slack-go wants with a trailing slash.
func slackOptions(hc *http.Client, apiURL string) []slack.Option {
	opts := []slack.Option{slack.OptionHTTPClient(hc)}
	if apiURL != "" {
		if !strings.HasSuffix(apiURL, "/") {
			apiURL += "/"
		}
		opts = append(opts, slack.OptionAPIURL(apiURL))
	}
	return opts
}
