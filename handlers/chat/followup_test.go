package chat

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/towndesk/towndesk"
	"github.com/towndesk/towndesk/handlers/desk"
	"github.com/towndesk/towndesk/handlers/qa"
	"github.com/towndesk/towndesk/handlers/summary"
	"github.com/towndesk/towndesk/internal/testenv"
	"github.com/towndesk/towndesk/storage"
)

// talk sends messages as one person in one thread.
type talk struct {
	t   *testing.T
	c   *Chat
	req Message
}

func (v *talk) say(text string) *Reply {
	v.t.Helper()
	req := v.req
	req.Text = text
	r, err := v.c.Handle(context.Background(), req)
	if err != nil {
		v.t.Fatalf("Handle(%q) = %v", text, err)
	}
	return r
}

func (v *talk) fails(text string) error {
	v.t.Helper()
	req := v.req
	req.Text = text
	r, err := v.c.Handle(context.Background(), req)
	if err == nil {
		v.t.Fatalf("Handle(%q) = %q, want an error", text, r.Text)
	}
	return err
}

func questionTexts(t *testing.T, db *storage.DB) []string {
	t.Helper()
	qs, err := db.Questions(context.Background(), storage.QuestionFilter{})
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, q := range qs {
		out = append(out, q.Text+"="+string(q.Status))
	}
	return out
}

// TestFollowUpPlace checks that a place given after "请问是哪个乡镇" answers
// the question, that it is not logged as a question of its own, and that
// the week's summary lists nothing unanswered.
func TestFollowUpPlace(t *testing.T) {
	for _, source := range []string{"console", "slack"} {
		t.Run(source, func(t *testing.T) {
			c, db := newTestChat(t)
			v := &talk{t: t, c: c, req: Message{Source: source, User: "U1", Channel: "D1", Thread: "dm"}}
			if r := v.say("乱倒垃圾归谁管"); r.Answer.Status != towndesk.StatusNeedPlace {
				t.Fatalf("first question = %s, want need_place", r.Answer.Status)
			}
			r := v.say("下营镇")
			if r.Answer == nil || r.Answer.Place == nil || r.Answer.Place.Town != "下营镇" || r.Answer.Status == towndesk.StatusNeedPlace {
				t.Fatalf("reply 下营镇 = %+v, want the question answered for 下营镇:\n%s", r.Answer, r.Text)
			}
			got := questionTexts(t, db)
			if len(got) != 1 || !strings.HasPrefix(got[0], "乱倒垃圾归谁管=") || strings.HasSuffix(got[0], "=need_place") {
				t.Errorf("question log = %v, want only the question, with its new outcome", got)
			}
			// The thread keeps the place now.
			if r := v.say("那烧秸秆呢"); r.Answer.Place == nil || r.Answer.Place.Town != "下营镇" {
				t.Errorf("next question answered for %v, want 下营镇", r.Answer.Place)
			}

			s := summary.New(db, summary.Config{})
			week := summary.WeekOf(time.Now(), time.Local)
			sum, err := s.Build(context.Background(), summary.Scope{Name: "全部"}, week)
			if err != nil {
				t.Fatal(err)
			}
			if sum.Asked != 2 || len(sum.Unanswered) != 0 {
				t.Errorf("summary: asked %d, unanswered %+v; want 2 asked and the place reply not listed", sum.Asked, sum.Unanswered)
			}
		})
	}
}

