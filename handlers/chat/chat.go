// Package chat runs towndesk's chat commands for every chat front end
// (Slack and the local console): one declarative command table, from which
// help is generated, and the use cases that combine the questions (qa)
// and the desk (desk) — the question log and a thread's place, answer
// rows, feedback, and who may read and change requests. A Message comes
// in, a Reply goes out; the front ends only parse and render.
package chat

import (
	"context"
	"fmt"
	"strings"

	"github.com/towndesk/towndesk"
	"github.com/towndesk/towndesk/handlers/qa"
	"github.com/towndesk/towndesk/law"
	"github.com/towndesk/towndesk/storage"
)

// SourceConsole is the Source of the local console's messages. The
// console is run by someone with the data directory at hand, who may do
// everything (Message.Local).
const SourceConsole = "console"

// Message is one message to towndesk from a chat front end (Slack over
// HTTP or Socket Mode, or the console), free of any platform's types.
type Message struct {
	// Source names the front end: "slack", SourceConsole.
	Source string
	User   string
	// Channel and Thread say where the message was written. Thread is the
	// conversation it belongs to (for Slack, the thread's root ts); empty
	// for a slash command.
	Channel, Thread string
	Text            string
	// Town and County are the channel's configured default place.
	Town, County string
	// Private is true when the reply should be seen by the asker only
	// (a slash command).
	Private bool
	// Cards is set by a front end that keeps a card message per request
	// (Slack): the changes a message makes then store, with themselves,
	// the card's update and a timeline line in the outbox.
	Cards bool
}

// Reply is towndesk's answer to a Message. Text is the whole reply
// as plain text (the console prints it; Slack uses it as the notification
// fallback); the other fields are the same reply in parts, which the Slack
// front end renders as Block Kit.
type Reply struct {
	Text string
	// Private: show to the asker only (ephemeral).
	Private bool
	// Answer is set for a question.
	Answer *Answer
	// Help is set for the help command.
	Help []Command
	// Desk is set for the proxy-service desk commands.
	Desk *DeskReply
	// Teach is set when a list maintainer may teach the answer to a
	// question (not found, uncertain, or marked 没用).
	Teach *TeachOffer
}

// Answer is a question's reply in parts.
type Answer struct {
	// QuestionID is the question's entry in the question log (for the
	// feedback and place buttons).
	QuestionID int64
	Question   string
	Status     towndesk.AskStatus
	// Place is the place answered for; nil if none.
	Place *towndesk.Place
	// Notice is a sentence to show before the rows: the town lacks the
	// power, or what was searched when nothing was found, or what to ask.
	Notice string
	// Rows are the answer's power-list rows, best first (answered only).
	Rows []AnswerRow
	// Places are the candidates to choose from (ambiguous_place only).
	Places []towndesk.Place
	// LLM is true when a language model phrased the text.
	LLM bool
}

// AnswerRow is one power-list row of an answer, ready to show.
type AnswerRow struct {
	Role     towndesk.Role
	Category string
	Name     string // with the sub-item, if any
	Who      string // who acts and in whose name (qa.WhoActs)
	Mode     towndesk.Mode
	Body     string
	Office   string
	Basis    string
	List     string // list and edition (qa.ListName)
	Code     string
	// HasArticles is true when towndesk has the text of an article the
	// basis cites (the 依据原文 button).
	HasArticles bool
	// Taught says who confirmed the row for this wording and when
	// (qa.TaughtBy); "" for a row the matcher found.
	Taught string
}

// Command is one chat command. The console, Slack messages and the slash
// command all dispatch through the same table, and help is generated from it.
type Command struct {
	// Name is the command as written first in Chinese; a multi-word name
	// ("代办 列表") is a sub-command.
	Name    string
	Aliases []string
	Usage   string // arguments after the name
	Help    string
	Run     func(ctx context.Context, c *Chat, req Message, args []string) (*Reply, error)
}

// questionLog is what Chat needs from storage.
type questionLog interface {
	LogQuestion(ctx context.Context, q *storage.Question) error
	UpdateQuestionOutcome(ctx context.Context, q *storage.Question) error
	Question(ctx context.Context, id int64) (*storage.Question, error)
	SetFeedback(ctx context.Context, id int64, user string, useful bool) error
	RecordPick(ctx context.Context, id int64, user, code string) error
	ThreadPlace(ctx context.Context, channel, thread string) (towndesk.Place, bool, error)
	SetThreadPlace(ctx context.Context, channel, thread string, p towndesk.Place) error
	LastThreadQuestion(ctx context.Context, channel, thread string) (*storage.Question, error)
	ForgetThread(ctx context.Context, channel, thread string) error
	DropThreadPlace(ctx context.Context, channel, thread string) error
}

