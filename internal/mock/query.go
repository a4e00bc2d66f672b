package mock

import (
	"net/http"
	"strconv"
	"time"
)

func isQueryService(svc *ServiceConfig) bool {
	return svc.Type == "builtin" && (svc.Service == "office-hours" || svc.Service == "capacity")
}

// handleQueryService answers GET /genesys/1/service/{name} for the query-style built-ins.
func (s *Server) handleQueryService(w http.ResponseWriter, r *http.Request) {
	name := r.PathValue("name")
	svc := s.cfg.Services[name]
	if svc == nil {
		s.handleInstanceGet(w, r)
		return
	}
	if !isQueryService(svc) {
		w.Header().Set("Allow", "POST")
		writeError(w, &apiError{http.StatusMethodNotAllowed, excMethod,
			"Service '" + name + "' is created with POST"})
		return
	}
	cal, err := loadCalendar(svc.Options, svc.Service == "capacity")
	if err != nil { // New validated the options; this only guards against a change
		writeError(w, &apiError{http.StatusInternalServerError, excInternal, err.Error()})
		return
	}
	var body any
	var aerr *apiError
	if svc.Service == "capacity" {
		body, aerr = s.capacity(r, svc, cal)
	} else {
		body, aerr = s.officeHours(r, cal)
	}
	if aerr != nil {
		writeError(w, aerr)
		return
	}
	writeJSON(w, http.StatusOK, body)
}

const maxQueryDays = 366

type openPeriod struct {
	Start string `json:"start"`
	End   string `json:"end"`
}

type officeHoursAnswer struct {
	Error    *string      `json:"error"`
	Timezone string       `json:"timezone"`
	Open     bool         `json:"open"`
	Periods  []openPeriod `json:"periods"`
}

const utcMillis = "2006-01-02T15:04:05.000Z"

// officeHours lists the open periods of the days from start (default now) to end (default
// start), or of number-of-days days, and whether the service is open at start.
func (s *Server) officeHours(r *http.Request, cal *calendar) (any, *apiError) {
	q := r.URL.Query()
	start := s.now().In(cal.loc)
	if v := q.Get("start"); v != "" {
		t, ok := parseWhen(v, cal.loc)
		if !ok {
			return nil, badRequest("Invalid start '%s': want YYYY-MM-DDTHH:MM:SSZ", v)
		}
		start = t.In(cal.loc)
	}
	last, aerr := lastDay(q.Get("number-of-days"), q.Get("end"), start, cal.loc)
	if aerr != nil {
		return nil, aerr
	}
	ans := officeHoursAnswer{Timezone: cal.loc.String(), Periods: []openPeriod{}}
	for _, p := range cal.periods(start, last) {
		ans.Periods = append(ans.Periods, openPeriod{p.start.UTC().Format(utcMillis),
			p.end.UTC().Format(utcMillis)})
		if !start.Before(p.start) && start.Before(p.end) {
			ans.Open = true
		}
	}
	return ans, nil
}

func lastDay(days, end string, start time.Time, loc *time.Location) (time.Time, *apiError) {
	last := start
	switch {
	case days != "":
		n, err := strconv.Atoi(days)
		if err != nil || n < 1 || n > maxQueryDays {
			return last, badRequest("Invalid number-of-days '%s': want 1 to %d", days,
				maxQueryDays)
		}
		last = start.AddDate(0, 0, n-1)
	case end != "":
		t, ok := parseWhen(end, loc)
		if !ok {
			return last, badRequest("Invalid end '%s': want YYYY-MM-DDTHH:MM:SSZ", end)
		}
		last = t.In(loc)
	}
	if last.Before(start) {
		return last, badRequest("The end comes before the start")
	}
	if last.Sub(start) > maxQueryDays*24*time.Hour {
		return last, badRequest("At most %d days can be queried at once", maxQueryDays)
	}
	return last, nil
}

// parseWhen reads an ISO-8601 time, with or without a zone (then in loc) and seconds.
func parseWhen(v string, loc *time.Location) (time.Time, bool) {
	if t, err := time.Parse(time.RFC3339Nano, v); err == nil {
		return t, true
	}
	for _, layout := range []string{"2006-01-02T15:04:05.999999999", "2006-01-02T15:04",
		"2006-01-02"} {
		if t, err := time.ParseInLocation(layout, v, loc); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

type capacitySlot struct {
	Start    string `json:"start"`
	End      string `json:"end"`
	Capacity int    `json:"capacity"`
}

type capacityAnswer struct {
	Error    *string        `json:"error"`
	Timezone string         `json:"timezone"`
	Slots    []capacitySlot `json:"slots"`
}

const localSeconds = "2006-01-02T15:04:05"

// capacity lists the slots with capacity that overlap start..end (both required, local
// times of the timezone parameter or the service's _timezone).
func (s *Server) capacity(r *http.Request, svc *ServiceConfig, cal *calendar) (any, *apiError) {
	q := r.URL.Query()
	loc := cal.loc
	if tz := q.Get("timezone"); tz != "" {
		l, err := time.LoadLocation(tz)
		if err != nil {
			return nil, badRequest("Invalid timezone '%s'", tz)
		}
		loc = l
	}
	var bounds [2]time.Time
	for i, name := range []string{"start", "end"} {
		v := q.Get(name)
		if v == "" {
			return nil, missingParam(name)
		}
		t, ok := parseWhen(v, loc)
		if !ok {
			return nil, badRequest("Invalid %s '%s': want YYYY-MM-DDTHH:MM:SS", name, v)
		}
		bounds[i] = t
	}
	if _, aerr := lastDay("", q.Get("end"), bounds[0], loc); aerr != nil {
		return nil, aerr
	}
	maxCap, _ := strconv.Atoi(svc.Options["_max_capacity"])
	if maxCap == 0 {
		maxCap = 1000
	}
	ans := capacityAnswer{Timezone: loc.String(), Slots: []capacitySlot{}}
	for _, p := range cal.periods(bounds[0].In(cal.loc), bounds[1].In(cal.loc)) {
		if !p.end.After(bounds[0]) || !p.start.Before(bounds[1]) || p.capacity == 0 {
			continue
		}
		if p.capacity > maxCap {
			return nil, &apiError{http.StatusBadRequest,
				"com.genesyslab.gsg.services.capacity.CapacityException",
				"Capacity " + strconv.Itoa(p.capacity) + " is over _max_capacity " +
					strconv.Itoa(maxCap)}
		}
		ans.Slots = append(ans.Slots, capacitySlot{p.start.In(loc).Format(localSeconds),
			p.end.In(loc).Format(localSeconds), p.capacity})
	}
	return ans, nil
}
