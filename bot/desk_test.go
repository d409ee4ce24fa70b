package bot

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/towndesk/towndesk"
	"github.com/towndesk/towndesk/handlers/desk"
	"github.com/towndesk/towndesk/internal/testenv"
)

// submitView posts a view_submission shaped like Slack's documented one
// and returns the ack body.
func (h *harness) submitView(user, viewID, callbackID, metadata string, values map[string]string) string {
	h.t.Helper()
	body := viewSubmission(user, viewID, callbackID, metadata, values)
	resp, err := http.DefaultClient.Do(signedRequest(h.srv.URL+"/slack/interactive", "application/x-www-form-urlencoded", body))
	if err != nil {
		h.t.Fatal(err)
	}
	defer resp.Body.Close()
	out, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 {
		h.t.Fatalf("view_submission = %d %s", resp.StatusCode, out)
	}
	return string(out)
}

// viewSubmission returns the body of a view_submission interaction
// shaped like Slack's documented one.
func viewSubmission(user, viewID, callbackID, metadata string, values map[string]string) string {
	state := map[string]any{}
	for k, v := range values {
		switch k {
		case "kind", "type", "item", "reverse":
			state[k] = map[string]any{"v": map[string]any{"type": "static_select", "selected_option": map[string]any{"value": v}}}
		case "assignee":
			state[k] = map[string]any{"v": map[string]any{"type": "users_select", "selected_user": v}}
		case "days":
			state[k] = map[string]any{"v": map[string]any{"type": "number_input", "value": v}}
		default:
			state[k] = map[string]any{"v": map[string]any{"type": "plain_text_input", "value": v}}
		}
	}
	p := map[string]any{
		"type": "view_submission", "team": map[string]any{"id": "T1234567", "domain": "example-domain"},
		"user": map[string]any{"id": user, "username": "example-user"},
		"view": map[string]any{"id": viewID, "type": "modal", "title": map[string]any{"type": "plain_text", "text": "登记代办"},
			"blocks": []any{}, "private_metadata": metadata, "callback_id": callbackID,
			"state": map[string]any{"values": state}, "hash": "156663117.cd33ad1f"},
	}
	b, _ := json.Marshal(p)
	return url.Values{"payload": {string(b)}}.Encode()
}

func validIntake() map[string]string {
	return map[string]string{"county": "蓟州区", "town": "邦均镇", "village": "东店村", "citizen": "王秀英",
		"phone": "138 1234 5678", "id_number": "", "kind": "代办证件", "matter": "代办老年证，电话13812345678", "materials": "户口本、照片"}
}

func TestDeskIntakeInvalidStoresNothing(t *testing.T) {
	h := newHarness(t, "", nil)
	// /towndesk 代办 opens the intake form first thing.
	h.command(chDesk, uWorker, "代办")
	open := h.slack.wait("views.open")
	if open.JSON["trigger_id"] == nil || !strings.Contains(open.text(), viewIntake) || !strings.Contains(open.text(), "邦均镇") {
		t.Fatalf("views.open = %s, want the intake form prefilled with 邦均镇", open.text())
	}
	bad := validIntake()
	bad["phone"], bad["citizen"], bad["id_number"] = "12345", "", "110101199003071235"
	ack := h.submitView(uWorker, "VBAD", viewIntake, chDesk, bad)
	var resp struct {
		Action string            `json:"response_action"`
		Errors map[string]string `json:"errors"`
	}
	if err := json.Unmarshal([]byte(ack), &resp); err != nil {
		t.Fatalf("ack %q: %v", ack, err)
	}
	if resp.Action != "errors" || resp.Errors["phone"] == "" || resp.Errors["citizen"] == "" || resp.Errors["id_number"] == "" {
		t.Errorf("ack = %s, want response_action errors for phone, citizen and id_number", ack)
	}
	if strings.Contains(ack, "110101199003071235") {
		t.Errorf("ack shows the ID number unmasked: %s", ack)
	}
	if _, n, _ := h.db.Requests(context.Background(), towndesk.RequestFilter{}); n != 0 {
		t.Errorf("invalid intake stored %d requests, want 0", n)
	}
	h.slack.quiet(300 * time.Millisecond)
}