// Chat runs chat commands: questions, help and the proxy-service desk.
type Chat struct {
	lists *qa.Lists
	log   questionLog
	// Desk runs the desk commands; nil leaves them out of the table.
	Desk *Desk
	// Command is the slash command's name, for help texts ("/towndesk").
	Command string
	// Maintainers may teach the bot; nil: only the local console.
	Maintainers *Maintainers

	last lastQuestions // each conversation's last question
}

// New returns the chat commands answering from lists and logging
// questions in log.
func New(lists *qa.Lists, log questionLog) *Chat {
	return &Chat{lists: lists, log: log, Command: "/towndesk"}
}

// Commands returns the command table.
func (c *Chat) Commands() []Command {
	cmds := []Command{
		{Name: "问", Aliases: []string{"ask"}, Usage: "<问题>", Help: "问“某镇某事归谁管”，例如：问 邦均镇有人烧秸秆归谁管（不写命令，直接提问也可以）", Run: runAsk},
		{Name: "帮助", Aliases: []string{"help", "?", "？"}, Help: "显示这份说明", Run: runHelp},
	}
	cmds = append(cmds, conversationCommands()...)
	cmds = append(cmds, teachCommands()...)
	if c.Desk != nil {
		cmds = append(cmds, deskCommands()...)
	}
	return cmds
}

// Handle runs the command a message names, or takes it as the reply to
// the conversation's previous message (a place, a choice; see followUp),
// or else answers it as a question. It returns an error for a failure the
// asker should hear about (a user's mistake carries its Chinese message;
// anything else is internal).
func (c *Chat) Handle(ctx context.Context, req Message) (*Reply, error) {
	words := strings.Fields(req.Text)
	var best *Command
	bestLen := 0
	cmds := c.Commands()
	for i := range cmds {
		for _, name := range append([]string{cmds[i].Name}, cmds[i].Aliases...) {
			nw := strings.Fields(name)
			if len(nw) > bestLen && hasPrefixWords(words, nw) {
				best, bestLen = &cmds[i], len(nw)
			}
		}
	}
	if best != nil {
		return best.Run(ctx, c, req, words[bestLen:])
	}
	// Everything else is a question or a reply to one: refused before
	// anything reads it when it is too long or has control characters.
	if text := strings.TrimSpace(req.Text); text != "" {
		if err := towndesk.CheckQuestion(text); err != nil {
			return nil, err
		}
	}
	if r, ok, err := c.followUp(ctx, req); ok || err != nil {
		return r, err
	}
	return c.Ask(ctx, req)
}

// Local reports whether m comes from the local console, whose user may
// change, reveal and teach without being named in the configuration.
func (m Message) Local() bool { return m.Source == SourceConsole }

func hasPrefixWords(words, prefix []string) bool {
	if len(words) < len(prefix) {
		return false
	}
	for i, p := range prefix {
		if !strings.EqualFold(words[i], p) {
			return false
		}
	}
	return true
}

func runAsk(ctx context.Context, c *Chat, req Message, args []string) (*Reply, error) {
	req.Text = strings.Join(args, " ")
	return c.Ask(ctx, req)
}

func runHelp(ctx context.Context, c *Chat, req Message, args []string) (*Reply, error) {
	cmds := c.Commands()
	return &Reply{Text: c.HelpText(), Help: cmds, Private: req.Private}, nil
}

// HelpText renders the command table for people.
func (c *Chat) HelpText() string {
	var b strings.Builder
	fmt.Fprintf(&b, "towndesk 可以回答“某镇某事归谁管”，也可以登记和办理代办事项。\n在频道里 @我 提问、私信我，或用 %s 命令：\n", c.Command)
	for _, cmd := range c.Commands() {
		line := cmd.Name
		if cmd.Usage != "" {
			line += " " + cmd.Usage
		}
		fmt.Fprintf(&b, "• %s — %s", line, cmd.Help)
		if len(cmd.Aliases) > 0 {
			fmt.Fprintf(&b, "（也可写 %s）", strings.Join(cmd.Aliases, "、"))
		}
		b.WriteString("\n")
	}
	b.WriteString("在同一个话题里追问时，会沿用上一个问题的地点。")
	return b.String()
}

