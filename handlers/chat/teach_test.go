package chat

import (
	"context"
	"strings"
	"testing"

	"github.com/towndesk/towndesk"
	"github.com/towndesk/towndesk/handlers/qa"
)

// poultry is a question the sample lists do not answer by themselves, and
// the row a maintainer would link it to.
const poultry = "滨湖镇小区里天天有闹腾的鸡打鸣谁管"

func poultryRow(t *testing.T, c *Chat) string {
	t.Helper()
	ms, err := c.lists.Search(context.Background(), qa.AskInput{Question: "饲养家禽", Town: "滨湖镇", County: "滕州市"})
	if err != nil || len(ms) == 0 {
		t.Fatalf("Search(饲养家禽) = %v, %v", ms, err)
	}
	return ms[0].Item.Code
}

func TestTeachInChat(t *testing.T) {
	c, db := newTestChat(t)
	c.Maintainers = NewMaintainers([]string{"U0MAINT001"}, []string{"C0LISTS001"})
	ctx := context.Background()
	code := poultryRow(t, c)

	// Someone who is not a maintainer asks: no offer to teach, and 纠正 is refused.
	stranger := Message{Source: "slack", User: "U0OTHER001", Channel: "C0PUBLIC01", Thread: "1.1", Text: poultry}
	r := handle(t, c, stranger)
	if r.Answer.Status == towndesk.StatusAnswered {
		t.Fatalf("Ask(%q) = answered before teaching; the test needs an unanswered question", poultry)
	}
	if r.Teach != nil {
		t.Errorf("a non-maintainer was offered to teach")
	}
	stranger.Text = "纠正 " + code
	if _, err := c.Handle(ctx, stranger); towndesk.ErrorCode(err) != towndesk.EUNAUTHORIZED {
		t.Errorf("纠正 by a non-maintainer = %v, want EUNAUTHORIZED", err)
	}

	// A member of a maintainers' channel is offered to teach, and teaches.
	member := Message{Source: "slack", User: "U0MEMBER01", Channel: "C0LISTS001", Thread: "2.1", Text: poultry}
	r = handle(t, c, member)
	if r.Teach == nil || r.Teach.QuestionID != r.Answer.QuestionID {
		t.Fatalf("a maintainer was not offered to teach the answer to %q (%s)", poultry, r.Answer.Status)
	}
	member.Text = "纠正 " + code
	r = handle(t, c, member)
	if !strings.Contains(r.Text, "已记住") || !strings.Contains(r.Text, code) {
		t.Errorf("纠正 reply = %q, want what was learned", r.Text)
	}
	links, _ := db.TaughtLinks(ctx)
	if len(links) != 1 || links[0].By != "U0MEMBER01" || links[0].QuestionID == 0 {
		t.Fatalf("taught links = %+v, want one by U0MEMBER01 from the logged question", links)
	}

	// Now anyone gets the taught answer.
	stranger.Text, stranger.Thread = "滨湖镇小区有闹腾的鸡打鸣，归哪个部门", "3.1"
	r = handle(t, c, stranger)
	if r.Answer.Status != towndesk.StatusAnswered || r.Answer.Rows[0].Role != towndesk.RoleTaught || !strings.Contains(r.Text, "确认）") {
		t.Errorf("after teaching, Ask = %s %q, want the taught row", r.Answer.Status, r.Text)
	}

	// 没用 from a maintainer comes with the offer; from others it does not.
	if fr, err := c.Feedback(ctx, Message{Source: "slack", User: "U0MAINT001", Channel: "C0PUBLIC01"}, r.Answer.QuestionID, false); err != nil || fr.Teach == nil {
		t.Errorf("没用 by a maintainer = %+v, %v; want the offer to teach", fr, err)
	}
	if fr, err := c.Feedback(ctx, stranger, r.Answer.QuestionID, false); err != nil || fr.Teach != nil {
		t.Errorf("没用 by a non-maintainer = %+v, %v; want no offer", fr, err)
	}
}

func TestConsoleTeachesNone(t *testing.T) {
	c, _ := newTestChat(t)
	console := Message{Source: "console", User: "王芳", Channel: "console", Thread: "s1"}
	console.Text = "清单没有 属公安派出所管辖"
	if _, err := c.Handle(context.Background(), console); towndesk.ErrorCode(err) != towndesk.EINVALID {
		t.Errorf("清单没有 before any question = %v, want EINVALID (nothing to correct)", err)
	}
	console.Text = "滨湖镇有人在网上卖假的演唱会门票谁管"
	handle(t, c, console)
	console.Text = "清单没有 属公安派出所管辖，不在乡镇权力清单内"
	if r := handle(t, c, console); !strings.Contains(r.Text, "不在权力清单内") {
		t.Errorf("清单没有 reply = %q", r.Text)
	}
	console.Text = "滨湖镇网上卖假演唱会门票的谁管"
	r := handle(t, c, console)
	if r.Answer.Status != towndesk.StatusNotFound || !strings.Contains(r.Text, "属公安派出所管辖") {
		t.Errorf("after 清单没有, Ask = %s %q, want not found with the note", r.Answer.Status, r.Text)
	}
}

func TestPickCandidate(t *testing.T) {
	c, db := newTestChat(t)
	c.Maintainers = NewMaintainers([]string{"U0MAINT001"}, nil)
	ctx := context.Background()
	const q = "麻烦问一下，官桥镇河边那片树林被人砍了好多棵，归谁管"
	r := handle(t, c, Message{Source: "slack", User: "U0OTHER001", Channel: "C1", Thread: "1.1", Text: q})
	if r.Answer.Status != towndesk.StatusUncertain || len(r.Answer.Rows) < 2 {
		t.Fatalf("Ask(%q) = %s with %d rows; the test needs an uncertain reply", q, r.Answer.Status, len(r.Answer.Rows))
	}
	id, code := r.Answer.QuestionID, r.Answer.Rows[1].Code
	if _, err := c.PickCandidate(ctx, Message{Source: "slack", User: "U0OTHER001", Channel: "C1"}, id, "NOT-A-CANDIDATE"); towndesk.ErrorCode(err) != towndesk.EINVALID {
		t.Errorf("PickCandidate(not a candidate) = %v, want EINVALID", err)
	}
	// A pick by anyone is recorded and shows the chosen row in full (the
	// candidate line named only its body); it teaches only from a
	// maintainer.
	picked, err := c.PickCandidate(ctx, Message{Source: "slack", User: "U0OTHER001", Channel: "C1"}, id, code)
	if err != nil {
		t.Fatal(err)
	}
	body := r.Answer.Rows[1].Body
	for _, want := range []string{"你选的事项", "由" + body, "依据：", "编码 " + code, "已记录你的选择"} {
		if !strings.Contains(picked.Text, want) {
			t.Errorf("reply to a pick = %q, want %q in it", picked.Text, want)
		}
	}
	if links, _ := db.TaughtLinks(ctx); len(links) != 0 {
		t.Errorf("a non-maintainer's pick taught %d links", len(links))
	}
	taught, err := c.PickCandidate(ctx, Message{Source: "slack", User: "U0MAINT001", Channel: "C1"}, id, code)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(taught.Text, "你选的事项") || !strings.Contains(taught.Text, "已记住") {
		t.Errorf("reply to a maintainer's pick = %q, want the row and what was learned", taught.Text)
	}
	if links, _ := db.TaughtLinks(ctx); len(links) != 1 || links[0].Code != code {
		t.Errorf("a maintainer's pick taught %+v, want a link to %s", links, code)
	}
}
