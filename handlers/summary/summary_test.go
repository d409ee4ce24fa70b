package summary

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/towndesk/towndesk"
	"github.com/towndesk/towndesk/handlers/desk"
	"github.com/towndesk/towndesk/internal/testclock"
	"github.com/towndesk/towndesk/internal/testenv"
	"github.com/towndesk/towndesk/storage"
)

// summaryHolidays is the test calendar: Wednesday 2026-03-04 is a holiday
// and Saturday 2026-03-07 a make-up working day (调休).
const summaryHolidays = `
2026-03-04 休 测试假日
2026-03-07 班 测试调休
`

var shanghai = mustZone("Asia/Shanghai")

func mustZone(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return loc
}

func TestWeek(t *testing.T) {
	tests := []struct {
		name       string
		in         string
		loc        *time.Location
		start, end string // in loc
		prev       string
	}{
		{"ordinary", "2026-W10", shanghai, "2026-03-02 00:00", "2026-03-09 00:00", "2026-W09"},
		{"first week starts in December", "2026-W01", shanghai, "2025-12-29 00:00", "2026-01-05 00:00", "2025-W52"},
		{"53-week year", "2026-W53", shanghai, "2026-12-28 00:00", "2027-01-04 00:00", "2026-W52"},
		{"lower case without dash", "2026w48", shanghai, "2026-11-23 00:00", "2026-11-30 00:00", "2026-W47"},
		{"daylight saving zone", "2026-W11", mustZone("Europe/Berlin"), "2026-03-09 00:00", "2026-03-16 00:00", "2026-W10"},
		{"week with the switch to summer time", "2026-W13", mustZone("Europe/Berlin"), "2026-03-23 00:00", "2026-03-30 00:00", "2026-W12"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w, err := ParseWeek(tt.in, tt.loc)
			if err != nil {
				t.Fatalf("ParseWeek(%q) = %v", tt.in, err)
			}
			if got := w.Start().Format("2006-01-02 15:04"); got != tt.start {
				t.Errorf("ParseWeek(%q).Start() = %s, want %s", tt.in, got, tt.start)
			}
			if got := w.End().Format("2006-01-02 15:04"); got != tt.end {
				t.Errorf("ParseWeek(%q).End() = %s, want %s", tt.in, got, tt.end)
			}
			if got := w.Prev().String(); got != tt.prev {
				t.Errorf("ParseWeek(%q).Prev() = %s, want %s", tt.in, got, tt.prev)
			}
			if got := WeekOf(w.Start(), tt.loc); got != w {
				t.Errorf("WeekOf(Start of %s) = %s, want itself", tt.in, got)
			}
			if got := WeekOf(w.End().Add(-time.Nanosecond), tt.loc); got != w {
				t.Errorf("WeekOf(last instant of %s) = %s, want itself", tt.in, got)
			}
		})
	}
	for _, bad := range []string{"", "2026-48", "2026-W0", "2026-W54", "2025-W53", "W48", "2026-W48x"} {
		if _, err := ParseWeek(bad, shanghai); towndesk.ErrorCode(err) != towndesk.EINVALID {
			t.Errorf("ParseWeek(%q) = %v, want EINVALID", bad, err)
		}
	}
	// Sunday 23:30 in Shanghai is 15:30 UTC: still that week there, though
	// Monday has begun further east.
	sun := time.Date(2026, 3, 8, 23, 30, 0, 0, shanghai)
	if got := WeekOf(sun, shanghai).String(); got != "2026-W10" {
		t.Errorf("WeekOf(Sunday 23:30 Shanghai) = %s, want 2026-W10", got)
	}
	if got := WeekOf(sun, mustZone("Asia/Tokyo")).String(); got != "2026-W11" {
		t.Errorf("WeekOf(same instant, Tokyo) = %s, want 2026-W11", got)
	}
}

