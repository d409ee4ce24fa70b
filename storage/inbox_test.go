package storage

import (
	"strings"
	"testing"
	"time"

	"github.com/towndesk/towndesk"
)

func TestInboxLifecycle(t *testing.T) {
	ctx := t.Context()
	db, clock := openTestDB(t)
	const lease = 2 * time.Minute

	q := &InboxQuestion{Channel: "C1", User: "U1", Root: "1.000001", Thread: "1.000001", Text: "打13812345678问谁管烧秸秆"}
	fresh, err := db.QueueQuestion(ctx, "Ev1", q, "a", lease)
	if err != nil || !fresh {
		t.Fatalf("QueueQuestion = %v, %v; want fresh", fresh, err)
	}
	if q.ID == 0 || strings.Contains(q.Text, "13812345678") {
		t.Errorf("queued question = %+v, want an ID and the number masked", q)
	}
	// A redelivery of the same event stores nothing.
	again := &InboxQuestion{Channel: "C1", User: "U1", Root: "1.000001", Thread: "1.000001", Text: "谁管烧秸秆"}
	if fresh, err := db.QueueQuestion(ctx, "Ev1", again, "a", lease); err != nil || fresh {
		t.Errorf("QueueQuestion(repeat) = %v, %v; want not fresh", fresh, err)
	}
	// The event is claimed for ClaimEvent too.
	if fresh, _ := db.ClaimEvent(ctx, "Ev1"); fresh {
		t.Error("ClaimEvent after QueueQuestion = fresh, want seen")
	}
	q2 := &InboxQuestion{Channel: "C1", User: "U2", Root: "2.000001", Thread: "dm", Text: "谁管放鞭炮"}
	if _, err := db.QueueQuestion(ctx, "Ev2", q2, "a", lease); err != nil {
		t.Fatal(err)
	}

	// Held by a: nobody else takes them while the lease runs.
	if got, err := db.ClaimInbox(ctx, "b", lease, 10); err != nil || len(got) != 0 {
		t.Errorf("ClaimInbox(b) while a holds = %v, %v; want none", got, err)
	}
	if err := db.SetInboxReply(ctx, q.ID, `{"text":"答"}`); err != nil {
		t.Fatal(err)
	}
	// a renews, time passes beyond the first lease: still a's.
	clock.Add(lease - time.Second)
	if err := db.RenewInbox(ctx, "a", lease); err != nil {
		t.Fatal(err)
	}
	clock.Add(2 * time.Second)
	if got, _ := db.ClaimInbox(ctx, "b", lease, 10); len(got) != 0 {
		t.Errorf("ClaimInbox(b) after a renewed = %v, want none", got)
	}
	// a crashes (no release): b takes over once the lease runs out, oldest first,
	// with the reply a worked out.
	clock.Add(lease)
	got, err := db.ClaimInbox(ctx, "b", lease, 10)
	if err != nil || len(got) != 2 {
		t.Fatalf("ClaimInbox(b) after the lease = %v, %v; want both", got, err)
	}
	if got[0].ID != q.ID || got[0].Reply != `{"text":"答"}` || got[0].Root != "1.000001" || got[1].Thread != "dm" || got[1].Reply != "" {
		t.Errorf("claimed = %+v", got)
	}
	// b stops cleanly: it gives them up, and a restart takes them at once.
	if err := db.ReleaseInbox(ctx, "b"); err != nil {
		t.Fatal(err)
	}
	db.Close()
	db = openTestFile(t, db.path)
	db.Now = clock.Now
	got, err = db.ClaimInbox(ctx, "c", lease, 1)
	if err != nil || len(got) != 1 || got[0].ID != q.ID {
		t.Fatalf("ClaimInbox(c, 1) after release = %v, %v; want the oldest", got, err)
	}
	if err := db.DeleteInbox(ctx, q.ID); err != nil {
		t.Fatal(err)
	}
	if err := db.SetInboxReply(ctx, q.ID, "x"); towndesk.ErrorCode(err) != towndesk.ENOTFOUND {
		t.Errorf("SetInboxReply(deleted) = %v, want ENOTFOUND", err)
	}
	// Releasing one row of several.
	got, _ = db.ClaimInbox(ctx, "c", lease, 10)
	if len(got) != 1 || got[0].ID != q2.ID {
		t.Fatalf("ClaimInbox(c) = %v, want the second question", got)
	}
	if err := db.ReleaseInbox(ctx, "c", q2.ID); err != nil {
		t.Fatal(err)
	}
	if got, _ := db.ClaimInbox(ctx, "d", lease, 10); len(got) != 1 {
		t.Errorf("ClaimInbox(d) after releasing one = %v, want it", got)
	}
	if n, err := db.InboxSize(ctx); err != nil || n != 1 {
		t.Errorf("InboxSize = %d, %v; want 1", n, err)
	}
}

func TestQueueQuestionNeedsChannelAndMessage(t *testing.T) {
	db, _ := openTestDB(t)
	for _, q := range []*InboxQuestion{
		{Channel: "C1", Text: "谁管"},
		{Root: "1.1", Text: "谁管"},
	} {
		if _, err := db.QueueQuestion(t.Context(), "", q, "a", time.Minute); towndesk.ErrorCode(err) != towndesk.EINVALID {
			t.Errorf("QueueQuestion(%+v) = %v, want EINVALID", q, err)
		}
	}
	if n, _ := db.InboxSize(t.Context()); n != 0 {
		t.Errorf("InboxSize = %d, want 0", n)
	}
}
