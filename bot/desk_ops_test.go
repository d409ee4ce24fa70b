package bot

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/towndesk/towndesk"
)

const uClerk = "U0CLERK001" // a colleague the requests get assigned to

// newCard logs a request through the intake form as a desk worker and
// returns its id, its card's ts and the card as posted, after its first
// timeline line.
func newCard(t *testing.T, h *harness) (id, cardTS string, card call) {
	t.Helper()
	if ack := h.submitView(uWorker, "VNEW", viewIntake, chDesk, validIntake()); ack != "" {
		t.Fatalf("intake ack = %q, want empty", ack)
	}
	rs, _, err := h.db.Requests(t.Context(), towndesk.RequestFilter{})
	if err != nil || len(rs) != 1 {
		t.Fatalf("Requests = %d, %v; want 1 request", len(rs), err)
	}
	card = h.slack.wait("chat.postMessage")
	tl := h.slack.wait("chat.postMessage")
	return rs[0].ID, tl.Form.Get("thread_ts"), card
}

// accept moves request id to accepted with the card's button.
func accept(t *testing.T, h *harness, id, cardTS string) call {
	t.Helper()
	h.interact(h.click(chDesk, uWorker, cardTS, "", actMove, id+"|1|accepted", false))
	upd := h.slack.wait("chat.update")
	h.slack.wait("chat.postMessage")
	return upd
}

// openOp clicks an operation's button on the card as user and returns the
// modal's private_metadata from views.open.
func openOp(t *testing.T, h *harness, card call, user, cardTS, action string) (meta string, view string) {
	t.Helper()
	h.interact(h.click(chDesk, user, cardTS, "", action, blockValue(t, card, action), false))
	open := h.slack.wait("views.open")
	v, _ := open.JSON["view"].(map[string]any)
	if v == nil || v["callback_id"] != action {
		t.Fatalf("views.open after %s = %s, want its modal", action, open.text())
	}
	return fmt.Sprint(v["private_metadata"]), open.text()
}

// shown returns every string in a call's blocks, decoded: what Slack
// would render (mentions are <@U…> here, not escaped).
func shown(c call) string {
	var blocks any
	if s := c.Form.Get("blocks"); s != "" {
		json.Unmarshal([]byte(s), &blocks)
	}
	var b strings.Builder
	var walk func(any)
	walk = func(v any) {
		switch v := v.(type) {
		case string:
			b.WriteString(v)
			b.WriteString("\n")
		case []any:
			for _, e := range v {
				walk(e)
			}
		case map[string]any:
			for _, e := range v {
				walk(e)
			}
		}
	}
	walk(blocks)
	return b.String()
}

// actions returns the action IDs of a call's buttons.
func actions(c call) []string {
	var blocks []map[string]any
	json.Unmarshal([]byte(c.Form.Get("blocks")), &blocks)
	var ids []string
	for _, b := range blocks {
		els, _ := b["elements"].([]any)
		for _, e := range els {
			if m, _ := e.(map[string]any); m["action_id"] != nil {
				ids = append(ids, fmt.Sprint(m["action_id"]))
			}
		}
	}
	return ids
}

// ackErrors decodes a view_submission ack with response_action errors.
func ackErrors(t *testing.T, ack string) map[string]string {
	t.Helper()
	var resp struct {
		Action string            `json:"response_action"`
		Errors map[string]string `json:"errors"`
	}
	if err := json.Unmarshal([]byte(ack), &resp); err != nil || resp.Action != "errors" {
		t.Fatalf("ack = %q, want response_action errors", ack)
	}
	return resp.Errors
}

// refused submits values to the callbackID form as user and fails the
// test unless the ack keeps the form open with an error on field.
func (h *harness) refused(t *testing.T, user, viewID, callbackID, metadata string, values map[string]string, field string) {
	t.Helper()
	ack := h.submitView(user, viewID, callbackID, metadata, values)
	if errs := ackErrors(t, ack); errs[field] == "" {
		t.Errorf("%s %v by %s: ack = %s, want an error on %s", callbackID, values, user, ack, field)
	}
}

