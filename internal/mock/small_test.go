package mock

import (
	"net/http"
	"strings"
	"testing"
	"time"
)

func TestNodeStatus(t *testing.T) {
	h := newHarness(t, nil)
	res := h.get("/genesys/1/admin/node/status").want(t, 200)
	if string(res.body) != "ONLINE" || res.header.Get("Content-Type") !=
		"text/plain;charset=ISO-8859-1" {
		t.Errorf("status %q (%s)", res.body, res.header.Get("Content-Type"))
	}
	h.send("POST", "/genesys/1/admin/node/changestatus/OFFLINE").want(t, 200)
	if got := h.get("/genesys/1/admin/node/status"); string(got.body) != "OFFLINE" {
		t.Errorf("after change: %q", got.body)
	}
	h.send("POST", "/genesys/1/admin/node/changestatus/SLEEPY").
		wantError(t, 400, excGSG, "ONLINE or OFFLINE")
	h.send("GET", "/genesys/1/admin/node/changestatus/ONLINE").want(t, 405)
	h.send("POST", "/mock/reset").want(t, 204)
	if got := h.get("/genesys/1/admin/node/status"); string(got.body) != "ONLINE" {
		t.Errorf("after reset: %q", got.body)
	}
}

func TestPatterns(t *testing.T) {
	h := newHarness(t, nil)
	got := h.post("/genesys/1/patterns", "param1", "1234562x", "param2", "ann@example.com",
		"param3", "911").want(t, 200)
	if want := `{"param2":"email","param3":"emergency"}`; string(got.body) != want {
		t.Errorf("patterns %s, want %s", got.body, want)
	}
	got = h.post("/genesys/1/patterns/group/contact", "a", "911", "b", "+33 6 04 12 04 05")
	if want := `{"b":"phone"}`; string(got.want(t, 200).body) != want {
		t.Errorf("group %s, want %s", got.body, want)
	}
	if got := h.post("/genesys/1/patterns", "x", "nothing").want(t, 200); string(got.body) != "{}" {
		t.Errorf("no match: %s", got.body)
	}
	h.post("/genesys/1/patterns/group/nope", "a", "b").wantError(t, 404, excNotFound, "nope")
}

func TestPhoneNumber(t *testing.T) {
	h := newHarness(t, nil)
	m := h.get("/genesys/1/phonenumber?number=0604120405&country=FR&geocodingLocale=DE").
		want(t, 200).json(t)
	want := map[string]any{
		"number-E164": "+33604120405", "number-type": "MOBILE", "region-code": "FR",
		"time-zone": "Europe/Paris", "country-code": float64(33),
		"country-code-source": "FROM_DEFAULT_COUNTRY", "is-valid-number": true,
		"is-possible-number": true, "is-premium": false, "is-valid-number-for-region": true,
		"number-original": "0604120405", "country-default": "FR", "language-specified": "DE",
		"number-international": "+33 6 04 12 04 05", "number-national": "06 04 12 04 05",
		"number-national-short": "604120405",
	}
	for k, v := range want {
		if m[k] != v {
			t.Errorf("%s = %v, want %v", k, m[k], v)
		}
	}
	for _, k := range []string{"carrier", "extension", "italian-leading-zero", "location",
		"number-specified"} {
		if _, ok := m[k]; !ok {
			t.Errorf("answer lacks %s", k)
		}
	}
	intl := h.get("/genesys/1/phonenumber?number=%2B16502530000").want(t, 200).json(t)
	if intl["country-code-source"] != "FROM_NUMBER_WITH_PLUS_SIGN" || intl["region-code"] != "US" {
		t.Errorf("international number %v", intl)
	}
	h.get("/genesys/1/phonenumber?number=bad&country=DE").
		wantError(t, 400, excGSG, "Invalid Phone Number bad for Country DE (parsing impossible)")
	h.get("/genesys/1/phonenumber").wantError(t, 400, excGSG, "number")
}

func TestOfficeHours(t *testing.T) {
	h := newHarness(t, nil) // the clock starts on Sunday 2026-03-01 12:00 UTC
	m := h.get("/genesys/1/service/office-hours").want(t, 200).json(t)
	if m["error"] != nil || m["open"] != false || len(m["periods"].([]any)) != 0 ||
		m["timezone"] != "Europe/Paris" {
		t.Errorf("Sunday: %v", m)
	}
	m = h.get("/genesys/1/service/office-hours?start=2026-03-02T09:30:00Z&number-of-days=7").
		want(t, 200).json(t)
	periods := m["periods"].([]any)
	if m["open"] != true || len(periods) != 6 {
		t.Fatalf("week: %v", m)
	}
	first := periods[0].(map[string]any)
	if first["start"] != "2026-03-02T08:00:00.000Z" || first["end"] != "2026-03-02T17:00:00.000Z" {
		t.Errorf("Monday (Paris is UTC+1): %v", first)
	}
	m = h.get("/genesys/1/service/office-hours?start=2026-12-24T00:00:00Z"+
		"&end=2026-12-25T12:00:00Z").want(t, 200).json(t)
	// Thursday 24th: the special 14-16 replaces 9-18; closed on the 25th.
	if n := len(m["periods"].([]any)); n != 1 {
		t.Errorf("Christmas: %v", m)
	}
	h.get("/genesys/1/service/office-hours?start=yesterday").wantError(t, 400, excGSG, "start")
	h.get("/genesys/1/service/office-hours?number-of-days=9999").want(t, 400)
	h.get("/genesys/1/service/office-hours?start=2026-03-02T00:00:00Z"+
		"&end=2026-03-01T00:00:00Z").want(t, 400)
	h.post("/genesys/1/service/office-hours").want(t, http.StatusMethodNotAllowed)

	h.clock.Advance(24*time.Hour - 3*time.Hour) // Monday 09:00 UTC = 10:00 in Paris
	if m := h.get("/genesys/1/service/office-hours").json(t); m["open"] != true {
		t.Errorf("Monday morning: %v", m)
	}
}