// TestFollowUpChoices checks the replies to a list of places: a number, a
// county's name; and the note when the conversation's default place chose
// among same-named towns, with the reply that asks for the other one.
func TestFollowUpChoices(t *testing.T) {
	c, db := newTestChat(t)
	v := &talk{t: t, c: c, req: Message{Source: "slack", User: "U1", Channel: "C1", Thread: "1.1"}}
	r := v.say("柴胡店镇放鞭炮谁管")
	if r.Answer.Status != towndesk.StatusAmbiguousPlace || len(r.Answer.Places) != 2 || r.Answer.Places[1].County != "宁津县" {
		t.Fatalf("ambiguous question = %s %v", r.Answer.Status, r.Answer.Places)
	}
	if r := v.say("2"); r.Answer == nil || r.Answer.Place == nil || r.Answer.Place.County != "宁津县" {
		t.Fatalf("reply 2 = %+v, want 宁津县柴胡店镇", r.Answer)
	}
	v.req.Thread = "2.1"
	v.say("柴胡店镇放鞭炮谁管")
	if r := v.say("宁津的"); r.Answer == nil || r.Answer.Place == nil || r.Answer.Place.County != "宁津县" {
		t.Fatalf("reply 宁津的 = %+v, want 宁津县柴胡店镇", r.Answer)
	}
	if got := questionTexts(t, db); len(got) != 2 || got[0] != "柴胡店镇放鞭炮谁管=answered" || got[1] != got[0] {
		t.Errorf("question log = %v, want the two questions answered, no reply logged", got)
	}

	// In a 滕州市 channel the channel's county decides, and says so.
	v = &talk{t: t, c: c, req: Message{Source: "slack", User: "U1", Channel: "CTZ", Thread: "3.1", County: "滕州市"}}
	r = v.say("柴胡店镇放鞭炮谁管")
	want := "“柴胡店镇”不止一处：按本频道的地点取了滕州市柴胡店镇；另有宁津县柴胡店镇，要问那里请回复“宁津县的”。"
	if r.Answer.Place == nil || r.Answer.Place.County != "滕州市" || !strings.HasPrefix(r.Text, want) || !strings.Contains(r.Answer.Notice, want) {
		t.Fatalf("question in the 滕州市 channel = %v:\n%s\nnotice %q; want answered for 滕州市 and %q", r.Answer.Place, r.Text, r.Answer.Notice, want)
	}
	if r := v.say("宁津县的"); r.Answer.Place == nil || r.Answer.Place.County != "宁津县" {
		t.Errorf("reply 宁津县的 = %v, want 宁津县柴胡店镇", r.Answer.Place)
	}
	// A thread about 宁津县 now: the thread's place decides, and says so.
	r = v.say("柴胡店镇有人烧秸秆谁管")
	if r.Answer.Place == nil || r.Answer.Place.County != "宁津县" || !strings.Contains(r.Text, "按本话题的地点取了宁津县柴胡店镇") {
		t.Errorf("follow-up in the 宁津县 thread = %v:\n%s\nwant 宁津县 and the note", r.Answer.Place, r.Text)
	}
	// Without a choice to make, a question naming the town plainly has no note.
	r = v.say("宁津县柴胡店镇有人烧秸秆谁管")
	if strings.Contains(r.Text, "不止一处") {
		t.Errorf("a question naming the county got the note:\n%s", r.Text)
	}
}

// TestFollowUpUncertainPick checks that a number after an uncertain reply
// picks a candidate (the console's maintainer teaches it).
func TestFollowUpUncertainPick(t *testing.T) {
	c, _ := newTestChat(t)
	v := &talk{t: t, c: c, req: Message{Source: "slack", User: "U1", Channel: "C1", Thread: "1.1"}}
	r := v.say("下营镇乱搭乱建归谁管")
	if r.Answer.Status != towndesk.StatusUncertain || len(r.Answer.Rows) < 2 {
		t.Skipf("the sample answers %q as %s now; the test needs an uncertain reply", "下营镇乱搭乱建归谁管", r.Answer.Status)
	}
	if second, got := r.Answer.Rows[1].Code, v.say("第2个").Text; !strings.Contains(got, "已记录你的选择") || !strings.Contains(got, "编码 "+second) {
		t.Errorf("reply 第2个 did not record candidate %s", second)
	}
	v.req.Source, v.req.Thread = "console", "2.1"
	r = v.say("下营镇乱搭乱建归谁管")
	code := r.Answer.Rows[1].Code
	if r := v.say("2"); !strings.Contains(r.Text, "已记住") || !strings.Contains(r.Text, code) {
		t.Errorf("console reply 2 = %q, want candidate %s taught", r.Text, code)
	}
}

