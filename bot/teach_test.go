package bot

import (
	"strings"
	"testing"
	"time"

	"github.com/towndesk/towndesk/handlers/chat"
)

const uMaintainer = "U0MAINTAIN1"

// An uncertain reply lists its candidates with a button each; an asker's
// pick is recorded, and a maintainer teaches the answer from a form, after
// which the same question is answered and says who confirmed it.
func TestUncertainReplyPickAndTeach(t *testing.T) {
	h := newHarness(t, "", nil)
	h.chat.Maintainers = chat.NewMaintainers([]string{uMaintainer}, nil)
	ctx := t.Context()
	const question = "噪音扰民谁管"

	h.mention("Ev1", chBangjun, uWorker, "1700000001.000100", "", question)
	reply := h.slack.wait("chat.postMessage")
	if !strings.Contains(reply.text(), "不确定") {
		t.Fatalf("reply = %s, want an uncertain reply", reply.text())
	}
	if strings.Contains(reply.text(), actTeach) {
		t.Errorf("a staff member who is no maintainer was offered to teach: %s", reply.text())
	}
	pick := blockValue(t, reply, actPick)
	_, code, _ := strings.Cut(pick, "|")
	if !strings.Contains(reply.text(), code) {
		t.Fatalf("candidate button %q names a code the reply does not show", pick)
	}

	// The asker picks a candidate: recorded, privately acknowledged.
	h.interact(h.click(chBangjun, uWorker, "1700000001.000200", "1700000001.000100", actPick, pick, false))
	if hook := h.slack.wait("hook"); !strings.Contains(hook.text(), "已记录你的选择") {
		t.Errorf("pick reply = %s", hook.text())
	}
	// A code that was not a candidate is refused.
	h.interact(h.click(chBangjun, uWorker, "1700000001.000200", "1700000001.000100", actPick, strings.Split(pick, "|")[0]+"|999", false))
	if hook := h.slack.wait("hook"); !strings.Contains(hook.text(), "不是这个问题的候选事项") {
		t.Errorf("foreign code reply = %s", hook.text())
	}

	// The maintainer asks the same: offered 指定正确事项 and 清单中没有.
	h.mention("Ev2", chBangjun, uMaintainer, "1700000002.000100", "", question)
	reply = h.slack.wait("chat.postMessage")
	qid := blockValue(t, reply, actTeach)
	if blockValue(t, reply, actTeachNone) != qid {
		t.Errorf("the two teaching buttons name different questions")
	}
	// Somebody else clicking it is refused.
	h.interact(h.click(chBangjun, uWorker, "1700000002.000200", "1700000002.000100", actTeach, qid, false))
	if hook := h.slack.wait("hook"); !strings.Contains(hook.text(), "只有清单管理员") {
		t.Errorf("non-maintainer's teach click = %s", hook.text())
	}
	h.interact(h.click(chBangjun, uMaintainer, "1700000002.000200", "1700000002.000100", actTeach, qid, false))
	form := h.slack.wait("views.open")
	if !strings.Contains(form.text(), viewTeach) || !strings.Contains(form.text(), code) {
		t.Fatalf("teach form = %s, want the candidates (with %s)", form.text(), code)
	}
	meta := qid + "|" + chBangjun + "|1700000002.000100"

	// Nothing chosen, a search that finds nothing: the form stays open, nothing is stored.
	h.refused(t, uMaintainer, "VT1", viewTeach, meta, nil, "search")
	if errs := ackErrors(t, h.submitView(uMaintainer, "VT1", viewTeach, meta, map[string]string{"search": "999999999999"})); !strings.Contains(errs["search"], "没有找到") {
		t.Errorf("unknown code errors = %v", errs)
	}
	if links, _ := h.db.TaughtLinks(ctx); len(links) != 0 {
		t.Fatalf("refused forms stored %d taught links", len(links))
	}

	if ack := h.submitView(uMaintainer, "VT1", viewTeach, meta, map[string]string{"item": code}); ack != "" {
		t.Fatalf("teach ack = %q, want the modal closed", ack)
	}
	done := h.slack.wait("chat.postMessage")
	if !strings.Contains(done.text(), "已记住") || !strings.Contains(done.text(), code) || done.Form.Get("thread_ts") != "1700000002.000100" {
		t.Errorf("teach confirmation = %s in thread %q", done.text(), done.Form.Get("thread_ts"))
	}

	// Asked again by anyone: answered with that row, confirmed by the maintainer.
	h.mention("Ev3", chBangjun, uWorker, "1700000003.000100", "", question)
	reply = h.slack.wait("chat.postMessage")
	if strings.Contains(reply.text(), "不确定") || !strings.Contains(reply.text(), code) || !strings.Contains(reply.text(), "此问法由"+uMaintainer) {
		t.Errorf("answer after teaching = %s", reply.text())
	}
	h.slack.quiet(200 * time.Millisecond)
}

// A maintainer marks a question the lists do not cover; a note is required.
func TestTeachNoneInSlack(t *testing.T) {
	h := newHarness(t, "", nil)
	h.chat.Maintainers = chat.NewMaintainers(nil, []string{chBangjun})
	const question = "火星登陆归谁管"

	h.mention("Ev1", chBangjun, uMaintainer, "1700000001.000100", "", question)
	reply := h.slack.wait("chat.postMessage")
	qid := blockValue(t, reply, actTeachNone)
	h.interact(h.click(chBangjun, uMaintainer, "1700000001.000200", "1700000001.000100", actTeachNone, qid, false))
	if form := h.slack.wait("views.open"); !strings.Contains(form.text(), viewTeachNone) {
		t.Fatalf("form = %s", form.text())
	}
	meta := qid + "|" + chBangjun + "|1700000001.000100"
	h.refused(t, uMaintainer, "VN", viewTeachNone, meta, map[string]string{"note": " "}, "note")
	h.refused(t, uMaintainer, "VN", viewTeachNone, "garbage", map[string]string{"note": "x"}, "note")
	if ack := h.submitView(uMaintainer, "VN", viewTeachNone, meta, map[string]string{"note": "属航天部门，不在乡镇权力清单内"}); ack != "" {
		t.Fatalf("ack = %q", ack)
	}
	if done := h.slack.wait("chat.postMessage"); !strings.Contains(done.text(), "已记住") {
		t.Errorf("confirmation = %s", done.text())
	}
	h.mention("Ev2", chBangjun, uWorker, "1700000002.000100", "", question)
	reply = h.slack.wait("chat.postMessage")
	if !strings.Contains(reply.text(), "属航天部门") || !strings.Contains(reply.text(), "确认") {
		t.Errorf("answer after teaching = %s", reply.text())
	}
	h.slack.quiet(200 * time.Millisecond)
}
