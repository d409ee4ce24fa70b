package deliver

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/towndesk/towndesk"
	"github.com/towndesk/towndesk/internal/testenv"
	"github.com/towndesk/towndesk/storage"
)

// fakeSender records the posts it is asked to make and fails them as told.
type fakeSender struct {
	mu      sync.Mutex
	sent    []storage.Post
	at      []time.Time
	fail    map[int64]int           // post ID → failures to come
	after   map[int64]time.Duration // post ID → Retry-After of its failures
	nowhere map[int64]bool          // post ID → goes nowhere
	refused map[int64]bool          // post ID → refused for good
	done    chan storage.Post
}

var errFake = errors.New("fake failure")

// errRefused is a failure the fake platform will repeat for ever.
var errRefused = errors.New("fake: message refused")

type rateLimited struct{ wait time.Duration }

func (r rateLimited) Error() string { return "ratelimited" }

func newFakeSender() *fakeSender {
	return &fakeSender{fail: map[int64]int{}, after: map[int64]time.Duration{}, nowhere: map[int64]bool{}, refused: map[int64]bool{}, done: make(chan storage.Post, 100)}
}

func (f *fakeSender) Channel(ctx context.Context, p storage.Post) (string, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.nowhere[p.ID] {
		return "", nil
	}
	return "C1", nil
}

func (f *fakeSender) Send(ctx context.Context, p storage.Post) (*storage.PostedCard, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.sent = append(f.sent, p)
	f.at = append(f.at, time.Now())
	if f.refused[p.ID] {
		return nil, errRefused
	}
	if f.fail[p.ID] > 0 {
		f.fail[p.ID]--
		if w, ok := f.after[p.ID]; ok {
			return nil, rateLimited{w}
		}
		return nil, errFake
	}
	f.done <- p
	if p.Kind == storage.PostCard {
		return &storage.PostedCard{RequestID: p.RequestID, Channel: "C1", TS: "1.000001"}, nil
	}
	return nil, nil
}

func (f *fakeSender) RetryAfter(err error) (time.Duration, bool) {
	var r rateLimited
	if errors.As(err, &r) {
		return r.wait, true
	}
	return 0, false
}

func (f *fakeSender) Refused(err error) bool { return errors.Is(err, errRefused) }

func (f *fakeSender) wait(t *testing.T) storage.Post {
	t.Helper()
	select {
	case p := <-f.done:
		return p
	case <-time.After(20 * time.Second):
		t.Fatal("no post made within 20 s")
	}
	return storage.Post{}
}

func openOutbox(t *testing.T, o OutboxOptions) (*storage.DB, *Outbox, func()) {
	t.Helper()
	db := testenv.DB(t, "")
	o.Store, o.Poster = db, NewPoster(-1, 1, 1000)
	if o.Owner == "" {
		o.Owner = "test"
	}
	x := NewOutbox(o)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { x.Run(ctx); close(done) }()
	stop := func() {
		cancel()
		<-done
		o.Poster.Close(context.Background())
		db.ReleasePosts(context.Background(), o.Owner)
	}
	t.Cleanup(stop)
	return db, x, stop
}

func newRequest(t *testing.T, db *storage.DB, citizen string) string {
	t.Helper()
	r := &towndesk.Request{Town: towndesk.Place{County: "滕州市", CountyCode: "370481", Town: "滨湖镇", TownCode: "370481113"},
		Citizen: citizen, Phone: "13812345678", Kind: "代办证件", PromisedDays: 5, Matter: "补办社保卡", CreatedBy: "王芳"}
	if err := db.CreateRequest(context.Background(), r); err != nil {
		t.Fatal(err)
	}
	return r.ID
}

// addPosts stores posts in the outbox and returns their IDs, in order.
func addPosts(t *testing.T, db *storage.DB, posts ...storage.Post) []int64 {
	t.Helper()
	ctx := context.Background()
	if err := db.AddPosts(ctx, posts...); err != nil {
		t.Fatal(err)
	}
	all, err := db.Posts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var ids []int64
	for _, p := range all[len(all)-len(posts):] {
		ids = append(ids, p.ID)
	}
	return ids
}

func TestOutboxSendsInOrderAndRecordsCards(t *testing.T) {
	f := newFakeSender()
	db, x, _ := openOutbox(t, OutboxOptions{Sender: f, MinBackoff: 50 * time.Millisecond})
	ctx := context.Background()
	a, b := newRequest(t, db, "张三"), newRequest(t, db, "李四")
	addPosts(t, db,
		storage.Post{Kind: storage.PostCard, RequestID: a, Channel: "C1"},
		storage.Post{Kind: storage.PostLine, RequestID: a, By: "U1", Body: "已登记"},
		storage.Post{Kind: storage.PostCard, RequestID: b, Channel: "C1"})
	x.Wake()
	var got []storage.Post
	for range 3 {
		got = append(got, f.wait(t))
	}
	lineAt, cardAt := -1, -1
	for i, p := range got {
		if p.RequestID == a && p.Kind == storage.PostLine {
			lineAt = i
		}
		if p.RequestID == a && p.Kind == storage.PostCard {
			cardAt = i
		}
	}
	if cardAt < 0 || lineAt < cardAt {
		t.Errorf("posts made %+v: want a's card before its line", got)
	}
	for _, id := range []string{a, b} {
		if ch, ts, err := db.RequestCard(ctx, id); err != nil || ch != "C1" || ts != "1.000001" {
			t.Errorf("card of %s = %s %s %v, want recorded", id, ch, ts, err)
		}
	}
	testenv.OutboxDrained(t, db, 20*time.Second)
}

