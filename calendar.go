package towndesk

import (
	_ "embed"
	"io"
	"strings"
	"time"
)

// ChinaTime is China Standard Time (UTC+8, no daylight saving since 1991).
// Dates, deadlines and "today" are all reckoned in it, wherever the server runs.
var ChinaTime = time.FixedZone("CST", 8*60*60)

// Date is a calendar day in China Standard Time, written 2006-01-02.
// The empty Date means "no date". Dates compare correctly as strings.
type Date string

const dateLayout = "2006-01-02"

// DateOf returns the day t falls on in China Standard Time.
func DateOf(t time.Time) Date { return Date(t.In(ChinaTime).Format(dateLayout)) }

// ParseDate parses a date written 2026-03-01 (also 2026/03/01 or 2026-3-1).
// It returns an EINVALID error naming the bad input.
func ParseDate(s string) (Date, error) {
	s = strings.TrimSpace(s)
	for _, layout := range []string{dateLayout, "2006/01/02", "2006-1-2", "2006/1/2"} {
		if t, err := time.ParseInLocation(layout, s, ChinaTime); err == nil {
			return DateOf(t), nil
		}
	}
	return "", Errorf(EINVALID, "日期「%s」格式不对，应写作 2026-03-01", s)
}

// Time returns the start of the day d in China Standard Time; the zero time
// for the empty or a malformed Date.
func (d Date) Time() time.Time {
	t, err := time.ParseInLocation(dateLayout, string(d), ChinaTime)
	if err != nil {
		return time.Time{}
	}
	return t
}

// IsZero reports whether d is the empty Date.
func (d Date) IsZero() bool { return d == "" }

// AddDays returns the day n calendar days after d (before, if n < 0).
func (d Date) AddDays(n int) Date { return DateOf(d.Time().AddDate(0, 0, n)) }

// Weekday returns the day of the week of d.
func (d Date) Weekday() time.Weekday { return d.Time().Weekday() }

// HolidaysExample is an example holidays file with the 2026 public holidays
// and make-up working days (调休) of mainland China, as published by the
// State Council General Office. It is an example: check it against the
// notice before relying on it, and add each new year's notice yourself.
//
//go:embed docs/holidays.example.txt
var HolidaysExample string

// Calendar tells working days from days off. Saturdays and Sundays are off,
// except make-up working days (调休上班); holidays are off whatever weekday
// they fall on. A nil *Calendar knows weekends only.
//
// The holidays file (holidays.txt in the data directory) has one entry per
// line; blank lines and text after # are ignored:
//
//	2026-01-01~2026-01-03 休 元旦
//	2026-01-04 班 元旦调休上班
//
// The first field is a date (2026-01-01) or an inclusive range of at most 31
// days (2026-02-15~2026-02-23, also written with ".."). The second is 休 for
// days off (also "off") or 班 for make-up working days (also "work"), which
// must fall on a Saturday or Sunday. Anything after that is a name for
// people. Without a holidays file only weekends are days off.
type Calendar struct {
	off map[Date]string // holidays, with their names
	on  map[Date]string // make-up working days on weekends
}

// ParseCalendar reads a holidays file (see Calendar). It returns an EINVALID
// error naming the first bad line and what is wrong with it, a line over
// MaxLineBytes, or a read error.
func ParseCalendar(r io.Reader) (*Calendar, error) {
	c := &Calendar{off: map[Date]string{}, on: map[Date]string{}}
	if err := readLines(r, "节假日文件", c.addLine); err != nil {
		return nil, err
	}
	return c, nil
}

// readLines calls fn with the fields of every line of r that has any,
// text after # left out. An error of fn's stops it: an EINVALID error
// naming the file (what), the line's number and text, and fn's message.
// A line over MaxLineBytes, or a read error, is an EINVALID error naming
// the file.
func readLines(r io.Reader, what string, fn func(fields []string) error) error {
	return eachLine(r, what, func(n int, raw string) error {
		line, _, _ := strings.Cut(raw, "#")
		fields := strings.Fields(line)
		if len(fields) == 0 {
			return nil
		}
		if err := fn(fields); err != nil {
			return Errorf(EINVALID, "%s第 %d 行「%s」：%s", what, n, strings.TrimSpace(raw), ErrorMessage(err))
		}
		return nil
	})
}

func (c *Calendar) addLine(fields []string) error {
	if len(fields) < 2 {
		return Errorf(EINVALID, "缺少「休」或「班」")
	}
	from, to, err := parseDateRange(fields[0])
	if err != nil {
		return err
	}
	name := strings.Join(fields[2:], " ")
	var working bool
	switch strings.ToLower(fields[1]) {
	case "休", "off":
	case "班", "work":
		working = true
	default:
		return Errorf(EINVALID, "第二项应为「休」或「班」，不是「%s」", fields[1])
	}
	for d := from; d <= to; d = d.AddDays(1) {
		if working {
			if wd := d.Weekday(); wd != time.Saturday && wd != time.Sunday {
				return Errorf(EINVALID, "%s 是%s，本来就是工作日，不用标「班」", d, weekdayNames[wd])
			}
			if _, dup := c.off[d]; dup {
				return Errorf(EINVALID, "%s 已经标为「休」，不能又标「班」", d)
			}
			c.on[d] = name
			continue
		}
		if _, dup := c.on[d]; dup {
			return Errorf(EINVALID, "%s 已经标为「班」，不能又标「休」", d)
		}
		c.off[d] = name
	}
	return nil
}

func parseDateRange(s string) (from, to Date, err error) {
	a, b, isRange := strings.Cut(s, "~")
	if !isRange {
		a, b, isRange = strings.Cut(s, "..")
	}
	if from, err = ParseDate(a); err != nil {
		return "", "", err
	}
	if !isRange {
		return from, from, nil
	}
	if to, err = ParseDate(b); err != nil {
		return "", "", err
	}
	if to < from {
		return "", "", Errorf(EINVALID, "结束日期 %s 早于开始日期 %s", to, from)
	}
	if to > from.AddDays(30) {
		return "", "", Errorf(EINVALID, "日期范围超过 31 天，请分行写")
	}
	return from, to, nil
}

var weekdayNames = [...]string{"星期日", "星期一", "星期二", "星期三", "星期四", "星期五", "星期六"}

// IsWorkingDay reports whether d is a working day.
func (c *Calendar) IsWorkingDay(d Date) bool {
	if c != nil {
		if _, ok := c.off[d]; ok {
			return false
		}
		if _, ok := c.on[d]; ok {
			return true
		}
	}
	wd := d.Weekday()
	return wd != time.Saturday && wd != time.Sunday
}

// maxScan bounds the day-by-day walks below, so that a holidays file that
// leaves no working day at all cannot make them loop for ever.
const maxScan = 20 * 366

// AddWorkingDays returns the n-th working day after d (d itself for n <= 0).
// The deadline of an errand promised in 5 working days, accepted on d, is
// AddWorkingDays(d, 5).
func (c *Calendar) AddWorkingDays(d Date, n int) Date {
	for i := 0; n > 0 && i < maxScan; i++ {
		d = d.AddDays(1)
		if c.IsWorkingDay(d) {
			n--
		}
	}
	return d
}

// WorkingDaysBetween returns the number of working days after from up to and
// including to; 0 when to is not after from.
func (c *Calendar) WorkingDaysBetween(from, to Date) int {
	n := 0
	for d, i := from.AddDays(1), 0; d <= to && i < maxScan; d, i = d.AddDays(1), i+1 {
		if c.IsWorkingDay(d) {
			n++
		}
	}
	return n
}
