package mock

import (
	"net/http"
	"strconv"
	"testing"
	"time"
)

// maxSecondsText is the largest number of seconds GMS (Java, int seconds) reads.
const maxSecondsText = "2147483647"

// badSeconds are values GMS cannot read as int seconds, or reads as no time at all.
var badSeconds = []string{"abc", "1.5", "0", "-1", "2147483648", "9223372037",
	"9223372036854775807", "99999999999999999999"}

// TestServiceSecondsRejected: _ttl and _booking_expiration_timeout that are not a
// number of seconds from 1 to 2147483647 get 400 naming the parameter, never an
// answer whose data has already expired.
func TestServiceSecondsRejected(t *testing.T) {
	cases := []struct{ path, param string }{
		{"/genesys/1/service/request-interaction", "_ttl"},
		{"/genesys/1/service/request-interaction", "_booking_expiration_timeout"},
		{"/genesys/1/service/generic-service", "_ttl"},
		{"/genesys/1/service/request-chat", "_ttl"},
		{"/genesys/1/service/request-access", "_booking_expiration_timeout"},
	}
	for _, c := range cases {
		for _, v := range badSeconds {
			t.Run(c.path[len("/genesys/1/service/"):]+"/"+c.param+"="+v, func(t *testing.T) {
				h := newHarness(t, nil)
				id := str(h.post("/genesys/1/service/generic-service").want(t, 200).json(t), "_id")
				h.post(c.path, "_phone_number", "1", "_id", id, c.param, v, "k", "v").
					wantError(t, http.StatusBadRequest, excGSG, c.param, v)
				st := h.get("/mock/state").want(t, 200).json(t)
				if n := len(st["instances"].([]any)); n != 1 {
					t.Errorf("%d instances after a refused request, want 1", n)
				}
				if n := len(st["reservations"].([]any)); n != 0 {
					t.Errorf("%d reservations after a refused request, want 0", n)
				}
			})
		}
	}
}

// TestServiceSecondsLargest: the largest value GMS reads lives that long.
func TestServiceSecondsLargest(t *testing.T) {
	h := newHarness(t, nil)
	m := h.post("/genesys/1/service/request-interaction", "_phone_number", "1",
		"_ttl", maxSecondsText, "_booking_expiration_timeout", maxSecondsText, "k", "v").
		want(t, 200).json(t)
	want := epoch.Add(2147483647 * time.Second).Format(time.RFC3339)
	if got := str(m, "_expiration_time"); got != want {
		t.Errorf("_expiration_time %s, want %s", got, want)
	}
	id, data := str(m, "_id"), str(m, "_data_id")
	h.clock.Advance(60 * 365 * 24 * time.Hour)
	h.get("/genesys/1/service/"+id).want(t, 200)
	h.get("/genesys/1/storage/"+data).want(t, 200)
	acc := h.post("/genesys/1/service/request-access", "_id", id,
		"_booking_expiration_timeout", maxSecondsText).want(t, 200).json(t)
	if got, now := str(acc, "_expiration_time"), h.srv.now(); got <= now.Format(time.RFC3339) {
		t.Errorf("request-access _expiration_time %s is not after %s", got, now)
	}
}

// TestServiceSecondsEmptyIsDefault: an empty value is no value: the default applies.
func TestServiceSecondsEmptyIsDefault(t *testing.T) {
	h := newHarness(t, nil)
	m := h.post("/genesys/1/service/request-interaction", "_phone_number", "1",
		"_ttl", "", "_booking_expiration_timeout", "", "k", "v").want(t, 200).json(t)
	want := epoch.Add(60 * time.Second).Format(time.RFC3339)
	if got := str(m, "_expiration_time"); got != want {
		t.Errorf("_expiration_time %s, want the default %s", got, want)
	}
	h.clock.Advance(29 * time.Second)
	h.get("/genesys/1/storage/"+str(m, "_data_id")).want(t, 200)
	h.clock.Advance(time.Second)
	h.get("/genesys/1/storage/"+str(m, "_data_id")).want(t, 404)
}

