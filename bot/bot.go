// Package bot is towndesk's Slack front end, over the HTTP Events API or
// Socket Mode; it is the only package that imports slack-go. Every front
// end goes through the one command table of chat.Chat; bot only translates
// Slack payloads into chat messages and chat replies into Block Kit, acks
// Slack within its 3-second limit, and does the work in the background.
// Its sub-packages hold what needs no Slack: deliver (worker pool, question
// inbox, paced posts, the outbox driver, weekly summary slots,
// idempotency), console (the local front end), masklog and signature.
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
	"sync"
	"sync/atomic"
	"time"

	"github.com/slack-go/slack"

	"github.com/towndesk/towndesk"
	"github.com/towndesk/towndesk/bot/deliver"
	"github.com/towndesk/towndesk/config"
	"github.com/towndesk/towndesk/handlers/chat"
	"github.com/towndesk/towndesk/storage"
)

// store is what the bot keeps in the database besides what handlers keep.
type store interface {
	RequestCard(ctx context.Context, requestID string) (channel, ts string, err error)
	AddPosts(ctx context.Context, posts ...storage.Post) error
	deliver.InboxStore
	deliver.Keys
	deliver.Store
}

// Options configure a Bot.
type Options struct {
	WebAPI               // always
	SigningSecret string // HTTP mode
	AppToken      string // xapp-…, Socket Mode

	Config config.Config
	Chat   *chat.Chat
	Store  store
	Logger *slog.Logger // its handler should mask (NewMaskingHandler); nil discards

	// Workers and Queue size the background pool (default 8 and 1024).
	// One channel's questions, or one person's commands, may fill at most
	// half the queue.
	Workers, Queue int
	// ChannelInterval and ChannelBurst space posts to one channel
	// (default one per second after a burst of 3); a negative interval
	// does not space them.
	ChannelInterval time.Duration
	ChannelBurst    int
	// ChannelBacklog is how many posts may wait for one channel before a
	// new question there is refused (default 600: ten minutes of posts).
	ChannelBacklog int
	// Owner names this instance in the stored question queue and the
	// outbox (default host, process and a random part); Lease is how long
	// another instance, or the next start, waits to take over its
	// questions and posts after it died (default 2 minutes).
	Owner string
	Lease time.Duration
	// RetryBackoff is the first wait before a failed outbox post is tried
	// again, doubling up to 5 minutes (default 2 s).
	RetryBackoff time.Duration
	// Now is the clock for signature checks; nil for time.Now.
	Now func() time.Time
}

// maxPosts bounds the posts waiting in memory, all channels together.
const maxPosts = 10000

// Bot is a running Slack front end.
type Bot struct {
	api     *slack.Client
	http    *http.Client
	chat    *chat.Chat
	store   store
	cfg     config.Config
	secret  string
	app     string
	log     *slog.Logger
	now     func() time.Time
	pool    *deliver.Pool
	posts   *deliver.Poster
	outbox  *deliver.Outbox
	inbox   *deliver.Inbox
	backlog int
	owner   string

	draining  atomic.Bool
	startOnce sync.Once
	stopBg    context.CancelFunc
	bg        sync.WaitGroup
}

