package desk

import (
	"context"
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/towndesk/towndesk"
)

// TestDeskOpsMatchDesk checks that a card offers an operation exactly when
// the desk accepts it: in every status, each operation is tried for real.
func TestDeskOpsMatchDesk(t *testing.T) {
	ctx := context.Background()
	type move struct{ to, text string }
	tests := []struct {
		name  string
		moves []move
		want  []towndesk.Op
	}{
		{"received", nil, []towndesk.Op{towndesk.OpAssign, towndesk.OpNote, towndesk.OpPay}},
		{"accepted", []move{{"accepted", ""}}, []towndesk.Op{towndesk.OpAssign, towndesk.OpNote, towndesk.OpPay, towndesk.OpExtend}},
		{"in progress", []move{{"accepted", ""}, {"in_progress", ""}}, []towndesk.Op{towndesk.OpAssign, towndesk.OpNote, towndesk.OpPay, towndesk.OpExtend}},
		{"waiting for the citizen", []move{{"accepted", ""}, {"in_progress", ""}, {"waiting_citizen", ""}}, []towndesk.Op{towndesk.OpAssign, towndesk.OpNote, towndesk.OpPay, towndesk.OpExtend}},
		{"waiting for a department", []move{{"accepted", ""}, {"in_progress", ""}, {"waiting_dept", ""}}, []towndesk.Op{towndesk.OpAssign, towndesk.OpNote, towndesk.OpPay, towndesk.OpExtend}},
		{"done", []move{{"accepted", ""}, {"in_progress", ""}, {"done", "已办好"}}, []towndesk.Op{towndesk.OpAssign, towndesk.OpNote}},
		{"closed", []move{{"accepted", ""}, {"in_progress", ""}, {"done", "已办好"}, {"满意", ""}}, []towndesk.Op{towndesk.OpNote}},
		{"rejected", []move{{"rejected", "材料不全"}}, []towndesk.Op{towndesk.OpNote}},
		{"cancelled", []move{{"cancelled", "群众不办了"}}, []towndesk.Op{towndesk.OpNote}},
	}
	d, _, _ := newTestDesk(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			id := mustNew(t, d, validNew())
			for _, m := range tt.moves {
				var err error
				switch m.to {
				case "满意":
					_, err = d.FollowUp(ctx, RequestFollowUpInput{Ref: Ref{ID: id, By: "王芳"}, Result: m.to})
				case "done":
					_, err = d.Move(ctx, RequestMoveInput{Ref: Ref{ID: id, By: "王芳"}, To: m.to, Result: m.text})
				default:
					_, err = d.Move(ctx, RequestMoveInput{Ref: Ref{ID: id, By: "王芳"}, To: m.to, Reason: m.text})
				}
				if err != nil {
					t.Fatalf("move %s to %s: %v", id, m.to, err)
				}
			}
			show, err := d.Show(ctx, RequestShowInput{ID: id, By: "王芳"})
			if err != nil {
				t.Fatal(err)
			}
			got := show.Request.Ops()
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Ops() of a %s request mismatch (-want +got):\n%s", show.Request.Status, diff)
			}
			try := map[towndesk.Op]func() error{
				towndesk.OpAssign: func() error {
					_, err := d.Assign(ctx, RequestAssignInput{Ref: Ref{ID: id, By: "王芳"}, Assignee: "U0CLERK001"})
					return err
				},
				towndesk.OpNote: func() error {
					_, err := d.Note(ctx, RequestNoteInput{Ref: Ref{ID: id, By: "王芳"}, Text: "已电话联系"})
					return err
				},
				towndesk.OpPay: func() error {
					_, err := d.Pay(ctx, RequestPayInput{Ref: Ref{ID: id, By: "王芳"}, Type: "收取", Amount: "20"})
					return err
				},
				towndesk.OpExtend: func() error {
					_, err := d.Extend(ctx, RequestExtendInput{Ref: Ref{ID: id, By: "王芳"}, Days: 2, Reason: "等县里盖章"})
					return err
				},
			}
			for _, op := range []towndesk.Op{towndesk.OpAssign, towndesk.OpNote, towndesk.OpPay, towndesk.OpExtend} {
				err := try[op]()
				if offered := slices.Contains(got, op); offered != (err == nil) {
					t.Errorf("%s on a %s request: offered %v, desk says %v", op, show.Request.Status, offered, err)
				}
			}
		})
	}
}

func TestValidatePay(t *testing.T) {
	tests := []struct {
		name         string
		typ, amount  string
		wantProblems []string
	}{
		{"valid", "收取", "50.00", nil},
		{"english type", "pay", "0.5", nil},
		{"three decimals", "支付", "12.345", []string{"amount"}},
		{"not a number", "领取", "五十", []string{"amount"}},
		{"zero", "交付", "0", []string{"amount"}},
		{"negative", "收取", "-5", []string{"amount"}},
		{"empty", "", "", []string{"amount", "type"}},
		{"unknown type", "退款", "10", []string{"type"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := ValidatePay(RequestPayInput{Type: tt.typ, Amount: tt.amount})
			var got []string
			for f := range p {
				got = append(got, f)
			}
			slices.Sort(got)
			if !slices.Equal(got, tt.wantProblems) {
				t.Errorf("ValidatePay(%q, %q) = %v, want problems on %v", tt.typ, tt.amount, p, tt.wantProblems)
			}
		})
	}
}

