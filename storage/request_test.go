package storage

import (
	"fmt"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/towndesk/towndesk"
	"github.com/towndesk/towndesk/internal/testclock"
)

// openTestDB opens a new database file in t.TempDir(), closed when the test
// ends, whose clock the test sets: 2026-03-02 09:00 in China to begin with.
func openTestDB(t testing.TB) (*DB, *testclock.Clock) {
	t.Helper()
	db := openTestFile(t, filepath.Join(t.TempDir(), "towndesk.db"))
	clock := &testclock.Clock{}
	clock.Set(time.Date(2026, 3, 2, 9, 0, 0, 0, towndesk.ChinaTime))
	db.Now = clock.Now
	return db, clock
}

var binhu = towndesk.Place{Province: "山东省", City: "枣庄市", County: "滕州市", CountyCode: "370481",
	Town: "滨湖镇", TownCode: "370481113"}

var longtan = towndesk.Place{Province: "山东省", City: "枣庄市", County: "滕州市", CountyCode: "370481",
	Town: "龙阳镇", TownCode: "370481111"}

// openTestFile opens the database file at path, as a restarted or second
// process would, closed when the test ends; it fails the test if Open does.
func openTestFile(t testing.TB, path string) *DB {
	t.Helper()
	db, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func newTestRequest(citizen string) *towndesk.Request {
	return &towndesk.Request{
		Town: binhu, Village: "前李村", Citizen: citizen, Phone: "13812345678", IDNumber: "110101199003071233",
		Kind: "代办证件", PromisedDays: 5, Matter: "补办第三代社保卡", Materials: []string{"身份证复印件", "照片"},
		CreatedBy: "王芳",
	}
}

func mustCreate(t testing.TB, db *DB, r *towndesk.Request) *towndesk.Request {
	t.Helper()
	if err := db.CreateRequest(t.Context(), r); err != nil {
		t.Fatalf("CreateRequest(%s) = %v", r.Citizen, err)
	}
	return r
}

func TestCreateRequestRoundTrip(t *testing.T) {
	ctx := t.Context()
	db, _ := openTestDB(t)
	r := mustCreate(t, db, newTestRequest("张三"))
	if r.ID != "2026-0001" || r.Version != 1 || r.Status != towndesk.StatusReceived {
		t.Errorf("CreateRequest set id %q version %d status %q, want 2026-0001, 1, received", r.ID, r.Version, r.Status)
	}
	got, err := db.Request(ctx, r.ID)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(r, got); diff != "" {
		t.Errorf("Request(%s) mismatch (-want +got):\n%s", r.ID, diff)
	}
	events, err := db.Events(ctx, r.ID)
	if err != nil {
		t.Fatal(err)
	}
	want := []towndesk.Event{{ID: events[0].ID, RequestID: r.ID, At: r.CreatedAt, By: "王芳", Type: towndesk.EventCreated, To: "received"}}
	if diff := cmp.Diff(want, events); diff != "" {
		t.Errorf("Events(%s) mismatch (-want +got):\n%s", r.ID, diff)
	}
	if _, err := db.Request(ctx, "2026-9999"); towndesk.ErrorCode(err) != towndesk.ENOTFOUND {
		t.Errorf("Request(2026-9999) = %v, want ENOTFOUND", err)
	}
}

func TestCreateRequestInvalidWritesNothing(t *testing.T) {
	ctx := t.Context()
	db, _ := openTestDB(t)
	bad := newTestRequest("张三")
	bad.IDNumber = "110101199003071234" // wrong check digit
	if err := db.CreateRequest(ctx, bad); towndesk.ErrorCode(err) != towndesk.EINVALID {
		t.Fatalf("CreateRequest(bad ID) = %v, want EINVALID", err)
	}
	if rs, n, err := db.Requests(ctx, towndesk.RequestFilter{}); err != nil || n != 0 || len(rs) != 0 {
		t.Errorf("Requests after a refused create = %d rows, total %d, %v; want none", len(rs), n, err)
	}
	if r := mustCreate(t, db, newTestRequest("李四")); r.ID != "2026-0001" {
		t.Errorf("first stored request got id %s, want 2026-0001", r.ID)
	}
}

func TestRequestIDsGaplessPerYear(t *testing.T) {
	ctx := t.Context()
	db, clock := openTestDB(t)
	mustCreate(t, db, newTestRequest("一"))
	mustCreate(t, db, newTestRequest("二"))

	// A creation that fails after its number was taken gives the number back.
	if _, err := db.conn.SQL.Exec(`CREATE TRIGGER fail_insert BEFORE INSERT ON request_events
		WHEN NEW.request_id = '2026-0003' BEGIN SELECT RAISE(ABORT, 'injected failure'); END`); err != nil {
		t.Fatal(err)
	}
	if err := db.CreateRequest(ctx, newTestRequest("失败")); towndesk.ErrorCode(err) != towndesk.EINTERNAL {
		t.Fatalf("CreateRequest with injected failure = %v, want EINTERNAL", err)
	}
	if _, err := db.conn.SQL.Exec(`DROP TRIGGER fail_insert`); err != nil {
		t.Fatal(err)
	}
	if r := mustCreate(t, db, newTestRequest("三")); r.ID != "2026-0003" {
		t.Errorf("after a failed creation got id %s, want 2026-0003 (no gap)", r.ID)
	}
	if _, err := db.Request(ctx, "2026-0004"); towndesk.ErrorCode(err) != towndesk.ENOTFOUND {
		t.Errorf("Request(2026-0004) = %v, want ENOTFOUND", err)
	}

	// 2026-12-31 16:30 UTC is already New Year's Day in China.
	clock.Set(time.Date(2026, 12, 31, 16, 30, 0, 0, time.UTC))
	if r := mustCreate(t, db, newTestRequest("新年")); r.ID != "2027-0001" {
		t.Errorf("first request of 2027 got id %s, want 2027-0001", r.ID)
	}
}

func TestUpdateRequest(t *testing.T) {
	ctx := t.Context()
	db, clock := openTestDB(t)
	r := mustCreate(t, db, newTestRequest("张三"))
	stale := *r

	clock.Set(clock.Now().Add(time.Hour))
	now := clock.Now()
	r.Status, r.AcceptedAt, r.Due, r.Assignee = towndesk.StatusAccepted, now, "2026-03-09", "李娜"
	ch := RequestChange{
		Request: r,
		Events: []towndesk.Event{
			{By: "王芳", Type: towndesk.EventMoved, From: "received", To: "accepted"},
			{By: "王芳", Type: towndesk.EventDue, To: "2026-03-09"},
		},
		Entries: []towndesk.LedgerEntry{{Type: towndesk.EntryReceived, Amount: 5000, Receipt: "NO.1", By: "王芳"}},
	}
	if err := db.UpdateRequest(ctx, ch); err != nil {
		t.Fatalf("UpdateRequest = %v", err)
	}
	if r.Version != 2 || !r.UpdatedAt.Equal(now) {
		t.Errorf("after UpdateRequest version %d updated %v, want 2 and %v", r.Version, r.UpdatedAt, now)
	}
	got, err := db.Request(ctx, r.ID)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(r, got, cmp.Comparer(func(a, b time.Time) bool { return a.Equal(b) })); diff != "" {
		t.Errorf("Request after update mismatch (-want +got):\n%s", diff)
	}
	entries, err := db.Ledger(ctx, r.ID)
	if err != nil || len(entries) != 1 || entries[0].Amount != 5000 || entries[0].RequestID != r.ID || !entries[0].At.Equal(now) {
		t.Errorf("Ledger = %+v, %v; want one 收取 50.00 at %v", entries, err, now)
	}

	// A change made against the version before is refused and writes nothing.
	stale.Assignee = "赵六"
	err = db.UpdateRequest(ctx, RequestChange{Request: &stale, Events: []towndesk.Event{{By: "赵六", Type: towndesk.EventAssigned, To: "赵六"}}})
	if towndesk.ErrorCode(err) != towndesk.ECONFLICT || towndesk.ErrorMessage(err) != "该代办已被他人修改，请刷新后重试" {
		t.Errorf("UpdateRequest(stale) = %v, want ECONFLICT 该代办已被他人修改，请刷新后重试", err)
	}
	if events, _ := db.Events(ctx, r.ID); len(events) != 3 {
		t.Errorf("after a refused change %d events, want 3", len(events))
	}
	missing := *r
	missing.ID = "2026-0099"
	if err := db.UpdateRequest(ctx, RequestChange{Request: &missing}); towndesk.ErrorCode(err) != towndesk.ENOTFOUND {
		t.Errorf("UpdateRequest(unknown id) = %v, want ENOTFOUND", err)
	}
	bad := *r
	if err := db.UpdateRequest(ctx, RequestChange{Request: &bad, Entries: []towndesk.LedgerEntry{{Type: "退款", Amount: 1, By: "x"}}}); towndesk.ErrorCode(err) != towndesk.EINVALID {
		t.Errorf("UpdateRequest(bad entry type) = %v, want EINVALID", err)
	}
}

func TestEventsAndLedgerAppendOnly(t *testing.T) {
	ctx := t.Context()
	db, _ := openTestDB(t)
	r := mustCreate(t, db, newTestRequest("张三"))
	if err := db.UpdateRequest(ctx, RequestChange{Request: r,
		Entries: []towndesk.LedgerEntry{{Type: towndesk.EntryReceived, Amount: 100, By: "王芳"}}}); err != nil {
		t.Fatal(err)
	}
	for _, stmt := range []string{
		`UPDATE request_events SET note = 'x'`,
		`DELETE FROM request_events`,
		`UPDATE request_ledger SET amount = 1`,
		`DELETE FROM request_ledger`,
	} {
		if _, err := db.conn.SQL.ExecContext(ctx, stmt); err == nil {
			t.Errorf("%s succeeded, want it refused", stmt)
		}
	}
	events, _ := db.Events(ctx, r.ID)
	entries, _ := db.Ledger(ctx, r.ID)
	if len(events) != 1 || events[0].Note != "" || len(entries) != 1 || entries[0].Amount != 100 {
		t.Errorf("after refused rewrites: events %+v, entries %+v; want them unchanged", events, entries)
	}
	if err := db.AppendEvents(ctx, towndesk.Event{RequestID: "2026-0404", By: "x", Type: towndesk.EventRevealed}); towndesk.ErrorCode(err) != towndesk.ENOTFOUND {
		t.Errorf("AppendEvents(unknown request) = %v, want ENOTFOUND", err)
	}
}

// TestConcurrentChanges runs workers that all read the same version and try
// to change it: exactly one wins each round, the others get ECONFLICT, and
// when every worker retries after reloading, no change is lost.
func TestConcurrentChanges(t *testing.T) {
	ctx := t.Context()
	db, _ := openTestDB(t)
	r := mustCreate(t, db, newTestRequest("张三"))
	const workers = 8

	// Round one: everyone acts on version 1.
	var wins, conflicts atomic.Int32
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			mine := *r
			mine.Assignee = fmt.Sprintf("工作人员%d", w)
			err := db.UpdateRequest(ctx, RequestChange{Request: &mine,
				Events: []towndesk.Event{{By: mine.Assignee, Type: towndesk.EventAssigned, To: mine.Assignee}}})
			switch towndesk.ErrorCode(err) {
			case "":
				wins.Add(1)
			case towndesk.ECONFLICT:
				conflicts.Add(1)
			default:
				t.Errorf("worker %d: UpdateRequest = %v", w, err)
			}
		})
	}
	wg.Wait()
	if wins.Load() != 1 || conflicts.Load() != workers-1 {
		t.Fatalf("one version, %d workers: %d won, %d conflicts; want 1 and %d", workers, wins.Load(), conflicts.Load(), workers-1)
	}

	// Round two: every worker adds a note, reloading and retrying on conflict.
	for w := range workers {
		wg.Go(func() {
			for {
				cur, err := db.Request(ctx, r.ID)
				if err != nil {
					t.Errorf("worker %d: Request = %v", w, err)
					return
				}
				err = db.UpdateRequest(ctx, RequestChange{Request: cur,
					Events: []towndesk.Event{{By: "x", Type: towndesk.EventNoted, Note: fmt.Sprintf("备注%d", w)}}})
				if err == nil {
					return
				}
				if towndesk.ErrorCode(err) != towndesk.ECONFLICT {
					t.Errorf("worker %d: UpdateRequest = %v", w, err)
					return
				}
			}
		})
	}
	wg.Wait()
	got, err := db.Request(ctx, r.ID)
	if err != nil {
		t.Fatal(err)
	}
	if want := 1 + 1 + workers; got.Version != want {
		t.Errorf("version after 1 + %d changes = %d, want %d", workers, got.Version, want)
	}
	events, _ := db.Events(ctx, r.ID)
	notes := map[string]bool{}
	for _, e := range events {
		if e.Type == towndesk.EventNoted {
			notes[e.Note] = true
		}
	}
	if len(events) != 2+workers || len(notes) != workers {
		t.Errorf("%d events with %d distinct notes, want %d events and %d notes", len(events), len(notes), 2+workers, workers)
	}
}

