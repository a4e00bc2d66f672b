package mock

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

func TestJournal(t *testing.T) {
	h := newHarness(t, nil)
	pic := readPic(t)
	req := h.request("POST", "/genesys/1/service/request-interaction", seedContentType,
		bytes.NewReader(seedBody(pic)))
	req.SetBasicAuth("someone", "hunter2")
	h.do(req).want(t, 200)
	h.post("/genesys/1/service/nope", "a", "b").want(t, 404)
	h.get("/mock/healthz").want(t, 200) // admin calls are not journaled

	res := h.get("/mock/journal").want(t, 200)
	if bytes.Contains(res.body, []byte("hunter2")) {
		t.Error("the journal shows a password")
	}
	var entries []journalEntry
	if err := json.Unmarshal(res.body, &entries); err != nil {
		t.Fatal(err)
	}
	if len(entries) != 2 || entries[1].Status != 404 || entries[1].Fields["a"] != "b" {
		t.Fatalf("journal %s", res.body)
	}
	e := entries[0]
	if e.Method != "POST" || e.Path != "/genesys/1/service/request-interaction" ||
		e.Status != 200 || e.ContentType != seedContentType || !e.Time.Equal(epoch) {
		t.Errorf("entry %+v", e)
	}
	if e.Fields["_phone_number"] != "6504669999" || e.Fields["language"] != "french" {
		t.Errorf("fields %v", e.Fields)
	}
	if f := e.Files["FileKey"]; f.Filename != "MyPic.png" || f.Size != len(pic) ||
		f.ContentType != "image/png" {
		t.Errorf("files %v", e.Files)
	}
	h.send("DELETE", "/mock/journal").want(t, 204)
	if got := h.get("/mock/journal").want(t, 200); string(got.body) != "[]" {
		t.Errorf("journal after clear %s", got.body)
	}
}

func TestJournalIsBounded(t *testing.T) {
	cfg := DefaultConfig()
	cfg.Defaults.JournalSize = 3
	h := newHarness(t, cfg)
	for _, p := range []string{"a", "b", "c", "d"} {
		h.get("/genesys/1/x/" + p)
	}
	var entries []journalEntry
	_ = json.Unmarshal(h.get("/mock/journal").body, &entries)
	if len(entries) != 3 || entries[0].Path != "/genesys/1/x/b" {
		t.Errorf("journal %+v", entries)
	}
}

func TestResetAndState(t *testing.T) {
	h := newHarness(t, nil)
	m := h.post("/genesys/1/service/request-interaction", "_phone_number", "1",
		"_provide_code", "true", "k", "v").want(t, 200).json(t)
	st := h.get("/mock/state").want(t, 200).json(t)
	inst := st["instances"].([]any)
	res := st["reservations"].([]any)
	if len(inst) != 1 || len(res) != 1 || st["manual_clock"] != true {
		t.Fatalf("state %v", st)
	}
	r0 := res[0].(map[string]any)
	if r0["_access_number"] != m["_access_number"] || r0["_access_code"] != m["_access_code"] ||
		r0["_id"] != m["_id"] {
		t.Errorf("reservation %v vs create %v", r0, m)
	}
	h.send("POST", "/mock/reset").want(t, 204)
	st = h.get("/mock/state").want(t, 200).json(t)
	if len(st["instances"].([]any)) != 0 || len(st["reservations"].([]any)) != 0 ||
		st["storage"].(map[string]any)["areas"] != float64(0) {
		t.Errorf("state after reset %v", st)
	}
	h.get("/genesys/1/storage/"+str(m, "_data_id")).want(t, 404)
}

func TestClockAdvance(t *testing.T) {
	h := newHarness(t, nil)
	id := str(h.post("/genesys/1/storage/10", "k", "v").json(t), "id")
	got := h.send("POST", "/mock/clock/advance?d=10s").want(t, 200).json(t)
	if got["time"] != epoch.Add(10*time.Second).Format(time.RFC3339Nano) {
		t.Errorf("advance answer %v", got)
	}
	h.get("/genesys/1/storage/"+id).want(t, 404)
	h.send("POST", "/mock/clock/advance?d=soon").wantError(t, 400, excGSG, "duration")
	h.send("POST", "/mock/clock/advance?d=-1s").want(t, 400)

	srv, err := New(nil)
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv)
	defer ts.Close()
	res, err := http.Post(ts.URL+"/mock/clock/advance?d=1s", "", nil)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusConflict {
		t.Errorf("advance on the system clock: %d", res.StatusCode)
	}
}

func TestHealthz(t *testing.T) {
	h := newHarness(t, nil)
	if got := h.get("/mock/healthz/").want(t, 200); string(got.body) != `{"status":"ok"}` {
		t.Errorf("healthz %s", got.body)
	}
}

func TestServicesList(t *testing.T) {
	h := newHarness(t, nil)
	var got []struct {
		Name     string   `json:"name"`
		Type     string   `json:"type"`
		Builtin  string   `json:"builtin"`
		Requests []string `json:"requests"`
	}
	if err := json.Unmarshal(h.get("/mock/services").want(t, 200).body, &got); err != nil {
		t.Fatal(err)
	}
	byName := map[string]int{}
	for i, s := range got {
		byName[s.Name] = i
		if i > 0 && got[i-1].Name >= s.Name {
			t.Errorf("not sorted: %q before %q", got[i-1].Name, s.Name)
		}
	}
	if len(got) != len(DefaultConfig().Services) {
		t.Errorf("%d services listed, the default configuration has %d", len(got),
			len(DefaultConfig().Services))
	}
	g := got[byName["generic-service"]]
	if g.Type != "generic" || strings.Join(g.Requests, ",") != "ixn/chat/refresh,status" {
		t.Errorf("generic-service: %+v", g)
	}
	if ri := got[byName["request-interaction"]]; ri.Type != "builtin" ||
		ri.Builtin != "request-interaction" {
		t.Errorf("request-interaction: %+v", ri)
	}
}
