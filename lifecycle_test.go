package towndesk

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// at returns a time of day in China.
func at(day string, hour int) time.Time {
	t, err := time.ParseInLocation("2006-01-02", day, ChinaTime)
	if err != nil {
		panic(err)
	}
	return t.Add(time.Duration(hour) * time.Hour)
}

func testCalendar(t *testing.T) *Calendar {
	t.Helper()
	cal, err := ParseCalendar(strings.NewReader(HolidaysExample))
	if err != nil {
		t.Fatal(err)
	}
	return cal
}

// TestMoveDueDates follows a request through acceptance and a wait: the
// due date is set from the promised working days and pushed back by the
// working days spent waiting, and each effect is recorded as an event.
func TestMoveDueDates(t *testing.T) {
	cal := testCalendar(t)
	r := &Request{ID: "2026-0001", Status: StatusReceived, Kind: "代办证件", PromisedDays: 5}
	// Friday 2026-02-13, 5 working days: the make-up Saturday 02-14, then
	// after the Spring Festival 02-24 to 02-27.
	c, err := r.Move(Move{To: StatusAccepted, By: "李娜", At: at("2026-02-13", 9), Calendar: cal})
	if err != nil {
		t.Fatal(err)
	}
	if c.Request.Due != "2026-02-27" || c.Request.AcceptedAt.IsZero() || r.Status != StatusReceived {
		t.Fatalf("accepted: due %s accepted at %v, original status %s; want 2026-02-27, a time, and r unchanged",
			c.Request.Due, c.Request.AcceptedAt, r.Status)
	}
	var types []EventType
	for _, e := range c.Events {
		types = append(types, e.Type)
	}
	if diff := cmp.Diff([]EventType{EventMoved, EventDue}, types); diff != "" {
		t.Errorf("acceptance events mismatch (-want +got):\n%s", diff)
	}
	r = c.Request
	for _, step := range []struct {
		to Status
		at time.Time
	}{{StatusInProgress, at("2026-02-24", 9)}, {StatusWaitingCitizen, at("2026-02-24", 10)}} {
		if c, err = r.Move(Move{To: step.to, By: "李娜", At: step.at, Calendar: cal}); err != nil {
			t.Fatal(err)
		}
		r = c.Request
	}
	if r.WaitingSince.IsZero() {
		t.Fatal("waiting request has no WaitingSince")
	}
	// Back on Thursday 02-26: two working days of waiting do not count;
	// the due date moves past the make-up Saturday 02-28 to Monday 03-02.
	c, err = r.Move(Move{To: StatusInProgress, By: "李娜", At: at("2026-02-26", 15), Calendar: cal})
	if err != nil {
		t.Fatal(err)
	}
	if c.Request.Due != "2026-03-02" || c.Paused != 2 || !c.Request.WaitingSince.IsZero() {
		t.Errorf("back from waiting: due %s paused %d waiting since %v; want 2026-03-02, 2, none", c.Request.Due, c.Paused, c.Request.WaitingSince)
	}
	if last := c.Events[len(c.Events)-1]; last.Type != EventDue || last.From != "2026-02-27" || last.To != "2026-03-02" {
		t.Errorf("last event = %+v, want the due date pushed from 2026-02-27 to 2026-03-02", last)
	}
}

// TestMoveToDoneNeedsBalancedLedger checks the ledger check of done and
// the words each move must be given.
func TestMoveToDoneNeedsBalancedLedger(t *testing.T) {
	r := &Request{ID: "2026-0002", Status: StatusInProgress, Due: "2026-03-02"}
	unbalanced := []LedgerEntry{{Type: EntryReceived, Amount: 8000}, {Type: EntryPaid, Amount: 3050}}
	tests := []struct {
		name  string
		m     Move
		want  string // part of the message; "" for allowed
		field string
	}{
		{"unbalanced", Move{To: StatusDone, Result: "已办", Ledger: unbalanced}, "收支未平，不能办结：收取 80.00 元，支付 30.50 元，差额 49.50 元", ""},
		{"balanced", Move{To: StatusDone, Result: "已办", Ledger: append(unbalanced, LedgerEntry{Type: EntryPaid, Amount: 4950})}, "", ""},
		{"no result", Move{To: StatusDone}, "办结须填写办理结果", "result"},
		{"no reason", Move{To: StatusCancelled, Note: "群众来电"}, "「已撤销」须写明理由", "reason"},
		{"overlong note", Move{To: StatusWaitingDept, Note: strings.Repeat("字", MaxText+1)}, "备注过长（最多 2000 字）", "note"},
		{"not allowed", Move{To: StatusAccepted}, "不能转为「已受理」", "status"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := r.Move(tt.m)
			if tt.want == "" {
				if err != nil || c.Request.Status != tt.m.To || c.Request.Result != "已办" {
					t.Errorf("Move(%s) = %v, want it moved", tt.m.To, err)
				}
				return
			}
			if !invalidWith(err, tt.want) || ErrorField(err) != tt.field {
				t.Errorf("Move(%s) = %v (field %q), want EINVALID containing %q on field %q", tt.m.To, err, ErrorField(err), tt.want, tt.field)
			}
		})
	}
}

