package chat

import (
	"context"
	"strings"
	"testing"

	"github.com/towndesk/towndesk"
	"github.com/towndesk/towndesk/handlers/desk"
	"github.com/towndesk/towndesk/handlers/qa"
	"github.com/towndesk/towndesk/internal/testenv"
	"github.com/towndesk/towndesk/storage"
)

func newTestChat(t testing.TB) (*Chat, *storage.DB) {
	t.Helper()
	db, k, idx, gaz := testenv.Search(t)
	return New(qa.NewLists(db, k, idx, gaz), db), db
}

// newTestDesk returns the desk of 滕州市 on a fresh database file with one
// request logged in 滨湖镇, and that request's id.
func newTestDesk(t *testing.T) (*desk.Desk, *storage.DB, string) {
	t.Helper()
	db, gaz, county := testenv.Tengzhou(t)
	d := desk.New(db, desk.Config{County: county, Places: gaz})
	r, err := d.New(context.Background(), desk.RequestNewInput{
		By: "王芳", Town: "滨湖镇", Village: "前李村", Citizen: "张三", Phone: "13812345678",
		IDNumber: "110101199003071233", Kind: "代办证件", Matter: "补办第三代社保卡，联系人女儿 13987654321",
	})
	if err != nil {
		t.Fatal(err)
	}
	return d, db, r.Request.ID
}

func handle(t *testing.T, c *Chat, req Message) *Reply {
	t.Helper()
	r, err := c.Handle(context.Background(), req)
	if err == nil {
		return r
	}
	t.Fatalf("Handle(%q) = %v", req.Text, err)
	return nil
}

func TestChatDispatch(t *testing.T) {
	c, _ := newTestChat(t)
	tests := []struct {
		name   string
		text   string
		help   bool
		status towndesk.AskStatus
	}{
		{name: "plain question", text: "滨湖镇谁管烧秸秆", status: towndesk.StatusAnswered},
		{name: "ask command", text: "问 滨湖镇谁管烧秸秆", status: towndesk.StatusAnswered},
		{name: "english alias", text: "ASK 滨湖镇谁管烧秸秆", status: towndesk.StatusAnswered},
		{name: "help", text: "帮助", help: true},
		{name: "help alias", text: "help", help: true},
		{name: "word starting like a command is a question", text: "帮助群众办证归谁管", status: towndesk.StatusNeedPlace},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := handle(t, c, Message{Source: "console", User: "u", Channel: "console", Text: tt.text})
			if tt.help {
				if r.Help == nil || !strings.Contains(r.Text, "问 <问题>") || !strings.Contains(r.Text, "ask") {
					t.Errorf("Handle(%q) = %q, want the help generated from the command table", tt.text, r.Text)
				}
				return
			}
			if r.Answer == nil || r.Answer.Status != tt.status {
				t.Fatalf("Handle(%q) answer = %+v, want status %s", tt.text, r.Answer, tt.status)
			}
		})
	}
	if _, err := c.Handle(context.Background(), Message{Text: "问"}); towndesk.ErrorCode(err) != towndesk.EINVALID {
		t.Errorf("Handle(%q) error = %v, want invalid (no question)", "问", err)
	}
}