func TestDeskLifecycleInSlack(t *testing.T) {
	h := newHarness(t, "", nil)
	ctx := context.Background()
	if ack := h.submitView(uWorker, "V1", viewIntake, chDesk, validIntake()); ack != "" {
		t.Fatalf("valid intake ack = %q, want empty (close the modal)", ack)
	}
	// The same form submitted twice logs one request.
	h.submitView(uWorker, "V1", viewIntake, chDesk, validIntake())
	rs, n, _ := h.db.Requests(ctx, towndesk.RequestFilter{})
	if n != 1 {
		t.Fatalf("stored %d requests, want 1", n)
	}
	id := rs[0].ID
	card := h.slack.wait("chat.postMessage")
	if card.Form.Get("channel") != chDesk || card.Form.Get("thread_ts") != "" {
		t.Errorf("card posted to %s thread %q, want the desk channel root", card.Form.Get("channel"), card.Form.Get("thread_ts"))
	}
	cardTS := "1700000000.000001"
	for _, want := range []string{id, "已登记", "138****5678", "转为已受理", "转为不予受理", "转为已撤销", "查看完整号码"} {
		if !strings.Contains(card.text(), want) {
			t.Errorf("card lacks %q:\n%s", want, card.text())
		}
	}
	if strings.Contains(card.text(), "13812345678") {
		t.Errorf("card shows the phone number unmasked")
	}
	timeline := h.slack.wait("chat.postMessage")
	if timeline.Form.Get("thread_ts") == "" || !strings.Contains(timeline.text(), "已登记代办") {
		t.Errorf("timeline reply = %s in thread %q", timeline.text(), timeline.Form.Get("thread_ts"))
	}
	cardTS = timeline.Form.Get("thread_ts")

	// Someone outside the desk clicks 受理 in another channel: refused, nothing changes.
	accept := id + "|1|accepted"
	h.interact(h.click(chPlain, "U0STRANGER", cardTS, "", actMove, accept, false))
	refusal := h.slack.wait("hook")
	if !strings.Contains(refusal.text(), "只有代办员") || refusal.JSON["response_type"] != "ephemeral" {
		t.Errorf("refusal = %s, want an ephemeral refusal", refusal.text())
	}
	h.slack.quiet(300 * time.Millisecond)
	if r, _ := h.db.Request(ctx, id); r.Status != towndesk.StatusReceived {
		t.Errorf("after an unauthorised click the request is %s, want received", r.Status)
	}
	// … nor may they see the full numbers.
	h.interact(h.click(chPlain, "U0STRANGER", cardTS, "", actReveal, id, false))
	if c := h.slack.wait("hook"); strings.Contains(c.text(), "13812345678") || !strings.Contains(c.text(), "只有代办员") {
		t.Errorf("reveal by a stranger = %s", c.text())
	}

	// A desk worker accepts: the card is updated in place with the next moves.
	h.interact(h.click(chDesk, uWorker, cardTS, "", actMove, accept, false))
	upd := h.slack.wait("chat.update")
	if upd.Form.Get("ts") != cardTS || upd.Form.Get("channel") != chDesk {
		t.Errorf("chat.update of %s/%s, want the card %s/%s", upd.Form.Get("channel"), upd.Form.Get("ts"), chDesk, cardTS)
	}
	for _, want := range []string{"已受理", "转为办理中", "转为已撤销", "办理时限"} {
		if !strings.Contains(upd.text(), want) {
			t.Errorf("updated card lacks %q:\n%s", want, upd.text())
		}
	}
	if strings.Contains(upd.text(), "转为已受理") {
		t.Errorf("updated card still offers 转为已受理")
	}
	tl := h.slack.wait("chat.postMessage")
	if tl.Form.Get("thread_ts") != cardTS || !strings.Contains(tl.text(), "已登记 → 已受理") {
		t.Errorf("timeline after accept = %s in %q", tl.text(), tl.Form.Get("thread_ts"))
	}
	// The same click again (a double click or a redelivery) changes nothing.
	h.interact(h.click(chDesk, uWorker, cardTS, "", actMove, accept, false))
	h.slack.quiet(300 * time.Millisecond)

	// In progress, then done: done needs a result, asked in a modal.
	h.interact(h.click(chDesk, "U0MEMBER01", cardTS, "", actMove, id+"|2|in_progress", false))
	h.slack.wait("chat.update")
	h.slack.wait("chat.postMessage")
	h.interact(h.click(chDesk, uWorker, cardTS, "", actMove, id+"|3|done", false))
	modal := h.slack.wait("views.open")
	if !strings.Contains(modal.text(), "办理结果") {
		t.Fatalf("views.open for done = %s, want a form asking for the result", modal.text())
	}
	meta := id + "|3|done|" + chDesk
	if ack := h.submitView(uWorker, "V2", viewMove, meta, map[string]string{"text": ""}); !strings.Contains(ack, "errors") {
		t.Errorf("done without a result: ack = %s, want errors", ack)
	}
	if ack := h.submitView(uWorker, "V2", viewMove, meta, map[string]string{"text": "已办好老年证并送到家"}); ack != "" {
		t.Errorf("done with a result: ack = %s, want empty", ack)
	}
	done := h.slack.wait("chat.update")
	for _, want := range []string{"已办结", "回访：满意", "回访：不满意"} {
		if !strings.Contains(done.text(), want) {
			t.Errorf("card after done lacks %q:\n%s", want, done.text())
		}
	}
	h.slack.wait("chat.postMessage")

	// A desk worker sees the full number, in private, and it is recorded.
	h.interact(h.click(chDesk, uWorker, cardTS, "", actReveal, id, false))
	full := h.slack.wait("hook")
	if !strings.Contains(full.text(), "13812345678") || full.JSON["response_type"] != "ephemeral" {
		t.Errorf("reveal for a worker = %s, want the full number, ephemeral", full.text())
	}
	evs, _ := h.db.Events(ctx, id)
	if last := evs[len(evs)-1]; last.Type != towndesk.EventRevealed || last.By != uWorker {
		t.Errorf("last event = %+v, want the reveal by %s", last, uWorker)
	}
	if strings.Contains(h.logs.String(), "13812345678") {
		t.Errorf("logs contain the full phone number")
	}

	// Listing and showing go through the same command table.
	h.command(chDesk, uWorker, "代办 列表")
	if c := h.slack.wait("hook"); !strings.Contains(c.text(), id) {
		t.Errorf("代办 列表 = %s, want %s", c.text(), id)
	}
	h.command(chDesk, uWorker, "request "+id)
	if c := h.slack.wait("hook"); !strings.Contains(c.text(), "已办结") || strings.Contains(c.text(), "13812345678") {
		t.Errorf("request %s = %s", id, c.text())
	}
}