func TestDeskOpButtonsFollowTheLifecycle(t *testing.T) {
	h := newHarness(t, "", nil)
	id, cardTS, card := newCard(t, h)
	got := actions(card)
	for _, want := range []string{actAssign, actNote, actPay} {
		if !slices.Contains(got, want) {
			t.Errorf("card of a new request has buttons %v, want %s", got, want)
		}
	}
	if slices.Contains(got, actExtend) {
		t.Errorf("card of a new request (no due date yet) offers %s", actExtend)
	}
	if v := blockValue(t, card, actAssign); v != id+"|1|" {
		t.Errorf("指派 button value = %q, want %q", v, id+"|1|")
	}
	upd := accept(t, h, id, cardTS)
	if got := actions(upd); !slices.Contains(got, actExtend) {
		t.Errorf("card of an accepted request has buttons %v, want %s", got, actExtend)
	}
	if v := blockValue(t, upd, actExtend); v != id+"|2" {
		t.Errorf("延期 button value = %q, want %q", v, id+"|2")
	}
}

func TestDeskAssignInSlack(t *testing.T) {
	h := newHarness(t, "", nil)
	ctx := t.Context()
	id, cardTS, card := newCard(t, h)
	meta, view := openOp(t, h, card, uWorker, cardTS, actAssign)
	if !strings.Contains(view, "users_select") {
		t.Errorf("assign modal = %s, want a users_select", view)
	}
	if ack := h.submitView(uWorker, "VA1", viewAssign, meta, map[string]string{"assignee": uClerk}); ack != "" {
		t.Fatalf("assign ack = %q, want empty", ack)
	}
	if r, _ := h.db.Request(ctx, id); r.Assignee != uClerk {
		t.Errorf("assignee = %q, want the Slack user ID %s", r.Assignee, uClerk)
	}
	upd := h.slack.wait("chat.update")
	if upd.Form.Get("ts") != cardTS || !strings.Contains(shown(upd), "<@"+uClerk+">") || strings.Contains(shown(upd), "&lt;@") {
		t.Errorf("card after assign (ts %s):\n%s\nwant the card %s naming <@%s>", upd.Form.Get("ts"), shown(upd), cardTS, uClerk)
	}
	if v := blockValue(t, upd, actAssign); v != id+"|2|"+uClerk {
		t.Errorf("指派 button value = %q, want the current assignee in it", v)
	}
	tl := h.slack.wait("chat.postMessage")
	if tl.Form.Get("thread_ts") != cardTS {
		t.Errorf("timeline posted in thread %q, want %q", tl.Form.Get("thread_ts"), cardTS)
	}
	for _, want := range []string{"<@" + uWorker + ">", "改由 <@" + uClerk + "> 承办"} {
		if !strings.Contains(shown(tl), want) {
			t.Errorf("timeline = %s, want %q", shown(tl), want)
		}
	}
	// Slack redelivers the submission: nothing happens twice.
	if ack := h.submitView(uWorker, "VA1", viewAssign, meta, map[string]string{"assignee": uClerk}); ack != "" {
		t.Errorf("repeated assign ack = %q, want empty", ack)
	}
	h.slack.quiet(300 * time.Millisecond)
	if r, _ := h.db.Request(ctx, id); r.Version != 2 {
		t.Errorf("after a repeated submission version = %d, want 2", r.Version)
	}

	// The assignee finds it with 我的; the worker who assigned it does not.
	tests := []struct {
		name, user string
		want       bool
	}{
		{"assignee", uClerk, true},
		{"someone else", uWorker, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h.command(chDesk, tt.user, "代办 列表 我的")
			c := h.slack.wait("hook")
			if got := strings.Contains(c.text(), id); got != tt.want {
				t.Errorf("/towndesk 代办 列表 我的 by %s = %s; lists %s: %v, want %v", tt.user, c.text(), id, got, tt.want)
			}
			if tt.want && !strings.Contains(c.text(), "<@"+uClerk+">") && !strings.Contains(c.text(), `\u003c@`+uClerk+`\u003e`) {
				t.Errorf("/towndesk 代办 列表 我的 = %s; want the assignee as a mention <@%s>", c.text(), uClerk)
			}
		})
	}
}

