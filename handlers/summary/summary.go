// Package summary builds a channel's weekly summary: the week's requests,
// overdue ones, handling times, follow-ups, money, villages and the
// questions the bot could not answer, as figures and as text. It holds no
// phone or ID numbers.
package summary

import (
	"context"
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/towndesk/towndesk"
	"github.com/towndesk/towndesk/storage"
)

// Week is an ISO week (Monday to Sunday) in a time zone.
type Week struct {
	Year, Num int
	Loc       *time.Location
}

var weekRe = regexp.MustCompile(`^(\d{4})-?[Ww](\d{1,2})$`)

// ParseWeek parses an ISO week written 2026-W48 (also 2026W48, 2026-w48)
// in time zone loc. It returns an EINVALID error for anything else or a
// week the year does not have.
func ParseWeek(s string, loc *time.Location) (Week, error) {
	m := weekRe.FindStringSubmatch(strings.TrimSpace(s))
	if m == nil {
		return Week{}, towndesk.Errorf(towndesk.EINVALID, "周次「%s」格式不对，应写作 2026-W48", s)
	}
	y, _ := strconv.Atoi(m[1])
	n, _ := strconv.Atoi(m[2])
	if _, last := time.Date(y, 12, 28, 12, 0, 0, 0, loc).ISOWeek(); n < 1 || n > last {
		return Week{}, towndesk.Errorf(towndesk.EINVALID, "%d 年只有第 1 到第 %d 周，没有「%s」", y, last, s)
	}
	return Week{Year: y, Num: n, Loc: loc}, nil
}

// WeekOf returns the ISO week t falls in, in time zone loc.
func WeekOf(t time.Time, loc *time.Location) Week {
	y, n := t.In(loc).ISOWeek()
	return Week{Year: y, Num: n, Loc: loc}
}

// Start returns Monday 00:00 of the week in its zone.
func (w Week) Start() time.Time {
	jan4 := time.Date(w.Year, 1, 4, 0, 0, 0, 0, w.Loc)
	back := (int(jan4.Weekday()) + 6) % 7 // days since Monday
	return time.Date(w.Year, 1, 4-back+(w.Num-1)*7, 0, 0, 0, 0, w.Loc)
}

// End returns the start of the next week (the week is [Start, End)).
func (w Week) End() time.Time {
	s := w.Start()
	return time.Date(s.Year(), s.Month(), s.Day()+7, 0, 0, 0, 0, w.Loc)
}

// Prev returns the week before w.
func (w Week) Prev() Week {
	s := w.Start()
	return WeekOf(time.Date(s.Year(), s.Month(), s.Day()-3, 12, 0, 0, 0, w.Loc), w.Loc)
}

// String returns the week as 2026-W48.
func (w Week) String() string { return fmt.Sprintf("%d-W%02d", w.Year, w.Num) }

// Days returns the week's first and last day as people write them:
// 3月2日—3月8日.
func (w Week) Days() string {
	from, to := w.Start(), w.End().AddDate(0, 0, -1)
	return fmt.Sprintf("%d月%d日—%d月%d日", from.Month(), from.Day(), to.Month(), to.Day())
}

// Scope is what a summary covers.
type Scope struct {
	// Name is the scope for people: 滕州市滨湖镇, 滕州市, 全部.
	Name string
	// Place is a town, or a county (empty Town), or zero for everything.
	Place towndesk.Place
	// Channel, if set, also counts the questions asked in it.
	Channel string
}

// IsTown reports whether the scope is one town.
func (s Scope) IsTown() bool { return s.Place.TownCode != "" }

// opener writes the optional opening of a summary from its figures;
// *llm.Client is one.
type opener interface {
	SummaryOpening(ctx context.Context, figures string) (string, error)
}

