package chat

import (
	"context"
	"fmt"
	"strings"

	"github.com/towndesk/towndesk"
	"github.com/towndesk/towndesk/handlers/desk"
)

// Desk runs the proxy-service desk from chat: the intake form, the
// request card with the moves the lifecycle allows, listings. It decides
// who may change requests; the front end only shows what it says.
type Desk struct {
	desk *desk.Desk
	// workers are the configured desk workers' user IDs; channels the
	// desk channels (whose members may change requests).
	workers  map[string]bool
	channels map[string]bool
}

// NewDesk returns the chat side of desk. workers may change requests
// anywhere and see full numbers; members of channels may change requests
// from there.
func NewDesk(svc *desk.Desk, workers, channels []string) *Desk {
	d := &Desk{desk: svc, workers: map[string]bool{}, channels: map[string]bool{}}
	for _, w := range workers {
		d.workers[w] = true
	}
	for _, c := range channels {
		d.channels[c] = true
	}
	return d
}

// Desk returns the desk the chat commands run on.
func (d *Desk) Desk() *desk.Desk { return d.desk }

// CanChange reports whether user, acting in channel, may change requests:
// a configured desk worker, or anyone in a desk channel.
func (d *Desk) CanChange(user, channel string) bool {
	return d.workers[user] || d.channels[channel]
}

// CanReveal reports whether user may see full phone and ID numbers: desk
// workers only.
func (d *Desk) CanReveal(user string) bool { return d.workers[user] }

// refusal is the error an unauthorised change gets.
func refusal() error {
	return towndesk.Errorf(towndesk.EUNAUTHORIZED, "只有代办员（或代办频道的成员）可以办理代办，本次操作未生效。")
}

// DeskReply is a desk command's reply in parts.
type DeskReply struct {
	// Intake asks the front end to open the intake form, prefilled with
	// the channel's place.
	Intake *IntakeForm
	// Show is one request with its history (masked unless revealed).
	Show *desk.RequestShowReply
	// List is a page of requests.
	List *desk.RequestListReply
	// Changed is the reply to a change.
	Changed *desk.RequestReply
}

// IntakeForm describes the intake form: its defaults and choices.
type IntakeForm struct {
	Town, County string
	Kinds        []towndesk.Kind
}

func deskCommands() []Command {
	return []Command{
		{Name: "代办", Aliases: []string{"request"}, Usage: "[编号 [操作]]",
			Help: "不带编号：登记代办（Slack 中打开登记表）；带编号（如 2026-0001）：查看该代办及流转记录；" +
				"编号后写操作办理它：转为 新状态 [结果或理由]、回访 满意|基本满意|不满意、指派 承办人、备注 内容、" +
				"收付 类型 金额、冲正 收支编号 理由、延期 天数 理由、完整号码（控制台用；Slack 中用卡片上的按钮）", Run: runDesk},
		{Name: "代办 登记", Aliases: []string{"request new"}, Usage: intakeUsage,
			Help: "登记一件代办（控制台用；Slack 中用“代办”打开登记表）", Run: runDeskNew},
		{Name: "代办 列表", Aliases: []string{"request list", "list"}, Usage: "[我的|超期]",
			Help: "列出最新的代办；“我的”只列我承办的，“超期”只列已超期的", Run: runDeskList},
	}
}

func runDesk(ctx context.Context, c *Chat, req Message, args []string) (*Reply, error) {
	if len(args) == 0 {
		f := &IntakeForm{Town: req.Town, County: req.County, Kinds: c.Desk.desk.Kinds()}
		// Slack opens the form from a slash command; a mention cannot.
		text := "请用斜杠命令 " + c.Command + " 代办 打开登记表。"
		if req.Local() {
			text = fmt.Sprintf("登记代办请写：代办 登记 %s\n代办类型：%s", intakeUsage, kindNames(f.Kinds))
		}
		return &Reply{Text: text, Private: true, Desk: &DeskReply{Intake: f}}, nil
	}
	if err := c.Desk.mayRead(req); err != nil {
		return nil, err
	}
	if len(args) > 1 {
		return runDeskOp(ctx, c, req, args[0], args[1:])
	}
	show, err := c.Desk.desk.Show(ctx, desk.RequestShowInput{ID: args[0], By: req.User})
	if err != nil {
		return nil, err
	}
	return &Reply{Text: show.Text(), Private: req.Private, Desk: &DeskReply{Show: show}}, nil
}

