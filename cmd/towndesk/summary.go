package main

import (
	"context"
	"fmt"
	"log/slog"
	"strings"

	"github.com/towndesk/towndesk"
	"github.com/towndesk/towndesk/bot"
	"github.com/towndesk/towndesk/bot/deliver"
	"github.com/towndesk/towndesk/config"
	"github.com/towndesk/towndesk/gazetteer"
	"github.com/towndesk/towndesk/handlers/qa"
	"github.com/towndesk/towndesk/handlers/summary"
	"github.com/towndesk/towndesk/llm"
	"github.com/towndesk/towndesk/storage"
)

// startSummaries validates the configured weekly summaries and starts
// posting them on their schedules (and any missed one now). A bad entry
// stops start-up with the setting named. It returns the function that
// stops them.
func (m *Main) startSummaries(env *chatEnv, data string, opts bot.Options, log *slog.Logger) (stop func(context.Context), err error) {
	entries := env.summaries
	b, err := m.newSummaries(env.db, data, env.model, env.lists)
	if err != nil {
		return nil, err
	}
	sched, err := bot.NewScheduler(bot.SchedulerOptions{WebAPI: opts.WebAPI, Builder: b,
		SchedulerOptions: deliver.SchedulerOptions{Entries: entries, Store: env.db, Logger: log, Now: m.Now}})
	if err != nil {
		return nil, towndesk.Errorf(towndesk.EINVALID, "配置有误：%v", err)
	}
	sched.Start()
	if len(entries) > 0 {
		log.Info("weekly summaries scheduled", "count", len(entries), "owner", sched.Owner())
	}
	return func(ctx context.Context) {
		if err := sched.Stop(ctx); err != nil {
			log.Warn("weekly summaries did not stop in time", "err", err)
		}
	}, nil
}

// newSummaries returns the summary builder over db, with the data
// directory's holidays and the optional model for the opening.
func (m *Main) newSummaries(db *storage.DB, data string, model *llm.Client, lists *qa.Lists) (*summary.Builder, error) {
	cal, err := readDataFile(data, "holidays.txt", towndesk.ParseCalendar)
	if err != nil {
		return nil, err
	}
	cfg := summary.Config{Calendar: cal, Now: m.Now, Teaching: lists}
	if model != nil {
		cfg.Opening = model
	}
	return summary.New(db, cfg), nil
}

// resolveScope turns a scope as written in the configuration or on the
// command line into places: all (全部); town or county, the channel's
// configured place; or a place as people write it (gazetteer.Resolve:
// 滕州市, 滕州市/滨湖镇, 山东/滕州市/滨湖镇, a town that is the only one so
// called). Questions asked in channel count too.
func resolveScope(gaz *gazetteer.Gazetteer, cfg config.Config, channel, scope string) (summary.Scope, error) {
	scope = strings.TrimSpace(scope)
	var r *gazetteer.Resolution
	switch scope {
	case config.ScopeAll, "全部":
		return summary.Scope{Name: "全部乡镇", Channel: channel}, nil
	case config.ScopeTown, config.ScopeCounty:
		p, ok := cfg.ChannelPlace(channel)
		if !ok || channel == "" {
			return summary.Scope{}, towndesk.Errorf(towndesk.EINVALID, "范围「%s」要按频道的地点确定，但频道「%s」没有配置地点", scope, channel)
		}
		if scope == config.ScopeTown && p.Town == "" {
			return summary.Scope{}, towndesk.Errorf(towndesk.EINVALID, "频道「%s」配置的是县（%s），没有乡镇；请用 county", channel, p.County)
		}
		town := ""
		if scope == config.ScopeTown {
			town = p.Town
		}
		r = gaz.ResolveParts(p.Province, p.County, town)
	case "":
		return summary.Scope{}, towndesk.Errorf(towndesk.EINVALID, "请给出范围：all、县名（滕州市）或 县/镇（滕州市/滨湖镇）")
	default:
		r = gaz.Resolve(scope, towndesk.Place{})
	}
	if err := r.Err(); err != nil {
		return summary.Scope{}, err
	}
	if p := r.Place; p.IsTown() {
		return summary.Scope{Name: p.Short(), Place: p, Channel: channel}, nil
	}
	return summary.Scope{Name: r.Place.County, Place: r.Place, Channel: channel}, nil
}