// Config configures a Builder.
type Config struct {
	// Calendar tells working days; nil means weekends only.
	Calendar *towndesk.Calendar
	// Now returns the current time (for "overdue now"); nil means time.Now.
	Now func() time.Time
	// Opening, if set, writes a two-sentence opening from the figures; a
	// failing one leaves the summary without an opening.
	Opening opener
	// Teaching, if set, gives the list maintainers' figures (queue,
	// taught, stale) for the knowledge section; *qa.Lists is one.
	Teaching teaching
}

// teaching gives the figures of teaching the bot.
type teaching interface {
	TeachingFigures(ctx context.Context, scope towndesk.Place, since, until time.Time) (towndesk.TeachingFigures, error)
}

// Builder builds weekly summaries.
type Builder struct {
	db      *storage.DB
	cal     *towndesk.Calendar
	now     func() time.Time
	opening opener
	teach   teaching
}

// New returns a summary builder over db.
func New(db *storage.DB, cfg Config) *Builder {
	s := &Builder{db: db, cal: cfg.Calendar, now: cfg.Now, opening: cfg.Opening, teach: cfg.Teaching}
	if s.now == nil {
		s.now = time.Now
	}
	return s
}

// LastWeek returns the ISO week before the current one in loc: the week a
// summary built now is about.
func (s *Builder) LastWeek(loc *time.Location) Week { return WeekOf(s.now(), loc).Prev() }

// Summary is a weekly summary's content: figures, not text. Text renders
// it for a terminal and the Slack fallback; bot renders the same sections
// as Block Kit. It holds no phone or ID numbers.
type Summary struct {
	Scope Scope
	Week  Week
	// Today is the day "overdue now" was counted on.
	Today towndesk.Date
	// Opening is the optional opening written by the language model.
	Opening string

	// Requests compares the week with the week before.
	New, Accepted, Finished, OnTime, Rejected, Cancelled WeekChange
	// Overdue lists the overdue requests, most late first.
	Overdue []OverdueLine
	// Handling is the median working days from acceptance to finish of the
	// requests finished in the week, by kind.
	Handling []KindMedian
	// FollowUps counts the week's follow-up results; Reopened lists the
	// requests sent back after 不满意.
	Satisfied, MostlySatisfied, Dissatisfied int
	Reopened                                 []string
	// Money sums the week's ledger entries by type (a reversal takes away
	// what it cancels); Reversals are the week's reversing entries (冲正);
	// Unbalanced lists every request whose ledger does not balance.
	Money      towndesk.Balance
	Reversals  []towndesk.LedgerEntry
	Unbalanced []towndesk.UnbalancedRequest
	// Villages are the villages with most new requests.
	Villages []towndesk.VillageCount
	// Asked and Answered count the week's questions; an answer someone
	// marked 没用 is not counted as answered but in AnsweredNotUseful.
	Asked, Answered, AnsweredNotUseful int
	// Unanswered are the questions the bot found nothing for, and NotUseful
	// those someone marked 没用, grouped by normalized text, most asked first.
	Unanswered, NotUseful []AskedQuestion
	// Matters are the power-list items most often given as the answer.
	Matters []towndesk.MatterCount
	// Teaching is the list maintainers' figures; nil when the builder has
	// no source of them.
	Teaching *towndesk.TeachingFigures
}

// WeekChange is a week's count and the week before's.
type WeekChange struct{ Now, Before int }

// OverdueLine is one overdue request.
type OverdueLine struct {
	ID, Kind, Town, Village, Assignee string
	DaysLate                          int
}

// KindMedian is the median handling time of one kind of errand.
type KindMedian struct {
	Kind   string
	Count  int
	Median float64 // working days
}

// AskedQuestion is a question (one way it was written) and how often it,
// or the same question written otherwise, was asked.
type AskedQuestion struct {
	Text  string
	Count int
	// Votes counts the 没用 votes (NotUseful only).
	Votes int
}

