package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/towndesk/towndesk"
	"github.com/towndesk/towndesk/bot"
	"github.com/towndesk/towndesk/bot/masklog"
	"github.com/towndesk/towndesk/handlers/chat"
	"github.com/towndesk/towndesk/handlers/desk"
	"github.com/towndesk/towndesk/llm"
	"github.com/towndesk/towndesk/local"
)

// shutdownBudget is how long serve may take to stop after SIGTERM.
const shutdownBudget = 9 * time.Second

// chatEnv is what the chat front ends run on: the lists (index opened
// once and kept), the desk and the chat command table.
type chatEnv struct {
	*listsEnv
	*setup
	chat *chat.Chat
	// model is the optional language model (nil without one), shared by
	// answers and the weekly summary so they share its daily budget.
	model *llm.Client
}

// openChat opens the data directory for the chat front ends, with the
// configuration wired to real places.
func (m *Main) openChat(ctx context.Context, data, cfgPath string, noSample bool) (*chatEnv, error) {
	cfg, err := m.loadConfig(cfgPath)
	if err != nil {
		return nil, err
	}
	wired, err := m.wire(cfg)
	if err != nil {
		return nil, err
	}
	env, err := m.openLists(ctx, data, noSample)
	if err != nil {
		return nil, err
	}
	if d := cfg.KB.MatchTimeoutDuration(); d > 0 {
		env.lists.MatchTimeout = d
	}
	// The file named by --config may configure the model too.
	model := m.useModel(env.lists, cfg.LLM)
	cal, err := readDataFile(data, "holidays.txt", towndesk.ParseCalendar)
	if err != nil {
		env.Close()
		return nil, err
	}
	kinds, err := readDataFile(data, "kinds.txt", towndesk.ParseKinds)
	if err != nil {
		env.Close()
		return nil, err
	}
	c := chat.New(env.lists, env.db)
	c.Command = cfg.Slack.Command
	c.Maintainers = chat.NewMaintainers(cfg.KB.MaintainerUsers(), cfg.KB.MaintainerChannels())
	d := desk.New(env.db, desk.Config{County: wired.deskCounty, Places: env.gaz, Calendar: cal, Kinds: kinds, Now: m.Now})
	var deskChannels []string
	for ch := range cfg.Desk.Channels {
		deskChannels = append(deskChannels, ch)
	}
	c.Desk = chat.NewDesk(d, cfg.Desk.Workers, deskChannels)
	return &chatEnv{listsEnv: env, setup: wired, chat: c, model: model}, nil
}

func (m *Main) logger() *slog.Logger {
	return slog.New(masklog.New(slog.NewJSONHandler(m.Stderr, nil)))
}

func (m *Main) serveCommand(fs *flagSet) runFunc {
	data := m.dataFlag(fs)
	cfgPath := m.configFlag(fs)
	addr := fs.String("addr", m.env("TOWNDESK_ADDR", ":3000"), "地址", "HTTP 模式的监听地址（环境变量 TOWNDESK_ADDR）")
	workers := fs.Int("workers", 8, "N", "后台工作线程数")
	noSample := m.noSampleFlag(fs)
	return func(ctx context.Context, rest []string) error {
		if len(rest) > 0 {
			return usagef("serve 不接受参数 %q", strings.Join(rest, " "))
		}
		opts := bot.Options{WebAPI: bot.WebAPI{BotToken: m.Getenv("SLACK_BOT_TOKEN"), APIURL: m.Getenv("SLACK_API_URL")},
			SigningSecret: m.Getenv("SLACK_SIGNING_SECRET"), AppToken: m.Getenv("SLACK_APP_TOKEN"), Workers: atLeastOne(*workers), Now: m.Now}
		switch {
		case opts.BotToken == "":
			return towndesk.Errorf(towndesk.EINVALID, "缺少环境变量 SLACK_BOT_TOKEN（Slack 应用的 Bot User OAuth Token，xoxb-…）")
		case opts.AppToken == "" && opts.SigningSecret == "":
			return towndesk.Errorf(towndesk.EINVALID, "HTTP 模式需要环境变量 SLACK_SIGNING_SECRET（或设置 SLACK_APP_TOKEN 使用 Socket Mode）")
		}
		env, err := m.openChat(ctx, *data, *cfgPath, *noSample)
		if err != nil {
			return err
		}
		defer env.Close()
		log := m.logger()
		// towndesk ask on this machine asks through the socket rather than
		// open the index this process holds.
		if sock, err := local.Listen(local.SocketPath(*data), env.lists, log); err != nil {
			log.Warn("no local socket: towndesk ask will build its own index while serve runs", "err", err)
		} else {
			served := make(chan struct{})
			go func() { defer close(served); sock.Serve(ctx) }()
			defer func() { sock.Close(); <-served }() // before the index closes
		}
		stopSummaries, err := m.startSummaries(env, *data, opts, log)
		if err != nil {
			return err
		}
		// One budget for the whole shutdown, counted from the signal: the
		// HTTP server, the work in flight and the summaries share it.
		var stopAt atomic.Int64
		stopWatch := context.AfterFunc(ctx, func() { stopAt.Store(time.Now().Add(shutdownBudget).UnixNano()) })
		defer stopWatch()
		opts.Config, opts.Chat, opts.Store, opts.Logger = env.cfg, env.chat, env.db, log
		b, err := bot.New(opts)
		if err != nil {
			return err
		}
		var runErr error
		if opts.AppToken != "" {
			log.Info("starting in Socket Mode")
			runErr = b.RunSocket(ctx)
		} else {
			ln, err := net.Listen("tcp", *addr)
			if err != nil {
				return towndesk.Errorf(towndesk.EINVALID, "无法监听 %s：%v", *addr, err)
			}
			log.Info("listening (HTTP mode)", "addr", ln.Addr().String())
			runErr = b.RunHTTP(ctx, ln)
		}
		// Stop taking work, let what is in flight (answers, summary posts)
		// finish, within what is left of the budget.
		deadline := time.Now().Add(shutdownBudget)
		if at := stopAt.Load(); at != 0 {
			deadline = time.Unix(0, at)
		}
		cctx, cancel := context.WithDeadline(context.Background(), deadline)
		defer cancel()
		var wg sync.WaitGroup
		wg.Add(1)
		go func() { defer wg.Done(); stopSummaries(cctx) }()
		if err := b.Close(cctx); err != nil {
			log.Warn("shutdown cut in-flight work short", "err", err)
		}
		wg.Wait()
		log.Info("stopped")
		switch {
		case runErr == nil, errors.Is(runErr, context.Canceled):
		case errors.Is(runErr, context.DeadlineExceeded):
			log.Warn("HTTP connections were cut at shutdown", "err", runErr)
		default:
			return fmt.Errorf("serve: %w", runErr)
		}
		return nil
	}
}

func atLeastOne(n int) int {
	if n < 1 {
		return 1
	}
	return n
}
