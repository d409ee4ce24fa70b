package config

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/robfig/cron/v3"
)

func TestParseSchedule(t *testing.T) {
	tests := []struct {
		name string
		spec string
		ok   bool
	}{
		{"default", DefaultSchedule, true},
		{"named weekday", "0 8 * * MON", true},
		{"weekday range", "30 8 * * mon-fri", true},
		{"list and step", "0,30 */2 1,15 * *", true},
		{"month names", "0 9 1 jan,jul *", true},
		{"descriptor", "@weekly", true},
		{"every", "@every 168h", true},
		{"time zone alone (panics robfig)", "CRON_TZ=Asia/Shanghai", false},
		{"time zone prefix", "CRON_TZ=Asia/Shanghai 0 9 * * 1", false},
		{"TZ prefix alone", "TZ=UTC", false},
		{"four fields", "0 9 * *", false},
		{"six fields", "0 0 9 * * 1", false},
		{"minute out of range", "60 9 * * 1", false},
		{"weekday 7", "0 9 * * 7", false},
		{"backwards range", "0 9 * * 5-1", false},
		{"zero step", "*/0 9 * * 1", false},
		{"word", "every monday", false},
		{"unknown descriptor", "@fortnightly", false},
		{"every too short", "@every 1s", false},
		{"empty", " ", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseSchedule(tt.spec)
			if (err == nil) != tt.ok {
				t.Errorf("ParseSchedule(%q) = %v, want ok %v", tt.spec, err, tt.ok)
			}
			if err == nil {
				if _, perr := parseCron(tt.spec); perr != nil {
					t.Errorf("ParseSchedule(%q) accepted what cron refuses: %v", tt.spec, perr)
				}
			}
		})
	}
}

// parseCron parses spec as the scheduler will, turning a panic into an error.
func parseCron(spec string) (s cron.Schedule, err error) {
	defer func() {
		if p := recover(); p != nil {
			err = errors.New("cron panicked")
		}
	}()
	return cron.ParseStandard(spec)
}

// FuzzParseSchedule checks that ParseSchedule never panics (the cron
// library does on some specs) and that what it accepts, the cron library's
// standard parser accepts too.
func FuzzParseSchedule(f *testing.F) {
	for _, s := range []string{DefaultSchedule, "CRON_TZ=Asia/Shanghai", "@every 2h", "1-5/2 * * jan-mar sun", "*/15 0 1,2 * ?"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, spec string) {
		if _, err := ParseSchedule(spec); err != nil {
			return
		}
		if _, err := parseCron(spec); err != nil {
			t.Errorf("ParseSchedule(%q) = nil, but cron: %v", spec, err)
		}
	})
}

func TestValidateSummaries(t *testing.T) {
	base := func() Config {
		c := Default()
		c.Channels = map[string]Place{"C0TOWN": {County: "滕州市", Town: "滨湖镇"}, "C0COUNTY": {County: "滕州市"}}
		return c
	}
	tests := []struct {
		name    string
		s       []Summary
		setting string // "" for valid
	}{
		{"valid, default schedule", []Summary{{Channel: "C0TOWN", Scope: "town", Timezone: "Asia/Shanghai"}}, ""},
		{"county of a town channel", []Summary{{Channel: "C0TOWN", Scope: "county", Schedule: "0 8 * * MON"}}, ""},
		{"named place anywhere", []Summary{{Channel: "C0OTHER", Scope: "滕州市/滨湖镇"}}, ""},
		{"bad cron names the entry", []Summary{{Channel: "C0TOWN", Scope: "all"}, {Channel: "C0COUNTY", Scope: "all", Schedule: "CRON_TZ=Asia/Shanghai"}}, "summaries[1].schedule"},
		{"bad zone", []Summary{{Channel: "C0TOWN", Scope: "all", Timezone: "Asia/Beijing"}}, "summaries[0].timezone"},
		{"local zone", []Summary{{Channel: "C0TOWN", Scope: "all", Timezone: "Local"}}, "summaries[0].timezone"},
		{"town scope in a county channel", []Summary{{Channel: "C0COUNTY", Scope: "town"}}, "summaries[0].scope"},
		{"county scope without place", []Summary{{Channel: "C0OTHER", Scope: "county"}}, "summaries[0].scope"},
		{"channel twice", []Summary{{Channel: "C0TOWN", Scope: "town"}, {Channel: "C0TOWN", Scope: "all"}}, "summaries[1].channel"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := base()
			c.Summaries = tt.s
			err := c.ValidateSummaries()
			var ce *Error
			switch {
			case tt.setting == "" && err != nil:
				t.Errorf("ValidateSummaries() = %v, want nil", err)
			case tt.setting != "" && (!errors.As(err, &ce) || ce.Setting != tt.setting):
				t.Errorf("ValidateSummaries() = %v, want an error naming %s", err, tt.setting)
			}
		})
	}
	if got := (Summary{}).ScheduleSpec(); got != DefaultSchedule {
		t.Errorf("ScheduleSpec() of an empty schedule = %q, want %q", got, DefaultSchedule)
	}
	if !strings.Contains((&Error{"summaries[1].schedule", "x"}).Error(), "summaries[1]") {
		t.Error("Error() does not name the setting")
	}
}

// TestParseScheduleIsCrons checks that schedules are read by the cron
// library's own parser: its errors, its meaning.
func TestParseScheduleIsCrons(t *testing.T) {
	if _, err := ParseSchedule("61 9 * * 1"); err == nil || !strings.Contains(err.Error(), "above maximum") {
		t.Errorf("ParseSchedule(61 9 * * 1) = %v, want cron's own error (above maximum)", err)
	}
	sched, err := ParseSchedule("30 8 * * MON")
	if err != nil {
		t.Fatal(err)
	}
	from := time.Date(2026, 3, 4, 12, 0, 0, 0, time.UTC) // a Wednesday
	if got, want := sched.Next(from), time.Date(2026, 3, 9, 8, 30, 0, 0, time.UTC); !got.Equal(want) {
		t.Errorf("Next(%v) = %v, want %v", from, got, want)
	}
	c := Default()
	c.Summaries = []Summary{{Channel: "C0TOWN", Scope: "all", Schedule: "0 25 * * 1"}}
	if err := c.Validate(); err == nil || !strings.Contains(err.Error(), "summaries[0].schedule") || !strings.Contains(err.Error(), "above maximum") {
		t.Errorf("Validate() = %v, want the setting named and cron's reason", err)
	}
}
