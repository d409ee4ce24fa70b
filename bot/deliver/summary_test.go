package deliver

import (
	"testing"
	"time"

	"github.com/towndesk/towndesk/handlers/summary"
)

func TestLastFire(t *testing.T) {
	shanghai, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		t.Fatal(err)
	}
	sched, err := ParseSummarySchedule(SummaryEntry{Name: "s", Schedule: "0 9 * * 1", Location: shanghai})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name     string
		now      time.Time
		wantWeek string
	}{
		{"a minute before Monday's run", time.Date(2026, 3, 9, 8, 59, 0, 0, shanghai), "2026-W09"},
		{"at Monday's run", time.Date(2026, 3, 9, 9, 0, 0, 0, shanghai), "2026-W10"},
		{"Sunday night", time.Date(2026, 3, 15, 23, 30, 0, 0, shanghai), "2026-W10"},
		{"the same instant seen from UTC", time.Date(2026, 3, 9, 1, 0, 0, 0, time.UTC), "2026-W10"},
	}
	for _, tt := range tests {
		last, ok := lastFire(sched, tt.now)
		if !ok {
			t.Errorf("%s: lastFire(%v) found none", tt.name, tt.now)
			continue
		}
		if got := summary.WeekOf(last, shanghai).Prev().String(); got != tt.wantWeek {
			t.Errorf("%s: lastFire(%v) = %v, summary week %s, want %s", tt.name, tt.now, last, got, tt.wantWeek)
		}
	}
}
