package storage

import (
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/towndesk/towndesk"
)

var bangjun = towndesk.Place{Province: "天津市", County: "蓟州区", CountyCode: "120119", Town: "邦均镇", TownCode: "120119102"}

func TestQuestionLog(t *testing.T) {
	ctx := t.Context()
	db, clock := openTestDB(t)
	ch := "C0BANGJUN1"
	qs := []*Question{
		{Source: "slack", User: "U1", Channel: ch, Thread: "1.1", Text: "谁管烧秸秆", Status: towndesk.StatusAnswered,
			Place: bangjun, TopCode: "X1", Terms: []string{"烧秸秆"}},
		{Source: "slack", User: "U2", Channel: ch, Thread: "2.1", Text: "打13812345678问谁管飞碟", Status: towndesk.StatusNotFound,
			Place: bangjun, Terms: []string{"飞碟"}},
		{Source: "console", User: "console", Channel: "console", Text: "滨湖镇违建", Status: towndesk.StatusAmbiguousPlace},
	}
	for _, q := range qs {
		if err := db.LogQuestion(ctx, q); err != nil {
			t.Fatalf("LogQuestion(%q) = %v", q.Text, err)
		}
		clock.Add(time.Hour)
	}
	if got, want := qs[1].Text, "打138****5678问谁管飞碟"; got != want {
		t.Errorf("logged question text = %q, want %q (phone masked)", got, want)
	}
	for _, v := range []struct {
		user   string
		useful bool
	}{{"U1", true}, {"U3", false}, {"U3", true}, {"U4", false}} {
		if err := db.SetFeedback(ctx, qs[0].ID, v.user, v.useful); err != nil {
			t.Fatalf("SetFeedback(%d, %s) = %v", qs[0].ID, v.user, err)
		}
	}
	if err := db.SetFeedback(ctx, 999, "U1", true); towndesk.ErrorCode(err) != towndesk.ENOTFOUND {
		t.Errorf("SetFeedback(999) = %v, want not found", err)
	}
	got, err := db.Question(ctx, qs[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Useful != 2 || got.NotUseful != 1 {
		t.Errorf("Question(%d) votes = %d useful, %d not useful; want 2, 1 (U3 changed their mind)", got.ID, got.Useful, got.NotUseful)
	}
	want := *qs[0]
	want.Useful, want.NotUseful = 2, 1
	if diff := cmp.Diff(&want, got, cmpopts.EquateApproxTime(time.Millisecond)); diff != "" {
		t.Errorf("Question(%d) mismatch (-want +got):\n%s", got.ID, diff)
	}

	since := time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC)
	until := since.AddDate(0, 0, 7)
	notFound := towndesk.StatusNotFound
	tests := []struct {
		name string
		f    QuestionFilter
		want []int64
	}{
		{"week", QuestionFilter{Since: &since, Until: &until}, []int64{qs[0].ID, qs[1].ID, qs[2].ID}},
		{"unanswered in channel", QuestionFilter{Since: &since, Until: &until, Channel: &ch, Status: &notFound}, []int64{qs[1].ID}},
		{"not useful", QuestionFilter{NotUseful: true}, []int64{qs[0].ID}},
		{"town", QuestionFilter{TownCode: &bangjun.TownCode}, []int64{qs[0].ID, qs[1].ID}},
		{"next week", QuestionFilter{Since: &until}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := db.Questions(ctx, tt.f)
			if err != nil {
				t.Fatal(err)
			}
			var ids []int64
			for _, q := range got {
				ids = append(ids, q.ID)
			}
			if !cmp.Equal(ids, tt.want) {
				t.Errorf("Questions(%s) = %v, want %v", tt.name, ids, tt.want)
			}
		})
	}

	qs[2].Status, qs[2].Place = towndesk.StatusAnswered, bangjun
	if err := db.UpdateQuestionOutcome(ctx, qs[2]); err != nil {
		t.Fatal(err)
	}
	if got, _ := db.Question(ctx, qs[2].ID); got.Status != towndesk.StatusAnswered || got.Place != bangjun {
		t.Errorf("after UpdateQuestionOutcome: status %s place %v, want answered %v", got.Status, got.Place, bangjun)
	}
	if err := db.LogQuestion(ctx, &Question{Text: "x", Status: "maybe"}); towndesk.ErrorCode(err) != towndesk.EINVALID {
		t.Errorf("LogQuestion(bad status) = %v, want invalid", err)
	}
}

