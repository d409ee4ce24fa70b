package towndesk

import (
	"strings"
	"testing"
	"time"
)

func exampleCalendar(t *testing.T) *Calendar {
	t.Helper()
	c, err := ParseCalendar(strings.NewReader(HolidaysExample))
	if err != nil {
		t.Fatalf("ParseCalendar(HolidaysExample) = %v", err)
	}
	return c
}

func TestCalendarWorkingDays(t *testing.T) {
	c := exampleCalendar(t)
	tests := []struct {
		name string
		day  Date
		want bool
	}{
		{"ordinary Wednesday", "2026-03-04", true},
		{"ordinary Saturday", "2026-03-07", false},
		{"New Year's Day, a Thursday", "2026-01-01", false},
		{"make-up Sunday after New Year", "2026-01-04", true},
		{"Spring Festival Monday", "2026-02-23", false},
		{"make-up Saturday before Spring Festival", "2026-02-14", true},
		{"National Day Wednesday", "2026-10-07", false},
		{"make-up Saturday after National Day", "2026-10-10", true},
	}
	for _, tt := range tests {
		if got := c.IsWorkingDay(tt.day); got != tt.want {
			t.Errorf("%s: IsWorkingDay(%s) = %v, want %v", tt.name, tt.day, got, tt.want)
		}
	}
	var none *Calendar
	if !none.IsWorkingDay("2026-01-01") || none.IsWorkingDay("2026-01-03") {
		t.Errorf("nil calendar: want weekends only as days off")
	}
}

func TestCalendarAddWorkingDays(t *testing.T) {
	c := exampleCalendar(t)
	tests := []struct {
		name string
		cal  *Calendar
		from Date
		n    int
		want Date
	}{
		{"within a week", c, "2026-03-02", 2, "2026-03-04"},
		{"over a weekend", c, "2026-03-05", 2, "2026-03-09"},
		{"zero days", c, "2026-03-05", 0, "2026-03-05"},
		// Accepted Friday 2026-02-13: the make-up Saturday 02-14 is day 1,
		// the holiday runs to 02-23, then 02-24.. are days 2-5.
		{"across Spring Festival", c, "2026-02-13", 5, "2026-02-27"},
		{"across Spring Festival without holidays file", nil, "2026-02-13", 5, "2026-02-20"},
		{"across National Day", c, "2026-09-30", 3, "2026-10-10"},
	}
	for _, tt := range tests {
		if got := tt.cal.AddWorkingDays(tt.from, tt.n); got != tt.want {
			t.Errorf("%s: AddWorkingDays(%s, %d) = %s, want %s", tt.name, tt.from, tt.n, got, tt.want)
		}
	}
	if got := c.WorkingDaysBetween("2026-02-13", "2026-02-27"); got != 5 {
		t.Errorf("WorkingDaysBetween(2026-02-13, 2026-02-27) = %d, want 5", got)
	}
	if got := c.WorkingDaysBetween("2026-03-09", "2026-03-02"); got != 0 {
		t.Errorf("WorkingDaysBetween backwards = %d, want 0", got)
	}
}

func TestParseCalendarErrors(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"bad date", "2026-13-01 休 元旦", "第 1 行「2026-13-01 休 元旦」：日期「2026-13-01」格式不对"},
		{"missing type", "# 注释\n\n2026-01-01", "第 3 行"},
		{"unknown type", "2026-01-01 放", "第二项应为「休」或「班」"},
		{"make-up day on a weekday", "2026-01-05 班", "2026-01-05 是星期一，本来就是工作日"},
		{"range backwards", "2026-01-03~2026-01-01 休", "早于开始日期"},
		{"range too long", "2026-01-01~2026-03-01 休", "超过 31 天"},
		{"conflict", "2026-01-04 班\n2026-01-03~2026-01-04 休", "第 2 行"},
		{"line over the limit", "2026-01-01 休 元旦\n2026-01-02 休 " + strings.Repeat("长", MaxLineBytes/3+1), "第 2 行太长：每行最多 1048576 字节"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseCalendar(strings.NewReader(tt.in))
			if !invalidWith(err, tt.want) {
				t.Errorf("ParseCalendar(%q) = %v, want EINVALID containing %q", tt.in, err, tt.want)
			}
		})
	}
}

func TestDate(t *testing.T) {
	// 23:30 UTC on 2026-03-01 is already 2026-03-02 in China.
	if got := DateOf(time.Date(2026, 3, 1, 23, 30, 0, 0, time.UTC)); got != "2026-03-02" {
		t.Errorf("DateOf(2026-03-01T23:30Z) = %s, want 2026-03-02", got)
	}
	for _, in := range []string{"2026-03-01", "2026/03/01", "2026-3-1"} {
		if got, err := ParseDate(in); err != nil || got != "2026-03-01" {
			t.Errorf("ParseDate(%q) = %s, %v, want 2026-03-01", in, got, err)
		}
	}
	if _, err := ParseDate("3月1日"); ErrorCode(err) != EINVALID {
		t.Errorf("ParseDate(3月1日) = %v, want EINVALID", err)
	}
}

func FuzzParseCalendar(f *testing.F) {
	f.Add(HolidaysExample)
	f.Add("2026-01-01..2026-01-03 off\n2026-01-04 work")
	f.Fuzz(func(t *testing.T, s string) {
		c, err := ParseCalendar(strings.NewReader(s))
		if err != nil {
			if ErrorCode(err) != EINVALID {
				t.Errorf("ParseCalendar(%q) error code = %q, want %q", s, ErrorCode(err), EINVALID)
			}
			return
		}
		c.AddWorkingDays("2026-01-01", 10)
	})
}
