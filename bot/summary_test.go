package bot

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/towndesk/towndesk"
	"github.com/towndesk/towndesk/bot/deliver"
	"github.com/towndesk/towndesk/bot/masklog"
	"github.com/towndesk/towndesk/handlers/summary"
	"github.com/towndesk/towndesk/internal/testenv"
	"github.com/towndesk/towndesk/storage"
)

var testShanghai = func() *time.Location {
	loc, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		panic(err)
	}
	return loc
}()

// summaryTestWorld is a database file with one request, and the entry of
// a Monday 09:00 summary for 滕州市滨湖镇.
type summaryTestWorld struct {
	dir string // holds the database file
	// The clock runs from base, in real time, so that leases run out.
	mu      sync.Mutex
	base    time.Time
	started time.Time
	entry   SummaryEntry
	slack   *fakeSlack
	logs    *syncBuffer
}

var binhuPlace = towndesk.Place{Province: "山东省", County: "滕州市", CountyCode: "370481", Town: "滨湖镇", TownCode: "370481113"}

func newSummaryTestWorld(t *testing.T) *summaryTestWorld {
	t.Helper()
	w := &summaryTestWorld{dir: t.TempDir(), slack: newFakeSlack(t), logs: &syncBuffer{},
		// Wednesday of the week after 2026-W10: Monday's run was missed.
		base: time.Date(2026, 3, 11, 10, 0, 0, 0, testShanghai), started: time.Now(),
		entry: SummaryEntry{Name: "summaries[0]", Channel: "C0BINHU", Schedule: "0 9 * * 1", Location: testShanghai,
			Scope: summary.Scope{Name: "滕州市滨湖镇", Place: binhuPlace, Channel: "C0BINHU"}}}
	db := w.open(t)
	db.Now = func() time.Time { return time.Date(2026, 3, 3, 9, 0, 0, 0, testShanghai) }
	r := &towndesk.Request{Town: binhuPlace, Village: "前李村", Citizen: "张三", Phone: "13812345678",
		IDNumber: "110101199003071233", Kind: "代办证件", PromisedDays: 5, Matter: "补办社保卡 13812345678", CreatedBy: "王芳"}
	if err := db.CreateRequest(context.Background(), r); err != nil {
		t.Fatal(err)
	}
	return w
}

// Now is the test clock.
func (w *summaryTestWorld) Now() time.Time {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.base.Add(time.Since(w.started))
}

func (w *summaryTestWorld) setNow(t time.Time) {
	w.mu.Lock()
	w.base, w.started = t, time.Now()
	w.mu.Unlock()
}

// open opens a new handle of the world's database file, closed when the
// test ends.
func (w *summaryTestWorld) open(t *testing.T) *storage.DB {
	t.Helper()
	return testenv.DB(t, w.dir)
}

// scheduler returns a new scheduler on a new handle of the database
// file: a new process, as far as the records go.
func (w *summaryTestWorld) scheduler(t *testing.T, opts ...func(*SchedulerOptions)) (*Scheduler, *storage.DB) {
	t.Helper()
	db := w.open(t)
	db.Now = w.Now
	o := SchedulerOptions{WebAPI: WebAPI{BotToken: "xoxb-test", APIURL: w.slack.apiURL()},
		Builder: summary.New(db, summary.Config{Now: w.Now}),
		SchedulerOptions: deliver.SchedulerOptions{Entries: []SummaryEntry{w.entry}, Store: db, Now: w.Now,
			Logger:     slog.New(masklog.New(slog.NewTextHandler(w.logs, nil))),
			MinBackoff: 50 * time.Millisecond, MaxBackoff: 400 * time.Millisecond, Lease: 5 * time.Second}}
	for _, f := range opts {
		f(&o)
	}
	s, err := NewScheduler(o)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Stop(context.Background()) })
	return s, db
}