func TestChatChannelPlaceAndThreadMemory(t *testing.T) {
	c, db := newTestChat(t)
	ctx := context.Background()
	// In the 邦均镇 channel, a question naming no place is about 邦均镇.
	r := handle(t, c, Message{Channel: "CBJ", Thread: "100.1", Text: "谁管烧秸秆", Town: "邦均镇", County: "蓟州区"})
	if a := r.Answer; a.Status != towndesk.StatusAnswered || a.Place.Town != "邦均镇" {
		t.Fatalf("Ask in the 邦均镇 channel = %s at %v, want answered for 邦均镇:\n%s", a.Status, a.Place, r.Text)
	}
	// A follow-up in a thread about 滨湖镇 stays in 滨湖镇, even in the 邦均镇 channel.
	handle(t, c, Message{Channel: "CBJ", Thread: "200.1", Text: "滕州市滨湖镇有人乱搭乱建归谁管", Town: "邦均镇", County: "蓟州区"})
	r = handle(t, c, Message{Channel: "CBJ", Thread: "200.1", Text: "那烧秸秆呢", Town: "邦均镇", County: "蓟州区"})
	if a := r.Answer; a.Place == nil || a.Place.Town != "滨湖镇" {
		t.Errorf("follow-up in the 滨湖镇 thread answered for %v, want 滨湖镇", a.Place)
	}
	// Without a thread there is no memory.
	r = handle(t, c, Message{Channel: "DM1", Text: "那烧秸秆呢"})
	if r.Answer.Status != towndesk.StatusNeedPlace {
		t.Errorf("question without place, channel or thread = %s, want need_place", r.Answer.Status)
	}
	qs, err := db.Questions(ctx, storage.QuestionFilter{})
	if err != nil {
		t.Fatal(err)
	}
	if len(qs) != 4 {
		t.Errorf("logged %d questions, want 4", len(qs))
	}
}

func TestChatAmbiguousPickAndFeedback(t *testing.T) {
	c, db := newTestChat(t)
	ctx := context.Background()
	req := Message{Channel: "C1", Thread: "1.1", User: "U1", Text: "柴胡店镇放鞭炮谁管"}
	r := handle(t, c, req)
	a := r.Answer
	if a.Status != towndesk.StatusAmbiguousPlace || len(a.Places) < 2 {
		t.Fatalf("Ask(%q) = %s with %d places, want ambiguous_place", req.Text, a.Status, len(a.Places))
	}
	var pick towndesk.Place
	for _, p := range a.Places {
		if p.County == "宁津县" {
			pick = p
		}
	}
	r, err := c.PickPlace(ctx, req, a.QuestionID, pick.County, pick.Town)
	if err != nil {
		t.Fatal(err)
	}
	if r.Answer.Place == nil || r.Answer.Place.County != "宁津县" || r.Answer.QuestionID != a.QuestionID {
		t.Fatalf("PickPlace(宁津县) = %v (question %d), want 宁津县柴胡店镇 for question %d", r.Answer.Place, r.Answer.QuestionID, a.QuestionID)
	}
	q, _ := db.Question(ctx, a.QuestionID)
	if q.Place.County != "宁津县" || q.Status == towndesk.StatusAmbiguousPlace {
		t.Errorf("logged question after the pick: %s at %v, want its new outcome", q.Status, q.Place)
	}
	// The thread now keeps 宁津县柴胡店镇.
	r = handle(t, c, Message{Channel: "C1", Thread: "1.1", Text: "有人土葬谁管"})
	if r.Answer.Place == nil || r.Answer.Place.County != "宁津县" {
		t.Errorf("follow-up after the pick answered for %v, want 宁津县", r.Answer.Place)
	}

	if _, err := c.Feedback(ctx, Message{Source: "slack", User: "U2", Channel: "C1"}, a.QuestionID, false); err != nil {
		t.Fatal(err)
	}
	bad, _ := db.Questions(ctx, storage.QuestionFilter{NotUseful: true})
	if len(bad) != 1 || bad[0].ID != a.QuestionID {
		t.Errorf("questions marked 没用 = %v, want question %d", bad, a.QuestionID)
	}
	if _, err := c.Feedback(ctx, Message{Source: "slack", User: "U2", Channel: "C1"}, 9999, true); towndesk.ErrorCode(err) != towndesk.ENOTFOUND {
		t.Errorf("Feedback(unknown question) = %v, want not found", err)
	}
}

