package mock

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"
	_ "time/tzdata" // _timezone names must resolve on machines without a zone database
)

// openRule is one line of business hours: on the given weekdays (or one date), open
// from..to (minutes after midnight), with an optional capacity.
type openRule struct {
	days     [7]bool    // by time.Weekday
	month    time.Month // date rules (_bh_add, _bh_closed): month and day, year optional
	day      int
	year     int
	from, to int
	capacity int
}

var weekdays = map[string]time.Weekday{"sun": time.Sunday, "mon": time.Monday,
	"tue": time.Tuesday, "wed": time.Wednesday, "thu": time.Thursday, "fri": time.Friday,
	"sat": time.Saturday}

// parseWeekRule reads "Mon-Fri 09:00-17:00" (days: a name, a range, or a comma list).
// withCapacity also reads a trailing count: "Mon-Fri 09:00-17:00 10".
func parseWeekRule(s string, withCapacity bool) (openRule, error) {
	var r openRule
	fields := strings.Fields(s)
	want := 2
	if withCapacity {
		want = 3
	}
	if len(fields) != want {
		return r, fmt.Errorf("%q: want %d space-separated parts such as "+
			"\"Mon-Fri 09:00-17:00\"%s", s, want, map[bool]string{true: " 10"}[withCapacity])
	}
	for _, part := range strings.Split(fields[0], ",") {
		if err := r.addDays(part); err != nil {
			return r, fmt.Errorf("%q: %v", s, err)
		}
	}
	var err error
	if r.from, r.to, err = parseHours(fields[1]); err != nil {
		return r, fmt.Errorf("%q: %v", s, err)
	}
	if withCapacity {
		if r.capacity, err = strconv.Atoi(fields[2]); err != nil || r.capacity < 0 {
			return r, fmt.Errorf("%q: capacity must be a whole number >= 0", s)
		}
	}
	return r, nil
}

func (r *openRule) addDays(part string) error {
	first, last, isRange := strings.Cut(strings.ToLower(part), "-")
	a, ok1 := weekdays[first]
	b, ok2 := weekdays[last]
	if !isRange {
		b, ok2 = a, ok1
	}
	if !ok1 || !ok2 {
		return fmt.Errorf("unknown day %q (use Mon, Tue, Wed, Thu, Fri, Sat, Sun)", part)
	}
	for d := a; ; d = (d + 1) % 7 {
		r.days[d] = true
		if d == b {
			return nil
		}
	}
}

// parseDateRule reads "07-14 12:00-14:30" or "2026-07-14 12:00-14:30"; hours are
// optional when allowNoHours (a closed day).
func parseDateRule(s string, allowNoHours bool) (openRule, error) {
	var r openRule
	fields := strings.Fields(s)
	if len(fields) == 0 || len(fields) > 2 || (len(fields) == 1 && !allowNoHours) {
		return r, fmt.Errorf("%q: want a date (MM-DD or YYYY-MM-DD) and hours HH:MM-HH:MM", s)
	}
	layout := "01-02"
	if strings.Count(fields[0], "-") == 2 {
		layout = "2006-01-02"
	}
	d, err := time.Parse(layout, fields[0])
	if err != nil {
		return r, fmt.Errorf("%q: bad date %q", s, fields[0])
	}
	r.month, r.day = d.Month(), d.Day()
	if layout != "01-02" {
		r.year = d.Year()
	}
	r.to = 24 * 60
	if len(fields) == 2 {
		if r.from, r.to, err = parseHours(fields[1]); err != nil {
			return r, fmt.Errorf("%q: %v", s, err)
		}
	}
	return r, nil
}

func parseHours(s string) (from, to int, err error) {
	a, b, ok := strings.Cut(s, "-")
	if !ok {
		return 0, 0, fmt.Errorf("hours %q: want HH:MM-HH:MM", s)
	}
	if from, err = parseClock(a); err == nil {
		to, err = parseClock(b)
	}
	if err == nil && to <= from {
		err = fmt.Errorf("hours %q: the end must come after the start", s)
	}
	return from, to, err
}