// Build returns the summary of week for scope. It returns EINTERNAL if
// the database fails.
func (s *Builder) Build(ctx context.Context, scope Scope, week Week) (*Summary, error) {
	today := towndesk.DateOf(s.now())
	prev := week.Prev()
	d, err := s.db.Summary(ctx, storage.SummaryQuery{
		Scope: storage.SummaryScope{TownCode: scope.Place.TownCode, CountyCode: scope.Place.CountyCode, Channel: scope.Channel},
		Since: week.Start(), Until: week.End(), PrevSince: prev.Start(), PrevUntil: prev.End(), Today: today,
	})
	if err != nil {
		return nil, err
	}
	days := workingDays{cal: s.cal, memo: map[[2]towndesk.Date]int{}}
	sum := &Summary{Scope: scope, Week: week, Today: today,
		New:       WeekChange{d.This.New, d.Prev.New},
		Accepted:  WeekChange{d.This.Accepted, d.Prev.Accepted},
		Finished:  WeekChange{len(d.This.Finished), len(d.Prev.Finished)},
		OnTime:    WeekChange{onTime(d.This.Finished), onTime(d.Prev.Finished)},
		Rejected:  WeekChange{d.This.Rejected, d.Prev.Rejected},
		Cancelled: WeekChange{d.This.Cancelled, d.Prev.Cancelled},
		Overdue:   overdueLines(d.Overdue, s.cal, today),
		Handling:  medians(d.This.Finished, &days),

		Satisfied: d.FollowUps[towndesk.Satisfied], MostlySatisfied: d.FollowUps[towndesk.MostlySatisfied],
		Dissatisfied: d.FollowUps[towndesk.Dissatisfied], Reopened: d.Reopened,
		Money: d.Money, Reversals: d.Reversals, Unbalanced: d.Unbalanced, Villages: d.Villages, Matters: d.Matters,
	}
	sum.knowledge(d.Questions)
	if s.teach != nil {
		f, err := s.teach.TeachingFigures(ctx, scope.Place, week.Start(), week.End())
		if err != nil {
			return nil, err
		}
		sum.Teaching = &f
	}
	if s.opening != nil {
		if text, err := s.opening.SummaryOpening(ctx, sum.figures()); err == nil {
			sum.Opening = strings.TrimSpace(towndesk.MaskText(text))
		}
	}
	return sum, nil
}

// onTime counts the requests finished on or before their due date.
func onTime(fs []storage.FinishedRequest) int {
	n := 0
	for _, f := range fs {
		if f.Due.IsZero() || towndesk.DateOf(f.DoneAt) <= f.Due {
			n++
		}
	}
	return n
}

// workingDays memoizes Calendar.WorkingDaysBetween: it walks day by day,
// and a summary asks it the same questions many times.
type workingDays struct {
	cal  *towndesk.Calendar
	memo map[[2]towndesk.Date]int
}

func (w *workingDays) between(from, to towndesk.Date) int {
	k := [2]towndesk.Date{from, to}
	n, ok := w.memo[k]
	if !ok {
		n = w.cal.WorkingDaysBetween(from, to)
		w.memo[k] = n
	}
	return n
}

func overdueLines(rs []storage.OverdueRequest, cal *towndesk.Calendar, today towndesk.Date) []OverdueLine {
	type key struct {
		waiting bool
		due     towndesk.Date
		since   towndesk.Date
	}
	memo := map[key]int{}
	out := make([]OverdueLine, 0, len(rs))
	for _, o := range rs {
		r := towndesk.Request{Status: o.Status, Due: o.Due, WaitingSince: o.WaitingSince}
		k := key{o.Status.Waiting(), o.Due, ""}
		if k.waiting && !o.WaitingSince.IsZero() {
			k.since = towndesk.DateOf(o.WaitingSince)
		}
		n, ok := memo[k]
		if !ok {
			n = r.DaysLate(cal, today)
			memo[k] = n
		}
		if n == 0 && !r.Overdue(today) {
			continue
		}
		out = append(out, OverdueLine{ID: o.ID, Kind: o.Kind, Town: o.Town, Village: o.Village, Assignee: o.Assignee, DaysLate: n})
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].DaysLate != out[j].DaysLate {
			return out[i].DaysLate > out[j].DaysLate
		}
		return out[i].ID < out[j].ID
	})
	return out
}