// TestStorageTTLTooLarge: a Storage TTL above 2147483647 is not a number to GMS, so it
// becomes 30 s like any other invalid TTL, on every path that takes one.
func TestStorageTTLTooLarge(t *testing.T) {
	for _, ttl := range []string{"2147483648", "9223372037", "9223372036854775807",
		"99999999999999999999"} {
		t.Run(ttl, func(t *testing.T) {
			h := newHarness(t, nil)
			id := str(h.post("/genesys/1/storage/"+ttl, "k", "v").want(t, 200).json(t), "id")
			req := h.request("POST", "/genesys/1/storage/custom/mine/"+ttl,
				"application/x-www-form-urlencoded", nil)
			req.Header.Set("gms_user", "me")
			h.do(req).want(t, 200)
			other := str(h.post("/genesys/1/storage/60", "k", "v").want(t, 200).json(t), "id")
			h.clock.Advance(10 * time.Second)
			h.post("/genesys/1/storage/"+other+"/"+ttl, "k2", "v2").want(t, 200)
			h.clock.Advance(19 * time.Second)
			h.get("/genesys/1/storage/"+id).want(t, 200)
			h.clock.Advance(time.Second)
			h.get("/genesys/1/storage/"+id).want(t, 404)
			get := h.request("GET", "/genesys/1/storage/mine", "", nil)
			get.Header.Set("gms_user", "me")
			h.do(get).want(t, 404)
			h.get("/genesys/1/storage/"+other).want(t, 200) // updated at +10 s for 30 s
			h.clock.Advance(10 * time.Second)
			h.get("/genesys/1/storage/"+other).want(t, 404)
		})
	}
	h := newHarness(t, nil)
	id := str(h.post("/genesys/1/storage/"+maxSecondsText, "k", "v").want(t, 200).json(t), "id")
	h.clock.Advance(60 * 365 * 24 * time.Hour)
	h.get("/genesys/1/storage/"+id).want(t, 200)
	h.clock.Advance((2147483647 - 60*365*24*3600) * time.Second)
	h.get("/genesys/1/storage/"+id).want(t, 404)
}

// TestDefaultsSecondsRange: defaults above what GMS reads are load errors with the line.
func TestDefaultsSecondsRange(t *testing.T) {
	for _, key := range []string{"ttl", "booking_timeout"} {
		for _, v := range []string{"2147483648", "9223372037", "9223372036854775807",
			"99999999999999999999"} {
			path := writeFile(t, "mock.yaml", "# limits\ndefaults:\n  "+key+": "+v+"\n")
			_, err := LoadConfig(path)
			if err == nil || !containsAll(err.Error(), path+":3: defaults."+key+":") {
				t.Errorf("%s: %s: error %v, want %s:3: defaults.%s: ...", key, v, err, path, key)
			}
		}
		path := writeFile(t, "mock.yaml", "defaults:\n  "+key+": "+maxSecondsText+"\n")
		if _, err := LoadConfig(path); err != nil {
			t.Errorf("%s: %s: %v", key, maxSecondsText, err)
		}
	}
	if strconv.IntSize == 64 { // a 32-bit int cannot hold more than GMS reads anyway
		big := int64(9223372037)
		cfg := DefaultConfig()
		cfg.Defaults.TTL = int(big)
		if _, err := New(cfg); err == nil || !containsAll(err.Error(), "defaults.ttl") {
			t.Errorf("New with ttl 9223372037: %v", err)
		}
	}
}

// TestDefaultsLargestTTL: the largest default TTL keeps data, not drops it at once.
func TestDefaultsLargestTTL(t *testing.T) {
	cfg, err := LoadConfig(writeFile(t, "mock.yaml",
		"defaults:\n  ttl: "+maxSecondsText+"\n  booking_timeout: "+maxSecondsText+"\n"))
	if err != nil {
		t.Fatal(err)
	}
	h := newHarness(t, cfg)
	m := h.post("/genesys/1/service/request-interaction", "_phone_number", "1", "k", "v").
		want(t, 200).json(t)
	h.clock.Advance(time.Duration(365*24) * time.Hour)
	h.get("/genesys/1/storage/"+str(m, "_data_id")).want(t, 200)
	st := h.get("/mock/state").want(t, 200).json(t)
	if n := len(st["reservations"].([]any)); n != 1 {
		t.Errorf("%d reservations a year on, want 1", n)
	}
}