func runDeskList(ctx context.Context, c *Chat, req Message, args []string) (*Reply, error) {
	in := desk.RequestListInput{Limit: 20}
	for _, a := range args {
		switch strings.ToLower(a) {
		case "我的", "mine", "my":
			in.Assignee = req.User
		case "超期", "overdue":
			in.Overdue = true
		default:
			return nil, towndesk.Errorf(towndesk.EINVALID, "不认识“%s”；可写：%s 代办 列表 [我的|超期]", a, c.Command)
		}
	}
	if err := c.Desk.mayRead(req); err != nil {
		return nil, err
	}
	list, err := c.Desk.desk.List(ctx, in)
	if err != nil {
		return nil, err
	}
	return &Reply{Text: list.Text(), Private: req.Private, Desk: &DeskReply{List: list}}, nil
}

// mayRead refuses requests' details (citizens' names, matters, villages)
// to chat users who are neither desk workers nor in a desk channel. The
// local console is run by someone with the data directory at hand.
func (d *Desk) mayRead(req Message) error {
	if req.Local() || d.CanChange(req.User, req.Channel) {
		return nil
	}
	return towndesk.Errorf(towndesk.EUNAUTHORIZED, "只有代办员（或代办频道的成员）可以查看代办。")
}

// MoveRequest moves a request for user acting in channel, against the
// version the user saw. text is the result or reason the move needs (see
// towndesk.Status.Needs), or an optional note. It returns EUNAUTHORIZED
// for a user who may not change requests (nothing changes), and
// Desk.Move's errors.
func (c *Chat) MoveRequest(ctx context.Context, req Message, id string, version int, to towndesk.Status, text string) (*Reply, error) {
	in := desk.RequestMoveInput{Ref: desk.Ref{ID: id, Version: version}, To: string(to)}
	switch to.Needs() {
	case "办理结果":
		in.Result = text
	case "理由":
		in.Reason = text
	default:
		in.Note = text
	}
	return c.change(req, &in.By, &in.Card, func() (*desk.RequestReply, error) { return c.Desk.desk.Move(ctx, in) })
}

// FollowUpRequest records the follow-up call of a done request; the same
// rules as MoveRequest.
func (c *Chat) FollowUpRequest(ctx context.Context, req Message, id string, version int, result, note string) (*Reply, error) {
	in := desk.RequestFollowUpInput{Ref: desk.Ref{ID: id, Version: version}, Result: result, Note: note}
	return c.change(req, &in.By, &in.Card, func() (*desk.RequestReply, error) { return c.Desk.desk.FollowUp(ctx, in) })
}

// NewRequest logs a request from the intake form for user acting in
// channel, once per in.Key (a repeat gets the first request back,
// RequestReply.Repeated). It returns EUNAUTHORIZED for a user who may
// not, and Desk.New's errors (nothing is stored then).
func (c *Chat) NewRequest(ctx context.Context, req Message, in desk.RequestNewInput) (*Reply, error) {
	return c.change(req, &in.By, &in.Card, func() (*desk.RequestReply, error) { return c.Desk.desk.New(ctx, in) })
}

// ShowRequest returns a request with its history, masked; with reveal,
// unmasked for a desk worker or the local console (and the viewing is
// recorded), EUNAUTHORIZED for anyone else.
func (c *Chat) ShowRequest(ctx context.Context, req Message, id string, reveal bool) (*Reply, error) {
	if reveal && !req.Local() && !c.Desk.CanReveal(req.User) {
		return nil, towndesk.Errorf(towndesk.EUNAUTHORIZED, "只有代办员可以查看完整号码。")
	}
	show, err := c.Desk.desk.Show(ctx, desk.RequestShowInput{ID: id, By: req.User, Reveal: reveal})
	if err != nil {
		return nil, err
	}
	return &Reply{Text: show.Text(), Private: reveal || req.Private, Desk: &DeskReply{Show: show}}, nil
}