func medians(fs []storage.FinishedRequest, days *workingDays) []KindMedian {
	byKind := map[string][]int{}
	for _, f := range fs {
		if f.AcceptedAt.IsZero() {
			continue
		}
		byKind[f.Kind] = append(byKind[f.Kind], days.between(towndesk.DateOf(f.AcceptedAt), towndesk.DateOf(f.DoneAt)))
	}
	out := make([]KindMedian, 0, len(byKind))
	for k, ds := range byKind {
		sort.Ints(ds)
		m := float64(ds[len(ds)/2])
		if len(ds)%2 == 0 {
			m = float64(ds[len(ds)/2-1]+ds[len(ds)/2]) / 2
		}
		out = append(out, KindMedian{Kind: k, Count: len(ds), Median: m})
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Count != out[j].Count {
			return out[i].Count > out[j].Count
		}
		return out[i].Kind < out[j].Kind
	})
	return out
}

// knowledge fills the question figures: groups of the same question
// written differently are merged by NormalizeQuestion.
func (s *Summary) knowledge(gs []storage.QuestionGroup) {
	type group struct {
		asked, unanswered, votes int
		forms                    map[string]int
	}
	groups := map[string]*group{}
	for _, g := range gs {
		s.Asked += g.Asked
		if g.Status == towndesk.StatusAnswered {
			s.Answered += g.Asked - g.NotUsefulAsks
			s.AnsweredNotUseful += g.NotUsefulAsks
		}
		k := NormalizeQuestion(g.Text)
		gr := groups[k]
		if gr == nil {
			gr = &group{forms: map[string]int{}}
			groups[k] = gr
		}
		gr.asked += g.Asked
		gr.votes += g.NotUsefulVotes
		if g.Status == towndesk.StatusNotFound {
			gr.unanswered += g.Asked
		}
		gr.forms[g.Text] += g.Asked
	}
	for _, gr := range groups {
		text := commonest(gr.forms)
		if gr.unanswered > 0 {
			s.Unanswered = append(s.Unanswered, AskedQuestion{Text: text, Count: gr.unanswered})
		}
		if gr.votes > 0 {
			s.NotUseful = append(s.NotUseful, AskedQuestion{Text: text, Count: gr.asked, Votes: gr.votes})
		}
	}
	sort.Slice(s.Unanswered, func(i, j int) bool {
		a, b := s.Unanswered[i], s.Unanswered[j]
		if a.Count != b.Count {
			return a.Count > b.Count
		}
		return a.Text < b.Text
	})
	sort.Slice(s.NotUseful, func(i, j int) bool {
		a, b := s.NotUseful[i], s.NotUseful[j]
		if a.Votes != b.Votes {
			return a.Votes > b.Votes
		}
		if a.Count != b.Count {
			return a.Count > b.Count
		}
		return a.Text < b.Text
	})
}

// commonest returns the form written most often (the shortest, then the
// first in order, among equals).
func commonest(forms map[string]int) string {
	best, n := "", -1
	for f, c := range forms {
		switch {
		case c > n, c == n && len(f) < len(best), c == n && len(f) == len(best) && f < best:
			best, n = f, c
		}
	}
	return best
}

// NormalizeQuestion returns the key under which the same question written
// differently is counted once: full-width letters and digits folded to
// half-width, lower case, without spaces, punctuation or the particles
// people end questions with (吗, 呢, 啊, 呀, 吧, 哦).
func NormalizeQuestion(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == '\u3000':
			continue
		case r >= '\uFF01' && r <= '\uFF5E':
			r -= 0xFEE0
		}
		if unicode.IsSpace(r) || unicode.IsPunct(r) || unicode.IsSymbol(r) {
			continue
		}
		b.WriteRune(unicode.ToLower(r))
	}
	k := b.String()
	for {
		r, size := utf8.DecodeLastRuneInString(k)
		if size == 0 || !strings.ContainsRune("吗呢啊呀吧哦", r) || size == len(k) {
			return k
		}
		k = k[:len(k)-size]
	}
}

