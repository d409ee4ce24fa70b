package bot

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/towndesk/towndesk/handlers/desk"
)

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
	deadline := time.Now().Add(30 * time.Second)
	for {
		posts, err := h.db.Posts(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(posts) == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("posts of a town without a desk channel still queued: %+v", posts)
		}
		time.Sleep(20 * time.Millisecond)
	}
	h.slack.quiet(300 * time.Millisecond)
}
