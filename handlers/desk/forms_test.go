package desk

import (
	"context"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestDeskOpsMatchDesk checks that a card offers an operation exactly when
// the desk accepts it: in every status, each operation is tried for real.
func TestDeskOpsMatchDesk(t *testing.T) {
	ctx := context.Background()
	type move struct{ to, text string }
	tests := []struct {
		name  string
		moves []move
		want  []Op
	}{
		{"received", nil, []Op{OpAssign, OpNote, OpPay}},
		{"accepted", []move{{"accepted", ""}}, []Op{OpAssign, OpNote, OpPay, OpExtend}},
		{"in progress", []move{{"accepted", ""}, {"in_progress", ""}}, []Op{OpAssign, OpNote, OpPay, OpExtend}},
		{"waiting for the citizen", []move{{"accepted", ""}, {"in_progress", ""}, {"waiting_citizen", ""}}, []Op{OpAssign, OpNote, OpPay, OpExtend}},
		{"waiting for a department", []move{{"accepted", ""}, {"in_progress", ""}, {"waiting_dept", ""}}, []Op{OpAssign, OpNote, OpPay, OpExtend}},
		{"done", []move{{"accepted", ""}, {"in_progress", ""}, {"done", "已办好"}}, []Op{OpAssign, OpNote}},
		{"closed", []move{{"accepted", ""}, {"in_progress", ""}, {"done", "已办好"}, {"满意", ""}}, []Op{OpNote}},
		{"rejected", []move{{"rejected", "材料不全"}}, []Op{OpNote}},
		{"cancelled", []move{{"cancelled", "群众不办了"}}, []Op{OpNote}},
	}
	d, _, _ := newTestDesk(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			id := mustNew(t, d, validNew())
			for _, m := range tt.moves {
				var err error
				switch m.to {
				case "满意":
					_, err = d.FollowUp(ctx, RequestFollowUpInput{ID: id, By: "王芳", Result: m.to})
				case "done":
					_, err = d.Move(ctx, RequestMoveInput{ID: id, By: "王芳", To: m.to, Result: m.text})
				default:
					_, err = d.Move(ctx, RequestMoveInput{ID: id, By: "王芳", To: m.to, Reason: m.text})
				}
				if err != nil {
					t.Fatalf("move %s to %s: %v", id, m.to, err)
				}
			}
			show, err := d.Show(ctx, RequestShowInput{ID: id, By: "王芳"})
			if err != nil {
				t.Fatal(err)
			}
			got := Ops(show.Request)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Ops(%s) mismatch (-want +got):\n%s", show.Request.Status, diff)
			}
			try := map[Op]func() error{
				OpAssign: func() error {
					_, err := d.Assign(ctx, RequestAssignInput{ID: id, By: "王芳", Assignee: "U0CLERK001"})
					return err
				},
				OpNote: func() error {
					_, err := d.Note(ctx, RequestNoteInput{ID: id, By: "王芳", Text: "已电话联系"})
					return err
				},
				OpPay: func() error {
					_, err := d.Pay(ctx, RequestPayInput{ID: id, By: "王芳", Type: "收取", Amount: "20"})
					return err
				},
				OpExtend: func() error {
					_, err := d.Extend(ctx, RequestExtendInput{ID: id, By: "王芳", Days: 2, Reason: "等县里盖章"})
					return err
				},
			}
			for _, op := range []Op{OpAssign, OpNote, OpPay, OpExtend} {
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