// Caps on the lists in a summary, so that it stays readable and within
// Slack's limits; the rest is counted ("另有 N 件").
const (
	maxOverdueLines    = 15
	maxUnbalancedLines = 10
	maxVillageLines    = 5
	maxQuestionLines   = 10
	maxMatterLines     = 5
	maxQuestionRunes   = 40
)

// Section is one titled part of a summary's text.
type Section struct {
	Title string
	Lines []string
}

// Title returns the summary's heading: 滕州市滨湖镇周报 · 2026-W09（2月23日—3月1日）.
func (s *Summary) Title() string {
	return fmt.Sprintf("%s周报 · %s（%s）", s.Scope.Name, s.Week, s.Week.Days())
}

// Sections returns the summary's parts in order, each with at least one
// line ("无" when there is nothing to say).
func (s *Summary) Sections() []Section {
	secs := []Section{
		{"代办", []string{
			"新登记 " + s.New.count("件"),
			"受理 " + s.Accepted.count("件"),
			"办结 " + s.Finished.count("件"),
			fmt.Sprintf("按时办结 %s，按时率 %s（上周 %s）", s.OnTime.count("件"), percent(s.OnTime.Now, s.Finished.Now), percent(s.OnTime.Before, s.Finished.Before)),
			"不予受理 " + s.Rejected.count("件"),
			"撤销 " + s.Cancelled.count("件"),
		}},
		s.overdueSection(),
		s.handlingSection(),
		s.followUpSection(),
		s.moneySection(),
		s.villageSection(),
		s.knowledgeSection(),
	}
	for i := range secs {
		if len(secs[i].Lines) == 0 {
			secs[i].Lines = []string{"无"}
		}
	}
	return secs
}

func (c WeekChange) count(unit string) string {
	d := c.Now - c.Before
	switch {
	case d > 0:
		return fmt.Sprintf("%d %s（环比 +%d）", c.Now, unit, d)
	case d < 0:
		return fmt.Sprintf("%d %s（环比 %d）", c.Now, unit, d)
	}
	return fmt.Sprintf("%d %s（环比持平）", c.Now, unit)
}

func percent(n, of int) string {
	if of == 0 {
		return "—"
	}
	return strconv.FormatFloat(float64(n)*100/float64(of), 'f', 1, 64) + "%"
}

func more(n int, unit string) string { return fmt.Sprintf("……另有 %d %s", n, unit) }

func (s *Summary) place(town, village string) string {
	if village == "" {
		village = "未填村"
	}
	if s.Scope.IsTown() {
		return village
	}
	return town + village
}

func (s *Summary) overdueSection() Section {
	sec := Section{Title: fmt.Sprintf("当前逾期（截至 %s，共 %d 件）", s.Today, len(s.Overdue))}
	for i, o := range s.Overdue {
		if i == maxOverdueLines {
			sec.Lines = append(sec.Lines, more(len(s.Overdue)-i, "件"))
			break
		}
		who := o.Assignee
		if who == "" {
			who = "未指派"
		}
		sec.Lines = append(sec.Lines, fmt.Sprintf("%s %s · %s · %s · 逾期 %d 个工作日", o.ID, o.Kind, s.place(o.Town, o.Village), who, o.DaysLate))
	}
	return sec
}

func (s *Summary) handlingSection() Section {
	sec := Section{Title: "办理用时（受理到办结，工作日中位数）"}
	for _, k := range s.Handling {
		sec.Lines = append(sec.Lines, fmt.Sprintf("%s %s 个工作日（%d 件）", k.Kind, strconv.FormatFloat(k.Median, 'f', -1, 64), k.Count))
	}
	return sec
}

