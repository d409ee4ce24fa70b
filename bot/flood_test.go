package bot

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/towndesk/towndesk/storage"
)

// paced makes posts to one channel wait an hour after the first: a
// channel flooded beyond anything a test could wait out.
func paced(workers int) func(*Options) {
	return func(o *Options) { o.Workers, o.ChannelInterval, o.ChannelBurst = workers, time.Hour, 1 }
}

// TestBusyChannelHoldsNoWorker: answers waiting for a busy channel's turn
// hold no worker, so other channels' questions, slash commands and modal
// triggers (which Slack expires after 3 s) are served meanwhile, even by
// a single worker.
func TestBusyChannelHoldsNoWorker(t *testing.T) {
	h := newHarness(t, "", nil, paced(1))
	for i := 0; i < 4; i++ {
		if resp := h.mention(fmt.Sprintf("EvBUSY%d", i), chBangjun, "U1", fmt.Sprintf("%d.000001", 800+i), "", "谁管烧秸秆"); resp.StatusCode != http.StatusOK {
			t.Fatalf("mention %d = %d, want 200", i, resp.StatusCode)
		}
	}
	if c := h.slack.wait("chat.postMessage"); c.Form.Get("channel") != chBangjun {
		t.Fatalf("first post to %s, want %s", c.Form.Get("channel"), chBangjun)
	}
	// The other three wait an hour for their turn. Meanwhile:
	h.mention("EvOTHER", chPlain, "U2", "900.000001", "", "滕州市滨湖镇放鞭炮谁管")
	if c := h.slack.wait("chat.postMessage"); c.Form.Get("channel") != chPlain || c.Form.Get("thread_ts") != "900.000001" {
		t.Errorf("next post to %s thread %s, want the other channel's answer", c.Form.Get("channel"), c.Form.Get("thread_ts"))
	}
	h.command(chBangjun, "U3", "谁管烧秸秆")
	if c := h.slack.wait("hook"); !strings.Contains(c.text(), "邦均镇") {
		t.Errorf("slash command in the busy channel = %s", c.text())
	}
	h.command(chDesk, uWorker, "代办")
	if c := h.slack.wait("views.open"); !strings.Contains(c.text(), viewIntake) {
		t.Errorf("views.open = %s, want the intake form", c.text())
	}
	// The second answer is taken off the queue to wait for its turn as
	// soon as the first is sent; on a busy machine that can come after the
	// checks above.
	n := h.bot.posts.Pending(chBangjun)
	for deadline := time.Now().Add(10 * time.Second); n == 3 && time.Now().Before(deadline); n = h.bot.posts.Pending(chBangjun) {
		time.Sleep(10 * time.Millisecond)
	}
	if n != 2 {
		t.Errorf("posts waiting for the busy channel = %d, want 2 (and one waiting for its turn)", n)
	}
}

// answersByRoot counts the posts in ch by the thread they answer.
func answersByRoot(calls []call, ch string) map[string]int {
	n := map[string]int{}
	for _, c := range calls {
		if c.Method == "chat.postMessage" && c.Form.Get("channel") == ch {
			n[c.Form.Get("thread_ts")]++
		}
	}
	return n
}

// waitAnswers waits until every root in roots has a post in ch, or fails
// after a minute.
func waitAnswers(t testing.TB, f *fakeSlack, ch string, roots []string) {
	t.Helper()
	deadline := time.Now().Add(time.Minute)
	for {
		got := answersByRoot(f.all(), ch)
		missing := 0
		for _, r := range roots {
			if got[r] == 0 {
				missing++
			}
		}
		if missing == 0 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d of %d questions in %s unanswered after a minute", missing, len(roots), ch)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// drainNotify keeps the fake Slack's notification channel empty, for
// tests that read its record instead.
func drainNotify(f *fakeSlack) (stop func()) {
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			select {
			case <-f.notify:
			case <-done:
				return
			}
		}
	}()
	return func() { close(done); wg.Wait() }
}