func (m *Main) summaryCommand(fs *flagSet) runFunc {
	data := m.dataFlag(fs)
	cfgPath := m.configFlag(fs)
	channel := fs.String("channel", "", "频道ID", "频道：按它配置的周报（范围、时区），并发到这个频道")
	scopeFlag := fs.String("scope", "", "范围", "周报范围：all、县（滕州市）或 县/镇（滕州市/滨湖镇）；town 或 county 指频道配置的地点")
	weekFlag := fs.String("week", "", "周次", "ISO 周次，如 2026-W48；本周（至今）或上周（默认上周）")
	dryRun := fs.Bool("dry-run", false, "只打印将要发送的周报，不发送")
	return func(ctx context.Context, rest []string) error {
		if len(rest) > 0 {
			return usagef("summary 不接受参数 %q", strings.Join(rest, " "))
		}
		if *channel == "" && *scopeFlag == "" {
			return usagef("请给出 --channel（按配置的周报）或 --scope（如 --scope 滕州市/滨湖镇）")
		}
		cfg, err := m.loadConfig(*cfgPath)
		if err != nil {
			return err
		}
		wired, err := m.wire(cfg)
		if err != nil {
			return err
		}
		entry := bot.SummaryEntry{Name: "--scope", Channel: *channel, Schedule: config.DefaultSchedule}
		found := false
		for _, e := range wired.summaries {
			if e.Channel == *channel {
				entry, found = e, true
			}
		}
		switch {
		case *scopeFlag != "":
			if entry.Scope, err = resolveScope(wired.gaz, cfg, *channel, *scopeFlag); err != nil {
				return err
			}
		case !found:
			return towndesk.Errorf(towndesk.EINVALID, "频道「%s」没有配置周报；请用 --scope 给出范围", *channel)
		}
		if entry.Location == nil {
			if entry.Location, err = (config.Summary{}).Zone(); err != nil {
				return err
			}
		}
		if !*dryRun && *channel == "" {
			return usagef("发送周报需要 --channel；只看内容请加 --dry-run")
		}
		env, err := m.openLists(ctx, *data, true)
		if err != nil {
			return err
		}
		defer env.Close()
		db := env.db
		var model *llm.Client
		if mc, ok := m.modelConfig(cfg.LLM); ok {
			if model, err = llm.New(mc); err != nil {
				fmt.Fprintf(m.Stderr, "警告：语言模型配置有误，周报不写开头语：%v\n", err)
				model = nil
			}
		}
		builder, err := m.newSummaries(db, *data, model, env.lists)
		if err != nil {
			return err
		}
		week, thisWeek := builder.LastWeek(entry.Location), summary.WeekOf(m.Now(), entry.Location)
		switch strings.ToLower(strings.TrimSpace(*weekFlag)) {
		case "", "上周", "last":
		case "本周", "this":
			week = thisWeek
		default:
			if week, err = summary.ParseWeek(*weekFlag, entry.Location); err != nil {
				return err
			}
		}
		if *dryRun {
			if *weekFlag == "" {
				// Stdout is exactly what would be posted; the note goes
				// to stderr.
				fmt.Fprintf(m.Stderr, "以下是上周 %s（%s）的周报。本周（%s）至今的情况请加 --week 本周（或 --week %s）。\n",
					week, week.Days(), thisWeek.Days(), thisWeek)
			}
			sum, err := builder.Build(ctx, entry.Scope, week)
			if err != nil {
				return err
			}
			fmt.Fprint(m.Stdout, sum.Text())
			return nil
		}
		token := m.Getenv("SLACK_BOT_TOKEN")
		if token == "" {
			return towndesk.Errorf(towndesk.EINVALID, "缺少环境变量 SLACK_BOT_TOKEN（Slack 应用的 Bot User OAuth Token，xoxb-…）")
		}
		sched, err := bot.NewScheduler(bot.SchedulerOptions{WebAPI: bot.WebAPI{BotToken: token, APIURL: m.Getenv("SLACK_API_URL")}, Builder: builder,
			SchedulerOptions: deliver.SchedulerOptions{Entries: []bot.SummaryEntry{entry}, Store: db, Logger: m.logger(),
				Now: m.Now, MaxAttempts: 3}})
		if err != nil {
			return towndesk.Errorf(towndesk.EINVALID, "%v", err)
		}
		d, err := sched.Deliver(ctx, entry, week)
		if err != nil {
			return towndesk.Errorf(towndesk.EINVALID, "周报未能发送到频道 %s（%s）：%v", entry.Channel, week, err)
		}
		if !d.Posted {
			fmt.Fprintf(m.Stdout, "频道 %s 的 %s 周报已于 %s 发送，不再重复发送\n", entry.Channel, week,
				d.PostedAt.In(entry.Location).Format("2006-01-02 15:04"))
			return nil
		}
		fmt.Fprintf(m.Stdout, "已发送频道 %s 的 %s 周报\n", entry.Channel, week)
		return nil
	}
}