func (s *Summary) followUpSection() Section {
	sec := Section{Title: "回访"}
	if s.Satisfied+s.MostlySatisfied+s.Dissatisfied > 0 {
		sec.Lines = append(sec.Lines, fmt.Sprintf("满意 %d，基本满意 %d，不满意 %d", s.Satisfied, s.MostlySatisfied, s.Dissatisfied))
	}
	if len(s.Reopened) > 0 {
		sec.Lines = append(sec.Lines, fmt.Sprintf("退回重办 %d 件：%s", len(s.Reopened), strings.Join(s.Reopened, "、")))
	}
	return sec
}

func (s *Summary) moneySection() Section {
	sec := Section{Title: "资金"}
	m := s.Money
	if m != (towndesk.Balance{}) {
		sec.Lines = append(sec.Lines, fmt.Sprintf("本周收取 %s 元，支付 %s 元，领取 %s 元，交付 %s 元", m.Received, m.Paid, m.Collected, m.Handed))
	}
	if len(s.Reversals) > 0 {
		sec.Lines = append(sec.Lines, fmt.Sprintf("冲正 %d 笔（已从上面的合计中减去）：", len(s.Reversals)))
		for i, e := range s.Reversals {
			if i == maxUnbalancedLines {
				sec.Lines = append(sec.Lines, more(len(s.Reversals)-i, "笔"))
				break
			}
			sec.Lines = append(sec.Lines, fmt.Sprintf("%s 收支 #%d %s %s 元，由 %s 以 #%d 冲正", e.RequestID, e.Reverses, e.Type, e.Amount, e.By, e.ID))
		}
	}
	if len(s.Unbalanced) == 0 {
		return sec
	}
	sec.Lines = append(sec.Lines, fmt.Sprintf("收支未平 %d 件：", len(s.Unbalanced)))
	for i, u := range s.Unbalanced {
		if i == maxUnbalancedLines {
			sec.Lines = append(sec.Lines, more(len(s.Unbalanced)-i, "件"))
			break
		}
		b := u.Balance
		var parts []string
		if b.Received != b.Paid {
			parts = append(parts, fmt.Sprintf("收取 %s 元、支付 %s 元，差 %s 元", b.Received, b.Paid, b.Received-b.Paid))
		}
		if b.Collected != b.Handed {
			parts = append(parts, fmt.Sprintf("领取 %s 元、交付 %s 元，差 %s 元", b.Collected, b.Handed, b.Collected-b.Handed))
		}
		sec.Lines = append(sec.Lines, fmt.Sprintf("%s（%s）%s", u.ID, u.Status.Chinese(), strings.Join(parts, "；")))
	}
	return sec
}

func (s *Summary) villageSection() Section {
	sec := Section{Title: "来件最多的村"}
	for i, v := range s.Villages {
		if i == maxVillageLines {
			break
		}
		sec.Lines = append(sec.Lines, fmt.Sprintf("%s %d 件", s.place(v.Town, v.Village), v.Count))
	}
	return sec
}

func quoted(text string) string {
	r := []rune(strings.Join(strings.Fields(towndesk.MaskText(text)), " "))
	if len(r) > maxQuestionRunes {
		return "「" + string(r[:maxQuestionRunes-1]) + "…」"
	}
	return "「" + string(r) + "」"
}

