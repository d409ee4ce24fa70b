package chat

import (
	"context"
	"fmt"
	"strings"
	"sync"

	"github.com/towndesk/towndesk"
	"github.com/towndesk/towndesk/handlers/qa"
)

// Maintainers are the list maintainers: the people who may teach the bot
// in chat (see qa.Lists.Teach). They are configured by user ID, or by
// channel, whose members all count. The local console's user is the
// maintainer of the data directory and always counts.
type Maintainers struct {
	users, channels map[string]bool
}

// NewMaintainers returns the maintainers named by users and channels.
func NewMaintainers(users, channels []string) *Maintainers {
	m := &Maintainers{users: map[string]bool{}, channels: map[string]bool{}}
	for _, u := range users {
		m.users[u] = true
	}
	for _, ch := range channels {
		m.channels[ch] = true
	}
	return m
}

// Allowed reports whether the sender of req may teach.
func (m *Maintainers) Allowed(req Message) bool {
	return req.Local() || m != nil && (m.users[req.User] || m.channels[req.Channel])
}

// notMaintainer is the error a teaching attempt by anyone else gets.
func notMaintainer() error {
	return towndesk.Errorf(towndesk.EUNAUTHORIZED, "只有清单管理员可以纠正答案，本次操作未生效。")
}

// teachable reports whether a maintainer should be offered to teach the
// answer to a question: it was not found or not sure.
func teachable(status towndesk.AskStatus) bool {
	return status == towndesk.StatusNotFound || status == towndesk.StatusUncertain
}

// lastQuestions remembers the last question each console or chat
// conversation asked, for 纠正 and 清单没有, which are about it.
type lastQuestions struct {
	mu sync.Mutex
	m  map[string]int64
}

// maxConversations bounds the conversations remembered.
const maxConversations = 10000

func conversation(req Message) string { return req.Channel + "\x00" + req.Thread + "\x00" + req.User }

func (l *lastQuestions) set(req Message, id int64) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.m == nil || len(l.m) >= maxConversations {
		l.m = map[string]int64{}
	}
	l.m[conversation(req)] = id
}

func (l *lastQuestions) get(req Message) (int64, bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	id, ok := l.m[conversation(req)]
	return id, ok
}

func teachCommands() []Command {
	return []Command{
		{Name: "纠正", Aliases: []string{"teach"}, Usage: "<事项编码>",
			Help: "清单管理员用：把上一个问题的问法记为这个事项，以后同样的问法直接按它回答", Run: runTeach},
		{Name: "清单没有", Aliases: []string{"none"}, Usage: "<说明>",
			Help: "清单管理员用：记下上一个问题不在权力清单内，并说明归谁（例如：属公安派出所管辖）", Run: runTeachNone},
	}
}

func (c *Chat) lastQuestion(req Message) (int64, error) {
	id, ok := c.last.get(req)
	if !ok {
		return 0, towndesk.Errorf(towndesk.EINVALID, "请先提一个问题，再纠正它的答案。")
	}
	return id, nil
}

func runTeach(ctx context.Context, c *Chat, req Message, args []string) (*Reply, error) {
	if len(args) != 1 {
		return nil, towndesk.Errorf(towndesk.EINVALID, "用法：纠正 <事项编码>，例如：纠正 370481BHZCF03072")
	}
	id, err := c.lastQuestion(req)
	if err != nil {
		return nil, err
	}
	return c.Teach(ctx, req, id, args[0])
}

func runTeachNone(ctx context.Context, c *Chat, req Message, args []string) (*Reply, error) {
	note := strings.TrimSpace(strings.Join(args, " "))
	if note == "" {
		return nil, towndesk.Errorf(towndesk.EINVALID, "用法：清单没有 <说明>，例如：清单没有 属公安派出所管辖，不在乡镇权力清单内")
	}
	id, err := c.lastQuestion(req)
	if err != nil {
		return nil, err
	}
	return c.TeachNone(ctx, req, id, note)
}

// Teach links logged question questionID to the item with code, for the
// question's place (its town, else its county), as taught by the sender.
// It returns EUNAUTHORIZED for anyone but a maintainer, ENOTFOUND for an
// unknown question or a code the place's lists lack.
func (c *Chat) Teach(ctx context.Context, req Message, questionID int64, code string) (*Reply, error) {
	return c.teach(ctx, req, questionID, qa.TeachInput{Code: strings.TrimSpace(code)})
}

// TeachNone records that logged question questionID is about a matter no
// list has, with the sender's note. Errors are as for Teach.
func (c *Chat) TeachNone(ctx context.Context, req Message, questionID int64, note string) (*Reply, error) {
	return c.teach(ctx, req, questionID, qa.TeachInput{None: true, Note: note})
}