// dryRun is what `towndesk summary --dry-run` prints for the entry.
func (w *summaryTestWorld) dryRun(t *testing.T, week string) string {
	t.Helper()
	db := w.open(t)
	wk, err := summary.ParseWeek(week, testShanghai)
	if err != nil {
		t.Fatal(err)
	}
	sum, err := summary.New(db, summary.Config{Now: w.Now}).Build(context.Background(), w.entry.Scope, wk)
	if err != nil {
		t.Fatal(err)
	}
	return sum.Text()
}

var anyPersonalNumber = regexp.MustCompile(`1[3-9][0-9]{9}|[0-9]{17}[0-9Xx]`)

func TestSummaryCatchUpOnceAcrossRestarts(t *testing.T) {
	w := newSummaryTestWorld(t)
	s, db := w.scheduler(t)
	s.Start()
	w.slack.waitPosts(t, 1)
	p := w.slack.posts()[0].Form
	if p.Get("channel") != "C0BINHU" {
		t.Errorf("posted to %q, want C0BINHU", p.Get("channel"))
	}
	if want := w.dryRun(t, "2026-W10"); p.Get("text") != want {
		t.Errorf("posted text differs from --dry-run:\n%s\nwant:\n%s", p.Get("text"), want)
	}
	for _, part := range []string{"滕州市滨湖镇周报 · 2026-W10", "新登记 1 件", "*当前逾期", "header"} {
		if !strings.Contains(p.Get("text")+p.Get("blocks"), part) {
			t.Errorf("post lacks %q: %s", part, p.Get("blocks"))
		}
	}
	if m := anyPersonalNumber.FindString(p.Get("text") + p.Get("blocks") + w.logs.String()); m != "" {
		t.Errorf("a phone or ID number left towndesk: %s", m)
	}
	if !strings.Contains(p.Get("metadata"), `"week":"2026-W10"`) {
		t.Errorf("post metadata = %s, want the week", p.Get("metadata"))
	}
	d, err := db.SummaryDelivery(context.Background(), "C0BINHU", "2026-W10")
	if ts := w.slack.posts()[0].TS; err != nil || d.State != storage.ClaimPosted || d.TS != ts {
		t.Errorf("delivery record = %+v, %v; want posted with ts %s", d, err, ts)
	}
	if err := s.Stop(context.Background()); err != nil {
		t.Fatal(err)
	}

	// Restarts, later that week and the next Monday before 09:00: nothing new.
	for _, now := range []time.Time{w.Now().Add(time.Hour), time.Date(2026, 3, 16, 8, 59, 0, 0, testShanghai)} {
		w.setNow(now)
		s2, _ := w.scheduler(t)
		s2.Start()
		w.slack.waitPosts(t, 1)
		s2.Stop(context.Background())
	}
	// Down over the next Monday 09:00: the missed W11 is posted, once.
	w.setNow(time.Date(2026, 3, 16, 11, 0, 0, 0, testShanghai))
	s3, _ := w.scheduler(t)
	s3.Start()
	w.slack.waitPosts(t, 2)
	if text := w.slack.posts()[1].Form.Get("text"); !strings.Contains(text, "2026-W11") {
		t.Errorf("second post is not 2026-W11: %s", text)
	}
}

func TestSummaryTwoInstancesPostOnce(t *testing.T) {
	w := newSummaryTestWorld(t)
	var ss []*Scheduler
	for range 2 {
		s, _ := w.scheduler(t)
		ss = append(ss, s)
	}
	var wg sync.WaitGroup
	for _, s := range ss {
		wg.Add(1)
		go func() { defer wg.Done(); s.Start() }()
	}
	wg.Wait()
	// Explicit deliveries racing with the catch-ups, in both instances.
	week, _ := summary.ParseWeek("2026-W10", testShanghai)
	for i := range 6 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
			defer cancel()
			if _, err := ss[i%2].Deliver(ctx, w.entry, week); err != nil {
				t.Errorf("Deliver = %v", err)
			}
		}()
	}
	wg.Wait()
	w.slack.waitPosts(t, 1)
}

