package chat

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/towndesk/towndesk"
	"github.com/towndesk/towndesk/gazetteer"
	"github.com/towndesk/towndesk/handlers/qa"
	"github.com/towndesk/towndesk/law"
	"github.com/towndesk/towndesk/storage"
)

// A conversation (a Slack thread, a DM, a console session) remembers its
// last question in the question log, so that a message answering the
// previous reply is taken as that, not as a new question:
//
//   - a number or a place after a list of places ("2", "宁津的") picks one;
//   - a number after the candidates of an uncertain reply picks one;
//   - a place alone ("下营镇") asks the last question again for that place:
//     the answer to "请问是哪个乡镇", or "and in that town?";
//   - 原文, 有用 and 没用 are about the last answer;
//   - 新问题 starts over, 换个镇 drops the conversation's place.
//
// Such replies are not logged as questions: a place given for a question
// that needed one completes that question's entry.

func conversationCommands() []Command {
	return []Command{
		{Name: "新问题", Aliases: []string{"重新开始", "new"}, Usage: "[问题]",
			Help: "重新开始：不再沿用这个对话之前的地点和问题；后面可以直接写新问题", Run: runStartOver},
		{Name: "换个镇", Aliases: []string{"换个地方", "换地方", "换镇"}, Usage: "[乡镇]",
			Help: "不再沿用这个对话的乡镇；写上新乡镇（或下一条只回复乡镇名），就按上一个问题重新回答", Run: runChangePlace},
		{Name: "原文", Aliases: []string{"依据", "basis"}, Usage: "[法律 条号]",
			Help: "显示上一个回答所依据的法律条文；也可直接写法律和条号，如：原文 城乡规划法 第六十五条", Run: runBasis},
		{Name: "有用", Aliases: []string{"useful"}, Help: "评价上一个回答：有用", Run: runFeedback(true)},
		{Name: "没用", Aliases: []string{"useless"}, Help: "评价上一个回答：没用（清单管理员会看到）", Run: runFeedback(false)},
	}
}

// lastAsked returns the conversation's last question, or an EINVALID
// error saying there is none yet.
func (c *Chat) lastAsked(ctx context.Context, req Message) (*storage.Question, error) {
	if req.Thread != "" {
		q, err := c.log.LastThreadQuestion(ctx, req.Channel, req.Thread)
		if err == nil || towndesk.ErrorCode(err) != towndesk.ENOTFOUND {
			return q, err
		}
	}
	return nil, towndesk.Errorf(towndesk.EINVALID, "这个对话里还没有提问。请先提一个问题，例如“滨湖镇有人乱搭乱建归谁管？”")
}

func runStartOver(ctx context.Context, c *Chat, req Message, args []string) (*Reply, error) {
	if req.Thread != "" {
		if err := c.log.ForgetThread(ctx, req.Channel, req.Thread); err != nil {
			return nil, err
		}
	}
	if len(args) > 0 {
		req.Text = strings.Join(args, " ")
		return c.Ask(ctx, req)
	}
	return &Reply{Text: "好的，重新开始：之前的地点和问题不再沿用。请提新问题，问题里写上乡镇（街道）。", Private: req.Private}, nil
}