func TestDeskNoteInSlack(t *testing.T) {
	h := newHarness(t, "", nil)
	ctx := t.Context()
	id, cardTS, card := newCard(t, h)
	meta, _ := openOp(t, h, card, "U0MEMBER01", cardTS, actNote)
	note := "群众女儿来电改约周五，回电 13987654321"
	if ack := h.submitView("U0MEMBER01", "VN1", viewNote, meta, map[string]string{"text": note}); ack != "" {
		t.Fatalf("note ack = %q, want empty", ack)
	}
	h.slack.wait("chat.update")
	tl := h.slack.wait("chat.postMessage")
	if !strings.Contains(shown(tl), "添加备注") || !strings.Contains(shown(tl), "139****4321") {
		t.Errorf("timeline = %s, want the note with the phone masked", shown(tl))
	}
	if strings.Contains(tl.text(), "13987654321") || strings.Contains(h.logs.String(), "13987654321") {
		t.Errorf("the note's phone number left towndesk unmasked")
	}
	evs, _ := h.db.Events(ctx, id)
	if last := evs[len(evs)-1]; last.Type != towndesk.EventNoted || last.By != "U0MEMBER01" || last.Note != note {
		t.Errorf("last event = %+v, want the note by U0MEMBER01", last)
	}
	h.refused(t, "U0MEMBER01", "VN2", viewNote, id+"|2|"+chDesk, map[string]string{"text": "  "}, "text")
}

func TestDeskPayInSlack(t *testing.T) {
	h := newHarness(t, "", nil)
	ctx := t.Context()
	id, cardTS, card := newCard(t, h)
	meta, view := openOp(t, h, card, uWorker, cardTS, actPay)
	for _, want := range []string{"static_select", "收取", "支付", "领取", "交付", `"amount"`} {
		if !strings.Contains(view, want) {
			t.Errorf("pay modal lacks %q: %s", want, view)
		}
	}
	bad := []struct {
		name, typ, amount, field string
	}{
		{"three decimals", "收取", "12.345", "amount"},
		{"not a number", "收取", "五十", "amount"},
		{"zero", "支付", "0", "amount"},
		{"negative", "交付", "-5", "amount"},
		{"no type", "", "50", "type"},
	}
	for _, tt := range bad {
		t.Run(tt.name, func(t *testing.T) {
			h.refused(t, uWorker, "VP1", viewPay, meta, map[string]string{"type": tt.typ, "amount": tt.amount}, tt.field)
			if es, _ := h.db.Ledger(ctx, id); len(es) != 0 {
				t.Errorf("pay %q %q stored %d ledger entries, want 0", tt.typ, tt.amount, len(es))
			}
			if r, _ := h.db.Request(ctx, id); r.Version != 1 {
				t.Errorf("pay %q %q: version = %d, want 1 (unchanged)", tt.typ, tt.amount, r.Version)
			}
		})
	}
	h.slack.quiet(300 * time.Millisecond)

	ack := h.submitView(uWorker, "VP1", viewPay, meta, map[string]string{"type": "收取", "amount": "50", "receipt": "NO.0012"})
	if ack != "" {
		t.Fatalf("valid pay ack = %q, want empty", ack)
	}
	es, _ := h.db.Ledger(ctx, id)
	if len(es) != 1 || es[0].Type != towndesk.EntryReceived || es[0].Amount != 5000 || es[0].By != uWorker {
		t.Errorf("ledger = %+v, want one 收取 of 50.00 by %s", es, uWorker)
	}
	upd := h.slack.wait("chat.update")
	if !strings.Contains(shown(upd), "收取 50.00 元，支付 0.00 元") {
		t.Errorf("card after pay = %s, want the balance", shown(upd))
	}
	if tl := h.slack.wait("chat.postMessage"); !strings.Contains(shown(tl), "收取 50.00 元") {
		t.Errorf("timeline after pay = %s", shown(tl))
	}
}

func TestDeskExtendInSlack(t *testing.T) {
	h := newHarness(t, "", nil)
	ctx := t.Context()
	id, cardTS, _ := newCard(t, h)
	card := accept(t, h, id, cardTS)
	before, _ := h.db.Request(ctx, id)
	meta, view := openOp(t, h, card, uWorker, cardTS, actExtend)
	if !strings.Contains(view, "number_input") {
		t.Errorf("extend modal = %s, want a number_input for the days", view)
	}
	bad := []struct {
		name, days, reason, field string
	}{
		{"no reason", "3", "", "reason"},
		{"zero days", "0", "等县里盖章", "days"},
		{"too many days", "400", "等县里盖章", "days"},
	}
	for _, tt := range bad {
		t.Run(tt.name, func(t *testing.T) {
			h.refused(t, uWorker, "VE1", viewExtend, meta, map[string]string{"days": tt.days, "reason": tt.reason}, tt.field)
			if r, _ := h.db.Request(ctx, id); r.Due != before.Due || r.Version != before.Version {
				t.Errorf("refused extension changed the request: due %s version %d", r.Due, r.Version)
			}
		})
	}
	ack := h.submitView(uWorker, "VE1", viewExtend, meta, map[string]string{"days": "3", "reason": "等县民政局盖章"})
	if ack != "" {
		t.Fatalf("valid extend ack = %q, want empty", ack)
	}
	after, _ := h.db.Request(ctx, id)
	if after.Due <= before.Due {
		t.Errorf("due after extending = %s, want later than %s", after.Due, before.Due)
	}
	if upd := h.slack.wait("chat.update"); !strings.Contains(shown(upd), string(after.Due)) {
		t.Errorf("card after extend = %s, want the new due date %s", shown(upd), after.Due)
	}
	tl := h.slack.wait("chat.postMessage")
	if want := fmt.Sprintf("由 %s 延至 %s", before.Due, after.Due); !strings.Contains(shown(tl), want) || !strings.Contains(shown(tl), "等县民政局盖章") {
		t.Errorf("timeline after extend = %s, want %q and the reason", shown(tl), want)
	}
}