// Ask answers a question and logs it. The default place is the thread's
// place (a follow-up keeps it), else the channel's; the place answered for
// becomes the thread's place. A question over towndesk.MaxQuestion
// characters, or with control characters, is refused before anything
// reads or logs it (EINVALID, saying the limit and how to shorten).
func (c *Chat) Ask(ctx context.Context, req Message) (*Reply, error) {
	question := strings.TrimSpace(req.Text)
	if question == "" {
		return nil, towndesk.Errorf(towndesk.EINVALID, "请在命令后写上问题，例如：%s 邦均镇有人烧秸秆归谁管", c.Command)
	}
	if err := towndesk.CheckQuestion(question); err != nil {
		return nil, err
	}
	in, from, err := c.askInput(ctx, req, question)
	if err != nil {
		return nil, err
	}
	reply, err := c.lists.Ask(ctx, in)
	q := &storage.Question{Source: req.Source, User: req.User, Channel: req.Channel, Thread: req.Thread, Text: question}
	if err != nil {
		q.Status = storage.StatusFailed
		if lerr := c.log.LogQuestion(ctx, q); lerr != nil {
			return nil, fmt.Errorf("%w (and logging the question failed: %v)", err, lerr)
		}
		return nil, err
	}
	return c.record(ctx, req, q, reply, c.log.LogQuestion, from)
}

// record stores the outcome of question q with save (logging it, or
// updating its entry), makes the place answered for the thread's place and
// returns the reply. from names the default place the question was asked
// with, for the note on a town chosen among namesakes (placeNote); "" for
// a place the asker chose, which needs no note.
func (c *Chat) record(ctx context.Context, req Message, q *storage.Question, reply *qa.AskReply, save func(context.Context, *storage.Question) error, from string) (*Reply, error) {
	fillQuestion(q, reply.Result)
	if err := save(ctx, q); err != nil {
		return nil, err
	}
	if req.Thread != "" && reply.Result.Place != nil {
		if err := c.log.SetThreadPlace(ctx, req.Channel, req.Thread, *reply.Result.Place); err != nil {
			return nil, err
		}
	}
	c.last.set(req, q.ID)
	r := c.answerReply(q.ID, reply, req.Private)
	if note := placeNote(reply.Result, from); note != "" {
		r.Text = note + "\n" + r.Text
		r.Answer.Notice = strings.TrimSpace(note + " " + r.Answer.Notice)
	}
	if teachable(reply.Result.Status) && reply.Result.Place != nil && c.Maintainers.Allowed(req) {
		r.Teach = teachOffer(q.ID, reply.Result)
	}
	return r, nil
}

// teachOffer offers to teach the answer to question id, with its rows as
// candidates.
func teachOffer(id int64, res *towndesk.AskResult) *TeachOffer {
	o := &TeachOffer{QuestionID: id}
	for _, m := range res.Matches {
		o.Candidates = append(o.Candidates, ItemOption{Code: m.Item.Code, Name: m.Item.Name, Body: m.Item.InNameOf(), List: qa.ListName(m.List)})
	}
	return o
}

func fillQuestion(q *storage.Question, res *towndesk.AskResult) {
	q.Status = res.Status
	q.Place = towndesk.Place{}
	if res.Place != nil {
		q.Place = *res.Place
	}
	q.TopCode = ""
	if len(res.Matches) > 0 {
		q.TopCode = res.Matches[0].Item.Code
	}
	q.Terms = res.Terms
	q.Matter = res.Matter
	q.Candidates = nil
	if res.Status == towndesk.StatusUncertain {
		for _, m := range res.Matches {
			q.Candidates = append(q.Candidates, m.Item.Code)
		}
	}
	q.Places = nil
	offered := res.Places
	if len(res.Alternatives) > 0 && res.Place != nil {
		offered = append([]towndesk.Place{*res.Place}, res.Alternatives...)
	}
	for _, p := range offered {
		q.Places = append(q.Places, p.Code())
	}
}

