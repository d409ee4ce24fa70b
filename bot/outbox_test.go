package bot

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/towndesk/towndesk"
)

// TestCardRetriedAfter429AndUpdatedAfterRestart: the card's post is
// retried as Slack's 429 asks, and after a restart a change edits the
// same card (its ts was recorded) rather than posting another.
func TestCardRetriedAfter429AndUpdatedAfterRestart(t *testing.T) {
	ctx := context.Background()
	f := newFakeSlack(t)
	f.limit429 = 1 // Retry-After: 1
	dir := t.TempDir()
	h := newHarness(t, dir, f, func(o *Options) { o.RetryBackoff = 50 * time.Millisecond })
	if ack := h.submitView(uWorker, "VRETRY", viewIntake, chDesk, validIntake()); ack != "" {
		t.Fatalf("intake ack = %s", ack)
	}
	limited := f.wait("429 chat.postMessage")
	card := f.wait("chat.postMessage")
	if gap := card.At.Sub(limited.At); gap < time.Second {
		t.Errorf("card posted %v after a 429 asking for 1 s", gap)
	}
	if card.Form.Get("channel") != chDesk || card.Form.Get("thread_ts") != "" || !strings.Contains(card.Form.Get("metadata"), outboxEvent) {
		t.Errorf("card call = %v, want the desk channel's root with the outbox metadata", card.Form)
	}
	line := f.wait("chat.postMessage")
	cardTS := line.Form.Get("thread_ts")
	if cardTS == "" || !strings.Contains(line.text(), "已登记代办") {
		t.Fatalf("timeline line = %s under %q", line.text(), cardTS)
	}
	rs, _, _ := h.db.Requests(ctx, towndesk.RequestFilter{})
	id := rs[0].ID
	h.stop()

	// A new process on the same data directory.
	h2 := newHarness(t, dir, f)
	h2.interact(h2.click(chDesk, uWorker, cardTS, "", actMove, id+"|1|accepted", false))
	upd := f.wait("chat.update")
	if upd.Form.Get("channel") != chDesk || upd.Form.Get("ts") != cardTS || !strings.Contains(upd.text(), "已受理") {
		t.Errorf("after the restart the change updated %s/%s (%s), want the card %s/%s", upd.Form.Get("channel"), upd.Form.Get("ts"), upd.text(), chDesk, cardTS)
	}
	tl := f.wait("chat.postMessage")
	if tl.Form.Get("thread_ts") != cardTS || !strings.Contains(tl.text(), "已登记 → 已受理") {
		t.Errorf("timeline after the restart = %s in %q, want the card's thread", tl.text(), tl.Form.Get("thread_ts"))
	}
	f.quiet(300 * time.Millisecond) // no second card
}

// TestButtonPostsGoThroughTheOutbox: a post a button asks for is stored
// before the ack and survives a restart that comes before it is sent.
func TestButtonPostsGoThroughTheOutbox(t *testing.T) {
	f := newFakeSlack(t)
	dir := t.TempDir()
	// Posts to chPlain wait an hour for their turn: the first run stops
	// with the post still waiting.
	h := newHarness(t, dir, f, func(o *Options) { o.ChannelInterval, o.ChannelBurst = time.Hour, 1 })
	h.bot.enqueue(context.Background(), messagePost(chPlain, "", message{text: "先占一个位置"}))
	f.wait("chat.postMessage")
	h.interact(h.click(chPlain, "U1", "500.000001", "", actBasis, "《中华人民共和国城乡规划法》第六十五条", false))
	f.quiet(500 * time.Millisecond)
	posts, err := h.db.Posts(context.Background())
	if err != nil || len(posts) != 1 || !strings.Contains(posts[0].Body, "第六十五条") {
		t.Fatalf("outbox after the click = %+v, %v; want the basis post stored", posts, err)
	}
	h.stop()
	newHarness(t, dir, f)
	basis := f.wait("chat.postMessage")
	if basis.Form.Get("channel") != chPlain || !strings.Contains(basis.text(), "第六十五条") {
		t.Errorf("after the restart posted %s, want the basis", basis.text())
	}
}