func TestSummaryRetriesWithBackoff(t *testing.T) {
	w := newSummaryTestWorld(t)
	w.slack.fail500 = 3
	s, db := w.scheduler(t)
	s.Start()
	w.slack.waitPosts(t, 1)
	at := w.slack.postAttempts()
	if len(at) != 4 {
		t.Fatalf("post attempts = %d, want 4 (3 failures, then success)", len(at))
	}
	// Waits of 50, 100 and 200 ms: each at least the backoff, growing.
	for i, want := range []time.Duration{50, 100, 200} {
		if gap := at[i+1].Sub(at[i]); gap < want*time.Millisecond {
			t.Errorf("wait before attempt %d = %v, want at least %v ms", i+2, gap, want)
		}
	}
	if n := strings.Count(w.logs.String(), "will retry"); n != 3 {
		t.Errorf("logged %d retries, want 3; log:\n%s", n, w.logs.String())
	}
	if d, _ := db.SummaryDelivery(context.Background(), "C0BINHU", "2026-W10"); d.State != storage.ClaimPosted || d.LastError != "" {
		t.Errorf("delivery = %+v, want posted without error", d)
	}
}

func TestSummaryGivesUpAndReleases(t *testing.T) {
	w := newSummaryTestWorld(t)
	w.slack.fail500 = 100
	s, db := w.scheduler(t, func(o *SchedulerOptions) { o.MaxAttempts = 2 })
	week, _ := summary.ParseWeek("2026-W10", testShanghai)
	if _, err := s.Deliver(context.Background(), w.entry, week); err == nil {
		t.Fatal("Deliver with Slack down = nil error, want the post error")
	}
	d, _ := db.SummaryDelivery(context.Background(), "C0BINHU", "2026-W10")
	if d.State != storage.ClaimTaken || !strings.Contains(d.LastError, "500") || d.LeaseUntil.After(w.Now()) {
		t.Errorf("delivery after giving up = %+v, want a released claim with the error", d)
	}
	// Another instance (or the next start) retries at once.
	w.slack.fail500 = 0
	s2, _ := w.scheduler(t)
	if got, err := s2.Deliver(context.Background(), w.entry, week); err != nil || !got.Posted {
		t.Errorf("Deliver after release = %+v, %v; want posted", got, err)
	}
}