func TestValidateReverse(t *testing.T) {
	tests := []struct {
		name                       string
		entry, reason, typ, amount string
		wantProblems               []string
	}{
		{"valid", "#3", "金额录错", "", "", nil},
		{"bare number", "3", "金额录错", "", "", nil},
		{"no reason", "3", " ", "", "", []string{"note"}},
		{"type and amount given", "3", "录错", "收取", "20", []string{"amount", "type"}},
		{"bad number", "三", "录错", "", "", []string{"reverse"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := ValidateReverse(tt.entry, tt.reason, tt.typ, tt.amount)
			got := slices.Sorted(maps.Keys(p))
			if !slices.Equal(got, tt.wantProblems) {
				t.Errorf("ValidateReverse(%q, %q, %q, %q) = %v, want problems on %v", tt.entry, tt.reason, tt.typ, tt.amount, p, tt.wantProblems)
			}
		})
	}
}

func TestValidateExtend(t *testing.T) {
	tests := []struct {
		name, days, reason string
		wantDays           int
		wantProblems       []string
	}{
		{"valid", "3", "等县里盖章", 3, nil},
		{"spaces", " 5 ", "等", 5, nil},
		{"out of range is the desk's to say", "0", "等", 0, nil},
		{"not a number", "三", "等", 0, []string{"days"}},
		{"no reason", "3", "  ", 3, []string{"reason"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			days, p := ValidateExtend(tt.days, tt.reason)
			var got []string
			for f := range p {
				got = append(got, f)
			}
			slices.Sort(got)
			if days != tt.wantDays || !slices.Equal(got, tt.wantProblems) {
				t.Errorf("ValidateExtend(%q, %q) = %d, %v; want %d, problems on %v", tt.days, tt.reason, days, p, tt.wantDays, tt.wantProblems)
			}
		})
	}
}

// TestIntakeErrorsNameTheirField checks that the intake form's problems,
// those found at once and those New finds one by one (the item code and
// the town need a lookup), name the input they concern.
func TestIntakeErrorsNameTheirField(t *testing.T) {
	d, _, _ := newTestDesk(t)
	bad := RequestNewInput{By: "王芳", Town: "滨湖镇", Citizen: " ", Phone: "12345", IDNumber: "110101199003071235", Kind: "办证"}
	got := d.ValidateIntake(bad)
	for _, field := range []string{"citizen", "phone", "id_number", "kind", "matter"} {
		if got[field] == "" {
			t.Errorf("ValidateIntake: no problem on %s; got %v", field, got)
		}
	}
	if len(got) != 5 {
		t.Errorf("ValidateIntake = %v, want problems on exactly five fields", got)
	}
	tests := []struct {
		name, field string
		change      func(*RequestNewInput)
	}{
		{"unknown item code", "item", func(in *RequestNewInput) { in.Item = "370481XK001" }},
		{"unknown town", "town", func(in *RequestNewInput) { in.Town = "火星镇" }},
		{"unknown county", "county", func(in *RequestNewInput) { in.County = "不存在县" }},
		{"overlong village", "village", func(in *RequestNewInput) { in.Village = strings.Repeat("村", towndesk.MaxName+1) }},
	}
	for _, tt := range tests {
		in := validNew()
		tt.change(&in)
		if _, err := d.New(context.Background(), in); towndesk.ErrorField(err) != tt.field {
			t.Errorf("%s: New = %v on field %q, want field %q", tt.name, err, towndesk.ErrorField(err), tt.field)
		}
	}
}

// TestShowSaysWhatCanBeDone checks that a request's text lists the moves
// and operations of the lifecycle table, as the CLI and the console show.
func TestShowSaysWhatCanBeDone(t *testing.T) {
	ctx := context.Background()
	d, _, _ := newTestDesk(t)
	id := mustNew(t, d, validNew())
	show, err := d.Show(ctx, RequestShowInput{ID: id, By: "王芳"})
	if err != nil {
		t.Fatal(err)
	}
	text := show.Text()
	for _, want := range []string{"可转为：已受理（accepted）、不予受理（rejected）、已撤销（cancelled）", "还可以：指派（assign）、备注（note）、收付（pay）"} {
		if !strings.Contains(text, want) {
			t.Errorf("Show text lacks %q:\n%s", want, text)
		}
	}
	if diff := cmp.Diff([]towndesk.Op{towndesk.OpAssign, towndesk.OpNote, towndesk.OpPay}, show.Ops); diff != "" {
		t.Errorf("Show ops mismatch (-want +got):\n%s", diff)
	}
}
