package config

import (
	"cmp"
	"fmt"
	"strings"
	"time"

	"github.com/robfig/cron/v3"
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

// Zone returns the summary's time zone: its timezone setting, or
// DefaultTimezone when it has none. It returns an error for an unknown
// zone and for "Local", whose meaning depends on the host.
func (s Summary) Zone() (*time.Location, error) {
	tz := cmp.Or(strings.TrimSpace(s.Timezone), DefaultTimezone)
	loc, err := time.LoadLocation(tz)
	if err != nil || strings.EqualFold(tz, "local") {
		return nil, fmt.Errorf("unknown time zone %q (use an IANA name such as Asia/Shanghai)", s.Timezone)
	}
	return loc, nil
}

// ValidateSummaries returns an *Error naming the first summary whose
// schedule ParseSchedule refuses, whose time zone is unknown, whose scope
// is missing, or town or county in a channel without such a place, or
// whose channel already has a summary. Scopes naming a place are checked
// against the gazetteer by the program.
func (c *Config) ValidateSummaries() error {
	seen := map[string]int{}
	for i, s := range c.Summaries {
		at := fmt.Sprintf("summaries[%d]", i)
		if j, dup := seen[s.Channel]; dup {
			return &Error{at + ".channel", fmt.Sprintf("channel %s already has a summary (summaries[%d]); one summary per channel", s.Channel, j)}
		}
		seen[s.Channel] = i
		if _, err := ParseSchedule(s.ScheduleSpec()); err != nil {
			return &Error{at + ".schedule", err.Error()}
		}
		if _, err := s.Zone(); err != nil {
			return &Error{at + ".timezone", err.Error()}
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

// ParseSchedule parses a summary's schedule with the cron library's own
// parser: five fields, minute hour day-of-month month day-of-week, with
// names such as MON and JAN ("0 9 * * 1", "30 8 * * MON-FRI"), or a
// descriptor (@weekly, @every 168h). The time zone belongs in the
// timezone setting, so a CRON_TZ= or TZ= prefix is refused (which also
// keeps from the library such a prefix alone, on which it panics); so is
// an @every of less than a minute. The error quotes spec and says what is
// wrong.
func ParseSchedule(spec string) (cron.Schedule, error) {
	spec = strings.TrimSpace(spec)
	if strings.HasPrefix(spec, "CRON_TZ=") || strings.HasPrefix(spec, "TZ=") {
		return nil, fmt.Errorf("%q: put the time zone in the timezone setting, not in the schedule", spec)
	}
	sched, err := cron.NewParser(cron.Minute | cron.Hour | cron.Dom | cron.Month | cron.Dow | cron.Descriptor).Parse(spec)
	if err != nil {
		return nil, fmt.Errorf("%q: %v (want five fields, minute hour day-of-month month day-of-week, such as \"0 9 * * 1\", or @weekly)", spec, err)
	}
	if every, ok := sched.(cron.ConstantDelaySchedule); ok && every.Delay < time.Minute {
		return nil, fmt.Errorf("%q: @every needs a duration of at least 1m, such as @every 168h", spec)
	}
	return sched, nil
}