// TestOfficeHoursSpecialDateReplacesTheWeek checks that a _bh_add date replaces that day's
// weekly hours (it used to be added to them, giving overlapping periods), that several
// _bh_add rules of one date all apply, that other days keep their weekly hours, and that a
// closed date still wins over a special one.
func TestOfficeHoursSpecialDateReplacesTheWeek(t *testing.T) {
	periods := func(m map[string]any) string {
		var out []string
		for _, p := range m["periods"].([]any) {
			pm := p.(map[string]any)
			out = append(out, pm["start"].(string)+"/"+pm["end"].(string))
		}
		return strings.Join(out, " ")
	}
	h := newHarness(t, nil)
	// Default: Mon-Fri 09:00-18:00 Paris (UTC+1 in winter), 12-24 14:00-16:00, 12-25 closed.
	m := h.get("/genesys/1/service/office-hours?start=2026-12-23T00:00:00Z&number-of-days=3").
		want(t, 200).json(t)
	want := "2026-12-23T08:00:00.000Z/2026-12-23T17:00:00.000Z " +
		"2026-12-24T13:00:00.000Z/2026-12-24T15:00:00.000Z"
	if got := periods(m); got != want {
		t.Errorf("23rd to 25th December:\n got %s\nwant %s", got, want)
	}
	m = h.get("/genesys/1/service/office-hours?start=2026-12-24T10:00:00Z").want(t, 200).json(t)
	if m["open"] != false {
		t.Errorf("10:00 UTC on the 24th is outside the special hours, yet open: %v", m)
	}

	cfg := DefaultConfig()
	opts := cfg.Services["office-hours"].Options
	opts["_bh_add2"] = "12-24 08:00-09:00"      // a second special period the same day
	opts["_bh_add3"] = "2026-12-25 10:00-11:00" // a closed date still wins
	opts["_bh_add4"] = "2026-03-07 15:00-17:00" // a Saturday: 10-13 is replaced too
	h = newHarness(t, cfg)
	m = h.get("/genesys/1/service/office-hours?start=2026-12-24T00:00:00Z&number-of-days=2").
		want(t, 200).json(t)
	want = "2026-12-24T07:00:00.000Z/2026-12-24T08:00:00.000Z " +
		"2026-12-24T13:00:00.000Z/2026-12-24T15:00:00.000Z"
	if got := periods(m); got != want {
		t.Errorf("two special periods on the 24th:\n got %s\nwant %s", got, want)
	}
	m = h.get("/genesys/1/service/office-hours?start=2026-03-07T00:00:00Z").want(t, 200).json(t)
	if got, want := periods(m), "2026-03-07T14:00:00.000Z/2026-03-07T16:00:00.000Z"; got != want {
		t.Errorf("special Saturday:\n got %s\nwant %s", got, want)
	}
}

func TestCapacity(t *testing.T) {
	h := newHarness(t, nil)
	m := h.get("/genesys/1/service/capacity?start=2026-03-02T10:00:00&end=2026-03-03T10:00:00").
		want(t, 200).json(t)
	slots := m["slots"].([]any)
	if len(slots) != 3 {
		t.Fatalf("slots %v", m)
	}
	s0 := slots[0].(map[string]any)
	if s0["start"] != "2026-03-02T09:00:00" || s0["end"] != "2026-03-02T12:00:00" ||
		s0["capacity"] != float64(10) {
		t.Errorf("first slot %v", s0)
	}
	m = h.get("/genesys/1/service/capacity?start=2026-03-02T10:00:00&end=2026-03-02T11:00:00"+
		"&timezone=America/New_York").want(t, 200).json(t)
	if slots := m["slots"].([]any); len(slots) != 1 ||
		slots[0].(map[string]any)["start"] != "2026-03-02T08:00:00" {
		t.Errorf("in New York: %v", m)
	}
	h.get("/genesys/1/service/capacity?end=2026-03-02T10:00:00").
		wantError(t, 400, excGSG, "start")
	h.get("/genesys/1/service/capacity?start=2026-03-02T10:00:00&end=x&timezone=Nowhere/Land").
		wantError(t, 400, excGSG, "timezone")

	cfg := DefaultConfig()
	cfg.Services["capacity"].Options["_max_capacity"] = "7"
	h = newHarness(t, cfg)
	h.get("/genesys/1/service/capacity?start=2026-03-02T10:00:00&end=2026-03-02T11:00:00").
		wantError(t, 400, "com.genesyslab.gsg.services.capacity.CapacityException", "7")
}

func TestCalendarConfigErrors(t *testing.T) {
	path := writeFile(t, "m.yaml", "services:\n  office-hours:\n    options:\n"+
		"      _bh_regular1: Funday 09:00-17:00\n")
	if _, err := LoadConfig(path); err == nil ||
		!containsAll(err.Error(), ":4:", "_bh_regular1", "Funday") {
		t.Errorf("error %v", err)
	}
}

func TestDefaultEmergencyGroup(t *testing.T) {
	h := newHarness(t, nil)
	got := h.post("/genesys/1/patterns/group/emergency", "number", "911", "other", "123")
	if string(got.want(t, 200).body) != `{"number":"emergency"}` {
		t.Errorf("emergency group %s", got.body)
	}
}