func runChangePlace(ctx context.Context, c *Chat, req Message, args []string) (*Reply, error) {
	if req.Thread == "" {
		return nil, towndesk.Errorf(towndesk.EINVALID, "“换个镇”用于对话中：请直接提问，问题里写上乡镇（街道）。")
	}
	last, err := c.log.LastThreadQuestion(ctx, req.Channel, req.Thread)
	switch {
	case towndesk.ErrorCode(err) == towndesk.ENOTFOUND:
		last = nil
	case err != nil:
		return nil, err
	}
	if err := c.log.DropThreadPlace(ctx, req.Channel, req.Thread); err != nil {
		return nil, err
	}
	if len(args) > 0 {
		text := strings.Join(args, " ")
		places, err := c.lists.PlaceReply(ctx, text)
		if err != nil {
			return nil, err
		}
		if len(places) == 0 {
			return nil, towndesk.Errorf(towndesk.EINVALID, "没有认出“%s”是哪个乡镇（街道）。请只写乡镇名，如：换个镇 下营镇", text)
		}
		if last == nil { // nothing to answer again: the town is the thread's place
			return c.placeOnly(ctx, req, places)
		}
		return c.askAgain(ctx, req, last, text, places)
	}
	if last == nil {
		return &Reply{Text: "好的，不再沿用之前的乡镇。请提问，问题里写上乡镇（街道）。", Private: req.Private}, nil
	}
	was := ""
	if last.Place.County != "" {
		was = "，不再按" + last.Place.Short() + "回答"
	}
	return &Reply{Text: fmt.Sprintf("好的%s。请回复要问的乡镇（街道），我按上一个问题“%s”重新回答；也可以直接提新问题。",
		was, towndesk.MaskText(last.Text)), Private: req.Private}, nil
}

func runBasis(ctx context.Context, c *Chat, req Message, args []string) (*Reply, error) {
	if len(args) == 2 {
		a, err := c.lists.Law(args[0], args[1])
		if err != nil {
			return nil, err
		}
		return &Reply{Text: articlesText([]law.Article{a}), Private: req.Private}, nil
	}
	if len(args) != 0 {
		return nil, towndesk.Errorf(towndesk.EINVALID, "用法：原文（上一个回答的依据），或 原文 法律 条号，如：原文 城乡规划法 第六十五条")
	}
	last, err := c.lastAsked(ctx, req)
	if err != nil {
		return nil, err
	}
	if last.Status != towndesk.StatusAnswered || last.TopCode == "" || last.Place.County == "" {
		return nil, towndesk.Errorf(towndesk.EINVALID, "上一个问题“%s”没有确定的答案，没有可以查看的依据。", towndesk.MaskText(last.Text))
	}
	it, _, err := c.lists.Item(ctx, last.Place, last.TopCode)
	if err != nil {
		return nil, err
	}
	if it.Basis == "" {
		return &Reply{Text: fmt.Sprintf("事项【%s】（%s）的清单没有写实施依据。", it.Name, towndesk.ItemCode(it.Code)), Private: req.Private}, nil
	}
	arts := c.lists.BasisArticles(it.Basis)
	if len(arts) == 0 {
		return &Reply{Text: fmt.Sprintf("事项【%s】的依据是：%s。\ntowndesk 没有收录这部法律法规的原文（收录了清单常引用的 38 部法律法规），请查阅国家法律法规数据库。",
			it.Name, it.Basis), Private: req.Private}, nil
	}
	return &Reply{Text: articlesText(arts), Private: req.Private}, nil
}

func runFeedback(useful bool) func(ctx context.Context, c *Chat, req Message, args []string) (*Reply, error) {
	return func(ctx context.Context, c *Chat, req Message, args []string) (*Reply, error) {
		last, err := c.lastAsked(ctx, req)
		if err != nil {
			return nil, err
		}
		if last.Status != towndesk.StatusAnswered && last.Status != towndesk.StatusUncertain && last.Status != towndesk.StatusNotFound {
			return nil, towndesk.Errorf(towndesk.EINVALID, "上一个问题“%s”还没有回答，先选定地点再评价。", towndesk.MaskText(last.Text))
		}
		return c.Feedback(ctx, req, last.ID, useful)
	}
}