func TestChatAnswerRowsAndBasis(t *testing.T) {
	c, _ := newTestChat(t)
	r := handle(t, c, Message{Text: "滨湖镇有人乱搭乱建归谁管？"})
	a := r.Answer
	if a.Status != towndesk.StatusAnswered || len(a.Rows) == 0 {
		t.Fatalf("answer = %s with %d rows", a.Status, len(a.Rows))
	}
	top := a.Rows[0]
	if top.Who == "" || top.List == "" || top.Code == "" || !top.HasArticles {
		t.Errorf("top row = %+v, want who acts, list, code and a known basis", top)
	}
	b, err := c.Basis(top.Basis)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.Text, "城乡规划法") || !strings.Contains(b.Text, "第") {
		t.Errorf("Basis(%q) = %q, want the article text", top.Basis, b.Text)
	}
	if _, err := c.Basis("某某办法第一条"); towndesk.ErrorCode(err) != towndesk.ENOTFOUND {
		t.Errorf("Basis(unknown law) = %v, want not found", err)
	}
	r2, err := c.Reanswer(context.Background(), a.QuestionID)
	if err != nil || r2.Text != r.Text {
		t.Errorf("Reanswer = %v, %v; want the same text as the first answer", r2, err)
	}
}

// TestChatDeskOpsAuthorisation checks who may make the desk operations
// from chat, and that a refusal changes nothing.
func TestChatDeskOpsAuthorisation(t *testing.T) {
	ctx := context.Background()
	c, _ := newTestChat(t)
	d, db, id := newTestDesk(t)
	c.Desk = NewDesk(d, []string{"U0WORKER01"}, []string{"C0DESK0001"})
	if _, err := d.Move(ctx, desk.RequestMoveInput{Ref: desk.Ref{ID: id, By: "王芳"}, To: "accepted"}); err != nil {
		t.Fatal(err)
	}
	ops := []struct {
		name string
		do   func(req Message) (*Reply, error)
	}{
		{"assign", func(req Message) (*Reply, error) {
			return c.AssignRequest(ctx, req, desk.RequestAssignInput{Ref: desk.Ref{ID: id}, Assignee: req.User})
		}},
		{"note", func(req Message) (*Reply, error) {
			return c.NoteRequest(ctx, req, desk.RequestNoteInput{Ref: desk.Ref{ID: id}, Text: "回电 13987654321"})
		}},
		{"pay", func(req Message) (*Reply, error) {
			return c.PayRequest(ctx, req, desk.RequestPayInput{Ref: desk.Ref{ID: id}, Type: "收取", Amount: "10"})
		}},
		{"extend", func(req Message) (*Reply, error) {
			return c.ExtendRequest(ctx, req, desk.RequestExtendInput{Ref: desk.Ref{ID: id}, Days: 1, Reason: "等群众 13987654321 回电"})
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

// TestChatRefusesLongAndControlQuestionsUnlogged: a question over the
// limit, or with a control character, is refused with what to do, and
// neither logged nor searched.
func TestChatRefusesLongAndControlQuestionsUnlogged(t *testing.T) {
	c, db := newTestChat(t)
	for _, text := range []string{strings.Repeat("滨湖镇有人烧秸秆", 40), "滨湖镇谁管烧秸秆\x1b]0;x\x07", "问 滨湖镇谁管\u202e秸秆烧"} {
		_, err := c.Handle(context.Background(), Message{Source: "slack", User: "U1", Channel: "C1", Text: text})
		msg := towndesk.ErrorMessage(err)
		if towndesk.ErrorCode(err) != towndesk.EINVALID || !(strings.Contains(msg, "最多 300 个字") || strings.Contains(msg, "控制字符")) {
			t.Errorf("Handle(%.40q) = %v, want the limit or the control character named", text, err)
		}
		if strings.ContainsAny(FailureText(err), "\x1b\u202e") {
			t.Errorf("failure text echoes the control character: %q", FailureText(err))
		}
	}
	if qs, err := db.Questions(context.Background(), storage.QuestionFilter{}); err != nil || len(qs) != 0 {
		t.Errorf("refused questions were logged: %d (%v)", len(qs), err)
	}
}