func (c *Chat) teach(ctx context.Context, req Message, questionID int64, in qa.TeachInput) (*Reply, error) {
	if !c.Maintainers.Allowed(req) {
		return nil, notMaintainer()
	}
	q, err := c.log.Question(ctx, questionID)
	if err != nil {
		return nil, err
	}
	if q.Place.CountyCode == "" {
		return nil, towndesk.Errorf(towndesk.EINVALID, "这个问题还没有确定地点，请先选定地点再纠正。")
	}
	in.Question, in.Town, in.County, in.By, in.QuestionID = q.Text, q.Place.Town, q.Place.County, req.User, q.ID
	rep, err := c.lists.Teach(ctx, in)
	if err != nil {
		return nil, err
	}
	return &Reply{Text: TaughtText(rep), Private: req.Private}, nil
}

// TaughtText says what was learned and for which place.
func TaughtText(rep *qa.TeachReply) string {
	l := rep.Link
	where := TaughtWhere(l)
	if l.None {
		return fmt.Sprintf("已记住（#%d）：在%s，“%s”这类问题不在权力清单内：%s。", l.ID, where, l.Question, l.Note)
	}
	return fmt.Sprintf("已记住（#%d）：在%s，“%s”这类问题按【%s】%s（%s，%s）回答。", l.ID, where, l.Question,
		rep.Item.Category, rep.Item.Name, ListShort(rep.List), towndesk.ItemCode(rep.Item.Code))
}

// TaughtWhere names the places a taught link answers for: its town, its
// county with every town in it, or every list.
func TaughtWhere(l towndesk.TaughtLink) string {
	switch l.Scope {
	case towndesk.ScopeTown:
		return l.Place.Short()
	case towndesk.ScopeCounty:
		return l.Place.County + "（含各乡镇）"
	}
	return "所有清单"
}

// ListShort names a list for a one-line reply.
func ListShort(l towndesk.List) string { return qa.ListName(l) }

// PickCandidate records that the sender picked the candidate with code
// among the candidates of an uncertain reply to logged question
// questionID, and returns that row as the answer. A maintainer's pick
// teaches the question directly. It returns ENOTFOUND for an unknown
// question and EINVALID for a code that was not a candidate.
func (c *Chat) PickCandidate(ctx context.Context, req Message, questionID int64, code string) (*Reply, error) {
	q, err := c.log.Question(ctx, questionID)
	if err != nil {
		return nil, err
	}
	found := false
	for _, cand := range q.Candidates {
		found = found || cand == code
	}
	if !found {
		return nil, towndesk.Errorf(towndesk.EINVALID, "%s 不是这个问题的候选事项", towndesk.ItemCode(code))
	}
	// The chosen row in full (the candidate line named only its body),
	// looked up before the pick is recorded: a row a re-import removed is
	// no pick.
	chosen, err := c.lists.Chosen(ctx, q.Place, code)
	if err != nil {
		return nil, err
	}
	if err := c.log.RecordPick(ctx, questionID, req.User, code); err != nil {
		return nil, err
	}
	if c.Maintainers.Allowed(req) {
		r, err := c.Teach(ctx, req, questionID, code)
		if err != nil {
			return nil, err
		}
		r.Text = chosen + "\n" + r.Text
		return r, nil
	}
	return &Reply{Text: chosen + "\n已记录你的选择，清单管理员会据此核对。", Private: true}, nil
}

// TeachOffer asks the front end to offer a maintainer to teach the answer
// to a question: 指定正确事项 (a form with the candidates and a search
// box) and 清单中没有 (a note).
type TeachOffer struct {
	QuestionID int64
	// Candidates are the rows shown for the question, if any.
	Candidates []ItemOption
}

// ItemOption is an item a maintainer may link a question to.
type ItemOption struct {
	Code, Name, Body, List string
}

// SearchItems returns up to ten items of the current lists of the place of
// logged question questionID that match text (words or a code), for the
// 指定正确事项 form's search box.
func (c *Chat) SearchItems(ctx context.Context, questionID int64, text string) ([]ItemOption, error) {
	q, err := c.log.Question(ctx, questionID)
	if err != nil {
		return nil, err
	}
	ms, err := c.lists.Search(ctx, qa.AskInput{Question: text, Town: q.Place.Town, County: q.Place.County})
	if err != nil {
		return nil, err
	}
	out := make([]ItemOption, 0, len(ms))
	for _, m := range ms {
		out = append(out, ItemOption{Code: m.Item.Code, Name: m.Item.Name, Body: m.Item.InNameOf(), List: qa.ListName(m.List)})
	}
	return out, nil
}

// TeachCandidates returns the rows shown for logged question questionID
// (its candidates, or the row it answered), for the 指定正确事项 form.
// Rows no longer in the current lists are left out.
func (c *Chat) TeachCandidates(ctx context.Context, questionID int64) ([]ItemOption, error) {
	q, err := c.log.Question(ctx, questionID)
	if err != nil {
		return nil, err
	}
	codes := q.Candidates
	if len(codes) == 0 && q.TopCode != "" {
		codes = []string{q.TopCode}
	}
	var out []ItemOption
	for _, code := range codes {
		found, err := c.SearchItems(ctx, questionID, code)
		if err != nil {
			return nil, err
		}
		for _, f := range found {
			if f.Code == code {
				out = append(out, f)
				break
			}
		}
	}
	return out, nil
}