func TestNormalizeQuestion(t *testing.T) {
	tests := []struct{ name, a, b string }{
		{"punctuation and particles", "谁管烧秸秆？", "谁管烧秸秆吗"},
		{"spaces, full-width and case", "ＡＢＣ 无人机  怎么备案", "abc无人机怎么备案"},
		{"ideographic space", "放鞭炮\u3000归谁管呢？", "放鞭炮归谁管"},
	}
	for _, tt := range tests {
		if a, b := NormalizeQuestion(tt.a), NormalizeQuestion(tt.b); a != b {
			t.Errorf("%s: NormalizeQuestion(%q) = %q, NormalizeQuestion(%q) = %q, want equal", tt.name, tt.a, a, tt.b, b)
		}
	}
	if a, b := NormalizeQuestion("吗"), NormalizeQuestion("放鞭炮"); a == "" || a == b {
		t.Errorf("NormalizeQuestion(吗) = %q, want a non-empty key of its own", a)
	}
}

// summaryWorld is a desk of 滕州市 on a database file, with the test
// calendar and a clock the test moves.
type summaryWorld struct {
	t     *testing.T
	ctx   context.Context
	desk  *desk.Desk
	db    *storage.DB
	clock *testclock.Clock
	cal   *towndesk.Calendar
	binhu towndesk.Place
	other towndesk.Place
}

func newSummaryWorld(t *testing.T) *summaryWorld {
	t.Helper()
	db, gaz, county := testenv.Tengzhou(t)
	binhu := testenv.Place(t, gaz, "滕州市", "滨湖镇")
	other := testenv.Place(t, gaz, "滕州市", "龙阳镇")
	cal := testenv.Calendar(t, summaryHolidays)
	clock := &testclock.Clock{}
	db.Now = clock.Now
	d := desk.New(db, desk.Config{County: county, Places: gaz, Calendar: cal, Now: clock.Now})
	return &summaryWorld{t: t, ctx: context.Background(), desk: d, db: db, clock: clock, cal: cal, binhu: binhu, other: other}
}

// at sets the clock to a day and time in China.
func (w *summaryWorld) at(day string, hour, min int) {
	w.clock.At(day, hour)
	w.clock.Add(time.Duration(min) * time.Minute)
}

func (w *summaryWorld) must(what string, err error) {
	w.t.Helper()
	if err != nil {
		w.t.Fatalf("%s: %v", what, err)
	}
}

func (w *summaryWorld) newRequest(town, village, kind string) string {
	w.t.Helper()
	in := desk.RequestNewInput{By: "王芳", Town: town, Village: village, Citizen: "张三", Phone: "13812345678",
		IDNumber: "110101199003071233", Kind: kind, Matter: "补办第三代社保卡，联系人女儿 13987654321",
		Materials: "身份证复印件，照片、户口本"}
	r, err := w.desk.New(w.ctx, in)
	w.must("new "+village, err)
	return r.Request.ID
}

func (w *summaryWorld) move(id string, steps ...string) {
	w.t.Helper()
	for _, to := range steps {
		in := desk.RequestMoveInput{Ref: desk.Ref{ID: id, By: "李娜"}, To: to}
		switch to {
		case "done":
			in.Result = "已办好"
		case "rejected", "cancelled":
			in.Reason = "材料不符，电话 13912345678 已告知"
		}
		_, err := w.desk.Move(w.ctx, in)
		w.must(id+" → "+to, err)
	}
}

func (w *summaryWorld) pay(id, typ, amount string) {
	w.t.Helper()
	_, err := w.desk.Pay(w.ctx, desk.RequestPayInput{Ref: desk.Ref{ID: id, By: "李娜"}, Type: typ, Amount: amount})
	w.must(id+" "+typ, err)
}

func (w *summaryWorld) followUp(id, result string) {
	w.t.Helper()
	_, err := w.desk.FollowUp(w.ctx, desk.RequestFollowUpInput{Ref: desk.Ref{ID: id, By: "王芳"}, Result: result})
	w.must(id+" 回访", err)
}

func (w *summaryWorld) ask(text string, status towndesk.AskStatus, place towndesk.Place, channel, code string) int64 {
	w.t.Helper()
	q := &storage.Question{Source: "slack", User: "U1", Channel: channel, Text: text, Status: status, Place: place, TopCode: code}
	w.must("log "+text, w.db.LogQuestion(w.ctx, q))
	return q.ID
}

