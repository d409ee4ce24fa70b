package chat

import (
	"context"
	"strings"
	"testing"

	"github.com/towndesk/towndesk"
	"github.com/towndesk/towndesk/handlers/desk"
)

// TestChatDeskOpsAuthorisation checks who may make the desk operations
// from chat, and that a refusal changes nothing.
func TestChatDeskOpsAuthorisation(t *testing.T) {
	ctx := context.Background()
	c, _ := newTestChat(t)
	d, db, id := newTestDesk(t)
	c.Desk = NewDesk(d, []string{"U0WORKER01"}, []string{"C0DESK0001"})
	if _, err := d.Move(ctx, desk.RequestMoveInput{ID: id, By: "王芳", To: "accepted"}); err != nil {
		t.Fatal(err)
	}
	ops := []struct {
		name string
		do   func(req Message) (*Reply, error)
	}{
		{"assign", func(req Message) (*Reply, error) {
			return c.AssignRequest(ctx, req, desk.RequestAssignInput{ID: id, Assignee: req.User})
		}},
		{"note", func(req Message) (*Reply, error) {
			return c.NoteRequest(ctx, req, desk.RequestNoteInput{ID: id, Text: "回电 13987654321"})
		}},
		{"pay", func(req Message) (*Reply, error) {
			return c.PayRequest(ctx, req, desk.RequestPayInput{ID: id, Type: "收取", Amount: "10"})
		}},
		{"extend", func(req Message) (*Reply, error) {
			return c.ExtendRequest(ctx, req, desk.RequestExtendInput{ID: id, Days: 1, Reason: "等群众 13987654321 回电"})
		}},
	}
	people := []struct {
		name    string
		req     Message
		allowed bool
	}{
		{"stranger elsewhere", Message{User: "U0STRANGER", Channel: "C0OTHER001"}, false},
		{"worker anywhere", Message{User: "U0WORKER01", Channel: "C0OTHER001"}, true},
		{"member of the desk channel", Message{User: "U0MEMBER01", Channel: "C0DESK0001"}, true},
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
	mine, err := c.Handle(ctx, Message{User: "U0MEMBER01", Channel: "C0DESK0001", Text: "代办 列表 我的"})
	if err != nil || !strings.Contains(mine.Text, id) {
		t.Errorf("代办 列表 我的 by the assignee = %v, %v; want %s listed", mine, err, id)
	}
}

func TestChatDeskReadingIsForTheDesk(t *testing.T) {
	ctx := context.Background()
	c, _ := newTestChat(t)
	d, _, id := newTestDesk(t)
	c.Desk = NewDesk(d, []string{"U0WORKER01"}, []string{"C0DESK0001"})
	for _, text := range []string{"代办 " + id, "代办 列表"} {
		for _, tt := range []struct {
			name    string
			req     Message
			allowed bool
		}{
			{"stranger in a public channel", Message{Source: "slack", User: "U0STRANGER", Channel: "C0PUBLIC01"}, false},
			{"desk worker anywhere", Message{Source: "slack", User: "U0WORKER01", Channel: "C0PUBLIC01"}, true},
			{"member of a desk channel", Message{Source: "slack", User: "U0MEMBER01", Channel: "C0DESK0001"}, true},
			{"local console", Message{Source: "console", User: "王五", Channel: "console"}, true},
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
