package summary

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/towndesk/towndesk"
	"github.com/towndesk/towndesk/storage"
)

// BenchmarkSummary100k builds the weekly summary over a database of
// 100,000 requests (one every 5 minutes from 2026-01-01 to mid-December,
// with money on a fifth of them, 2% of the old ones left open and
// overdue) and 100,000 questions, all asked in the summary's week (the
// worst case for grouping: 5,000 distinct texts, a third not found, some
// marked 没用). Target: 1 s or less per summary.
//
//	go test ./handlers/summary -run '^$' -bench Summary100k -benchtime 10x
func BenchmarkSummary100k(b *testing.B) {
	ctx := context.Background()
	path := filepath.Join(b.TempDir(), "towndesk.db")
	db, err := storage.Open(path) // creates the schema
	if err != nil {
		b.Fatal(err)
	}
	db.Close()
	week := Week{Year: 2026, Num: 49, Loc: shanghai} // 11-30 .. 12-06
	towns := bulkSummaryFixture(b, path, 100_000, 100_000, week)
	db, err = storage.Open(path)
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	cal, err := towndesk.ParseCalendar(strings.NewReader(towndesk.HolidaysExample))
	if err != nil {
		b.Fatal(err)
	}
	now := week.End().Add(9 * time.Hour)
	s := New(db, Config{Calendar: cal, Now: func() time.Time { return now }})
	scopes := []struct {
		name  string
		scope Scope
	}{
		{"town", Scope{Name: "镇", Place: towndesk.Place{County: "滕州市", CountyCode: "370481", Town: "镇", TownCode: towns[3]}, Channel: "C0TOWN3"}},
		{"county", Scope{Name: "滕州市", Place: towndesk.Place{County: "滕州市", CountyCode: "370481"}}},
		{"all", Scope{Name: "全部"}},
	}
	for _, sc := range scopes {
		b.Run(sc.name, func(b *testing.B) {
			var sum *Summary
			for b.Loop() {
				if sum, err = s.Build(ctx, sc.scope, week); err != nil {
					b.Fatal(err)
				}
				_ = sum.Text()
			}
			b.ReportMetric(float64(b.Elapsed().Milliseconds())/float64(b.N), "ms/summary")
			if sum.Asked == 0 || sum.New.Now == 0 || len(sum.Overdue) == 0 || len(sum.Unanswered) == 0 {
				b.Fatalf("summary has empty figures: asked %d new %d overdue %d unanswered %d",
					sum.Asked, sum.New.Now, len(sum.Overdue), len(sum.Unanswered))
			}
		})
	}
}