// seed writes the fixture week: 2026-W10 (Monday 2 to Sunday 8 March),
// with the holiday on Wednesday 4 and the make-up Saturday 7, and the
// week before. Comments give the due dates the desk computes.
func (w *summaryWorld) seed() map[string]string {
	ids := map[string]string{}
	// The week before (2026-W09).
	w.at("2026-02-26", 9, 0)
	ids["C"] = w.newRequest("滨湖镇", "前李村", "代办证件")
	w.move(ids["C"], "accepted") // due 03-06: 02-27, 03-02, 03-03, 03-05, 03-06
	w.at("2026-02-27", 9, 0)
	ids["F"] = w.newRequest("滨湖镇", "后王村", "缴纳费用")
	w.move(ids["F"], "accepted", "in_progress") // due 03-03
	w.pay(ids["F"], "收取", "20")
	ids["H"] = w.newRequest("滨湖镇", "后王村", "缴纳费用")
	w.move(ids["H"], "accepted", "in_progress") // due 03-03
	w.at("2026-03-01", 23, 30)                  // Sunday night: still W09
	ids["Q"] = w.newRequest("滨湖镇", "前李村", "其他")

	// 2026-W10.
	w.at("2026-03-02", 0, 0) // Monday 00:00: W10
	ids["A"] = w.newRequest("滨湖镇", "前李村", "代办证件")
	w.at("2026-03-02", 10, 0)
	w.move(ids["A"], "accepted", "in_progress") // due 03-09: 03-03, 03-05, 03-06, 03-07 (调休), 03-09
	w.pay(ids["A"], "收取", "50")
	ids["E"] = w.newRequest("滨湖镇", "前李村", "缴纳费用")
	w.move(ids["E"], "accepted", "in_progress") // due 03-05
	w.pay(ids["E"], "领取", "100")
	ids["G"] = w.newRequest("滨湖镇", "后王村", "缴纳费用")
	w.move(ids["G"], "accepted", "in_progress") // due 03-05
	w.desk.Assign(w.ctx, desk.RequestAssignInput{Ref: desk.Ref{ID: ids["G"], By: "王芳"}, Assignee: "李娜"})

	w.at("2026-03-03", 9, 0)
	ids["B"] = w.newRequest("滨湖镇", "前李村", "代办证件")
	w.move(ids["B"], "accepted", "in_progress") // due 03-10
	w.pay(ids["A"], "支付", "50")
	w.pay(ids["E"], "交付", "100")
	w.pay(ids["G"], "收取", "30")
	w.move(ids["E"], "done")                      // 1 working day, on time
	ids["L"] = w.newRequest("龙阳镇", "大庄村", "代办证件") // another town

	w.at("2026-03-04", 9, 0) // the holiday
	ids["R"] = w.newRequest("滨湖镇", "东庄村", "代办证件")
	w.move(ids["R"], "rejected")

	w.at("2026-03-05", 9, 0)
	ids["D"] = w.newRequest("滨湖镇", "后王村", "缴纳费用")
	w.move(ids["D"], "accepted", "in_progress") // due 03-07, the make-up Saturday
	w.move(ids["C"], "in_progress", "done")     // 02-26 → 03-05: 4 working days, on time

	w.at("2026-03-06", 9, 0)
	ids["X"] = w.newRequest("滨湖镇", "前李村", "其他")
	w.move(ids["X"], "cancelled")
	w.move(ids["H"], "waiting_citizen") // 2 working days late when it started waiting
	w.at("2026-03-06", 15, 0)
	w.move(ids["A"], "done") // 03-02 → 03-06: 3 working days, on time
	w.followUp(ids["C"], "基本满意")

	w.at("2026-03-07", 11, 0) // 调休 Saturday
	w.move(ids["B"], "done")  // 03-03 → 03-07: 3 working days, on time
	w.followUp(ids["A"], "满意")

	w.at("2026-03-08", 10, 0) // Sunday
	w.move(ids["D"], "done")  // 03-05 → 03-08: 2 working days, late (due 03-07)
	w.followUp(ids["B"], "不满意")
	w.at("2026-03-08", 23, 30) // Sunday 23:30: still W10
	ids["S"] = w.newRequest("滨湖镇", "东庄村", "其他")

	w.at("2026-03-09", 0, 10) // W11: not in the summary
	ids["T"] = w.newRequest("滨湖镇", "前李村", "其他")
	return ids
}

