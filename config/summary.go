package config

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// DefaultSchedule is a summary's schedule when the file gives none:
// Mondays at 09:00, before the town team's weekly meeting.
const DefaultSchedule = "0 9 * * 1"

// Summary scopes relative to the summary's channel, and everything.
const (
	ScopeTown   = "town"   // the town of the channel's place
	ScopeCounty = "county" // the county of the channel's place
	ScopeAll    = "all"    // every request and question
)

// ScheduleSpec returns the summary's cron expression, DefaultSchedule if
// it has none.
func (s Summary) ScheduleSpec() string {
	if t := strings.TrimSpace(s.Schedule); t != "" {
		return t
	}
	return DefaultSchedule
}

// ValidateSummaries returns an *Error naming the first summary whose
// schedule is not a cron expression ValidateSchedule accepts, whose time
// zone is unknown, whose scope is town or county in a channel without
// such a place, or whose channel already has a summary. Scopes naming a
// place are checked against the gazetteer by the program.
func (c *Config) ValidateSummaries() error {
	seen := map[string]int{}
	for i, s := range c.Summaries {
		at := fmt.Sprintf("summaries[%d]", i)
		if j, dup := seen[s.Channel]; dup {
			return &Error{at + ".channel", fmt.Sprintf("channel %s already has a summary (summaries[%d]); one summary per channel", s.Channel, j)}
		}
		seen[s.Channel] = i
		if err := ValidateSchedule(s.ScheduleSpec()); err != nil {
			return &Error{at + ".schedule", err.Error()}
		}
		tz := s.Timezone
		if tz == "" {
			tz = DefaultTimezone
		}
		if _, err := time.LoadLocation(tz); err != nil || strings.EqualFold(tz, "local") {
			return &Error{at + ".timezone", fmt.Sprintf("unknown time zone %q (use an IANA name such as Asia/Shanghai)", s.Timezone)}
		}
		p, hasPlace := c.ChannelPlace(s.Channel)
		switch strings.TrimSpace(s.Scope) {
		case ScopeTown:
			if !hasPlace || p.Town == "" {
				return &Error{at + ".scope", fmt.Sprintf("scope town needs a town for channel %s in channels or desk.channels", s.Channel)}
			}
		case ScopeCounty:
			if !hasPlace {
				return &Error{at + ".scope", fmt.Sprintf("scope county needs a place for channel %s in channels or desk.channels", s.Channel)}
			}
		case "":
			return &Error{at + ".scope", `missing ("town", "county", "all", or a place such as "滕州市/滨湖镇")`}
		}
	}
	return nil
}

// cronField is one field of a five-field cron expression.
type cronField struct {
	name     string
	min, max int
	names    []string // names for min, min+1, … (jan…, sun…)
}

var cronFields = []cronField{
	{"minute", 0, 59, nil},
	{"hour", 0, 23, nil},
	{"day of month", 1, 31, nil},
	{"month", 1, 12, []string{"jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"}},
	{"day of week", 0, 6, []string{"sun", "mon", "tue", "wed", "thu", "fri", "sat"}},
}

var cronDescriptors = map[string]bool{
	"@yearly": true, "@annually": true, "@monthly": true, "@weekly": true, "@daily": true, "@midnight": true, "@hourly": true,
}

// ValidateSchedule returns an error describing what is wrong with spec as
// a standard five-field cron expression ("0 9 * * 1", "30 8 * * MON-FRI",
// "0 9 1,15 * *") or descriptor (@weekly, @every 168h). The time zone
// belongs in the timezone setting, so CRON_TZ= and TZ= prefixes are
// refused here — which also keeps specs such as "CRON_TZ=Asia/Shanghai"
// alone, on which the cron library panics, away from it.
func ValidateSchedule(spec string) error {
	spec = strings.TrimSpace(spec)
	if spec == "" {
		return fmt.Errorf("empty cron expression")
	}
	if strings.HasPrefix(spec, "CRON_TZ=") || strings.HasPrefix(spec, "TZ=") {
		return fmt.Errorf("%q: put the time zone in the timezone setting, not in the schedule", spec)
	}
	if strings.HasPrefix(spec, "@") {
		if cronDescriptors[strings.ToLower(spec)] {
			return nil
		}
		if d, ok := strings.CutPrefix(spec, "@every "); ok {
			dur, err := time.ParseDuration(strings.TrimSpace(d))
			if err != nil || dur < time.Minute {
				return fmt.Errorf("%q: @every needs a duration of at least 1m, such as @every 168h", spec)
			}
			return nil
		}
		return fmt.Errorf("%q: unknown descriptor (use @weekly, @daily, @every 168h… or five fields)", spec)
	}
	fields := strings.Fields(spec)
	if len(fields) != len(cronFields) {
		return fmt.Errorf("%q has %d fields, want 5: minute hour day-of-month month day-of-week (e.g. \"0 9 * * 1\")", spec, len(fields))
	}
	for i, f := range fields {
		if err := cronFields[i].check(f); err != nil {
			return fmt.Errorf("%q: %s field %q: %v", spec, cronFields[i].name, f, err)
		}
	}
	return nil
}

// check validates one field: a comma-separated list of *, ?, a value or
// a range a-b, each optionally with /step.
func (c cronField) check(field string) error {
	for _, part := range strings.Split(field, ",") {
		rng, step, hasStep := strings.Cut(part, "/")
		if hasStep {
			n, err := strconv.Atoi(step)
			if err != nil || n < 1 || n > c.max-c.min+1 {
				return fmt.Errorf("step %q is not a number from 1 to %d", step, c.max-c.min+1)
			}
		}
		if rng == "*" || rng == "?" {
			continue
		}
		lo, hi, isRange := strings.Cut(rng, "-")
		a, err := c.value(lo)
		if err != nil {
			return err
		}
		b := a
		if isRange {
			if b, err = c.value(hi); err != nil {
				return err
			}
			if b < a {
				return fmt.Errorf("range %s runs backwards", rng)
			}
		}
	}
	return nil
}

func (c cronField) value(s string) (int, error) {
	for i, n := range c.names {
		if strings.EqualFold(s, n) {
			return c.min + i, nil
		}
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < c.min || n > c.max {
		return 0, fmt.Errorf("%q is not a value from %d to %d", s, c.min, c.max)
	}
	return n, nil
}
