package storage

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/towndesk/towndesk"
)

// BenchmarkRequestLifecycle measures the desk's sustained write rate on a
// database file: each request is created, then accepted, started and
// finished, each step reading the request and saving the change with its
// event, as the handlers do. The target is at least 1,000 requests/s.
//
// It also reports the CPU time per request, which, unlike the rate, does
// not depend on what else the machine is running.
//
//	go test ./storage -run '^$' -bench RequestLifecycle -benchtime 3000x
func BenchmarkRequestLifecycle(b *testing.B) {
	ctx := b.Context()
	db, _ := openTestDB(b)
	db.Now = time.Now
	steps := []towndesk.Status{towndesk.StatusAccepted, towndesk.StatusInProgress, towndesk.StatusDone}
	cpu0 := processCPU()
	for b.Loop() {
		r := newTestRequest("张三")
		if err := db.CreateRequest(ctx, r); err != nil {
			b.Fatal(err)
		}
		for _, to := range steps {
			cur, err := db.Request(ctx, r.ID)
			if err != nil {
				b.Fatal(err)
			}
			was := *cur
			from := cur.Status
			cur.Status = to
			switch to {
			case towndesk.StatusAccepted:
				cur.AcceptedAt, cur.Due = time.Now(), "2026-03-09"
			case towndesk.StatusDone:
				cur.DoneAt, cur.Result = time.Now(), "已办结"
			}
			if err := db.UpdateRequest(ctx, RequestChange{Request: cur, Was: &was, Events: []towndesk.Event{
				{By: "王芳", Type: towndesk.EventMoved, From: string(from), To: string(to)}}}); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "requests/s")
	if cpu := processCPU() - cpu0; cpu > 0 {
		b.ReportMetric(float64(cpu.Microseconds())/float64(b.N), "cpu-µs/request")
	}
}

// BenchmarkListRequests100k measures `request list` with filters over
// 100,000 requests: a page of 50, newest first, with the total count. It
// reports the 95th percentile latency (target: 50 ms or less).
//
// The requests span a year, as a busy county's desk would log them: those
// older than a month are nearly all finished, the last month's are spread
// over every status.
//
//	go test ./storage -run '^$' -bench ListRequests100k -benchtime 2000x
func BenchmarkListRequests100k(b *testing.B) {
	ctx := b.Context()
	db, _ := openTestDB(b)
	towns := bulkInsertRequests(b, db, 100_000)

	ptr := func(s string) *string { return &s }
	status := func(s towndesk.Status) *towndesk.Status { return &s }
	today := towndesk.Date("2026-12-14")
	lastMonth := time.Date(2026, 11, 14, 0, 0, 0, 0, towndesk.ChinaTime)
	summer := time.Date(2026, 6, 1, 0, 0, 0, 0, towndesk.ChinaTime)
	filters := []towndesk.RequestFilter{
		{},
		{Status: status(towndesk.StatusInProgress)},
		{Status: status(towndesk.StatusClosed)},
		{Status: status(towndesk.StatusWaitingDept), TownCode: ptr(towns[3])},
		{TownCode: ptr(towns[7])},
		{TownCode: ptr(towns[7]), Since: &summer},
		{Assignee: ptr("工作人员7")},
		{Assignee: ptr("工作人员7"), Status: status(towndesk.StatusClosed)},
		{Kind: ptr("缴纳费用"), Since: &summer},
		{OverdueOn: &today},
		{OverdueOn: &today, TownCode: ptr(towns[1])},
		{OverdueOn: &today, Assignee: ptr("工作人员3")},
		{Status: status(towndesk.StatusClosed), Assignee: ptr("工作人员3"), Kind: ptr("代办证件")},
		{Since: &lastMonth},
	}
	var lat []time.Duration
	i := 0
	for b.Loop() {
		f := filters[i%len(filters)]
		f.Limit = 50
		i++
		start := time.Now()
		rs, total, err := db.Requests(ctx, f)
		lat = append(lat, time.Since(start))
		if err != nil {
			b.Fatal(err)
		}
		if total < len(rs) {
			b.Fatalf("filter %d: total %d < %d rows", i, total, len(rs))
		}
	}
	slices.Sort(lat)
	p := func(q float64) float64 {
		return float64(lat[min(len(lat)-1, int(q*float64(len(lat))))]) / float64(time.Millisecond)
	}
	b.ReportMetric(p(0.50), "p50-ms")
	b.ReportMetric(p(0.95), "p95-ms")
	b.ReportMetric(p(0.99), "p99-ms")
}

// bulkInsertRequests writes n requests created 5 minutes apart from
// 2026-01-01 (100,000 reach mid-December) in one transaction, straight into
// the table: it is a fixture, not a use of the desk. Requests older than 30
// days before the last one are finished but for 2 in 100 left open (and
// overdue); the rest are spread over all statuses. It returns the 20 town
// codes used.
func bulkInsertRequests(b *testing.B, db *DB, n int) []string {
	b.Helper()
	ctx := b.Context()
	towns := make([]string, 20)
	for i := range towns {
		towns[i] = fmt.Sprintf("370481%03d", 100+i)
	}
	kinds := towndesk.DefaultKinds()
	tx, err := db.conn.SQL.BeginTx(ctx, nil)
	if err != nil {
		b.Fatal(err)
	}
	defer tx.Rollback()
	stmt, err := tx.PrepareContext(ctx, `INSERT INTO requests (id, version, province, county, county_code,
		town, town_code, village, citizen, phone, id_number, kind, promised_days, matter, item_code, assignee,
		status, due, late_due, waiting_since, created_by, created_at, updated_at, accepted_at)
		VALUES (?, 1, '山东省', '滕州市', '370481', ?, ?, ?, ?, '13812345678', '', ?, ?, '代办事项', '', ?, ?, ?, ?, ?, '王芳', ?, ?, ?)`)
	if err != nil {
		b.Fatal(err)
	}
	defer stmt.Close()
	start := time.Date(2026, 1, 1, 9, 0, 0, 0, towndesk.ChinaTime)
	last := start.Add(time.Duration(n-1) * 5 * time.Minute)
	finished := []towndesk.Status{towndesk.StatusClosed, towndesk.StatusClosed, towndesk.StatusClosed,
		towndesk.StatusClosed, towndesk.StatusClosed, towndesk.StatusClosed, towndesk.StatusDone,
		towndesk.StatusRejected, towndesk.StatusCancelled}
	open := []towndesk.Status{towndesk.StatusInProgress, towndesk.StatusWaitingDept}
	for i := range n {
		created := start.Add(time.Duration(i) * 5 * time.Minute)
		var st towndesk.Status
		switch {
		case created.After(last.AddDate(0, 0, -30)):
			st = towndesk.Statuses[i*7%len(towndesk.Statuses)]
		case i%50 == 0:
			st = open[i/50%len(open)]
		default:
			st = finished[i*7%len(finished)]
		}
		k := kinds[i%len(kinds)]
		town := towns[i%len(towns)]
		r := towndesk.Request{Status: st}
		var accepted string
		if st != towndesk.StatusReceived && st != towndesk.StatusRejected && st != towndesk.StatusCancelled {
			accepted = timeText(created.Add(time.Hour))
			r.Due = towndesk.DateOf(created.AddDate(0, 0, 7))
		}
		if st.Waiting() {
			r.WaitingSince = created.AddDate(0, 0, 3)
		}
		if _, err := stmt.ExecContext(ctx, fmt.Sprintf("%d-%06d", 2026, i+1), "镇"+town[6:], town,
			fmt.Sprintf("村%d", i%40), fmt.Sprintf("群众%d", i), k.Name, k.Days,
			fmt.Sprintf("工作人员%d", i%13), string(st), string(r.Due), string(r.LateDue()), optTime(r.WaitingSince),
			timeText(created), timeText(created), accepted); err != nil {
			b.Fatal(err)
		}
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO request_counters (year, last) VALUES (2026, ?)`, n); err != nil {
		b.Fatal(err)
	}
	if err := tx.Commit(); err != nil {
		b.Fatal(err)
	}
	return towns
}