// New returns a Bot. It returns an error when a required option is missing.
func New(o Options) (*Bot, error) {
	var extra []slack.Option
	if o.AppToken != "" {
		extra = append(extra, slack.OptionAppLevelToken(o.AppToken))
	}
	api, hc, err := o.WebAPI.client("bot", extra...)
	if err != nil {
		return nil, err
	}
	if o.Chat == nil || o.Store == nil {
		return nil, errors.New("bot: missing Chat or Store")
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
		o.Queue = 1024
	}
	if o.ChannelInterval == 0 {
		o.ChannelInterval = time.Second
	}
	if o.ChannelBurst == 0 {
		o.ChannelBurst = 3
	}
	if o.ChannelBacklog <= 0 {
		o.ChannelBacklog = 600
	}
	if o.Owner == "" {
		o.Owner = deliver.InstanceID()
	}
	if o.Lease <= 0 {
		o.Lease = 2 * time.Minute
	}
	b := &Bot{
		api: api, http: hc, chat: o.Chat, store: o.Store, cfg: o.Config,
		secret: o.SigningSecret, app: o.AppToken, log: o.Logger, now: o.Now,
		pool: deliver.NewPool(o.Workers, o.Queue), posts: deliver.NewPoster(o.ChannelInterval, o.ChannelBurst, maxPosts),
		backlog: o.ChannelBacklog, owner: o.Owner,
	}
	b.inbox = &deliver.Inbox{Store: o.Store, Owner: o.Owner, Lease: o.Lease, Log: o.Logger}
	b.outbox = deliver.NewOutbox(deliver.OutboxOptions{Store: o.Store, Sender: sender{b}, Poster: b.posts, Log: o.Logger,
		Owner: o.Owner, Lease: o.Lease, MinBackoff: o.RetryBackoff})
	return b, nil
}

// start starts the background chores, once: pruning old event IDs and
// keys, keeping the stored questions (answering those left by the last
// run) and sending the outbox (also what the last run left). They stop at
// Close.
func (b *Bot) start() {
	b.startOnce.Do(func() {
		ctx, cancel := context.WithCancel(context.Background())
		b.stopBg = cancel
		b.bg.Add(3)
		go func() { defer b.bg.Done(); deliver.Prune(ctx, b.store, b.now, b.log) }()
		go func() { defer b.bg.Done(); b.inbox.Keep(ctx, b.inboxRoom, b.dispatch) }()
		go func() { defer b.bg.Done(); b.outbox.Run(ctx) }()
	})
}

// Close stops taking work and waits for the work in flight, until ctx
// ends (then in-flight calls to Slack are cancelled). Stored questions
// not answered yet, answers and outbox posts still waiting for their
// channel's turn, are left stored and given up, for the next start to
// answer and post; other posts are sent until ctx ends. It returns ctx's
// error if time ran out.
func (b *Bot) Close(ctx context.Context) error {
	b.draining.Store(true)
	b.startOnce.Do(func() {}) // no chores start after Close
	if b.stopBg != nil {
		b.stopBg()
	}
	b.bg.Wait()
	err := b.pool.Close(ctx)
	if perr := b.posts.Close(ctx); err == nil {
		err = perr
	}
	rctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	if rerr := b.store.ReleaseInbox(rctx, b.owner); rerr != nil {
		b.log.Error("give up stored questions", "err", rerr)
	}
	if rerr := b.store.ReleasePosts(rctx, b.owner); rerr != nil {
		b.log.Error("give up outbox posts", "err", rerr)
	}
	return err
}