func TestSummaryBuild(t *testing.T) {
	w := newSummaryWorld(t)
	ids := w.seed()

	// Questions: the log keeps its own clock.
	w.at("2026-03-03", 10, 0)
	none := towndesk.Place{}
	for range 3 {
		w.ask("谁管烧秸秆", towndesk.StatusAnswered, w.binhu, "C0BINHU", "BURN01")
	}
	w.ask("谁管烧秸秆？", towndesk.StatusAnswered, w.binhu, "C0BINHU", "BURN01")
	w.ask("无人机 怎么备案", towndesk.StatusNotFound, w.binhu, "C0BINHU", "")
	w.ask("无人机怎么备案", towndesk.StatusNotFound, w.binhu, "C0OTHER", "")
	w.ask("无人机怎么备案吗", towndesk.StatusNotFound, none, "C0BINHU", "") // no place, but our channel
	w.ask("电话13812345678的人乱倒垃圾谁管", towndesk.StatusNotFound, w.binhu, "C0BINHU", "")
	q1 := w.ask("放鞭炮归谁管", towndesk.StatusAnswered, w.binhu, "C0BINHU", "FIRE01")
	w.ask("放鞭炮归谁管？", towndesk.StatusAnswered, w.binhu, "C0BINHU", "FIRE01")
	w.ask("这个归谁管", towndesk.StatusNeedPlace, none, "C0BINHU", "")
	w.ask("龙阳的事", towndesk.StatusNotFound, w.other, "C0OTHER", "") // another town, another channel
	w.must("vote", w.db.SetFeedback(w.ctx, q1, "U1", false))
	w.must("vote", w.db.SetFeedback(w.ctx, q1, "U2", false))
	w.must("vote", w.db.SetFeedback(w.ctx, q1, "U3", true))
	w.at("2026-03-09", 1, 0)
	w.ask("谁管烧秸秆", towndesk.StatusAnswered, w.binhu, "C0BINHU", "BURN01") // next week
	_, err := w.db.ImportEdition(w.ctx, storage.EditionInput{Place: w.binhu, Edition: "2026", Items: []towndesk.PowerItem{
		{Code: "BURN01", Name: "对露天焚烧秸秆的处罚", Body: "滨湖镇人民政府", Mode: towndesk.ModeDevolved, Category: "行政处罚"},
	}})
	w.must("import", err)

	w.at("2026-03-09", 9, 0) // Monday morning: the summary of W10
	s := New(w.db, Config{Calendar: w.cal, Now: w.clock.Now})
	week := s.LastWeek(shanghai)
	if week.String() != "2026-W10" {
		t.Fatalf("LastWeek = %s, want 2026-W10", week)
	}
	scope := Scope{Name: "滕州市滨湖镇", Place: w.binhu, Channel: "C0BINHU"}
	got, err := s.Build(w.ctx, scope, week)
	if err != nil {
		t.Fatal(err)
	}
	want := &Summary{
		Scope: scope, Week: week, Today: "2026-03-09",
		New:      WeekChange{8, 4}, // A E G B R D X S; C F H Q
		Accepted: WeekChange{5, 3}, Finished: WeekChange{5, 0}, OnTime: WeekChange{4, 0},
		Rejected: WeekChange{1, 0}, Cancelled: WeekChange{1, 0},
		Overdue: []OverdueLine{
			{ID: ids["F"], Kind: "缴纳费用", Town: "滨湖镇", Village: "后王村", DaysLate: 4}, // 03-03 → 03-05, 06, 07, 09
			{ID: ids["G"], Kind: "缴纳费用", Town: "滨湖镇", Village: "后王村", Assignee: "李娜", DaysLate: 3},
			{ID: ids["H"], Kind: "缴纳费用", Town: "滨湖镇", Village: "后王村", DaysLate: 2}, // clock stopped 03-06
		},
		Handling:  []KindMedian{{Kind: "代办证件", Count: 3, Median: 3}, {Kind: "缴纳费用", Count: 2, Median: 1.5}},
		Satisfied: 1, MostlySatisfied: 1, Dissatisfied: 1, Reopened: []string{ids["B"]},
		Money: towndesk.Balance{Received: 8000, Paid: 5000, Collected: 10000, Handed: 10000},
		Unbalanced: []towndesk.UnbalancedRequest{
			{ID: ids["F"], Status: towndesk.StatusInProgress, Balance: towndesk.Balance{Received: 2000}},
			{ID: ids["G"], Status: towndesk.StatusInProgress, Balance: towndesk.Balance{Received: 3000}},
		},
		Villages: []towndesk.VillageCount{{Town: "滨湖镇", Village: "前李村", Count: 4}, {Town: "滨湖镇", Village: "东庄村", Count: 2}, {Town: "滨湖镇", Village: "后王村", Count: 2}},
		// 放鞭炮归谁管 was answered, but someone marked the answer 没用.
		Asked: 11, Answered: 5, AnsweredNotUseful: 1,
		Unanswered: []AskedQuestion{{Text: "无人机怎么备案", Count: 3}, {Text: "电话138****5678的人乱倒垃圾谁管", Count: 1}},
		NotUseful:  []AskedQuestion{{Text: "放鞭炮归谁管", Count: 2, Votes: 2}},
		Matters:    []towndesk.MatterCount{{Code: "BURN01", Name: "对露天焚烧秸秆的处罚", Count: 4}, {Code: "FIRE01", Count: 2}},
	}
	if diff := cmp.Diff(want, got, cmp.Comparer(func(a, b *time.Location) bool { return a.String() == b.String() })); diff != "" {
		t.Errorf("Build(滨湖镇, 2026-W10) mismatch (-want +got):\n%s", diff)
	}

	text := got.Text()
	for _, line := range []string{
		"滕州市滨湖镇周报 · 2026-W10（3月2日—3月8日）",
		"新登记 8 件（环比 +4）",
		"办结 5 件（环比 +5）",
		"按时办结 4 件（环比 +4），按时率 80.0%（上周 —）",
		"【当前逾期（截至 2026-03-09，共 3 件）】",
		ids["F"] + " 缴纳费用 · 后王村 · 未指派 · 逾期 4 个工作日",
		"代办证件 3 个工作日（3 件）",
		"缴纳费用 1.5 个工作日（2 件）",
		"满意 1，基本满意 1，不满意 1",
		"退回重办 1 件：" + ids["B"],
		"本周收取 80.00 元，支付 50.00 元，领取 100.00 元，交付 100.00 元",
		ids["F"] + "（办理中）收取 20.00 元、支付 0.00 元，差 20.00 元",
		"前李村 4 件",
		"提问 11 次，已回答 5 次（45.5%）；另有 1 次的回答被标为“没用”，不算已回答",
		"「无人机怎么备案」 3 次",
		"「放鞭炮归谁管」 问 2 次，没用 2 票",
		"对露天焚烧秸秆的处罚（BURN01）4 次",
	} {
		if !strings.Contains(text, line+"\n") {
			t.Errorf("Text() lacks line %q; text:\n%s", line, text)
		}
	}
	assertNoPersonalNumbers(t, text)
	t.Logf("Text():\n%s", text)

	// The county sees the other town's request, town names with villages,
	// and no channel questions of other places.
	county := Scope{Name: "滕州市", Place: w.binhu.CountyPlace()}
	cs, err := s.Build(w.ctx, county, week)
	if err != nil {
		t.Fatal(err)
	}
	if cs.New.Now != 9 || cs.Asked != 10 {
		t.Errorf("Build(滕州市) new = %d, asked = %d, want 9 and 10 (the unplaced question is out)", cs.New.Now, cs.Asked)
	}
	if ct := cs.Text(); !strings.Contains(ct, "龙阳镇大庄村 1 件") || !strings.Contains(ct, "滨湖镇前李村 4 件") {
		t.Errorf("county Text() lacks 龙阳镇大庄村 or 滨湖镇前李村:\n%s", ct)
	}
	all, err := s.Build(w.ctx, Scope{Name: "全部"}, week)
	if err != nil {
		t.Fatal(err)
	}
	if all.New.Now != 9 || all.Asked != 12 {
		t.Errorf("Build(全部) new = %d, asked = %d, want 9 and 12", all.New.Now, all.Asked)
	}
}