func TestDeskOpsRefusedForOutsiders(t *testing.T) {
	h := newHarness(t, "", nil)
	ctx := t.Context()
	id, cardTS, card := newCard(t, h)
	tests := []struct {
		name, action string
		values       map[string]string
	}{
		{"assign", actAssign, map[string]string{"assignee": "U0STRANGER"}},
		{"note", actNote, map[string]string{"text": "我来看看"}},
		{"pay", actPay, map[string]string{"type": "收取", "amount": "10"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// A click in another channel by someone outside the desk.
			h.interact(h.click(chPlain, "U0STRANGER", cardTS, "", tt.action, blockValue(t, card, tt.action), false))
			c := h.slack.wait("hook")
			if !strings.Contains(c.text(), "只有代办员") || c.JSON["response_type"] != "ephemeral" {
				t.Errorf("%s by a stranger = %s, want an ephemeral refusal", tt.action, c.text())
			}
			h.slack.quiet(300 * time.Millisecond) // no modal
			// A submission crafted without the modal is refused too.
			ack := h.submitView("U0STRANGER", "VX"+tt.name, tt.action, id+"|1|"+chPlain, tt.values)
			if errs := ackErrors(t, ack); !strings.Contains(fmt.Sprint(errs), "只有代办员") {
				t.Errorf("%s submitted by a stranger: ack = %s, want the refusal", tt.action, ack)
			}
			evs, _ := h.db.Events(ctx, id)
			es, _ := h.db.Ledger(ctx, id)
			if r, _ := h.db.Request(ctx, id); r.Version != 1 || r.Assignee != "" || len(evs) != 1 || len(es) != 0 {
				t.Errorf("after %s by a stranger: version %d, assignee %q, %d events, %d ledger entries; want nothing changed",
					tt.action, r.Version, r.Assignee, len(evs), len(es))
			}
		})
	}
}

