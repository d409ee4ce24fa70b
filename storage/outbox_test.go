package storage

import (
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/towndesk/towndesk"
)

func TestCreateRequestOnceKeyAndNoticeInOneTransaction(t *testing.T) {
	ctx := t.Context()
	db, _ := openTestDB(t)
	notice := func(r *towndesk.Request) *Notice {
		return &Notice{Channel: "C1", By: "U1", Line: "已登记代办 " + r.ID + "，联系电话 13812345678"}
	}
	r := newTestRequest("张三")
	created, err := db.CreateRequestOnce(ctx, r, Intake{Key: "intake:V1", Notice: notice})
	if err != nil || !created || r.ID != "2026-0001" {
		t.Fatalf("CreateRequestOnce = %v, %v, %s; want created 2026-0001", created, err, r.ID)
	}
	posts, err := db.Posts(ctx)
	if err != nil || len(posts) != 2 {
		t.Fatalf("outbox after intake = %+v, %v; want a card and a line", posts, err)
	}
	if p := posts[0]; p.Kind != PostCard || p.RequestID != "2026-0001" || p.Channel != "C1" || p.Queue != "request:2026-0001" {
		t.Errorf("first post = %+v, want the card of 2026-0001 from C1", p)
	}
	if p := posts[1]; p.Kind != PostLine || p.By != "U1" || !strings.Contains(p.Body, "已登记代办 2026-0001") || strings.Contains(p.Body, "13812345678") {
		t.Errorf("second post = %+v, want the timeline line naming the number, the phone masked", p)
	}

	// The same submission again (a resubmitted form, or one whose ack was
	// lost): the first request, nothing new.
	again := newTestRequest("张三")
	created, err = db.CreateRequestOnce(ctx, again, Intake{Key: "intake:V1", Notice: notice})
	if err != nil || created || again.ID != "2026-0001" || again.Phone != "13812345678" {
		t.Errorf("CreateRequestOnce(same key) = %v, %v, %+v; want the first request, not created", created, err, again)
	}
	if posts, _ := db.Posts(ctx); len(posts) != 2 {
		t.Errorf("a repeated intake added posts: %d", len(posts))
	}
	// A notice without a line asks for the card only.
	other := newTestRequest("李四")
	if _, err := db.CreateRequestOnce(ctx, other, Intake{Key: "intake:V2", Notice: func(*towndesk.Request) *Notice { return &Notice{Channel: "C1"} }}); err != nil {
		t.Fatal(err)
	}
	if posts, _ := db.Posts(ctx); len(posts) != 3 || posts[2].Kind != PostCard || posts[2].RequestID != other.ID {
		t.Errorf("posts after a card-only notice = %+v", posts)
	}
	// An invalid request stores neither the request, its key nor a post.
	inv := newTestRequest("")
	if _, err := db.CreateRequestOnce(ctx, inv, Intake{Key: "intake:V3", Notice: notice}); towndesk.ErrorCode(err) != towndesk.EINVALID {
		t.Errorf("CreateRequestOnce(invalid) = %v, want EINVALID", err)
	}
	if _, fresh, _ := db.ClaimKey(ctx, "intake:V3"); !fresh {
		t.Error("an invalid intake recorded its key")
	}
}

func TestCreateRequestOnceConcurrentSubmissions(t *testing.T) {
	ctx := t.Context()
	db, _ := openTestDB(t)
	var wg sync.WaitGroup
	ids := make([]string, 8)
	for i := range ids {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r := newTestRequest("张三")
			if _, err := db.CreateRequestOnce(ctx, r, Intake{Key: "intake:same"}); err != nil {
				t.Error(err)
			}
			ids[i] = r.ID
		}()
	}
	wg.Wait()
	for _, id := range ids {
		if id != "2026-0001" {
			t.Errorf("concurrent submissions of one form got %v, want one request", ids)
			break
		}
	}
}