var personalNumber = regexp.MustCompile(`1[3-9][0-9]{9}|[0-9]{17}[0-9Xx]`)

func assertNoPersonalNumbers(t *testing.T, text string) {
	t.Helper()
	if m := personalNumber.FindString(text); m != "" {
		t.Errorf("summary shows a phone or ID number %s:\n%s", m, text)
	}
	for _, secret := range []string{"13812345678", "13912345678", "110101199003071233", "13987654321"} {
		if strings.Contains(text, secret) {
			t.Errorf("summary shows %s", secret)
		}
	}
}

func TestSummaryEmpty(t *testing.T) {
	w := newSummaryWorld(t)
	w.at("2026-03-09", 9, 0)
	s := New(w.db, Config{Calendar: w.cal, Now: w.clock.Now})
	got, err := s.Build(w.ctx, Scope{Name: "滕州市滨湖镇", Place: w.binhu}, s.LastWeek(shanghai))
	if err != nil {
		t.Fatal(err)
	}
	secs := got.Sections()
	if len(secs) != 7 {
		t.Fatalf("Sections() = %d sections, want 7", len(secs))
	}
	for _, sec := range secs[1:] {
		if len(sec.Lines) != 1 || sec.Lines[0] != "无" {
			t.Errorf("empty section %s = %q, want [无]", sec.Title, sec.Lines)
		}
	}
	if !strings.Contains(got.Text(), "新登记 0 件（环比持平）\n") {
		t.Errorf("empty Text() lacks 新登记 0 件（环比持平）:\n%s", got.Text())
	}
}