func TestRequestsFilter(t *testing.T) {
	ctx := t.Context()
	db, clock := openTestDB(t)
	start := clock.Now()
	// Six requests, a day apart.
	var rs []*towndesk.Request
	for i, spec := range []struct {
		town     towndesk.Place
		kind     string
		assignee string
	}{
		{binhu, "代办证件", "李娜"}, {binhu, "缴纳费用", ""}, {longtan, "代办证件", "李娜"},
		{binhu, "申请资金", "赵六"}, {longtan, "其他", ""}, {binhu, "代办证件", "李娜"},
	} {
		clock.Set(start.AddDate(0, 0, i))
		r := newTestRequest(fmt.Sprintf("群众%d", i))
		r.Town, r.Kind, r.Assignee = spec.town, spec.kind, spec.assignee
		rs = append(rs, mustCreate(t, db, r))
	}
	// #0 accepted, due 03-09: overdue from 03-10. #3 waiting since 03-06
	// with due 03-05: it was late before waiting. #5 waiting with due
	// 03-20: its clock is stopped, never overdue while waiting.
	update := func(r *towndesk.Request, st towndesk.Status, due towndesk.Date, waitingSince time.Time) {
		r.Status, r.Due, r.WaitingSince, r.AcceptedAt = st, due, waitingSince, start
		if err := db.UpdateRequest(ctx, RequestChange{Request: r}); err != nil {
			t.Fatal(err)
		}
	}
	update(rs[0], towndesk.StatusAccepted, "2026-03-09", time.Time{})
	update(rs[3], towndesk.StatusWaitingDept, "2026-03-05", time.Date(2026, 3, 6, 1, 0, 0, 0, time.UTC))
	update(rs[5], towndesk.StatusWaitingCitizen, "2026-03-20", time.Date(2026, 3, 6, 1, 0, 0, 0, time.UTC))

	ptr := func(s string) *string { return &s }
	status := func(s towndesk.Status) *towndesk.Status { return &s }
	date := func(d towndesk.Date) *towndesk.Date { return &d }
	at := func(t time.Time) *time.Time { return &t }
	tests := []struct {
		name  string
		f     towndesk.RequestFilter
		want  []int // indexes into rs, newest first
		total int
	}{
		{"all", towndesk.RequestFilter{}, []int{5, 4, 3, 2, 1, 0}, 6},
		{"status", towndesk.RequestFilter{Status: status(towndesk.StatusReceived)}, []int{4, 2, 1}, 3},
		{"town", towndesk.RequestFilter{TownCode: ptr(longtan.TownCode)}, []int{4, 2}, 2},
		{"county", towndesk.RequestFilter{CountyCode: ptr("370481")}, []int{5, 4, 3, 2, 1, 0}, 6},
		{"assignee and kind", towndesk.RequestFilter{Assignee: ptr("李娜"), Kind: ptr("代办证件")}, []int{5, 2, 0}, 3},
		{"unassigned", towndesk.RequestFilter{Assignee: ptr("")}, []int{4, 1}, 2},
		{"since", towndesk.RequestFilter{Since: at(start.AddDate(0, 0, 4))}, []int{5, 4}, 2},
		{"since and until", towndesk.RequestFilter{Since: at(start.AddDate(0, 0, 1)), Until: at(start.AddDate(0, 0, 3))}, []int{2, 1}, 2},
		{"overdue on due date", towndesk.RequestFilter{OverdueOn: date("2026-03-09")}, []int{3}, 1},
		{"overdue next day", towndesk.RequestFilter{OverdueOn: date("2026-03-10")}, []int{3, 0}, 2},
		{"overdue much later", towndesk.RequestFilter{OverdueOn: date("2026-04-30")}, []int{3, 0}, 2},
		{"page", towndesk.RequestFilter{Limit: 2, Offset: 1}, []int{4, 3}, 6},
		{"page past the end", towndesk.RequestFilter{Limit: 2, Offset: 10}, nil, 6},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, total, err := db.Requests(ctx, tt.f)
			if err != nil {
				t.Fatal(err)
			}
			var ids, want []string
			for _, r := range got {
				ids = append(ids, r.ID)
			}
			for _, i := range tt.want {
				want = append(want, rs[i].ID)
			}
			if diff := cmp.Diff(want, ids); diff != "" || total != tt.total {
				t.Errorf("Requests(%s) = %v total %d, want %v total %d", tt.name, ids, total, want, tt.total)
			}
			// The SQL overdue rule and Request.Overdue agree.
			if tt.f.OverdueOn != nil {
				for _, r := range got {
					if !r.Overdue(*tt.f.OverdueOn) {
						t.Errorf("Requests listed %s as overdue on %s, Request.Overdue disagrees", r.ID, *tt.f.OverdueOn)
					}
				}
			}
		})
	}
	if _, _, err := db.Requests(ctx, towndesk.RequestFilter{Status: status("finished")}); towndesk.ErrorCode(err) != towndesk.EINVALID {
		t.Errorf("Requests(bad status) = %v, want EINVALID", err)
	}
}