// TestFollowUpBasisFeedbackAndStartOver checks 原文 (also when the law is
// not embedded), 有用/没用 typed, 新问题 and 换个镇.
func TestFollowUpBasisFeedbackAndStartOver(t *testing.T) {
	db, k, idx, gaz := testenv.Search(t)
	c := New(qa.NewLists(db, k, idx, gaz), db)
	ctx := context.Background()
	binhu := testenv.Place(t, gaz, "滕州市", "滨湖镇")
	if _, err := db.ImportEdition(ctx, storage.EditionInput{Place: binhu, Edition: "2026", Items: []towndesk.PowerItem{
		{Code: "BH-001", Name: "对露天焚烧秸秆的处罚", Category: "行政处罚", Body: "滕州市滨湖镇人民政府", Mode: towndesk.ModeDevolved,
			Basis: "《山东省秸秆综合利用条例》第十二条"},
		{Code: "BH-002", Name: "对在乡、村庄规划区内未依法取得乡村建设规划许可证进行建设的处罚", Category: "行政处罚",
			Body: "滕州市滨湖镇人民政府", Mode: towndesk.ModeStatutory, Basis: "《中华人民共和国城乡规划法》第六十五条"},
	}}); err != nil {
		t.Fatal(err)
	}
	guanqiao := testenv.Place(t, gaz, "滕州市", "官桥镇")
	if _, err := db.ImportEdition(ctx, storage.EditionInput{Place: guanqiao, Edition: "2026", Items: []towndesk.PowerItem{
		{Code: "GQ-001", Name: "对在乡、村庄规划区内未依法取得乡村建设规划许可证进行建设的处罚", Category: "行政处罚",
			Body: "滕州市官桥镇人民政府", Mode: towndesk.ModeStatutory, Basis: "《中华人民共和国城乡规划法》第六十五条"},
	}}); err != nil {
		t.Fatal(err)
	}
	v := &talk{t: t, c: c, req: Message{Source: "slack", User: "U1", Channel: "C1", Thread: "1.1"}}
	if err := v.fails("原文"); !strings.Contains(towndesk.ErrorMessage(err), "还没有提问") {
		t.Errorf("原文 before any question = %v", err)
	}
	r := v.say("滨湖镇有人烧秸秆谁管")
	if r.Answer.Status != towndesk.StatusAnswered || r.Answer.Rows[0].Code != "BH-001" || r.Answer.Rows[0].HasArticles {
		t.Fatalf("烧秸秆 = %s %+v", r.Answer.Status, r.Answer.Rows)
	}
	if r := v.say("原文"); !strings.Contains(r.Text, "依据是：《山东省秸秆综合利用条例》第十二条") || !strings.Contains(r.Text, "没有收录") {
		t.Errorf("原文 of a basis not embedded = %q", r.Text)
	}
	if r := v.say("没用"); !strings.Contains(r.Text, "没有用") {
		t.Errorf("没用 = %q", r.Text)
	}
	bad, _ := db.Questions(ctx, storage.QuestionFilter{NotUseful: true})
	if len(bad) != 1 || bad[0].Text != "滨湖镇有人烧秸秆谁管" {
		t.Errorf("questions marked 没用 = %+v, want the 烧秸秆 one", bad)
	}
	v.say("那未取得乡村建设规划许可证建房呢")
	if r := v.say("原文"); !strings.Contains(r.Text, "城乡规划法") || !strings.Contains(r.Text, "第六十五条") {
		t.Errorf("原文 of an embedded basis = %q", r.Text)
	}
	if r := v.say("原文 城乡规划法 第六十四条"); !strings.Contains(r.Text, "第六十四条") {
		t.Errorf("原文 LAW ARTICLE = %q", r.Text)
	}

	// 换个镇 with a place asks the last question again there, as a new one.
	r = v.say("换个镇 官桥镇")
	if r.Answer == nil || r.Answer.Place == nil || r.Answer.Place.Town != "官桥镇" || r.Answer.Rows[0].Code != "GQ-001" {
		t.Fatalf("换个镇 官桥镇 = %+v\n%s", r.Answer, r.Text)
	}
	// 换个镇 alone waits for the place.
	if r := v.say("换个镇"); !strings.Contains(r.Text, "请回复要问的乡镇") || !strings.Contains(r.Text, "不再按滕州市官桥镇回答") {
		t.Errorf("换个镇 = %q", r.Text)
	}
	if r := v.say("滨湖"); r.Answer == nil || r.Answer.Place == nil || r.Answer.Place.Town != "滨湖镇" {
		t.Errorf("the place after 换个镇 = %+v", r.Answer)
	}
	// 新问题 forgets the place: the next question needs one.
	if r := v.say("新问题"); !strings.Contains(r.Text, "重新开始") {
		t.Errorf("新问题 = %q", r.Text)
	}
	if r := v.say("谁管烧秸秆"); r.Answer.Status != towndesk.StatusNeedPlace {
		t.Errorf("after 新问题: %s, want need_place", r.Answer.Status)
	}
	// A place before any question makes it the conversation's place.
	v.req.Thread = "9.9"
	if r := v.say("滨湖镇"); !strings.Contains(r.Text, "之后的问题按滕州市滨湖镇回答") || r.Answer != nil {
		t.Errorf("a place first = %q", r.Text)
	}
	if r := v.say("谁管烧秸秆"); r.Answer.Place == nil || r.Answer.Place.Town != "滨湖镇" {
		t.Errorf("question after the place = %v", r.Answer.Place)
	}
	for _, q := range questionTexts(t, db) {
		for _, reply := range []string{"原文=", "没用=", "滨湖=", "滨湖镇=", "换个镇", "新问题"} {
			if strings.HasPrefix(q, reply) {
				t.Errorf("reply logged as a question: %s", q)
			}
		}
	}
}