func TestSummaryStopDoesNotWaitForSlack(t *testing.T) {
	w := newSummaryTestWorld(t)
	w.slack.fail500 = 1000
	s, db := w.scheduler(t, func(o *SchedulerOptions) { o.MinBackoff, o.MaxBackoff = time.Hour, time.Hour })
	s.Start()
	deadline := time.Now().Add(10 * time.Second)
	for {
		if len(w.slack.postAttempts()) > 0 || time.Now().After(deadline) {
			break
		}
		time.Sleep(10 * time.Millisecond)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	if err := s.Stop(ctx); err != nil {
		t.Fatalf("Stop during backoff = %v, want prompt return", err)
	}
	if d, _ := db.SummaryDelivery(context.Background(), "C0BINHU", "2026-W10"); d.LeaseUntil.After(w.Now()) {
		t.Errorf("claim after Stop = %+v, want released", d)
	}
}

// TestSummaryCrashBetweenClaimAndPost: an instance claimed the slot and
// died. Its lease runs out; the next instance takes over and posts — or,
// if the dead one's message did reach Slack, finds it and records it.
func TestSummaryCrashBetweenClaimAndPost(t *testing.T) {
	tests := []struct {
		name      string
		reached   bool // the dead instance's post reached Slack
		history   bool
		newer     int // other messages posted in the channel since, one per history page
		wantPosts int
	}{
		{"died before posting", false, true, 0, 1},
		{"died after posting", true, true, 0, 0},
		{"died before posting, history unreadable", false, false, 0, 1},
		{"died after posting, found on the fourth page", true, true, 3, 0},
		// The look-up reads at most maxLookupPages pages: beyond them, the
		// summary is posted again rather than the channel read for ever.
		{"died after posting, beyond the pages read", true, true, maxLookupPages, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := newSummaryTestWorld(t)
			w.slack.noHistory = !tt.history
			ctx := context.Background()
			dead := w.open(t)
			dead.Now = func() time.Time { return w.Now().Add(-4*time.Second - 500*time.Millisecond) }
			if c, err := dead.ClaimSummary(ctx, "C0BINHU", "2026-W10", "dead", 5*time.Second); err != nil || c.State != storage.ClaimTaken {
				t.Fatalf("dead instance's claim = %v, %v", c.State, err)
			}
			// The dead instance's message, if it reached Slack, is in the
			// channel's history since its claim.
			earlier := fmt.Sprintf("%d.000001", w.Now().Unix())
			if tt.reached {
				md, _ := json.Marshal(map[string]any{"event_type": summaryEvent, "event_payload": map[string]any{"channel": "C0BINHU", "week": "2026-W10"}})
				w.slack.posted = append(w.slack.posted, posted{channel: "C0BINHU", ts: earlier, metadata: string(md)})
			}
			if tt.newer > 0 {
				w.slack.historyPage = 1
				for i := range tt.newer {
					w.slack.posted = append(w.slack.posted, posted{channel: "C0BINHU", ts: fmt.Sprintf("%d.%06d", w.Now().Unix(), 10+i)})
				}
			}
			s, db := w.scheduler(t)
			start := time.Now()
			s.Start()
			week, _ := summary.ParseWeek("2026-W10", testShanghai)
			dctx, cancel := context.WithTimeout(ctx, 20*time.Second)
			defer cancel()
			got, err := s.Deliver(dctx, w.entry, week) // waits for the catch-up's delivery to finish
			if err != nil {
				t.Fatal(err)
			}
			if waited := time.Since(start); waited < 300*time.Millisecond {
				t.Errorf("took over after %v, want to wait for the dead lease (~500 ms)", waited)
			}
			w.slack.waitPosts(t, tt.wantPosts)
			d, _ := db.SummaryDelivery(ctx, "C0BINHU", "2026-W10")
			wantTS := earlier
			if tt.wantPosts > 0 {
				wantTS = w.slack.posts()[0].TS
			}
			if d.State != storage.ClaimPosted || d.TS != wantTS || d.Attempts != 2 {
				t.Errorf("delivery = %+v (Deliver: %+v), want posted as %s after 2 attempts", d, got, wantTS)
			}
		})
	}
}

func TestSummaryScheduleErrorsNameTheEntry(t *testing.T) {
	w := newSummaryTestWorld(t)
	tests := []struct {
		name  string
		entry SummaryEntry
		want  string
	}{
		{"time zone alone", SummaryEntry{Name: "summaries[1]", Schedule: "CRON_TZ=Asia/Shanghai", Location: testShanghai}, "summaries[1].schedule"},
		{"too few fields", SummaryEntry{Name: "summaries[2]", Schedule: "0 9 *", Location: testShanghai}, "summaries[2].schedule"},
		{"no zone", SummaryEntry{Name: "summaries[3]", Schedule: "0 9 * * 1"}, "summaries[3].timezone"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			db := w.open(t)
			_, err := NewScheduler(SchedulerOptions{WebAPI: WebAPI{BotToken: "xoxb-test"}, Builder: summary.New(db, summary.Config{}),
				SchedulerOptions: deliver.SchedulerOptions{Entries: []SummaryEntry{w.entry, tt.entry}, Store: db}})
			if err == nil || !strings.HasPrefix(err.Error(), tt.want) {
				t.Errorf("NewScheduler(%q) = %v, want an error starting %s", tt.entry.Schedule, err, tt.want)
			}
		})
	}
}