type fixedOpener struct {
	figures string
	text    string
	err     error
}

func (o *fixedOpener) SummaryOpening(ctx context.Context, figures string) (string, error) {
	o.figures = figures
	return o.text, o.err
}

func TestSummaryOpening(t *testing.T) {
	w := newSummaryWorld(t)
	w.at("2026-03-03", 9, 0)
	w.newRequest("滨湖镇", "前李村", "代办证件")
	w.at("2026-03-09", 9, 0)
	scope := Scope{Name: "滕州市滨湖镇", Place: w.binhu}
	tests := []struct {
		name string
		o    *fixedOpener
		want string
	}{
		{"written", &fixedOpener{text: "本周新登记 1 件。无逾期，联系 13812345678。"}, "本周新登记 1 件。无逾期，联系 138****5678。"},
		{"model failed", &fixedOpener{err: context.DeadlineExceeded}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := New(w.db, Config{Calendar: w.cal, Now: w.clock.Now, Opening: tt.o})
			got, err := s.Build(w.ctx, scope, s.LastWeek(shanghai))
			if err != nil {
				t.Fatal(err)
			}
			if got.Opening != tt.want {
				t.Errorf("Opening = %q, want %q", got.Opening, tt.want)
			}
			if !strings.Contains(tt.o.figures, "新登记 1 件") {
				t.Errorf("figures given to the model = %q, want the week's counts", tt.o.figures)
			}
			if tt.want != "" && !strings.HasPrefix(got.Text(), got.Title()+"\n"+tt.want+"\n") {
				t.Errorf("Text() does not open with the opening:\n%s", got.Text())
			}
		})
	}
}

type fixedTeaching struct {
	scope        towndesk.Place
	since, until time.Time
	f            towndesk.TeachingFigures
}

func (f *fixedTeaching) TeachingFigures(ctx context.Context, scope towndesk.Place, since, until time.Time) (towndesk.TeachingFigures, error) {
	f.scope, f.since, f.until = scope, since, until
	return f.f, nil
}