func TestUpdateRequestStoresNotice(t *testing.T) {
	ctx := t.Context()
	db, _ := openTestDB(t)
	r := mustCreate(t, db, newTestRequest("张三"))
	was := *r
	next := *r
	next.Assignee = "李娜"
	if err := db.UpdateRequest(ctx, RequestChange{Request: &next, Was: &was, Notice: &Notice{Channel: "C1", By: "U1", Line: "改由 李娜 承办"}}); err != nil {
		t.Fatal(err)
	}
	posts, _ := db.Posts(ctx)
	if len(posts) != 2 || posts[0].Kind != PostCard || posts[1].Body != "改由 李娜 承办" {
		t.Errorf("posts after a change = %+v, want the card and the line", posts)
	}
	// A change refused (stale version) stores no notice either.
	stale := *r
	stale.Assignee = "王五"
	if err := db.UpdateRequest(ctx, RequestChange{Request: &stale, Was: &was, Notice: &Notice{Channel: "C1", Line: "x"}}); towndesk.ErrorCode(err) != towndesk.ECONFLICT {
		t.Fatalf("stale change = %v, want ECONFLICT", err)
	}
	if posts, _ := db.Posts(ctx); len(posts) != 2 {
		t.Errorf("a refused change added posts: %d", len(posts))
	}
}

func TestOutboxQueuesLeasesAndRetries(t *testing.T) {
	ctx := t.Context()
	db, clock := openTestDB(t)
	const lease = time.Minute
	a := mustCreate(t, db, newTestRequest("张三"))
	b := mustCreate(t, db, newTestRequest("李四"))
	if err := db.AddPosts(ctx,
		Post{Kind: PostCard, RequestID: a.ID, Channel: "C1"},
		Post{Kind: PostLine, RequestID: a.ID, By: "U1", Body: "一"},
		Post{Kind: PostCard, RequestID: b.ID, Channel: "C1"},
		Post{Kind: PostMessage, Channel: "C2", TS: "1.0", Body: `{"text":"依据"}`},
	); err != nil {
		t.Fatal(err)
	}
	if err := db.AddPosts(ctx, Post{Kind: PostUpdate, Channel: "C2"}); towndesk.ErrorCode(err) != towndesk.EINVALID {
		t.Errorf("AddPosts(update without ts) = %v, want EINVALID", err)
	}
	// One post per queue at a time: a's line waits for a's card.
	got, err := db.ClaimPosts(ctx, "x", lease, 10)
	if err != nil || len(got) != 3 || got[0].Kind != PostCard || got[0].RequestID != a.ID || got[1].RequestID != b.ID || got[2].Kind != PostMessage {
		t.Fatalf("ClaimPosts = %+v, %v; want the heads of three queues", got, err)
	}
	if more, _ := db.ClaimPosts(ctx, "y", lease, 10); len(more) != 0 {
		t.Errorf("ClaimPosts(y) while x holds = %+v, want none", more)
	}
	// x starts a's card: the attempt is counted before the call.
	p, err := db.StartPost(ctx, got[0].ID, "x")
	if err != nil || p.Attempts != 1 || p.FirstTry.IsZero() {
		t.Fatalf("StartPost = %+v, %v; want attempt 1 with its time", p, err)
	}
	if err := db.FinishPost(ctx, p.ID, "x", &PostedCard{RequestID: a.ID, Channel: "C1", TS: "9.000001"}); err != nil {
		t.Fatal(err)
	}
	if ch, ts, err := db.RequestCard(ctx, a.ID); err != nil || ch != "C1" || ts != "9.000001" {
		t.Errorf("card of %s = %s %s %v; want recorded with the post", a.ID, ch, ts, err)
	}
	// Now a's line is due; b's card is still held by x.
	next, _ := db.ClaimPosts(ctx, "x", lease, 10)
	if len(next) != 1 || next[0].Kind != PostLine {
		t.Fatalf("ClaimPosts after the card = %+v, want a's line", next)
	}
	// b's card failed: retried not before its time, the attempt kept.
	if _, err := db.StartPost(ctx, got[1].ID, "x"); err != nil {
		t.Fatal(err)
	}
	if err := db.RetryPost(ctx, got[1].ID, "x", clock.Now().Add(10*time.Second), "ratelimited"); err != nil {
		t.Fatal(err)
	}
	if again, _ := db.ClaimPosts(ctx, "x", lease, 10); len(again) != 0 {
		t.Errorf("a post was retried before its time: %+v", again)
	}
	clock.Advance(11 * time.Second)
	again, _ := db.ClaimPosts(ctx, "x", lease, 10)
	if len(again) != 1 || again[0].ID != got[1].ID || again[0].Attempts != 1 || again[0].LastError != "ratelimited" {
		t.Fatalf("ClaimPosts after the wait = %+v, want b's card with its attempt and error", again)
	}
	// x dies holding posts: y takes them once the lease runs out, not before.
	if err := db.RenewPosts(ctx, "x", lease, nil); err != nil {
		t.Fatal(err)
	}
	clock.Advance(lease - time.Second)
	if got, _ := db.ClaimPosts(ctx, "y", lease, 10); len(got) != 0 {
		t.Errorf("y took %+v within x's lease", got)
	}
	clock.Advance(2 * time.Second)
	taken, _ := db.ClaimPosts(ctx, "y", lease, 10)
	if len(taken) != 3 {
		t.Fatalf("y took %+v after x's lease, want 3 posts", taken)
	}
	if _, err := db.StartPost(ctx, taken[0].ID, "x"); towndesk.ErrorCode(err) != towndesk.ENOTFOUND {
		t.Errorf("StartPost by the old holder = %v, want ENOTFOUND", err)
	}
	if err := db.FinishPost(ctx, taken[0].ID, "x", nil); towndesk.ErrorCode(err) != towndesk.ENOTFOUND {
		t.Errorf("FinishPost by the old holder = %v, want ENOTFOUND", err)
	}
	// Released posts are taken at once; dropped ones are gone.
	if err := db.ReleasePosts(ctx, "y"); err != nil {
		t.Fatal(err)
	}
	if err := db.DropPost(ctx, taken[0].ID); err != nil {
		t.Fatal(err)
	}
	if got, _ := db.ClaimPosts(ctx, "z", lease, 10); len(got) != 2 {
		t.Errorf("ClaimPosts after release and drop = %+v, want 2", got)
	}
}