func TestRequestBook(t *testing.T) {
	ctx := t.Context()
	db, _ := openTestDB(t)
	a := mustCreate(t, db, newTestRequest("张三"))
	b := newTestRequest("李四")
	b.Town = longtan
	mustCreate(t, db, b)
	c := mustCreate(t, db, newTestRequest("王五"))
	if err := db.UpdateRequest(ctx, RequestChange{Request: c,
		Entries: []towndesk.LedgerEntry{{Type: towndesk.EntryReceived, Amount: 100, By: "王芳"}}}); err != nil {
		t.Fatal(err)
	}
	book, err := db.RequestBook(ctx, towndesk.RequestFilter{TownCode: &binhu.TownCode, Limit: 1})
	if err != nil {
		t.Fatal(err)
	}
	var ids, eventIDs []string
	for _, r := range book.Requests {
		ids = append(ids, r.ID)
	}
	for _, e := range book.Events {
		eventIDs = append(eventIDs, e.RequestID)
	}
	if diff := cmp.Diff([]string{a.ID, c.ID}, ids); diff != "" {
		t.Errorf("RequestBook requests (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{a.ID, c.ID}, eventIDs); diff != "" {
		t.Errorf("RequestBook events (-want +got):\n%s", diff)
	}
	if len(book.Entries) != 1 || book.Entries[0].RequestID != c.ID {
		t.Errorf("RequestBook entries = %+v, want the one of %s", book.Entries, c.ID)
	}
}

func TestItemExists(t *testing.T) {
	ctx := t.Context()
	db, _ := openTestDB(t)
	// A town list with two editions: the old one had OLD-1, the current one has NEW-1.
	for _, stmt := range []string{
		`INSERT INTO lists (id, place_code, province, county, county_code, town, town_code)
			VALUES (1, '370481113', '山东省', '滕州市', '370481', '滨湖镇', '370481113')`,
		`INSERT INTO editions (id, list_id, edition, imported_at, row_count) VALUES (1, 1, '2024', '2024-01-01', 1)`,
		`INSERT INTO editions (id, list_id, edition, imported_at, row_count) VALUES (2, 1, '2025', '2025-01-01', 1)`,
		`INSERT INTO items (edition_id, seq, code, name, body, mode) VALUES (1, 0, 'OLD-1', '旧事项', '滨湖镇人民政府', '赋权')`,
		`INSERT INTO items (edition_id, seq, code, name, body, mode) VALUES (2, 0, 'NEW-1', '新事项', '滨湖镇人民政府', '赋权')`,
		`UPDATE lists SET current_edition_id = 2 WHERE id = 1`,
	} {
		if _, err := db.conn.SQL.ExecContext(ctx, stmt); err != nil {
			t.Fatalf("%s: %v", stmt, err)
		}
	}
	for code, want := range map[string]bool{"NEW-1": true, "OLD-1": false, "NONE": false} {
		if got, err := db.ItemExists(ctx, code); err != nil || got != want {
			t.Errorf("ItemExists(%q) = %v, %v, want %v", code, got, err, want)
		}
	}
}

// TestLedgerReversalsChecked checks that the file itself keeps reversals
// honest, whatever writes them: a reversal references an ordinary entry of
// its request with the same type and amount, and an entry is reversed once.
func TestLedgerReversalsChecked(t *testing.T) {
	ctx := t.Context()
	db, _ := openTestDB(t)
	r := mustCreate(t, db, newTestRequest("张三"))
	other := mustCreate(t, db, newTestRequest("李四"))
	book := func(req *towndesk.Request, e towndesk.LedgerEntry) error {
		t.Helper()
		cur, err := db.Request(ctx, req.ID)
		if err != nil {
			t.Fatal(err)
		}
		e.RequestID = req.ID
		return db.UpdateRequest(ctx, RequestChange{Request: cur, Entries: []towndesk.LedgerEntry{e}})
	}
	if err := book(r, towndesk.LedgerEntry{Type: towndesk.EntryReceived, Amount: 20000, By: "王芳"}); err != nil {
		t.Fatal(err)
	}
	entries, _ := db.Ledger(ctx, r.ID)
	first := entries[0].ID
	for _, tt := range []struct {
		name string
		req  *towndesk.Request
		e    towndesk.LedgerEntry
	}{
		{"another amount", r, towndesk.LedgerEntry{Type: towndesk.EntryReceived, Amount: 100, Reverses: first}},
		{"another type", r, towndesk.LedgerEntry{Type: towndesk.EntryPaid, Amount: 20000, Reverses: first}},
		{"another request", other, towndesk.LedgerEntry{Type: towndesk.EntryReceived, Amount: 20000, Reverses: first}},
		{"no such entry", r, towndesk.LedgerEntry{Type: towndesk.EntryReceived, Amount: 20000, Reverses: first + 100}},
	} {
		tt.e.By, tt.e.Note = "王芳", "录错"
		if err := book(tt.req, tt.e); towndesk.ErrorCode(err) != towndesk.ECONFLICT {
			t.Errorf("reversal with %s = %v, want ECONFLICT and nothing stored", tt.name, err)
		}
	}
	rev := towndesk.LedgerEntry{Type: towndesk.EntryReceived, Amount: 20000, By: "李娜", Note: "金额录错", Reverses: first}
	if err := book(r, rev); err != nil {
		t.Fatalf("the reversal = %v", err)
	}
	if err := book(r, rev); towndesk.ErrorCode(err) != towndesk.ECONFLICT {
		t.Errorf("a second reversal of #%d = %v, want ECONFLICT", first, err)
	}
	entries, _ = db.Ledger(ctx, r.ID)
	if len(entries) != 2 || entries[1].Reverses != first || entries[0].Reverses != 0 || entries[1].Note != "金额录错" {
		t.Fatalf("ledger = %+v, want the entry and its one reversal", entries)
	}
	reversal := entries[1].ID
	if err := book(r, towndesk.LedgerEntry{Type: towndesk.EntryReceived, Amount: 20000, By: "王芳", Note: "x", Reverses: reversal}); towndesk.ErrorCode(err) != towndesk.ECONFLICT {
		t.Errorf("reversing the reversal = %v, want ECONFLICT", err)
	}
	if b := towndesk.BalanceOf(entries); b.Received != 0 {
		t.Errorf("balance after the reversal = %s, want 收取 0.00", b)
	}
	if entries, _ := db.Ledger(ctx, other.ID); len(entries) != 0 {
		t.Errorf("the other request's ledger = %+v, want empty", entries)
	}
}
