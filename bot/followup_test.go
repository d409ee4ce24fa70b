package bot

import (
	"context"
	"strings"
	"testing"

	"github.com/towndesk/towndesk/storage"
)

// TestHTTPThreadReplies checks that the replies to the previous message
// work in a Slack thread as in the console: a place after "请问是哪个乡镇"
// answers the question (not logged as a new one), a county's name picks
// among the places offered.
func TestHTTPThreadReplies(t *testing.T) {
	h := newHarness(t, "", nil)
	h.mention("Ev1", chPlain, "U1", "200.000001", "", "乱倒垃圾归谁管")
	if c := h.slack.wait("chat.postMessage"); !strings.Contains(c.text(), "请问是哪个乡镇") {
		t.Fatalf("first answer = %s, want the place asked for", c.text())
	}
	h.mention("Ev2", chPlain, "U1", "200.000002", "200.000001", "下营镇")
	c := h.slack.wait("chat.postMessage")
	if c.Form.Get("thread_ts") != "200.000001" || !strings.Contains(c.text(), "下营镇") || strings.Contains(c.text(), "没有找到") {
		t.Errorf("reply to 下营镇 = %s, want the question answered for 下营镇 in the thread", c.text())
	}
	h.mention("Ev3", chPlain, "U1", "300.000001", "", "柴胡店镇放鞭炮谁管")
	h.slack.wait("chat.postMessage")
	h.mention("Ev4", chPlain, "U1", "300.000002", "300.000001", "宁津的")
	if c := h.slack.wait("chat.postMessage"); !strings.Contains(c.text(), "宁津县") {
		t.Errorf("reply to 宁津的 = %s, want 宁津县柴胡店镇", c.text())
	}
	qs, _ := h.db.Questions(context.Background(), storage.QuestionFilter{})
	if len(qs) != 2 || qs[0].Place.Town != "下营镇" || qs[1].Place.County != "宁津县" {
		t.Errorf("question log = %+v, want the two questions with their places, no reply logged", qs)
	}
}