func (c *Chat) answerReply(id int64, r *qa.AskReply, private bool) *Reply {
	res := r.Result
	a := &Answer{QuestionID: id, Question: res.Question, Status: res.Status, Place: res.Place, Places: res.Places, LLM: r.LLM}
	switch res.Status {
	case towndesk.StatusAnswered:
		if res.TownLacksPower {
			a.Notice = fmt.Sprintf("%s不是该事项的执法主体，%s的清单没有这项权力；由县级部门负责。", res.Place.Town, res.Place.Town)
		}
		if may, ok := qa.TownMay(res); ok && res.Intent == towndesk.IntentCan {
			a.Notice = "不能。" + a.Notice
			if may {
				a.Notice = fmt.Sprintf("能。%s可以实施该事项。", res.Place.Town)
			}
		}
		for _, m := range res.Matches {
			a.Rows = append(a.Rows, c.row(m, *res.Place))
		}
	case towndesk.StatusUncertain:
		// Candidates, never phrased as the answer: the asker picks one.
		a.Notice = "不确定，可能是以下事项之一："
		for _, m := range res.Matches {
			a.Rows = append(a.Rows, c.row(m, *res.Place))
		}
	default:
		a.Notice = r.Text
	}
	return &Reply{Text: r.Text, Answer: a, Private: private}
}

func (c *Chat) row(m towndesk.Match, place towndesk.Place) AnswerRow {
	it := m.Item
	name := it.Name
	if it.SubItem != "" {
		name += "（" + it.SubItem + "）"
	}
	row := AnswerRow{Role: m.Role, Category: it.Category, Name: name, Who: qa.WhoActs(m, place), Mode: it.Mode,
		Body: it.Body, Office: it.Office, Basis: it.Basis, List: qa.ListName(m.List), Code: it.Code,
		HasArticles: it.Basis != "" && len(c.lists.BasisArticles(it.Basis)) > 0}
	if m.Taught != nil {
		row.Taught = qa.TaughtBy(m.Taught)
	}
	return row
}

// PickPlace answers a logged question again for the place the asker chose
// among the candidates (county and town names as offered in Answer.Places)
// and records the new outcome. The thread keeps the chosen place. It
// returns ENOTFOUND for an unknown question.
func (c *Chat) PickPlace(ctx context.Context, req Message, questionID int64, county, town string) (*Reply, error) {
	q, err := c.log.Question(ctx, questionID)
	if err != nil {
		return nil, err
	}
	reply, err := c.lists.Ask(ctx, qa.AskInput{Question: q.Text, Town: town, County: county})
	if err != nil {
		return nil, err
	}
	return c.record(ctx, req, q, reply, c.log.UpdateQuestionOutcome, "")
}

// Reanswer renders a logged question's answer again, for its logged
// place, without logging it anew (the 发到频道 button of a private answer).
// It returns ENOTFOUND for an unknown question.
func (c *Chat) Reanswer(ctx context.Context, questionID int64) (*Reply, error) {
	q, err := c.log.Question(ctx, questionID)
	if err != nil {
		return nil, err
	}
	reply, err := c.lists.Ask(ctx, qa.AskInput{Question: q.Text, Town: q.Place.Town, County: q.Place.County})
	if err != nil {
		return nil, err
	}
	return c.answerReply(q.ID, reply, false), nil
}

// Feedback records whether the sender found the answer to a question
// useful. A 没用 from a list maintainer comes with the offer to teach the
// right answer. It returns ENOTFOUND for an unknown question.
func (c *Chat) Feedback(ctx context.Context, req Message, questionID int64, useful bool) (*Reply, error) {
	if err := c.log.SetFeedback(ctx, questionID, req.User, useful); err != nil {
		return nil, err
	}
	if useful {
		return &Reply{Text: "已记录：这个回答有用。谢谢反馈！", Private: true}, nil
	}
	r := &Reply{Text: "已记录：这个回答没有用。清单管理员会在待纠正队列和每周汇总中看到这个问题。", Private: true}
	if c.Maintainers.Allowed(req) {
		q, err := c.log.Question(ctx, questionID)
		if err != nil {
			return nil, err
		}
		if q.Place.CountyCode != "" {
			r.Teach = &TeachOffer{QuestionID: questionID}
			r.Text = "已记录：这个回答没有用。你是清单管理员，可以指定正确事项，或说明清单中没有。"
		}
	}
	return r, nil
}

// Basis returns the text of the articles a legal basis cites, or an
// ENOTFOUND error when towndesk has none of them.
func (c *Chat) Basis(basis string) (*Reply, error) {
	arts := c.lists.BasisArticles(basis)
	if len(arts) == 0 {
		return nil, towndesk.Errorf(towndesk.ENOTFOUND, "没有找到“%s”引用的条文原文", basis)
	}
	return &Reply{Text: articlesText(arts)}, nil
}

func articlesText(arts []law.Article) string {
	var b strings.Builder
	for i, a := range arts {
		if i > 0 {
			b.WriteString("\n\n")
		}
		fmt.Fprintf(&b, "《%s》%s\n%s", a.Law, a.Label, a.Text)
	}
	return b.String()
}