// TestDeskBadVersionRefused: a card button or a form whose version does
// not parse (or is not a real version) is refused; it must not become
// version 0, which skips the optimistic-locking check. A form whose
// metadata lacks a field (we never write one) is stale too, even at the
// current version and for a desk worker. Nothing is stored.
func TestDeskBadVersionRefused(t *testing.T) {
	h := newHarness(t, "", nil)
	ctx := t.Context()
	id, cardTS, _ := newCard(t, h)
	before, _ := h.db.Events(ctx, id)

	for _, value := range []string{id + "|x|accepted", id + "|0|accepted", id + "||accepted"} {
		h.interact(h.click(chDesk, uWorker, cardTS, "", actMove, value, false))
		if c := h.slack.wait("hook"); !strings.Contains(c.text(), "按钮已失效") {
			t.Errorf("click %q: reply = %s, want 按钮已失效", value, c.text())
		}
	}
	h.interact(h.click(chDesk, uWorker, cardTS, "", actNote, id+"|v2", false))
	if c := h.slack.wait("hook"); !strings.Contains(c.text(), "按钮已失效") {
		t.Errorf("备注 button with a bad version: reply = %s, want 按钮已失效", c.text())
	}
	forms := []struct {
		callback, meta, field string
		values                map[string]string
	}{
		{viewMove, id + "|abc|rejected|" + chDesk, "text", map[string]string{"text": "材料不全"}},
		{viewNote, id + "|x|" + chDesk, "text", map[string]string{"text": "已电话联系"}},
		{viewExtend, id + "|-1|" + chDesk, "days", map[string]string{"days": "3", "reason": "等部门盖章"}},
		{viewNote, id + "|1", "text", map[string]string{"text": "不该记下"}},
	}
	for _, f := range forms {
		errs := ackErrors(t, h.submitView(uWorker, "VBADVER", f.callback, f.meta, f.values))
		if !strings.Contains(errs[f.field], "表单已失效") {
			t.Errorf("%s with metadata %q: errors = %v, want 表单已失效 at %s", f.callback, f.meta, errs, f.field)
		}
	}
	h.slack.quiet(300 * time.Millisecond)
	r, err := h.db.Request(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if r.Status != towndesk.StatusReceived || r.Version != 1 {
		t.Errorf("after bad versions the request is %s version %d, want received version 1", r.Status, r.Version)
	}
	if after, _ := h.db.Events(ctx, id); len(after) != len(before) {
		t.Errorf("bad versions added %d events, want none", len(after)-len(before))
	}
}

// TestDeskReverseInSlack corrects a mistyped amount from the card's 收付
// form: it lists the entries with their numbers, offers those that may be
// reversed, checks the form, and the reversal shows on the card.
func TestDeskReverseInSlack(t *testing.T) {
	h := newHarness(t, "", nil)
	ctx := t.Context()
	id, cardTS, card := newCard(t, h)
	meta, view := openOp(t, h, card, uWorker, cardTS, actPay)
	if strings.Contains(view, `"reverse"`) {
		t.Errorf("pay form of an empty ledger offers to reverse: %s", view)
	}
	if ack := h.submitView(uWorker, "VP1", viewPay, meta, map[string]string{"type": "收取", "amount": "200"}); ack != "" {
		t.Fatalf("pay ack = %q", ack)
	}
	card = h.slack.wait("chat.update")
	h.slack.wait("chat.postMessage")
	es, _ := h.db.Ledger(ctx, id)
	if len(es) != 1 {
		t.Fatalf("ledger = %+v, want one entry", es)
	}
	wrong := fmt.Sprint(es[0].ID)

	meta, view = openOp(t, h, card, uWorker, cardTS, actPay)
	for _, want := range []string{"已登记的收支", "#" + wrong + "  ", "收取 200.00 元", `"reverse"`, "冲正登记错的一笔"} {
		if !strings.Contains(view, want) {
			t.Errorf("pay form lacks %q: %s", want, view)
		}
	}
	for _, tt := range []struct {
		name   string
		values map[string]string
		field  string
	}{
		{"no reason", map[string]string{"reverse": wrong}, "note"},
		{"amount too", map[string]string{"reverse": wrong, "note": "录错", "amount": "20"}, "amount"},
		{"not an entry of this request", map[string]string{"reverse": "9999", "note": "录错"}, "reverse"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			h.refused(t, uWorker, "VP2", viewPay, meta, tt.values, tt.field)
		})
	}
	if es, _ := h.db.Ledger(ctx, id); len(es) != 1 {
		t.Fatalf("refused reversals stored entries: %+v", es)
	}
	h.slack.quiet(300 * time.Millisecond)
	if ack := h.submitView(uWorker, "VP2", viewPay, meta, map[string]string{"reverse": wrong, "note": "金额录错，应为 20 元"}); ack != "" {
		t.Fatalf("valid reversal ack = %q, want empty", ack)
	}
	es, _ = h.db.Ledger(ctx, id)
	if len(es) != 2 || fmt.Sprint(es[1].Reverses) != wrong || es[1].Amount != 20000 || es[1].By != uWorker || es[1].Note != "金额录错，应为 20 元" {
		t.Fatalf("ledger = %+v, want the entry and its reversal by %s", es, uWorker)
	}
	card = h.slack.wait("chat.update")
	if !strings.Contains(shown(card), "收取 0.00 元，支付 0.00 元") {
		t.Errorf("card after the reversal = %s, want the balance back to 0", shown(card))
	}
	if tl := h.slack.wait("chat.postMessage"); !strings.Contains(shown(tl), "已冲正收支 #"+wrong) {
		t.Errorf("timeline after the reversal = %s", shown(tl))
	}
	_, view = openOp(t, h, card, uWorker, cardTS, actPay)
	if !strings.Contains(view, "（已由 #") || strings.Contains(view, `"reverse"`) {
		t.Errorf("pay form after the reversal should mark the entry and offer nothing to reverse: %s", view)
	}
}
