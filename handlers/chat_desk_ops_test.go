package handlers

import (
	"context"
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
		want  []DeskOp
	}{
		{"received", nil, []DeskOp{OpAssign, OpNote, OpPay}},
		{"accepted", []move{{"accepted", ""}}, []DeskOp{OpAssign, OpNote, OpPay, OpExtend}},
		{"in progress", []move{{"accepted", ""}, {"in_progress", ""}}, []DeskOp{OpAssign, OpNote, OpPay, OpExtend}},
		{"waiting for the citizen", []move{{"accepted", ""}, {"in_progress", ""}, {"waiting_citizen", ""}}, []DeskOp{OpAssign, OpNote, OpPay, OpExtend}},
		{"waiting for a department", []move{{"accepted", ""}, {"in_progress", ""}, {"waiting_dept", ""}}, []DeskOp{OpAssign, OpNote, OpPay, OpExtend}},
		{"done", []move{{"accepted", ""}, {"in_progress", ""}, {"done", "已办好"}}, []DeskOp{OpAssign, OpNote}},
		{"closed", []move{{"accepted", ""}, {"in_progress", ""}, {"done", "已办好"}, {"满意", ""}}, []DeskOp{OpNote}},
		{"rejected", []move{{"rejected", "材料不全"}}, []DeskOp{OpNote}},
		{"cancelled", []move{{"cancelled", "群众不办了"}}, []DeskOp{OpNote}},
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
			got := DeskOps(show.Request)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("DeskOps(%s) mismatch (-want +got):\n%s", show.Request.Status, diff)
			}
			try := map[DeskOp]func() error{
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
			for _, op := range []DeskOp{OpAssign, OpNote, OpPay, OpExtend} {
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

// TestChatDeskOpsAuthorisation checks who may make the desk operations
// from chat, and that a refusal changes nothing.
func TestChatDeskOpsAuthorisation(t *testing.T) {
	ctx := context.Background()
	c, _ := newTestChat(t)
	d, db, _ := newTestDesk(t)
	c.Desk = NewDeskChat(d, []string{"U0WORKER01"}, []string{"C0DESK0001"})
	id := mustNew(t, d, validNew())
	if _, err := d.Move(ctx, RequestMoveInput{ID: id, By: "王芳", To: "accepted"}); err != nil {
		t.Fatal(err)
	}
	ops := []struct {
		name string
		do   func(req ChatRequest) (*ChatReply, error)
	}{
		{"assign", func(req ChatRequest) (*ChatReply, error) {
			return c.AssignRequest(ctx, req, RequestAssignInput{ID: id, Assignee: req.User})
		}},
		{"note", func(req ChatRequest) (*ChatReply, error) {
			return c.NoteRequest(ctx, req, RequestNoteInput{ID: id, Text: "回电 13987654321"})
		}},
		{"pay", func(req ChatRequest) (*ChatReply, error) {
			return c.PayRequest(ctx, req, RequestPayInput{ID: id, Type: "收取", Amount: "10"})
		}},
		{"extend", func(req ChatRequest) (*ChatReply, error) {
			return c.ExtendRequest(ctx, req, RequestExtendInput{ID: id, Days: 1, Reason: "等群众 13987654321 回电"})
		}},
	}
	people := []struct {
		name    string
		req     ChatRequest
		allowed bool
	}{
		{"stranger elsewhere", ChatRequest{User: "U0STRANGER", Channel: "C0OTHER001"}, false},
		{"worker anywhere", ChatRequest{User: "U0WORKER01", Channel: "C0OTHER001"}, true},
		{"member of the desk channel", ChatRequest{User: "U0MEMBER01", Channel: "C0DESK0001"}, true},
	}
	for _, p := range people {
		for _, op := range ops {
			t.Run(p.name+"/"+op.name, func(t *testing.T) {
				before, _ := db.Request(ctx, id)
				r, err := op.do(p.req)
				after, _ := db.Request(ctx, id)
				if !p.allowed {
					if towndesk.ErrorCode(err) != towndesk.EUNAUTHORIZED || after.Version != before.Version {
						t.Errorf("%s by %s = %v (version %d → %d), want EUNAUTHORIZED and nothing changed", op.name, p.req.User, err, before.Version, after.Version)
					}
					return
				}
				if err != nil {
					t.Fatalf("%s by %s = %v", op.name, p.req.User, err)
				}
				if after.Version != before.Version+1 || r.Desk.Changed.Request.Version != after.Version {
					t.Errorf("%s by %s: version %d → %d, reply version %d", op.name, p.req.User, before.Version, after.Version, r.Desk.Changed.Request.Version)
				}
				if strings.Contains(r.Text, "13987654321") {
					t.Errorf("%s reply text %q shows a phone number unmasked", op.name, r.Text)
				}
			})
		}
	}
	mine, err := c.Handle(ctx, ChatRequest{User: "U0MEMBER01", Channel: "C0DESK0001", Text: "代办 列表 我的"})
	if err != nil || !strings.Contains(mine.Text, id) {
		t.Errorf("代办 列表 我的 by the assignee = %v, %v; want %s listed", mine, err, id)
	}
}

func TestChatDeskReadingIsForTheDesk(t *testing.T) {
	ctx := context.Background()
	c, _ := newTestChat(t)
	d, _, _ := newTestDesk(t)
	c.Desk = NewDeskChat(d, []string{"U0WORKER01"}, []string{"C0DESK0001"})
	id := mustNew(t, d, validNew())
	for _, text := range []string{"代办 " + id, "代办 列表"} {
		for _, tt := range []struct {
			name    string
			req     ChatRequest
			allowed bool
		}{
			{"stranger in a public channel", ChatRequest{Source: "slack", User: "U0STRANGER", Channel: "C0PUBLIC01"}, false},
			{"desk worker anywhere", ChatRequest{Source: "slack", User: "U0WORKER01", Channel: "C0PUBLIC01"}, true},
			{"member of a desk channel", ChatRequest{Source: "slack", User: "U0MEMBER01", Channel: "C0DESK0001"}, true},
			{"local console", ChatRequest{Source: "console", User: "王五", Channel: "console"}, true},
		} {
			tt.req.Text = text
			r, err := c.Handle(ctx, tt.req)
			switch {
			case tt.allowed && err != nil:
				t.Errorf("%s: Handle(%q) = %v, want the request shown", tt.name, text, err)
			case !tt.allowed && towndesk.ErrorCode(err) != towndesk.EUNAUTHORIZED:
				t.Errorf("%s: Handle(%q) = %v, %v; want EUNAUTHORIZED", tt.name, text, r, err)
			case !tt.allowed && r != nil && strings.Contains(r.Text, "张"):
				t.Errorf("%s: Handle(%q) showed a citizen's name: %s", tt.name, text, r.Text)
			}
		}
	}
}