// TestShutdownWithBacklogAnswersAfterRestart: a shutdown with a backlog
// finishes by itself (no waiting for the channel's turns), and every
// question still queued, answered or not, is answered after the restart,
// each exactly once and logged once.
func TestShutdownWithBacklogAnswersAfterRestart(t *testing.T) {
	dir := t.TempDir()
	f := newFakeSlack(t)
	defer drainNotify(f)()
	h := newHarness(t, dir, f, paced(1))
	const n = 12
	var roots []string
	for i := 0; i < n; i++ {
		root := fmt.Sprintf("%d.000002", 1000+i)
		roots = append(roots, root)
		if resp := h.mention(fmt.Sprintf("EvBL%d", i), chBangjun, "U1", root, "", "谁管烧秸秆"); resp.StatusCode != http.StatusOK {
			t.Fatalf("mention %d = %d, want 200", i, resp.StatusCode)
		}
	}
	// Stop as soon as the first answer is out: the next ones wait for
	// their turn (an hour), worked out or not.
	for len(answersByRoot(f.all(), chBangjun)) == 0 {
		time.Sleep(5 * time.Millisecond)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := h.bot.Close(ctx); err != nil {
		t.Errorf("Close with a backlog = %v, want it to finish without running out of time", err)
	}
	h.stop()
	before := answersByRoot(f.all(), chBangjun)
	if len(before) == n {
		t.Fatalf("all %d answered before the restart: the test did not leave a backlog", n)
	}

	h2 := newHarness(t, dir, f)
	waitAnswers(t, f, chBangjun, roots)
	time.Sleep(300 * time.Millisecond) // let any duplicate arrive
	for root, k := range answersByRoot(f.all(), chBangjun) {
		if k != 1 {
			t.Errorf("question %s answered %d times, want once", root, k)
		}
	}
	ctx = context.Background()
	if k, _ := h2.db.InboxSize(ctx); k != 0 {
		t.Errorf("%d questions still stored after the restart answered them all", k)
	}
	if qs, _ := h2.db.Questions(ctx, storage.QuestionFilter{}); len(qs) != n {
		t.Errorf("question log holds %d entries, want %d (each question worked out once)", len(qs), n)
	}
	t.Logf("answered before the shutdown: %d, after the restart: %d", len(before), n-len(before))
}

// TestCrashedInstanceQuestionsTakenOver: questions held by an instance
// that died (never released) are answered once its lease runs out; those
// whose holder's lease still runs are left to it.
func TestCrashedInstanceQuestionsTakenOver(t *testing.T) {
	dir := t.TempDir()
	db, err := storage.Open(dir + "/towndesk.db")
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	dead := &storage.InboxQuestion{Channel: chBangjun, User: "U1", Root: "950.000001", Thread: "950.000001", Text: "谁管烧秸秆"}
	live := &storage.InboxQuestion{Channel: chBangjun, User: "U1", Root: "951.000001", Thread: "951.000001", Text: "谁管放鞭炮"}
	if _, err := db.QueueQuestion(ctx, "EvDEAD", dead, "dead-instance", time.Millisecond); err != nil {
		t.Fatal(err)
	}
	if _, err := db.QueueQuestion(ctx, "EvLIVE", live, "live-instance", time.Hour); err != nil {
		t.Fatal(err)
	}
	db.Close()
	time.Sleep(5 * time.Millisecond)

	h := newHarness(t, dir, nil)
	c := h.slack.wait("chat.postMessage")
	if c.Form.Get("thread_ts") != "950.000001" || !strings.Contains(c.text(), "邦均镇") {
		t.Errorf("taken-over answer = %s in thread %s, want the dead instance's question answered", c.text(), c.Form.Get("thread_ts"))
	}
	h.slack.quiet(300 * time.Millisecond)
	if k, _ := h.db.InboxSize(ctx); k != 1 {
		t.Errorf("%d questions stored, want 1 (the live instance's)", k)
	}
	// A redelivery of the answered event is still recognised.
	if resp := h.mention("EvDEAD", chBangjun, "U1", "950.000001", "", "谁管烧秸秆"); resp.StatusCode != http.StatusOK {
		t.Errorf("redelivery = %d, want 200", resp.StatusCode)
	}
	h.slack.quiet(300 * time.Millisecond)
}

// TestChannelBacklogRefusedVisibly: beyond the channel's backlog limit a
// question is not queued for an answer that would come too late; the
// asker is told so privately, and nothing is kept.
func TestChannelBacklogRefusedVisibly(t *testing.T) {
	f := newFakeSlack(t)
	defer drainNotify(f)()
	h := newHarness(t, "", f, paced(1), func(o *Options) { o.ChannelBacklog = 2 })
	const n = 8
	for i := 0; i < n; i++ {
		h.mention(fmt.Sprintf("EvBACK%d", i), chBangjun, "U1", fmt.Sprintf("%d.000003", 1100+i), "", "谁管烧秸秆")
	}
	// One answer is posted, one waits for its turn, at most two more
	// wait in the queue; the rest are refused.
	deadline := time.Now().Add(time.Minute)
	var posted, refused, waiting int
	for {
		posted, refused = 0, 0
		for _, c := range f.all() {
			switch {
			case c.Method == "chat.postMessage":
				posted++
			case c.Method == "chat.postEphemeral" && strings.Contains(c.text(), "待发的回复已有"):
				refused++
			}
		}
		waiting = h.bot.posts.Pending(chBangjun)
		if posted == 1 && posted+1+waiting+refused == n {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("after a minute: %d posted, %d waiting, %d refused; want %d in all", posted, waiting, refused, n)
		}
		time.Sleep(20 * time.Millisecond)
	}
	if waiting > 2 || refused < n-4 {
		t.Errorf("%d waiting, %d refused; want at most 2 waiting beyond the one in its turn, the rest refused", waiting, refused)
	}
	// Every question is posted (then forgotten, just after Slack has the
	// post), refused (never kept) or still stored: wait for the stored
	// count to settle on that, as the paced posts go on.
	var stored int
	for end := time.Now().Add(10 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		posted = 0
		for _, c := range f.all() {
			if c.Method == "chat.postMessage" {
				posted++
			}
		}
		stored, _ = h.db.InboxSize(context.Background())
		if stored == n-refused-posted || time.Now().After(end) {
			break
		}
	}
	if stored != n-refused-posted {
		t.Errorf("%d questions stored, want %d (the refused and the posted ones forgotten)", stored, n-refused-posted)
	}
}

// all returns every call the fake Slack has received, in order.
func (f *fakeSlack) all() []call {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]call(nil), f.calls...)
}