// followUp answers a message that replies to the conversation's previous
// reply (see above); ok is false when the message is not such a reply.
func (c *Chat) followUp(ctx context.Context, req Message) (reply *Reply, ok bool, err error) {
	if req.Thread == "" {
		return nil, false, nil
	}
	text := strings.TrimSpace(req.Text)
	last, err := c.log.LastThreadQuestion(ctx, req.Channel, req.Thread)
	switch {
	case towndesk.ErrorCode(err) == towndesk.ENOTFOUND:
		last = nil
	case err != nil:
		return nil, false, err
	}
	if last != nil && last.Status == towndesk.StatusUncertain {
		if n := choiceNumber(text, len(last.Candidates)); n > 0 {
			r, err := c.PickCandidate(ctx, req, last.ID, last.Candidates[n-1])
			return r, true, err
		}
	}
	offered := c.placesOf(last)
	if last != nil && last.Status == towndesk.StatusAmbiguousPlace {
		if n := choiceNumber(text, len(offered)); n > 0 {
			r, err := c.pick(ctx, req, last, offered[n-1])
			return r, true, err
		}
	}
	places, err := c.lists.PlaceReply(ctx, text)
	if err != nil || len(places) == 0 {
		return nil, false, err
	}
	if p, ok := chosen(places, offered); ok {
		r, err := c.pick(ctx, req, last, p)
		return r, true, err
	}
	if last == nil {
		r, err := c.placeOnly(ctx, req, places)
		return r, true, err
	}
	r, err := c.askAgain(ctx, req, last, text, places)
	return r, true, err
}

// placesOf returns the places offered with question q's reply, in order.
func (c *Chat) placesOf(q *storage.Question) []towndesk.Place {
	if q == nil {
		return nil
	}
	var out []towndesk.Place
	for _, code := range q.Places {
		if p, ok := c.lists.PlaceByCode(code); ok {
			out = append(out, p)
		}
	}
	return out
}

// pick answers question q again for place p, which the asker chose among
// the places its reply offered.
func (c *Chat) pick(ctx context.Context, req Message, q *storage.Question, p towndesk.Place) (*Reply, error) {
	return c.PickPlace(ctx, req, q.ID, p.County, p.Town)
}

// chosen returns the one offered place that the places a message named
// point to: a town by its code, or a county all of whose offered towns
// are one ("宁津的").
func chosen(named, offered []towndesk.Place) (towndesk.Place, bool) {
	var hit []towndesk.Place
	for _, o := range offered {
		for _, n := range named {
			if n.IsTown() && n.TownCode == o.TownCode || !n.IsTown() && n.CountyCode == o.CountyCode {
				hit = append(hit, o)
				break
			}
		}
	}
	if len(hit) != 1 {
		return towndesk.Place{}, false
	}
	return hit[0], true
}

// choiceNumber reads a choice from a numbered list: "2", "２", "第2个",
// "第二个", "选2", "2号". It returns 0 unless the number is 1 to n.
func choiceNumber(s string, n int) int {
	s = strings.Join(strings.Fields(s), "")
	s = strings.TrimPrefix(s, "选")
	s = strings.TrimPrefix(s, "第")
	for _, suffix := range []string{"个", "项", "号", "条", "。", "."} {
		s = strings.TrimSuffix(s, suffix)
	}
	s = strings.Map(func(r rune) rune {
		if r >= '０' && r <= '９' {
			return r - '０' + '0'
		}
		return r
	}, s)
	k, err := strconv.Atoi(s)
	if err != nil {
		k = 0
		for i, numeral := range []string{"一", "二", "三", "四", "五", "六", "七", "八", "九", "十"} {
			if s == numeral {
				k = i + 1
			}
		}
	}
	if k < 1 || k > n {
		return 0
	}
	return k
}

// placeOnly takes a place given before any question: the conversation is
// about it from now on.
func (c *Chat) placeOnly(ctx context.Context, req Message, places []towndesk.Place) (*Reply, error) {
	if len(places) > 1 {
		return &Reply{Text: fmt.Sprintf("有 %d 个地方叫这个名字：%s。请连同县名写，如“%s”。", len(places), placeNames(places),
			places[0].Short()), Private: req.Private}, nil
	}
	if err := c.log.SetThreadPlace(ctx, req.Channel, req.Thread, places[0]); err != nil {
		return nil, err
	}
	return &Reply{Text: fmt.Sprintf("好的，这个对话之后的问题按%s回答。请问什么事？", places[0].Short()), Private: req.Private}, nil
}