// submit runs job in the background, taking turns with the other keys'
// jobs; false if the bot is full or closing.
func (b *Bot) submit(key, name string, job func(context.Context)) bool {
	if b.draining.Load() {
		return false
	}
	ok := b.pool.Submit(key, func(ctx context.Context) {
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

func status(r *chat.Reply) string {
	if r.Answer != nil {
		return string(r.Answer.Status)
	}
	return "command"
}

// postNow posts m in the thread of root ("" for the channel itself) now,
// waiting out rate limits: only the poster calls it, in the channel's
// turn. It returns the posted message's ts.
func (b *Bot) postNow(ctx context.Context, channel, root string, m message) (string, error) {
	var ts string
	err := withRetry(ctx, func() error {
		var err error
		_, ts, err = b.api.PostMessageContext(ctx, channel, m.options(root)...)
		return err
	})
	if err != nil {
		b.log.Error("chat.postMessage failed", "channel", channel, "err", err)
	}
	return ts, err
}

// enqueue stores posts in the outbox and wakes its driver: they are
// sent in their channel's turn, retried if they fail, and sent by the next
// start if this process dies first. The write survives ctx: Slack may hang
// up on an ack while the post must still be made.
func (b *Bot) enqueue(ctx context.Context, posts ...storage.Post) error {
	rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer cancel()
	if err := b.store.AddPosts(rctx, posts...); err != nil {
		return err
	}
	b.outbox.Wake()
	return nil
}

// ephemeral shows m to user only: through the response URL when Slack gave
// one (it works in channels the bot is not in), else chat.postEphemeral.
func (b *Bot) ephemeral(ctx context.Context, responseURL, channel, user, root string, m message) error {
	var err error
	if responseURL != "" {
		msg := &slack.WebhookMessage{Text: m.fallback(), ResponseType: slack.ResponseTypeEphemeral}
		if len(m.blocks) > 0 {
			msg.Blocks = &slack.Blocks{BlockSet: m.blocks}
		}
		err = withRetry(ctx, func() error { return slack.PostWebhookCustomHTTPContext(ctx, responseURL, b.http, msg) })
	} else {
		err = withRetry(ctx, func() error {
			_, err := b.api.PostEphemeralContext(ctx, channel, user, m.options(root)...)
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
		b.log.Error("slash command failed", "channel", sc.ChannelID, "user", sc.UserID, "text", clip(sc.Text, 200), "err", err)
		b.ephemeral(ctx, sc.ResponseURL, sc.ChannelID, sc.UserID, "", message{text: failureText(err)})
		return
	}
	b.log.Info("slash command", "channel", sc.ChannelID, "user", sc.UserID, "text", clip(sc.Text, 200), "status", status(reply))
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
				err = b.enqueue(ctx, messagePost(channel, root, render(r)))
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
		var ok bool
		if ok, err = b.teachAction(ctx, cb, a, channel, root); ok {
			break
		}
		if b.deskAction(ctx, cb, a, channel) {
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

// once runs work under an idempotency key (deliver.Once): a repeated
// click or delivery of the same business action does nothing.
func (b *Bot) once(ctx context.Context, key string, work func() (string, error)) (done bool, err error) {
	done, err = deliver.Once(ctx, b.store, key, work)
	if !done && err == nil {
		b.log.Info("repeated action skipped", "key", key)
	}
	return done, err
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
		// Through the outbox, in the channel's turn, in this order.
		chosen := fmt.Sprintf("<@%s> 选择了：%s%s", cb.User.ID, parts[1], parts[2])
		edit := messagePost(channel, cb.Container.MessageTs, message{text: chosen, blocks: []slack.Block{section(chosen)}})
		edit.Kind = storage.PostUpdate
		return "", b.enqueue(ctx, edit, messagePost(channel, root, render(r)))
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
		return "", b.enqueue(ctx, messagePost(channel, "", m))
	})
	return err
}

// WebAPI is how a towndesk client reaches Slack's Web API.
type WebAPI struct {
	BotToken string // xoxb-…
	// APIURL replaces the Slack Web API base URL (tests, proxies).
	APIURL string
	// HTTPClient makes the calls to Slack; nil for a client with a 10 s timeout.
	HTTPClient *http.Client
}

// client returns the Web API client, with extra options, and the HTTP
// client it makes its calls with. It returns an error, naming what needs
// it, if there is no bot token.
func (w WebAPI) client(what string, extra ...slack.Option) (*slack.Client, *http.Client, error) {
	if w.BotToken == "" {
		return nil, nil, fmt.Errorf("%s: missing bot token (SLACK_BOT_TOKEN)", what)
	}
	hc := w.HTTPClient
	if hc == nil {
		hc = &http.Client{Timeout: 10 * time.Second}
	}
	opts := []slack.Option{slack.OptionHTTPClient(hc)}
	if apiURL := w.APIURL; apiURL != "" {
		// slack-go wants the base URL with a trailing slash.
		if !strings.HasSuffix(apiURL, "/") {
			apiURL += "/"
		}
		opts = append(opts, slack.OptionAPIURL(apiURL))
	}
	return slack.New(w.BotToken, append(opts, extra...)...), hc, nil
}