// TestLifecycleTable checks that the table agrees with the status
// predicates: what a request can do in each status.
func TestLifecycleTable(t *testing.T) {
	for _, s := range Statuses {
		r := &Request{ID: "2026-0003", Status: s}
		if s.Active() {
			r.Due = "2026-03-02"
		}
		ops := r.Ops()
		if got, want := slices.Contains(ops, OpAssign), !s.Final(); got != want {
			t.Errorf("%s: assign offered %v, want %v (until the request has ended)", s, got, want)
		}
		if got, want := slices.Contains(ops, OpPay), s != StatusDone && !s.Final(); got != want {
			t.Errorf("%s: pay offered %v, want %v (until it is done)", s, got, want)
		}
		if got, want := slices.Contains(ops, OpExtend), s.Active(); got != want {
			t.Errorf("%s: extend offered %v, want %v (while its due date runs)", s, got, want)
		}
		if !slices.Contains(ops, OpNote) {
			t.Errorf("%s: a note is not offered; it always is", s)
		}
		if got, want := s.AwaitsFollowUp(), s == StatusDone; got != want {
			t.Errorf("%s: awaits follow-up %v, want %v", s, got, want)
		}
		if s.Final() && len(s.Next()) > 0 {
			t.Errorf("final status %s moves to %v", s, s.Next())
		}
		for _, op := range []Op{OpAssign, OpNote, OpPay, OpExtend} {
			if err := r.CheckOp(op); (err == nil) != slices.Contains(ops, op) {
				t.Errorf("%s: CheckOp(%s) = %v, but Ops() = %v", s, op, err, ops)
			}
		}
	}
	// Without a due date there is nothing to extend.
	if ops := (&Request{Status: StatusAccepted}).Ops(); slices.Contains(ops, OpExtend) {
		t.Errorf("Ops() of an accepted request without a due date = %v, want no extend", ops)
	}
}

// TestProblemsNameTheirField checks that every problem of a new request
// names the form input it concerns, and that all are reported at once.
func TestProblemsNameTheirField(t *testing.T) {
	r := &Request{Village: strings.Repeat("村", MaxName+1), Phone: "1381234567", IDNumber: "110101199003071234",
		PromisedDays: 5, Materials: []string{"身份证", " "}}
	got := map[string]string{}
	for _, err := range r.Problems() {
		if ErrorCode(err) != EINVALID {
			t.Errorf("problem %v is not EINVALID", err)
		}
		got[ErrorField(err)] = ErrorMessage(err)
	}
	for field, want := range map[string]string{
		"town": "请填写乡镇", "village": "村（社区）名称过长", "citizen": "请填写群众姓名", "phone": "电话号码「1381234567」不对",
		"id_number": "身份证号校验位不对", "kind": "请填写代办类型", "matter": "请填写办理事项", "materials": "材料名称不能为空", "by": "请注明登记人",
	} {
		if !strings.Contains(got[field], want) {
			t.Errorf("problem on %s = %q, want one containing %q", field, got[field], want)
		}
	}
	if err := r.Validate(); ErrorField(err) != "town" {
		t.Errorf("Validate() = %v on field %q, want the first problem (town)", err, ErrorField(err))
	}
}

func TestWithField(t *testing.T) {
	err := WithField(Errorf(EINVALID, "电话号码不对"), "phone")
	if ErrorField(err) != "phone" || ErrorMessage(err) != "电话号码不对" || ErrorCode(err) != EINVALID {
		t.Errorf("WithField = %v (field %q), want the same error on phone", err, ErrorField(err))
	}
	if err := WithField(Invalidf("county", "x"), "town"); ErrorField(err) != "county" {
		t.Errorf("WithField over a field = %q, want the first field kept", ErrorField(err))
	}
	if err := WithField(nil, "town"); err != nil {
		t.Errorf("WithField(nil) = %v, want nil", err)
	}
}