func placeNames(ps []towndesk.Place) string {
	names := make([]string, len(ps))
	for i, p := range ps {
		names[i] = p.String()
	}
	return strings.Join(names, "、")
}

// askAgain asks question q again for the place text names (places, as
// read from it). A question that needed a place (or was ambiguous about
// it) gets the outcome in its own entry; one that had a place is asked
// anew, as a new question for the other place.
func (c *Chat) askAgain(ctx context.Context, req Message, q *storage.Question, text string, places []towndesk.Place) (*Reply, error) {
	question, log := q.Text, c.log.LogQuestion
	hadPlace := q.Status != towndesk.StatusNeedPlace && q.Status != towndesk.StatusAmbiguousPlace
	if hadPlace {
		question = withoutPlace(question, []towndesk.Place{q.Place})
	} else if q.Status == towndesk.StatusAmbiguousPlace {
		question = withoutPlace(question, c.placesOf(q))
	}
	in, from, err := c.askInput(ctx, req, text+" "+question)
	if err != nil {
		return nil, err
	}
	reply, err := c.lists.Ask(ctx, in)
	if err != nil {
		return nil, err
	}
	entry := q
	if hadPlace {
		entry = &storage.Question{Source: req.Source, User: req.User, Channel: req.Channel, Thread: req.Thread,
			Text: strings.TrimSpace(text + " " + question)}
	} else {
		log = c.log.UpdateQuestionOutcome
	}
	return c.record(ctx, req, entry, reply, log, from)
}

// withoutPlace returns question with the names of places taken out, the
// longest forms first: what is left asks about the matter only.
func withoutPlace(question string, places []towndesk.Place) string {
	var forms []string
	for _, p := range places {
		cs, ts := gazetteer.ShortName(p.County), gazetteer.ShortName(p.Town)
		forms = append(forms, p.County+p.Town, cs+p.Town, p.County+ts, cs+ts, p.Town, ts, p.County, cs)
	}
	// Longest first, so that a county and town is removed whole.
	slices.SortStableFunc(forms, func(a, b string) int { return len(b) - len(a) })
	for _, f := range forms {
		if utf8.RuneCountInString(f) >= 2 {
			question = strings.ReplaceAll(question, f, "")
		}
	}
	return strings.TrimSpace(question)
}

// placeNote says which of several same-named places the conversation's
// default place chose, and how to ask about another: the asker must never
// be answered for a place silently picked among namesakes.
func placeNote(res *towndesk.AskResult, from string) string {
	if len(res.Alternatives) == 0 || res.Place == nil || from == "" {
		return ""
	}
	others := make([]string, len(res.Alternatives))
	for i, p := range res.Alternatives {
		others[i] = p.Short()
	}
	return fmt.Sprintf("“%s”不止一处：按%s取了%s；另有%s，要问那里请回复“%s的”。", res.Place.Town, from, res.Place.Short(),
		strings.Join(others, "、"), res.Alternatives[0].County)
}

// askInput is the question text with the conversation's default place:
// the thread's place, else the channel's; from says which, for placeNote.
func (c *Chat) askInput(ctx context.Context, req Message, question string) (qa.AskInput, string, error) {
	in := qa.AskInput{Question: question, Town: req.Town, County: req.County}
	from := "本频道的地点"
	if req.Local() {
		from = "默认地点"
	}
	if req.Thread != "" {
		p, ok, err := c.log.ThreadPlace(ctx, req.Channel, req.Thread)
		if err != nil {
			return in, "", err
		}
		if ok {
			in.Town, in.County, from = p.Town, p.County, "本话题的地点"
		}
	}
	return in, from, nil
}