// TestIntakeRefusesControlCharacters: a control character or a direction
// override in a field keeps the intake form open with the field named,
// and nothing is stored; Slack text never carries one raw.
func TestIntakeRefusesControlCharacters(t *testing.T) {
	h := newHarness(t, "", nil)
	bad := validIntake()
	bad["citizen"], bad["matter"] = "王秀\x1b[2J英", "代办\u202e证年老"
	ack := h.submitView(uWorker, "VCTRL", viewIntake, chDesk, bad)
	var resp struct {
		Errors map[string]string `json:"errors"`
	}
	if err := json.Unmarshal([]byte(ack), &resp); err != nil {
		t.Fatalf("ack %q: %v", ack, err)
	}
	for field, what := range map[string]string{"citizen": "群众姓名", "matter": "办理事项"} {
		if !strings.Contains(resp.Errors[field], what) || !strings.Contains(resp.Errors[field], "控制字符") {
			t.Errorf("error on %s = %q, want %s and 控制字符 named", field, resp.Errors[field], what)
		}
	}
	if _, n, _ := h.db.Requests(context.Background(), towndesk.RequestFilter{}); n != 0 {
		t.Errorf("a refused form stored %d requests", n)
	}
	if got := clip("张三\x1b]0;x\x07\u202e", 100); strings.ContainsAny(got, "\x1b\x07\u202e") {
		t.Errorf("clip left a control character: %q", got)
	}
}