func TestOutboxRetriesWithBackoffAndRetryAfter(t *testing.T) {
	f := newFakeSender()
	db, x, _ := openOutbox(t, OutboxOptions{Sender: f, MinBackoff: 100 * time.Millisecond, MaxBackoff: 300 * time.Millisecond})
	a := newRequest(t, db, "张三")
	// The outbox may find the posts as soon as they are stored: hold the
	// sender until their failures are set, so that no attempt comes first.
	f.mu.Lock()
	ids := addPosts(t, db, storage.Post{Kind: storage.PostCard, RequestID: a, Channel: "C1"},
		storage.Post{Kind: storage.PostLine, RequestID: a, Body: "一"})
	card, line := ids[0], ids[1]
	f.fail[card] = 3                             // backoff 100, 200, 300 ms
	f.fail[line], f.after[line] = 1, time.Second // then the platform asks for a second
	f.mu.Unlock()
	x.Wake()
	f.wait(t) // the card, on the fourth attempt
	f.wait(t) // the line, on its second
	f.mu.Lock()
	defer f.mu.Unlock()
	if len(f.sent) != 6 {
		t.Fatalf("%d attempts, want 4 at the card and 2 at the line", len(f.sent))
	}
	for i, want := range []time.Duration{100 * time.Millisecond, 200 * time.Millisecond, 300 * time.Millisecond} {
		if gap := f.at[i+1].Sub(f.at[i]); gap < want {
			t.Errorf("attempt %d came %v after the one before, want at least the backoff %v", i+2, gap, want)
		}
		if f.sent[i+1].Attempts != i+2 {
			t.Errorf("attempt %d counted as %d", i+2, f.sent[i+1].Attempts)
		}
	}
	if gap := f.at[5].Sub(f.at[4]); gap < time.Second {
		t.Errorf("retried %v after a 429 asking for 1 s", gap)
	}
	if f.sent[4].Kind != storage.PostLine || f.sent[3].Kind != storage.PostCard {
		t.Errorf("the line was tried before its card was made: %+v", f.sent)
	}
}

func TestOutboxDropsWhatGoesNowhereAndGivesUpOldPosts(t *testing.T) {
	f := newFakeSender()
	db, x, _ := openOutbox(t, OutboxOptions{Sender: f, MinBackoff: 20 * time.Millisecond, MaxAge: 200 * time.Millisecond})
	a := newRequest(t, db, "张三")
	f.mu.Lock() // held until the posts' fates are set (see TestOutboxRetriesWithBackoffAndRetryAfter)
	ids := addPosts(t, db, storage.Post{Kind: storage.PostCard, RequestID: a, Channel: "C1"},
		storage.Post{Kind: storage.PostMessage, Channel: "C2", Body: `{"text":"依据"}`})
	f.nowhere[ids[0]] = true
	f.fail[ids[1]] = 1000
	f.mu.Unlock()
	x.Wake()
	testenv.OutboxDrained(t, db, 20*time.Second)
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, p := range f.sent {
		if p.ID == ids[0] {
			t.Errorf("a post that goes nowhere was sent")
		}
	}
	if n := len(f.sent); n < 2 {
		t.Errorf("the failing post was tried %d times before it was given up", n)
	}
}

func TestOutboxLeavesPostsForTheNextStart(t *testing.T) {
	ctx := context.Background()
	db := testenv.DB(t, "")
	a, b := newRequest(t, db, "张三"), newRequest(t, db, "李四")
	addPosts(t, db, storage.Post{Kind: storage.PostCard, RequestID: a, Channel: "C1"},
		storage.Post{Kind: storage.PostCard, RequestID: b, Channel: "C1"})
	// The first run may post once an hour in C1: b's card waits its turn
	// when the run stops, and is left stored, not lost.
	f := newFakeSender()
	first := OutboxOptions{Store: db, Sender: f, Poster: NewPoster(time.Hour, 1, 10), Owner: "first"}
	x := NewOutbox(first)
	runCtx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() { x.Run(runCtx); close(done) }()
	if p := f.wait(t); p.RequestID != a {
		t.Fatalf("first post %+v, want a's card", p)
	}
	cancel()
	<-done
	if err := first.Poster.Close(ctx); err != nil {
		t.Fatal(err)
	}
	if posts, _ := db.Posts(ctx); len(posts) != 1 || posts[0].RequestID != b {
		t.Fatalf("after the first run the outbox holds %+v, want b's card", posts)
	}
	// The next start (another owner) sends it at once: Close gave it up.
	second := NewOutbox(OutboxOptions{Store: db, Sender: f, Poster: NewPoster(-1, 1, 10), Owner: "second"})
	ctx2, cancel2 := context.WithCancel(ctx)
	defer cancel2()
	go second.Run(ctx2)
	if p := f.wait(t); p.RequestID != b {
		t.Errorf("the next start sent %+v, want b's card", p)
	}
	testenv.OutboxDrained(t, db, 20*time.Second)
}

// TestOutboxDropsRefusedPost: a post the platform refuses for good is
// given up at once, not retried for days in front of its queue.
func TestOutboxDropsRefusedPost(t *testing.T) {
	f := newFakeSender()
	db, x, _ := openOutbox(t, OutboxOptions{Sender: f, MinBackoff: time.Hour})
	a := newRequest(t, db, "张三")
	f.mu.Lock() // held until the card's refusal is set
	ids := addPosts(t, db, storage.Post{Kind: storage.PostCard, RequestID: a, Channel: "C1"},
		storage.Post{Kind: storage.PostLine, RequestID: a, Body: "一"})
	f.refused[ids[0]] = true
	f.mu.Unlock()
	x.Wake()
	if p := f.wait(t); p.ID != ids[1] {
		t.Errorf("made post %d, want the line queued behind the refused card (%d)", p.ID, ids[1])
	}
	testenv.OutboxDrained(t, db, 20*time.Second)
}