// TestCreateRequestOnceAfterAnOldHalfIntake: an older version claimed the
// form's key in one transaction and created the request in another; a
// process killed in between left the key claimed and no request. The
// resubmission creates the request (issue 11: it was acknowledged and
// stored nothing for 2 minutes).
func TestCreateRequestOnceAfterAnOldHalfIntake(t *testing.T) {
	ctx := t.Context()
	db, _ := openTestDB(t)
	if _, fresh, err := db.ClaimKey(ctx, "intake:VOLD"); err != nil || !fresh {
		t.Fatalf("ClaimKey = %v, %v", fresh, err)
	}
	r := newTestRequest("张三")
	created, err := db.CreateRequestOnce(ctx, r, Intake{Key: "intake:VOLD"})
	if err != nil || !created || r.ID == "" {
		t.Fatalf("CreateRequestOnce after a half intake = %v, %v, %q; want the request created", created, err, r.ID)
	}
	again := newTestRequest("张三")
	if created, err := db.CreateRequestOnce(ctx, again, Intake{Key: "intake:VOLD"}); err != nil || created || again.ID != r.ID {
		t.Errorf("a second resubmission = %v, %v, %q; want %s back", created, err, again.ID, r.ID)
	}
}

// TestRenewPostsOnlyThoseGiven: an instance renews the posts it works on;
// one it still holds but has let go of runs out and is taken again.
func TestRenewPostsOnlyThoseGiven(t *testing.T) {
	ctx := t.Context()
	db, clock := openTestDB(t)
	const lease = time.Minute
	if err := db.AddPosts(ctx,
		Post{Kind: PostMessage, Channel: "C1", Body: `{"text":"一"}`},
		Post{Kind: PostMessage, Channel: "C2", Body: `{"text":"二"}`},
	); err != nil {
		t.Fatal(err)
	}
	got, err := db.ClaimPosts(ctx, "x", lease, 10)
	if err != nil || len(got) != 2 {
		t.Fatalf("ClaimPosts = %+v, %v; want both posts", got, err)
	}
	clock.Advance(lease / 2)
	if err := db.RenewPosts(ctx, "x", lease, []int64{got[0].ID}); err != nil {
		t.Fatal(err)
	}
	clock.Advance(lease/2 + time.Second)
	taken, _ := db.ClaimPosts(ctx, "y", lease, 10)
	if len(taken) != 1 || taken[0].ID != got[1].ID {
		t.Errorf("y took %+v, want only the post x did not renew (%d)", taken, got[1].ID)
	}
}