// TestRequestFromCLIGetsCard: a request registered outside chat (the CLI
// or the console: the same desk code on the same data directory, with no
// chat channel) gets its card and first timeline line in its town's desk
// channel from the running bot; a request of a town without a desk channel
// gets none, and nothing stays queued for it.
func TestRequestFromCLIGetsCard(t *testing.T) {
	h := newHarness(t, "", nil)
	ctx := context.Background()
	d := h.chat.Desk.Desk()
	in := desk.RequestNewInput{By: "王芳", County: "蓟州区", Town: "邦均镇", Citizen: "张三", Phone: "13812345678",
		Kind: "代办证件", Matter: "补办老年证"}
	made, err := d.New(ctx, in)
	if err != nil {
		t.Fatal(err)
	}
	id := made.Request.ID
	// The CLI's process cannot wake the bot's; the outbox is polled.
	card := h.slack.wait("chat.postMessage")
	if card.Form.Get("channel") != chDesk || card.Form.Get("thread_ts") != "" {
		t.Errorf("card posted to %s thread %q, want the 邦均镇 desk channel's root", card.Form.Get("channel"), card.Form.Get("thread_ts"))
	}
	for _, want := range []string{id, "已登记", "138****5678", "转为已受理"} {
		if !strings.Contains(card.text(), want) {
			t.Errorf("card lacks %q:\n%s", want, card.text())
		}
	}
	line := h.slack.wait("chat.postMessage")
	if line.Form.Get("thread_ts") == "" || !strings.Contains(line.text(), "已登记代办") {
		t.Errorf("first timeline line = %s in thread %q, want the registration in the card's thread", line.text(), line.Form.Get("thread_ts"))
	}

	// 下营镇 has no desk channel: no card, and the posts are not kept.
	in.Town = "下营镇"
	if _, err := d.New(ctx, in); err != nil {
		t.Fatal(err)
	}
	h.bot.outbox.Wake()
	testenv.OutboxDrained(t, h.db, 30*time.Second)
	h.slack.quiet(300 * time.Millisecond)
}

// TestClosedCLIRequestGetsNoCard: a request registered and cancelled with
// the CLI while no serve ran gets no card when serve starts, so a first
// start does not flood the desk channel with closed requests; an open one
// registered meanwhile gets its card.
func TestClosedCLIRequestGetsNoCard(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	d := desk.New(testenv.DB(t, dir), desk.Config{Places: testenv.Gazetteer(t)})
	in := desk.RequestNewInput{By: "王芳", County: "蓟州区", Town: "邦均镇", Citizen: "张三", Phone: "13812345678",
		Kind: "代办证件", Matter: "补办老年证"}
	closed, err := d.New(ctx, in)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := d.Move(ctx, desk.RequestMoveInput{Ref: desk.Ref{ID: closed.Request.ID, By: "王芳"}, To: "已撤销", Reason: "群众自己办好了"}); err != nil {
		t.Fatal(err)
	}
	open, err := d.New(ctx, in)
	if err != nil {
		t.Fatal(err)
	}
	h := newHarness(t, dir, nil)
	card := h.slack.wait("chat.postMessage")
	if !strings.Contains(card.text(), open.Request.ID) || strings.Contains(card.text(), closed.Request.ID) {
		t.Errorf("first card after the start = %s, want the open request %s's", card.text(), open.Request.ID)
	}
	h.slack.wait("chat.postMessage") // its first timeline line
	testenv.OutboxDrained(t, h.db, 30*time.Second)
	h.slack.quiet(300 * time.Millisecond)
}