func parseClock(s string) (int, error) {
	if s == "24:00" {
		return 24 * 60, nil
	}
	t, err := time.Parse("15:04", s)
	if err != nil {
		return 0, fmt.Errorf("bad time %q: want HH:MM", s)
	}
	return t.Hour()*60 + t.Minute(), nil
}

func (r openRule) onDate(d time.Time) bool {
	if r.day != 0 {
		return d.Month() == r.month && d.Day() == r.day && (r.year == 0 || d.Year() == r.year)
	}
	return r.days[d.Weekday()]
}

// period is an open span of time, with the capacity of a capacity slot.
type period struct {
	start, end time.Time
	capacity   int
}

// calendar is the business hours of an office-hours or capacity service.
type calendar struct {
	loc    *time.Location
	weekly []openRule
	added  []openRule
	closed []openRule
}

// loadCalendar reads the options _timezone, _bh_regularN and _bh_addN, _bh_closedN (office
// hours) or _capacity_regularN (capacity, when capacity is true).
func loadCalendar(opts map[string]string, capacity bool) (*calendar, error) {
	c := &calendar{loc: time.UTC}
	if tz := opts["_timezone"]; tz != "" {
		loc, err := time.LoadLocation(tz)
		if err != nil {
			return nil, &optionError{key: "_timezone", err: err}
		}
		c.loc = loc
	}
	keys := make([]string, 0, len(opts))
	for k := range opts {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if err := c.addOption(k, opts[k], capacity); err != nil {
			return nil, &optionError{key: k, err: err}
		}
	}
	return c, nil
}

func (c *calendar) addOption(key, value string, capacity bool) error {
	var r openRule
	var err error
	switch {
	case capacity && strings.HasPrefix(key, "_capacity_regular"):
		r, err = parseWeekRule(value, true)
		c.weekly = append(c.weekly, r)
	case !capacity && strings.HasPrefix(key, "_bh_regular"):
		r, err = parseWeekRule(value, false)
		c.weekly = append(c.weekly, r)
	case !capacity && strings.HasPrefix(key, "_bh_add"):
		r, err = parseDateRule(value, false)
		c.added = append(c.added, r)
	case !capacity && strings.HasPrefix(key, "_bh_closed"):
		r, err = parseDateRule(value, true)
		c.closed = append(c.closed, r)
	}
	return err
}

// periods lists the open periods of the local days from first to last, in order.
func (c *calendar) periods(first, last time.Time) []period {
	var out []period
	day := time.Date(first.Year(), first.Month(), first.Day(), 0, 0, 0, 0, c.loc)
	for !day.After(last) {
		out = append(out, c.dayPeriods(day)...)
		day = day.AddDate(0, 0, 1)
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].start.Before(out[j].start) })
	return out
}

// dayPeriods lists the open periods of one local day. A closed date (_bh_closed) has
// none; a special date (_bh_add) has its own periods instead of the weekly ones, all of
// them when several rules name the date; any other day has its weekly periods.
func (c *calendar) dayPeriods(day time.Time) []period {
	for _, r := range c.closed {
		if r.onDate(day) {
			return nil
		}
	}
	if out := rulePeriods(day, c.added); len(out) > 0 {
		return out
	}
	return rulePeriods(day, c.weekly)
}

// rulePeriods lists the periods of the rules that apply to day.
func rulePeriods(day time.Time, rules []openRule) []period {
	var out []period
	for _, r := range rules {
		if r.onDate(day) {
			out = append(out, period{start: at(day, r.from), end: at(day, r.to),
				capacity: r.capacity})
		}
	}
	return out
}

// at returns the instant minutes after local midnight of day.
func at(day time.Time, minutes int) time.Time {
	y, m, d := day.Date()
	return time.Date(y, m, d, minutes/60, minutes%60, 0, 0, day.Location())
}

// optionError names the service option that is wrong.
type optionError struct {
	key string
	err error
}

func (e *optionError) Error() string { return e.key + ": " + e.err.Error() }