func TestClaimEventSurvivesRestart(t *testing.T) {
	ctx := t.Context()
	db, _ := openTestDB(t)
	if fresh, err := db.ClaimEvent(ctx, "Ev0MDYHUEL"); err != nil || !fresh {
		t.Fatalf("ClaimEvent(first) = %v, %v; want true", fresh, err)
	}
	if fresh, _ := db.ClaimEvent(ctx, "Ev0MDYHUEL"); fresh {
		t.Errorf("ClaimEvent(retry) = true, want false")
	}
	db.Close()
	db2 := openTestFile(t, db.path)
	if fresh, _ := db2.ClaimEvent(ctx, "Ev0MDYHUEL"); fresh {
		t.Errorf("ClaimEvent after restart = true, want false")
	}
	// Concurrent deliveries: exactly one wins.
	var wg sync.WaitGroup
	var mu sync.Mutex
	wins := 0
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if fresh, err := db2.ClaimEvent(ctx, "EvRACE"); err == nil && fresh {
				mu.Lock()
				wins++
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	if wins != 1 {
		t.Errorf("concurrent ClaimEvent winners = %d, want 1", wins)
	}
	db2.Now = func() time.Time { return time.Now().Add(30 * 24 * time.Hour) }
	if err := db2.PruneChat(ctx, time.Now().Add(24*time.Hour)); err != nil {
		t.Fatal(err)
	}
	if fresh, _ := db2.ClaimEvent(ctx, "Ev0MDYHUEL"); !fresh {
		t.Errorf("ClaimEvent after prune = false, want true")
	}
}

func TestThreadPlaceAndCards(t *testing.T) {
	ctx := t.Context()
	db, _ := openTestDB(t)
	if _, ok, err := db.ThreadPlace(ctx, "C1", "1.1"); ok || err != nil {
		t.Errorf("ThreadPlace(new thread) = %v, %v; want none", ok, err)
	}
	if err := db.SetThreadPlace(ctx, "C1", "1.1", bangjun); err != nil {
		t.Fatal(err)
	}
	county := bangjun.CountyPlace()
	if err := db.SetThreadPlace(ctx, "C1", "2.1", county); err != nil {
		t.Fatal(err)
	}
	if p, ok, _ := db.ThreadPlace(ctx, "C1", "1.1"); !ok || p != bangjun {
		t.Errorf("ThreadPlace(1.1) = %v, %v; want %v", p, ok, bangjun)
	}
	if p, _, _ := db.ThreadPlace(ctx, "C1", "2.1"); p != county {
		t.Errorf("ThreadPlace(2.1) = %v, want %v", p, county)
	}

	if _, _, err := db.RequestCard(ctx, "2026-0001"); towndesk.ErrorCode(err) != towndesk.ENOTFOUND {
		t.Errorf("RequestCard(none) = %v, want not found", err)
	}
	if err := db.SetRequestCard(ctx, "2026-0001", "C0DESK", "1700000000.000100"); err != nil {
		t.Fatal(err)
	}
	if ch, ts, err := db.RequestCard(ctx, "2026-0001"); err != nil || ch != "C0DESK" || ts != "1700000000.000100" {
		t.Errorf("RequestCard = %q, %q, %v; want C0DESK 1700000000.000100", ch, ts, err)
	}
}

func TestClaimKey(t *testing.T) {
	ctx := t.Context()
	db, _ := openTestDB(t)
	key := "intake:V0123"
	if _, fresh, err := db.ClaimKey(ctx, key); err != nil || !fresh {
		t.Fatalf("ClaimKey(first) = %v, %v; want fresh", fresh, err)
	}
	if res, fresh, _ := db.ClaimKey(ctx, key); fresh || res != "" {
		t.Errorf("ClaimKey(while at work) = %q, %v; want \"\", false", res, fresh)
	}
	if err := db.FinishKey(ctx, key, "2026-0001"); err != nil {
		t.Fatal(err)
	}
	if res, fresh, _ := db.ClaimKey(ctx, key); fresh || res != "2026-0001" {
		t.Errorf("ClaimKey(repeat) = %q, %v; want 2026-0001, false", res, fresh)
	}
	if err := db.ReleaseKey(ctx, key); err != nil {
		t.Fatal(err)
	}
	if _, fresh, _ := db.ClaimKey(ctx, key); fresh {
		t.Errorf("ClaimKey after releasing a finished key = fresh, want the finished result kept")
	}
	if _, _, err := db.ClaimKey(ctx, "move:2026-0002:3"); err != nil {
		t.Fatal(err)
	}
	db.ReleaseKey(ctx, "move:2026-0002:3")
	if _, fresh, _ := db.ClaimKey(ctx, "move:2026-0002:3"); !fresh {
		t.Errorf("ClaimKey after ReleaseKey = not fresh, want fresh (the failed work may be retried)")
	}
}

// TestThreadFollowUps checks what a reply to the previous message needs:
// the thread's last question with the places it offered, started over by
// ForgetThread; DropThreadPlace forgets the place only.
func TestThreadFollowUps(t *testing.T) {
	ctx := t.Context()
	db, _ := openTestDB(t)
	if _, err := db.LastThreadQuestion(ctx, "C1", "1.1"); towndesk.ErrorCode(err) != towndesk.ENOTFOUND {
		t.Errorf("LastThreadQuestion(new thread) = %v, want not found", err)
	}
	log := func(thread, text string, status towndesk.AskStatus, places ...string) *Question {
		t.Helper()
		q := &Question{Source: "slack", User: "U1", Channel: "C1", Thread: thread, Text: text, Status: status, Places: places}
		if err := db.LogQuestion(ctx, q); err != nil {
			t.Fatal(err)
		}
		return q
	}
	log("1.1", "谁管烧秸秆", towndesk.StatusNeedPlace)
	amb := log("1.1", "柴胡店镇放鞭炮谁管", towndesk.StatusAmbiguousPlace, "370481104", "371422105")
	log("2.1", "另一个话题", towndesk.StatusNeedPlace)
	got, err := db.LastThreadQuestion(ctx, "C1", "1.1")
	if err != nil {
		t.Fatal(err)
	}
	if got.ID != amb.ID || !cmp.Equal(got.Places, []string{"370481104", "371422105"}) {
		t.Errorf("LastThreadQuestion = #%d %v, want #%d with its two places", got.ID, got.Places, amb.ID)
	}
	amb.Status, amb.Place, amb.Places = towndesk.StatusAnswered, bangjun, nil
	if err := db.UpdateQuestionOutcome(ctx, amb); err != nil {
		t.Fatal(err)
	}
	if got, _ := db.LastThreadQuestion(ctx, "C1", "1.1"); got.Places != nil || got.Status != towndesk.StatusAnswered {
		t.Errorf("after the new outcome: %s %v, want answered and no places", got.Status, got.Places)
	}

	if err := db.SetThreadPlace(ctx, "C1", "1.1", bangjun); err != nil {
		t.Fatal(err)
	}
	if err := db.DropThreadPlace(ctx, "C1", "1.1"); err != nil {
		t.Fatal(err)
	}
	if _, ok, _ := db.ThreadPlace(ctx, "C1", "1.1"); ok {
		t.Error("DropThreadPlace kept the thread's place")
	}
	if got, _ := db.LastThreadQuestion(ctx, "C1", "1.1"); got.ID != amb.ID {
		t.Errorf("after DropThreadPlace: last question #%d, want #%d still", got.ID, amb.ID)
	}
	next := log("1.1", "下营镇 放鞭炮谁管", towndesk.StatusAnswered)
	if got, _ := db.LastThreadQuestion(ctx, "C1", "1.1"); got.ID != next.ID {
		t.Errorf("after a new question: #%d, want #%d", got.ID, next.ID)
	}

	if err := db.SetThreadPlace(ctx, "C1", "1.1", bangjun); err != nil {
		t.Fatal(err)
	}
	if err := db.ForgetThread(ctx, "C1", "1.1"); err != nil {
		t.Fatal(err)
	}
	if _, err := db.LastThreadQuestion(ctx, "C1", "1.1"); towndesk.ErrorCode(err) != towndesk.ENOTFOUND {
		t.Errorf("LastThreadQuestion after ForgetThread = %v, want not found", err)
	}
	if _, ok, _ := db.ThreadPlace(ctx, "C1", "1.1"); ok {
		t.Error("ForgetThread kept the thread's place")
	}
	if got, err := db.LastThreadQuestion(ctx, "C1", "2.1"); err != nil || got.Text != "另一个话题" {
		t.Errorf("the other thread = %v, %v; want its question, untouched", got, err)
	}
	later := log("1.1", "滨湖镇谁管烧秸秆", towndesk.StatusAnswered)
	if got, _ := db.LastThreadQuestion(ctx, "C1", "1.1"); got == nil || got.ID != later.ID {
		t.Errorf("after starting over, the next question is %v, want #%d", got, later.ID)
	}
}