func TestSummaryTeaching(t *testing.T) {
	w := newSummaryWorld(t)
	w.at("2026-03-09", 9, 0)
	teach := &fixedTeaching{f: towndesk.TeachingFigures{Queue: 4, Stale: 1,
		Taught: []towndesk.TaughtCount{{By: "王芳", Count: 3}, {By: "李强", Count: 1}}}}
	s := New(w.db, Config{Calendar: w.cal, Now: w.clock.Now, Teaching: teach})
	week := s.LastWeek(shanghai)
	got, err := s.Build(w.ctx, Scope{Name: "滕州市滨湖镇", Place: w.binhu}, week)
	if err != nil {
		t.Fatal(err)
	}
	if teach.scope != w.binhu || !teach.since.Equal(week.Start()) || !teach.until.Equal(week.End()) {
		t.Errorf("teaching figures asked for %v %v–%v, want the scope's place and week", teach.scope, teach.since, teach.until)
	}
	text := got.Text()
	for _, want := range []string{"待纠正队列：4 个问法", "本周纠正：4 条（王芳 3 条、李强 1 条）", "已失效的纠正：1 条"} {
		if !strings.Contains(text, want) {
			t.Errorf("summary lacks %q:\n%s", want, text)
		}
	}
}

// TestSummaryFollowUpsAndReversals checks two figures a request's latest
// state hides: a 不满意 call followed, the same week, by a satisfied one
// counts both; and a reversed (冲正) entry is taken out of the week's money,
// listed, and leaves no unbalanced ledger behind.
func TestSummaryFollowUpsAndReversals(t *testing.T) {
	w := newSummaryWorld(t)
	w.at("2026-03-02", 9, 0)
	id := w.newRequest("滨湖镇", "前李村", "代办证件")
	w.move(id, "accepted", "in_progress")
	w.pay(id, "收取", "200") // meant 20
	w.pay(id, "支付", "20")
	show, err := w.desk.Show(w.ctx, desk.RequestShowInput{ID: id, By: "王芳"})
	w.must("show", err)
	wrong := show.Entries[0].ID
	_, err = w.desk.Reverse(w.ctx, desk.RequestReverseInput{Ref: desk.Ref{ID: id, By: "王芳"}, Entry: fmt.Sprint(wrong), Reason: "金额录错"})
	w.must("reverse", err)
	w.pay(id, "收取", "20")
	w.move(id, "done")
	w.at("2026-03-03", 9, 0)
	w.followUp(id, "不满意")
	w.move(id, "done")
	w.at("2026-03-05", 9, 0)
	w.followUp(id, "满意")

	w.at("2026-03-09", 9, 0)
	s := New(w.db, Config{Calendar: w.cal, Now: w.clock.Now})
	got, err := s.Build(w.ctx, Scope{Name: "滕州市滨湖镇", Place: w.binhu}, s.LastWeek(shanghai))
	w.must("build", err)
	if got.Satisfied != 1 || got.Dissatisfied != 1 || !slices.Equal(got.Reopened, []string{id}) {
		t.Errorf("follow-ups: 满意 %d, 不满意 %d, reopened %v; want 1, 1, [%s]", got.Satisfied, got.Dissatisfied, got.Reopened, id)
	}
	if want := (towndesk.Balance{Received: 2000, Paid: 2000}); got.Money != want {
		t.Errorf("money = %s, want %s (the reversed 200.00 taken out)", got.Money, want)
	}
	if len(got.Unbalanced) != 0 || len(got.Reversals) != 1 || got.Reversals[0].Reverses != wrong {
		t.Errorf("unbalanced %v, reversals %+v; want none, and the reversal of #%d", got.Unbalanced, got.Reversals, wrong)
	}
	text := got.Text()
	for _, line := range []string{
		"满意 1，基本满意 0，不满意 1",
		"退回重办 1 件：" + id,
		"本周收取 20.00 元，支付 20.00 元，领取 0.00 元，交付 0.00 元",
		"冲正 1 笔（已从上面的合计中减去）：",
		fmt.Sprintf("%s 收支 #%d 收取 200.00 元，由 王芳 以 #%d 冲正", id, wrong, got.Reversals[0].ID),
	} {
		if !strings.Contains(text, line+"\n") {
			t.Errorf("Text() lacks line %q; text:\n%s", line, text)
		}
	}
}