func TestStatusTypos(t *testing.T) {
	for typo, want := range map[string]string{"doen": "是不是：已办结（done）？", "acepted": "是不是：已受理（accepted）？", "办理": "是不是：办理中（in_progress）？"} {
		_, err := ParseStatus(typo)
		if !invalidWith(err, want) {
			t.Errorf("ParseStatus(%q) = %v, want %q", typo, err, want)
		}
	}
	if _, err := ParseStatus("xyz"); strings.Contains(ErrorMessage(err), "是不是") {
		t.Errorf("ParseStatus(xyz) = %v, want no suggestion", err)
	}
}

// TestReverse checks the correction of a mistyped amount: a reversing
// entry that references the entry it cancels, counted in the balance,
// never twice, never of a reversal, and only while money may be booked.
func TestReverse(t *testing.T) {
	r := &Request{ID: "2026-0001", Status: StatusInProgress}
	ledger := []LedgerEntry{
		{ID: 7, RequestID: r.ID, Type: EntryReceived, Amount: 20000, By: "王芳", At: at("2026-03-02", 9)}, // 200.00 typed for 20.00
		{ID: 9, RequestID: r.ID, Type: EntryPaid, Amount: 2000, By: "王芳", At: at("2026-03-02", 10)},
		{ID: 11, RequestID: r.ID, Type: EntryReceived, Amount: 2000, By: "王芳", At: at("2026-03-02", 11)},
	}
	if BalanceOf(ledger).Balanced() {
		t.Fatal("the mistyped ledger balances; the test needs it not to")
	}
	c, err := r.Reverse(ledger, Reversal{Entry: 7, Reason: " 金额录错，应为 20 元 ", By: "李娜", At: at("2026-03-02", 12)})
	if err != nil {
		t.Fatal(err)
	}
	want := LedgerEntry{RequestID: r.ID, Type: EntryReceived, Amount: 20000, Note: "金额录错，应为 20 元", By: "李娜",
		At: at("2026-03-02", 12), Reverses: 7}
	if len(c.Entries) != 1 {
		t.Fatalf("Reverse booked %d entries, want 1", len(c.Entries))
	}
	if diff := cmp.Diff(want, c.Entries[0]); diff != "" {
		t.Errorf("reversing entry mismatch (-want +got):\n%s", diff)
	}
	if len(c.Events) != 1 || c.Events[0].Type != EventReversed || !strings.Contains(c.Events[0].From, "#7 收取 200.00 元") ||
		!strings.Contains(c.Events[0].Note, "金额录错") {
		t.Errorf("Reverse events = %+v, want one 冲正 event naming #7 and the reason", c.Events)
	}
	done := append(slices.Clone(ledger), LedgerEntry{ID: 12, Type: EntryReceived, Amount: 20000, Note: "金额录错", By: "李娜", Reverses: 7})
	if b := BalanceOf(done); !b.Balanced() || b.Received != 2000 {
		t.Errorf("balance after the reversal = %s, want balanced with 收取 20.00", b)
	}
	if _, err := c.Request.Move(Move{To: StatusDone, Result: "已办", Ledger: done}); err != nil {
		t.Errorf("done after the reversal: %v, want allowed (the ledger balances)", err)
	}

	for _, tt := range []struct {
		name   string
		req    *Request
		ledger []LedgerEntry
		v      Reversal
		code   string
		want   string
	}{
		{"no such entry", r, ledger, Reversal{Entry: 8, Reason: "录错"}, ENOTFOUND, "没有编号为 #8 的收支"},
		{"no reason", r, ledger, Reversal{Entry: 7, Reason: "  "}, EINVALID, "冲正须写明理由"},
		{"twice", r, done, Reversal{Entry: 7, Reason: "再冲一次"}, EINVALID, "收支 #7 已于"},
		{"a reversal", r, done, Reversal{Entry: 12, Reason: "冲错了"}, EINVALID, "本身是冲正记录"},
		{"done", &Request{ID: r.ID, Status: StatusDone}, ledger, Reversal{Entry: 7, Reason: "录错"}, EINVALID, "不能再登记收支"},
		{"overlong reason", r, ledger, Reversal{Entry: 7, Reason: strings.Repeat("错", MaxText+1)}, EINVALID, "冲正理由过长"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			tt.v.By, tt.v.At = "李娜", at("2026-03-02", 12)
			_, err := tt.req.Reverse(tt.ledger, tt.v)
			if ErrorCode(err) != tt.code || !strings.Contains(ErrorMessage(err), tt.want) {
				t.Errorf("Reverse(#%d) = %v, want %s containing %q", tt.v.Entry, err, tt.code, tt.want)
			}
		})
	}
	if _, err := r.Book(LedgerEntry{Type: EntryReceived, Amount: 100, By: "王芳", Reverses: 7}); ErrorCode(err) != EINVALID {
		t.Errorf("Book(an entry that says it reverses) = %v, want invalid: reversals go through Reverse", err)
	}
}