func (s *Summary) knowledgeSection() Section {
	sec := Section{Title: "知识库问答"}
	if s.Asked == 0 {
		s.teachingLines(&sec)
		return sec
	}
	line := fmt.Sprintf("提问 %d 次，已回答 %d 次（%s）", s.Asked, s.Answered, percent(s.Answered, s.Asked))
	if s.AnsweredNotUseful > 0 {
		line += fmt.Sprintf("；另有 %d 次的回答被标为“没用”，不算已回答", s.AnsweredNotUseful)
	}
	sec.Lines = append(sec.Lines, line)
	list := func(title string, qs []AskedQuestion, line func(AskedQuestion) string) {
		if len(qs) == 0 {
			sec.Lines = append(sec.Lines, title+"：无")
			return
		}
		sec.Lines = append(sec.Lines, title+"：")
		for i, q := range qs {
			if i == maxQuestionLines {
				sec.Lines = append(sec.Lines, more(len(qs)-i, "条"))
				break
			}
			sec.Lines = append(sec.Lines, line(q))
		}
	}
	list("未能回答（待补充清单）", s.Unanswered, func(q AskedQuestion) string {
		return fmt.Sprintf("%s %d 次", quoted(q.Text), q.Count)
	})
	list("被标为“没用”", s.NotUseful, func(q AskedQuestion) string {
		return fmt.Sprintf("%s 问 %d 次，没用 %d 票", quoted(q.Text), q.Count, q.Votes)
	})
	s.teachingLines(&sec)
	if len(s.Matters) == 0 {
		sec.Lines = append(sec.Lines, "问得最多的事项：无")
		return sec
	}
	sec.Lines = append(sec.Lines, "问得最多的事项：")
	for i, m := range s.Matters {
		if i == maxMatterLines {
			break
		}
		if m.Name == "" {
			sec.Lines = append(sec.Lines, fmt.Sprintf("%s（现行清单中已无此事项）%d 次", m.Code, m.Count))
			continue
		}
		sec.Lines = append(sec.Lines, fmt.Sprintf("%s（%s）%d 次", clipRunes(m.Name, maxQuestionRunes), m.Code, m.Count))
	}
	return sec
}

func clipRunes(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

// figures is the short statement of the week's figures the optional
// opening is written from.
func (s *Summary) figures() string {
	secs := s.Sections()
	var b strings.Builder
	b.WriteString(s.Title())
	for _, sec := range []Section{secs[0]} {
		b.WriteString("\n" + strings.Join(sec.Lines, "\n"))
	}
	fmt.Fprintf(&b, "\n当前逾期 %d 件", len(s.Overdue))
	if s.Asked > 0 {
		fmt.Fprintf(&b, "\n提问 %d 次，已回答 %d 次", s.Asked, s.Answered)
	}
	return b.String()
}

// Text renders the summary as plain text: what `towndesk summary --dry-run`
// prints and exactly the text posted to Slack with the blocks.
func (s *Summary) Text() string {
	var b strings.Builder
	b.WriteString(s.Title())
	b.WriteString("\n")
	if s.Opening != "" {
		b.WriteString(s.Opening)
		b.WriteString("\n")
	}
	for _, sec := range s.Sections() {
		fmt.Fprintf(&b, "\n【%s】\n", sec.Title)
		for _, l := range sec.Lines {
			b.WriteString(l)
			b.WriteString("\n")
		}
	}
	return towndesk.MaskText(b.String())
}

// teachingLines adds the list maintainers' figures, if the summary has
// them: the queue, the links taught in the week, and the stale ones.
func (s *Summary) teachingLines(sec *Section) {
	t := s.Teaching
	if t == nil {
		return
	}
	sec.Lines = append(sec.Lines, fmt.Sprintf("待纠正队列：%d 个问法（towndesk review）", t.Queue))
	if len(t.Taught) == 0 {
		sec.Lines = append(sec.Lines, "本周纠正：无")
	} else {
		var by []string
		n := 0
		for _, c := range t.Taught {
			by = append(by, fmt.Sprintf("%s %d 条", c.By, c.Count))
			n += c.Count
		}
		sec.Lines = append(sec.Lines, fmt.Sprintf("本周纠正：%d 条（%s）", n, strings.Join(by, "、")))
	}
	if t.Stale > 0 {
		sec.Lines = append(sec.Lines, fmt.Sprintf("已失效的纠正：%d 条（清单更新后事项已不在，请重新纠正或撤销）", t.Stale))
	} else {
		sec.Lines = append(sec.Lines, "已失效的纠正：无")
	}
}
