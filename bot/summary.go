package bot

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"

	"github.com/slack-go/slack"

	"github.com/towndesk/towndesk"
	"github.com/towndesk/towndesk/bot/deliver"
	"github.com/towndesk/towndesk/handlers/summary"
	"github.com/towndesk/towndesk/storage"
)

// Weekly summaries are scheduled and delivered exactly once per channel
// and week by deliver.Scheduler (see there); this file builds and posts
// them over Slack. Slack could have accepted a message just before a
// crash, so a take-over (any attempt after the first) first looks for the
// message in the channel's recent history (it carries metadata naming the
// week) and records it instead of posting again; if the history cannot be
// read (the app lacks channels:history), it posts, preferring a rare
// duplicate to a lost summary.

// summaryEvent is the metadata event type of a posted weekly summary.
const summaryEvent = "towndesk_weekly_summary"

// SummaryEntry is one configured summary, with its scope resolved.
type SummaryEntry = deliver.SummaryEntry

// Scheduler posts the configured weekly summaries on their schedules.
type Scheduler struct{ *deliver.Scheduler }

// summaryBuilder builds a summary; *summary.Builder is one.
type summaryBuilder interface {
	Build(ctx context.Context, scope summary.Scope, week summary.Week) (*summary.Summary, error)
}

// SchedulerOptions configure a Scheduler: the Slack connection and the
// builder, and the schedule's settings (deliver.SchedulerOptions, whose
// Poster is the builder's over Slack).
type SchedulerOptions struct {
	WebAPI
	Builder summaryBuilder
	deliver.SchedulerOptions
}

// NewScheduler returns a scheduler for o.Entries. It returns an error
// naming the entry ("summaries[1].schedule: …") for a cron expression or
// time zone that cannot be used, or when a required option is missing.
func NewScheduler(o SchedulerOptions) (*Scheduler, error) {
	api, _, err := o.WebAPI.client("summary scheduler")
	if err != nil {
		return nil, err
	}
	if o.Builder == nil {
		return nil, errors.New("summary scheduler: missing Builder")
	}
	// deliver.NewScheduler checks the rest and discards a nil Logger's
	// lines; the poster logs with the same.
	o.Poster = summaryPoster{api: api, build: o.Builder, log: cmp.Or(o.Logger, slog.New(slog.DiscardHandler))}
	s, err := deliver.NewScheduler(o.SchedulerOptions)
	if err != nil {
		return nil, err
	}
	return &Scheduler{s}, nil
}

// summaryPoster builds and posts summaries over Slack.
type summaryPoster struct {
	api   *slack.Client
	build summaryBuilder
	log   *slog.Logger
}

// PostSummary implements deliver.SummaryPoster: it posts the summary
// once, holding claim c. After an earlier attempt (this instance's or a
// crashed one's) it first looks for that attempt's message in the channel.
func (s summaryPoster) PostSummary(ctx context.Context, e SummaryEntry, week summary.Week, c storage.SummaryClaim) (string, error) {
	if c.Attempts > 1 {
		match := func(md slack.SlackMetadata) bool {
			return md.EventType == summaryEvent && md.EventPayload["week"] == week.String() && md.EventPayload["channel"] == e.Channel
		}
		if ts, ok := findEarlier(ctx, s.api, s.log, e.Channel, "", c.FirstClaim, match, "summary", week.String()); ok {
			return ts, nil
		}
	}
	sum, err := s.build.Build(ctx, e.Scope, week)
	if err != nil {
		return "", fmt.Errorf("build summary: %w", err)
	}
	var ts string
	opts := SummaryMessage(sum, e.Channel)
	err = withRetry(ctx, func() error {
		var err error
		_, ts, err = s.api.PostMessageContext(ctx, e.Channel, opts...)
		return err
	})
	if err != nil {
		return "", fmt.Errorf("chat.postMessage: %w", err)
	}
	return ts, nil
}

// SummaryMessage returns the chat.postMessage options of a summary for
// channel: the text (exactly Summary.Text, what --dry-run prints) and
// Block Kit rendered from the same sections, with metadata naming the
// week so that an unrecorded post can be found again.
func SummaryMessage(sum *summary.Summary, channel string) []slack.MsgOption {
	return []slack.MsgOption{
		slack.MsgOptionText(escape(towndesk.MaskText(sum.Text())), false),
		slack.MsgOptionBlocks(summaryBlocks(sum)...),
		slack.MsgOptionMetadata(slack.SlackMetadata{EventType: summaryEvent,
			EventPayload: map[string]any{"channel": channel, "week": sum.Week.String()}}),
	}
}

// summaryBlocks renders a summary as Block Kit: a header, the opening,
// and one section per part.
func summaryBlocks(sum *summary.Summary) []slack.Block {
	blocks := []slack.Block{slack.NewHeaderBlock(slack.NewTextBlockObject(slack.PlainTextType,
		clip(sum.Title(), 150), false, false))}
	if sum.Opening != "" {
		blocks = append(blocks, section(sum.Opening))
	}
	for _, sec := range sum.Sections() {
		blocks = append(blocks, slack.NewDividerBlock(), slack.NewSectionBlock(
			slack.NewTextBlockObject(slack.MarkdownType, "*"+escape(sec.Title)+"*\n"+
				clip(escape(strings.Join(sec.Lines, "\n")), maxSectionText-200), false, false), nil, nil))
	}
	return blocks
}