// TestChoiceNumber checks the ways a choice from a numbered list is written.
func TestChoiceNumber(t *testing.T) {
	for _, tt := range []struct {
		s    string
		n    int
		want int
	}{
		{"2", 3, 2}, {"２", 3, 2}, {"第2个", 3, 2}, {"第二个", 3, 2}, {"选3", 3, 3}, {"1号", 3, 1},
		{"4", 3, 0}, {"0", 3, 0}, {"二十", 30, 0}, {"2个人", 3, 0}, {"下营镇", 3, 0}, {"", 3, 0},
	} {
		if got := choiceNumber(tt.s, tt.n); got != tt.want {
			t.Errorf("choiceNumber(%q, %d) = %d, want %d", tt.s, tt.n, got, tt.want)
		}
	}
}

// TestDeskByText runs the whole desk from text commands, as the console
// does: intake, moves, assign, note, money with a reversal, extension,
// follow-up. In Slack the same commands point to the card.
func TestDeskByText(t *testing.T) {
	c, _ := newTestChat(t)
	d, db, first := newTestDesk(t)
	c.Desk = NewDesk(d, nil, nil)
	v := &talk{t: t, c: c, req: Message{Source: "console", User: "王五", Channel: "console", Thread: "c1"}}
	if r := v.say("代办"); strings.Contains(r.Text, "Slack") || !strings.Contains(r.Text, "代办 登记 镇=") {
		t.Errorf("代办 on the console = %q, want how to log one here", r.Text)
	}
	err := v.fails("代办 登记 镇=滨湖镇 姓名=李四 电话=123 类型=代办证件")
	for _, want := range []string{"未登记", "电话", "请填写办理事项"} {
		if !strings.Contains(towndesk.ErrorMessage(err), want) {
			t.Errorf("bad intake = %v, want %q named", err, want)
		}
	}
	r := v.say("代办 登记 镇=滨湖镇 姓名=李四 电话=13912345678 村=后王村 类型=代办证件 事项=代办 残疾证 材料=身份证,户口本")
	if r.Desk == nil || r.Desk.Changed == nil {
		t.Fatalf("代办 登记 = %q, want a request logged", r.Text)
	}
	id := r.Desk.Changed.Request.ID
	if id == first || r.Desk.Changed.Request.Matter != "代办 残疾证" {
		t.Errorf("logged %s with matter %q, want a new request with the matter as typed", id, r.Desk.Changed.Request.Matter)
	}
	for _, step := range []struct{ text, want string }{
		{"代办 " + id + " 已受理", "已登记 → 已受理"},
		{"代办 " + id + " 转为 办理中", "已受理 → 办理中"},
		{"代办 " + id + " 指派 李娜", "改由 李娜 承办"},
		{"代办 " + id + " 备注 已电话联系 13987654321", "139****4321"},
		{"代办 " + id + " 延期 2 等部门盖章", "办理时限由"},
		{"代办 " + id + " 收付 收取 200 票据号=R1", "收取 200.00 元"},
		{"代办 " + id + " 收付 支付 20 交医保局", "支付 20.00 元"},
		{"代办 " + id + " 收付 收取 20", "收取 220.00 元"},
	} {
		if r := v.say(step.text); !strings.Contains(r.Text, step.want) {
			t.Errorf("%s = %q, want %q", step.text, r.Text, step.want)
		}
	}
	if err := v.fails("代办 " + id + " 转为 已办结 已办好"); !strings.Contains(towndesk.ErrorMessage(err), "收支未平") {
		t.Errorf("done with an unbalanced ledger = %v", err)
	}
	show, err := d.Show(context.Background(), deskShow(id))
	if err != nil {
		t.Fatal(err)
	}
	wrong := show.Entries[0].ID
	if r := v.say("代办 " + id + " 冲正 #" + itoa(wrong) + " 金额录错"); !strings.Contains(r.Text, "已冲正收支 #"+itoa(wrong)) {
		t.Errorf("冲正 = %q", r.Text)
	}
	for _, step := range []struct{ text, want string }{
		{"代办 " + id + " 转为 已办结 残疾证已办好", "办理中 → 已办结"},
		{"代办 " + id + " 回访 不满意 群众说证件有误", "回访不满意"},
		{"代办 " + id + " 已办结 已重新办好", "办理中 → 已办结"},
		{"代办 " + id + " 回访 满意", "回访满意，已归档"},
		{"代办 " + id, "已回访归档"},
		{"代办 " + id + " 完整号码", "13912345678"},
		{"代办 " + id, "查看完整信息"}, // recorded
	} {
		if r := v.say(step.text); !strings.Contains(r.Text, step.want) {
			t.Errorf("%s = %q, want %q", step.text, r.Text, step.want)
		}
	}
	for _, tt := range []struct{ text, want string }{
		{"代办 " + id + " 备住 已联系", "是不是：备注？"},
		{"代办 " + id + " 收付 收取", "用法：代办 " + id + " 收付"},
		{"代办 " + id + " 延期 三天 等待", "延期天数应为工作日数"},
	} {
		if err := v.fails(tt.text); !strings.Contains(towndesk.ErrorMessage(err), tt.want) {
			t.Errorf("%s = %v, want %q", tt.text, err, tt.want)
		}
	}
	if rs, _, _ := db.Requests(context.Background(), towndesk.RequestFilter{}); len(rs) != 2 {
		t.Errorf("requests = %d, want 2 (the refused intake stored nothing)", len(rs))
	}

	// In Slack the card does it: the text commands say so and change nothing.
	c.Desk = NewDesk(d, []string{"U0WORKER01"}, nil)
	slack := &talk{t: t, c: c, req: Message{Source: "slack", User: "U0WORKER01", Channel: "C1"}}
	for _, text := range []string{"代办 " + first + " 已受理", "代办 登记 镇=滨湖镇 姓名=王二"} {
		if err := slack.fails(text); !strings.Contains(towndesk.ErrorMessage(err), "卡片上的按钮") {
			t.Errorf("Slack %s = %v, want the card pointed to", text, err)
		}
	}
	if r, _ := db.Request(context.Background(), first); r.Status != towndesk.StatusReceived {
		t.Errorf("request %s is %s after the Slack text command, want unchanged", first, r.Status)
	}
}

func deskShow(id string) desk.RequestShowInput { return desk.RequestShowInput{ID: id, By: "王五"} }

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// TestChangePlaceFirst: 换个镇 with a town before any question makes the
// town the conversation's place.
func TestChangePlaceFirst(t *testing.T) {
	c, _ := newTestChat(t)
	v := &talk{t: t, c: c, req: Message{Source: "slack", User: "U1", Channel: "C1", Thread: "9.1"}}
	if r := v.say("换个镇 下营镇"); !strings.Contains(r.Text, "下营镇") || !strings.Contains(r.Text, "之后的问题按") {
		t.Errorf("换个镇 下营镇 before any question = %q, want the town taken as the conversation's place", r.Text)
	}
	if r := v.say("有人烧秸秆谁管"); r.Answer == nil || r.Answer.Place == nil || r.Answer.Place.Town != "下营镇" {
		t.Errorf("next question answered for %+v, want 下营镇", r.Answer)
	}
}