// bulkSummaryFixture writes the benchmark's rows straight into the file
// in one transaction: it is a fixture, not a use of the desk. It returns
// the 20 town codes.
func bulkSummaryFixture(b *testing.B, path string, nRequests, nQuestions int, week Week) []string {
	b.Helper()
	ctx := context.Background()
	sdb, err := sql.Open("sqlite", "file:"+path+"?_pragma=journal_mode(WAL)&_pragma=synchronous(OFF)")
	if err != nil {
		b.Fatal(err)
	}
	defer sdb.Close()
	tx, err := sdb.BeginTx(ctx, nil)
	if err != nil {
		b.Fatal(err)
	}
	defer tx.Rollback()
	prep := func(q string) *sql.Stmt {
		st, err := tx.PrepareContext(ctx, q)
		if err != nil {
			b.Fatal(err)
		}
		return st
	}
	insReq := prep(`INSERT INTO requests (id, version, province, county, county_code, town, town_code, village,
		citizen, phone, kind, promised_days, matter, assignee, status, due, late_due, follow_up, reopened,
		created_by, created_at, updated_at, accepted_at, done_at, followed_up_at, ended_at)
		VALUES (?, 1, '山东省', '滕州市', '370481', ?, ?, ?, ?, '13812345678', ?, ?, '代办事项', ?, ?, ?, ?, ?, ?,
		'王芳', ?, ?, ?, ?, ?, ?)`)
	insLedger := prep(`INSERT INTO request_ledger (request_id, type, amount, actor, at) VALUES (?, ?, ?, '王芳', ?)`)
	insReversal := prep(`INSERT INTO request_ledger (request_id, type, amount, actor, at, note, reverses)
		VALUES (?, ?, ?, '王芳', ?, '录错', ?)`)
	insEvent := prep(`INSERT INTO request_events (request_id, at, actor, type, to_value) VALUES (?, ?, '王芳', ?, ?)`)
	insQ := prep(`INSERT INTO questions (asked_at, source, user_id, channel, question, status, province, county,
		county_code, town, town_code, top_code) VALUES (?, 'slack', 'U1', ?, ?, ?, '山东省', '滕州市', '370481', ?, ?, ?)`)
	insF := prep(`INSERT INTO question_feedback (question_id, user_id, useful, at) VALUES (?, ?, 0, ?)`)

	ts := func(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000000000Z") }
	opt := func(t time.Time) string {
		if t.IsZero() {
			return ""
		}
		return ts(t)
	}
	towns := make([]string, 20)
	for i := range towns {
		towns[i] = fmt.Sprintf("370481%03d", 100+i)
	}
	kinds := towndesk.DefaultKinds()
	start := time.Date(2026, 1, 1, 9, 0, 0, 0, towndesk.ChinaTime)
	last := start.Add(time.Duration(nRequests-1) * 5 * time.Minute)
	sats := []towndesk.Satisfaction{towndesk.Satisfied, towndesk.Satisfied, towndesk.MostlySatisfied, towndesk.Dissatisfied}
	for i := range nRequests {
		created := start.Add(time.Duration(i) * 5 * time.Minute)
		k := kinds[i%len(kinds)]
		town := towns[i%len(towns)]
		id := fmt.Sprintf("2026-%06d", i+1)
		recent := created.After(last.AddDate(0, 0, -30))
		var st towndesk.Status
		switch {
		case recent:
			st = towndesk.Statuses[i*7%len(towndesk.Statuses)]
		case i%50 == 0:
			st = towndesk.StatusInProgress // old and still open: overdue
		case i%11 == 0:
			st = towndesk.StatusRejected
		case i%13 == 0:
			st = towndesk.StatusCancelled
		default:
			st = towndesk.StatusClosed
		}
		r := towndesk.Request{Status: st}
		var accepted, done, followed, ended time.Time
		var follow towndesk.Satisfaction
		if st != towndesk.StatusReceived && st != towndesk.StatusRejected && st != towndesk.StatusCancelled {
			accepted = created.Add(time.Hour)
			r.Due = towndesk.DateOf(created.AddDate(0, 0, 7))
		}
		if st == towndesk.StatusDone || st == towndesk.StatusClosed {
			done = created.AddDate(0, 0, 1+i%9)
		}
		if st == towndesk.StatusClosed {
			followed = done.Add(24 * time.Hour)
			follow = sats[i%3]
			ended = followed
		}
		if st == towndesk.StatusRejected || st == towndesk.StatusCancelled {
			ended = created.Add(2 * time.Hour)
		}
		if st == towndesk.StatusInProgress && i%8 == 0 {
			followed, follow = created.AddDate(0, 0, 3), towndesk.Dissatisfied
		}
		if _, err := insReq.ExecContext(ctx, id, "镇"+town[6:], town, fmt.Sprintf("村%d", i%40), fmt.Sprintf("群众%d", i),
			k.Name, k.Days, fmt.Sprintf("工作人员%d", i%13), string(st), string(r.Due), string(r.LateDue()),
			string(follow), 0, ts(created), ts(created), opt(accepted), opt(done), opt(followed), opt(ended)); err != nil {
			b.Fatal(err)
		}
		if !followed.IsZero() { // the summary counts follow-up calls from their events
			if _, err := insEvent.ExecContext(ctx, id, ts(followed), string(towndesk.EventFollowedUp), string(follow)); err != nil {
				b.Fatal(err)
			}
		}
		if i%5 == 0 && !accepted.IsZero() {
			amount := 1000 + i%7*500
			out := amount
			if i%100 == 0 {
				out = amount - 500 // 1 in 100 with money does not balance
			}
			res, err := insLedger.ExecContext(ctx, id, "收取", amount, ts(accepted))
			if err != nil {
				b.Fatal(err)
			}
			if i%200 == 0 { // 1 in 200 with money had an entry reversed and booked again
				rid, _ := res.LastInsertId()
				if _, err := insReversal.ExecContext(ctx, id, "收取", amount, ts(accepted.Add(time.Minute)), rid); err != nil {
					b.Fatal(err)
				}
				if _, err := insLedger.ExecContext(ctx, id, "收取", amount, ts(accepted.Add(2*time.Minute))); err != nil {
					b.Fatal(err)
				}
			}
			if _, err := insLedger.ExecContext(ctx, id, "支付", out, ts(accepted.Add(time.Hour))); err != nil {
				b.Fatal(err)
			}
		}
	}
	statuses := []towndesk.AskStatus{towndesk.StatusAnswered, towndesk.StatusAnswered, towndesk.StatusNotFound,
		towndesk.StatusAnswered, towndesk.StatusNeedPlace, towndesk.StatusNotFound}
	span := week.End().Sub(week.Start())
	for i := range nQuestions {
		at := week.Start().Add(span * time.Duration(i) / time.Duration(nQuestions))
		st := statuses[i%len(statuses)]
		text := fmt.Sprintf("问题%d谁管", i%5000)
		if i%3 == 0 {
			text += "？"
		}
		town, code := towns[i%len(towns)], ""
		if st == towndesk.StatusAnswered {
			code = fmt.Sprintf("ITEM%03d", i%300)
		}
		res, err := insQ.ExecContext(ctx, ts(at), "C0TOWN"+fmt.Sprint(i%20), text, string(st), "镇"+town[6:], town, code)
		if err != nil {
			b.Fatal(err)
		}
		if i%97 == 0 {
			qid, _ := res.LastInsertId()
			if _, err := insF.ExecContext(ctx, qid, "U2", ts(at.Add(time.Minute))); err != nil {
				b.Fatal(err)
			}
		}
	}
	if err := tx.Commit(); err != nil {
		b.Fatal(err)
	}
	return towns
}
