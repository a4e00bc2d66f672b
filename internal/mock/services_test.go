package mock

import (
	"bytes"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"
)

// seedBody is the documented request-interaction example (a browser's multipart body)
// with CRLF line endings and the picture's bytes in the file part.
func seedBody(pic []byte) []byte {
	const b = "-----WebKitFormBoundaryy16qocbN6tmPORZL"
	field := func(name, value string) string {
		return b + "\r\nContent-Disposition: form-data; name=\"" + name + "\"\r\n\r\n" +
			value + "\r\n"
	}
	var buf bytes.Buffer
	buf.WriteString(field("_phone_number", "6504669999"))
	buf.WriteString(field("_provide_code", "true"))
	buf.WriteString(field("language", "french"))
	buf.WriteString(field("current_location_latitude", "48.8583"))
	buf.WriteString(field("current_location_longitude", "2.2944"))
	buf.WriteString(b + "\r\nContent-Disposition: form-data; name=\"FileKey\"; " +
		"filename=\"MyPic.png\"\r\nContent-Type: image/png\r\n\r\n")
	buf.Write(pic)
	buf.WriteString("\r\n" + b + "--\r\n")
	return buf.Bytes()
}

const seedContentType = "multipart/form-data; boundary=---WebKitFormBoundaryy16qocbN6tmPORZL"

func TestSeedExampleFullFlow(t *testing.T) {
	h := newHarness(t, nil)
	pic := readPic(t)
	req := h.request("POST", "/genesys/1/service/request-interaction", seedContentType,
		bytes.NewReader(seedBody(pic)))
	req.Header.Set("gms_user", "someone")
	req.Header.Set("apikey", "")
	req.Header.Set("idempotency-key", "abc")
	created := h.do(req).want(t, http.StatusOK).json(t)

	if !regexp.MustCompile(`^[0-9a-f-]{36}$`).MatchString(str(created, "_id")) {
		t.Errorf("_id %q is not a UUID", created["_id"])
	}
	if str(created, "_access_number") != "8003449999" {
		t.Errorf("_access_number %v, want the first DNIS number", created["_access_number"])
	}
	if !regexp.MustCompile(`^\d{4}$`).MatchString(str(created, "_access_code")) {
		t.Errorf("_access_code %v, want 4 digits", created["_access_code"])
	}
	wantExp := epoch.Add(60 * time.Second).Format(time.RFC3339)
	if str(created, "_expiration_time") != wantExp {
		t.Errorf("_expiration_time %v, want %s", created["_expiration_time"], wantExp)
	}

	matched := h.post("/genesys/1/service/match-interaction",
		"_access_number", "8003449999", "_access_code", str(created, "_access_code"),
		"_phone_number", "650-466-9999").want(t, http.StatusOK).json(t)
	if matched["_id"] != created["_id"] || matched["_data_id"] != created["_data_id"] {
		t.Fatalf("match %v does not name the created service %v", matched, created)
	}

	dataID := str(created, "_data_id")
	data := h.get("/genesys/1/storage/"+dataID).want(t, http.StatusOK)
	wantJSON := `{"language":"french","current_location_latitude":"48.8583",` +
		`"current_location_longitude":"2.2944","FileKey":{"filename":"MyPic.png",` +
		`"content_type":"image/png","size":74,"href":"/genesys/1/storage/` + dataID +
		`/FileKey"}}`
	if string(data.body) != wantJSON {
		t.Errorf("storage read:\n got %s\nwant %s", data.body, wantJSON)
	}
	file := h.get("/genesys/1/storage/"+dataID+"/FileKey").want(t, http.StatusOK)
	if !bytes.Equal(file.body, pic) {
		t.Errorf("file differs from what was sent: %d bytes vs %d", len(file.body), len(pic))
	}
	if ct := file.header.Get("Content-Type"); ct != "image/png" {
		t.Errorf("file Content-Type %q", ct)
	}
	if cd := file.header.Get("Content-Disposition"); cd != `attachment; filename="MyPic.png"` {
		t.Errorf("Content-Disposition %q", cd)
	}
	text := h.get("/genesys/1/storage/"+dataID+"/language").want(t, http.StatusOK)
	if string(text.body) != "french" || !strings.HasPrefix(text.header.Get("Content-Type"),
		"text/plain") {
		t.Errorf("string value %q (%s)", text.body, text.header.Get("Content-Type"))
	}

	// The number is free again: a second match fails, the state holds no reservation.
	h.post("/genesys/1/service/match-interaction", "_access_number", "8003449999",
		"_access_code", str(created, "_access_code")).
		wantError(t, http.StatusNotFound, excNotFound, "8003449999")
	st := h.get("/mock/state").want(t, http.StatusOK).json(t)
	if res := st["reservations"].([]any); len(res) != 0 {
		t.Errorf("reservations after match: %v", res)
	}
	if free := st["free_numbers"].(map[string]any)["DNIS"]; free != float64(10) {
		t.Errorf("free DNIS numbers %v, want 10", free)
	}
}

func TestURLEncodedWithCharset(t *testing.T) {
	h := newHarness(t, nil)
	req := h.request("POST", "/genesys/1/service/request-interaction",
		"application/x-www-form-urlencoded; charset=utf-8",
		strings.NewReader("_phone_number=5551234&greeting=bonjour+%C3%A0+tous&empty="))
	created := h.do(req).want(t, http.StatusOK).json(t)
	if _, ok := created["_access_code"]; ok {
		t.Errorf("_access_code without _provide_code: %v", created)
	}
	data := h.get("/genesys/1/storage/"+str(created, "_data_id")).want(t, 200)
	if want := `{"greeting":"bonjour à tous","empty":""}`; string(data.body) != want {
		t.Errorf("stored %s, want %s", data.body, want)
	}
}

func TestBodyErrors(t *testing.T) {
	h := newHarness(t, nil, WithMaxBodyBytes(1024))
	const ri = "/genesys/1/service/request-interaction"
	cases := []struct {
		name, contentType, body string
		status                  int
		exception               string
		parts                   []string
	}{
		{"json", "application/json", `{"_phone_number":"1"}`, 415, excMediaType,
			[]string{"application/json", "multipart/form-data",
				"application/x-www-form-urlencoded"}},
		{"text without type", "", "_phone_number=1", 415, excMediaType,
			[]string{"Content-Type"}},
		{"empty no type", "", "", 400, excGSG, []string{"_phone_number"}},
		{"no boundary", "multipart/form-data", "x", 400, excGSG, []string{"boundary"}},
		{"bad multipart", "multipart/form-data; boundary=zz", "--zz\r\nbroken", 400, excGSG,
			[]string{"multipart"}},
		{"bad escape", "application/x-www-form-urlencoded", "a=%zz", 400, excGSG,
			[]string{"urlencoded"}},
		{"garbage type", "((", "a=1", 415, excMediaType, []string{"Content-Type"}},
		{"too large", "application/x-www-form-urlencoded",
			"_phone_number=1&x=" + strings.Repeat("a", 2000), 413, excTooLarge,
			[]string{"1 KiB"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			res := h.do(h.request("POST", ri, c.contentType, strings.NewReader(c.body)))
			res.wantError(t, c.status, c.exception, c.parts...)
			// The server keeps serving after the bad request.
			h.post(ri, "_phone_number", "5551234").want(t, http.StatusOK)
		})
	}
}

func TestTooLargeWithoutContentLength(t *testing.T) {
	h := newHarness(t, nil, WithMaxBodyBytes(1024))
	body, ct := buildMultipart(t, []filePart{{"f", "big.bin", "", make([]byte, 4096)}},
		"_phone_number", "1")
	req := h.request("POST", "/genesys/1/service/request-interaction", ct,
		struct{ *bytes.Reader }{bytes.NewReader(body)}) // hides the length: chunked
	req.ContentLength = -1
	h.do(req).wantError(t, http.StatusRequestEntityTooLarge, excTooLarge)
	h.post("/genesys/1/service/request-interaction", "_phone_number", "1").want(t, 200)
}

func TestNotFoundAndUnsupported(t *testing.T) {
	h := newHarness(t, nil)
	h.post("/genesys/1/service/no-such-service").
		wantError(t, 404, excNotFound, "no-such-service")
	h.post("/genesys/1/service/0000/status").
		wantError(t, 404, excNotFound, "0000")
	h.get("/genesys/1/nothing/here").wantError(t, 404, excNotFound, "/genesys/1/nothing/here")
	// The Callback API is not there yet: 404 for every method, saying so.
	for _, method := range []string{"GET", "PUT", "DELETE", "POST"} {
		h.do(h.request(method, "/genesys/1/service/callback/samples/0ad2ab4b", "", nil)).
			wantError(t, 404, excNotFound, "Callback API")
	}

	created := h.post("/genesys/1/service/request-interaction", "_phone_number", "1").
		want(t, 200).json(t)
	h.post("/genesys/1/service/"+str(created, "_id")+"/dance").
		wantError(t, 400, excGSG, "Request 'dance' is not supported by service "+
			"'request-interaction'")
}

func TestGenericServiceRequests(t *testing.T) {
	h := newHarness(t, nil)
	created := h.postMultipart("/genesys/1/service/generic-service",
		[]filePart{{"doc", "notes.txt", "text/plain", []byte("hi\r\n")}},
		"_customer", "c-1", "color", "blue").want(t, 200).json(t)
	id := str(created, "_id")
	if created["_status"] != "started" || str(created, "_data_id") == "" || id == "" {
		t.Fatalf("create answer %v", created)
	}
	status := h.post("/genesys/1/service/"+id+"/status/").want(t, 200).json(t)
	if status["_id"] != id || status["_status"] != "running" {
		t.Errorf("status answer %v", status)
	}
	refresh := h.post("/genesys/1/service/"+id+"/ixn/chat/refresh", "mood", "happy").
		want(t, 200).json(t)
	if refresh["chatIxnState"] != "TRANSCRIPT" || refresh["_id"] != id {
		t.Errorf("refresh answer %v", refresh)
	}
	// The request's user data joined the instance's data area.
	data := h.get("/genesys/1/storage/"+str(created, "_data_id")).want(t, 200).json(t)
	if data["color"] != "blue" || data["mood"] != "happy" || data["doc"] == nil {
		t.Errorf("data area %v", data)
	}
	if _, ok := data["_customer"]; ok {
		t.Errorf("a service parameter was stored as user data: %v", data)
	}
}

func TestRequestAccessAndMatch(t *testing.T) {
	h := newHarness(t, nil)
	h.post("/genesys/1/service/request-access").wantError(t, 400, excGSG, "_id")
	h.post("/genesys/1/service/request-access", "_id", "nope").
		wantError(t, 404, excNotFound, "nope")

	svc := h.post("/genesys/1/service/generic-service", "k", "v").want(t, 200).json(t)
	id := str(svc, "_id")
	acc := h.post("/genesys/1/service/request-access", "_id", id, "_provide_code", "true",
		"_booking_expiration_timeout", "120").want(t, 200).json(t)
	if !regexp.MustCompile(`^\d{6}$`).MatchString(str(acc, "_access_code")) {
		t.Errorf("request-access code %v, want 6 digits", acc["_access_code"])
	}
	if str(acc, "_expiration_time") != epoch.Add(120*time.Second).Format(time.RFC3339) {
		t.Errorf("_expiration_time %v", acc["_expiration_time"])
	}
	number, code := str(acc, "_access_number"), str(acc, "_access_code")
	h.post("/genesys/1/service/match-interaction", "_access_number", number).
		want(t, http.StatusNotFound) // the code is needed
	h.post("/genesys/1/service/match-interaction", "_access_number", number,
		"_access_code", "x"+code).want(t, http.StatusNotFound)
	h.post("/genesys/1/service/match-interaction").wantError(t, 400, excGSG, "_access_number")

	m := h.post("/genesys/1/service/match-interaction", "_access_number", number,
		"_access_code", code, "_return_user_data", "true", "_return_multiple_matches", "true").
		want(t, 200).json(t)
	matches, _ := m["matches"].([]any)
	if len(matches) != 1 {
		t.Fatalf("matches %v", m)
	}
	first := matches[0].(map[string]any)
	if first["_id"] != id || first["_data_id"] != svc["_data_id"] {
		t.Errorf("match %v", first)
	}
	if ud, _ := first["_user_data"].(map[string]any); ud["k"] != "v" {
		t.Errorf("_user_data %v", first["_user_data"])
	}
}

func TestRequestChat(t *testing.T) {
	h := newHarness(t, nil)
	m := h.post("/genesys/1/service/request-chat", "_verbose", "false").want(t, 200).json(t)
	id := str(m, "_id")
	if m["_chatIxnAPI-CREATE-URL"] != "/genesys/1/service/"+id+"/ixn/chat" {
		t.Errorf("answer %v", m)
	}
}

func TestPoolExhaustionAndBookingTimeout(t *testing.T) {
	cfg := DefaultConfig()
	cfg.ResourceGroups["SMALL"] = []string{"100", "200"}
	h := newHarness(t, cfg)
	ri := "/genesys/1/service/request-interaction"
	got := map[string]bool{}
	for range 2 {
		m := h.post(ri, "_phone_number", "1", "_resource_group", "SMALL",
			"_booking_expiration_timeout", "10").want(t, 200).json(t)
		got[str(m, "_access_number")] = true
	}
	if !got["100"] || !got["200"] {
		t.Fatalf("numbers %v", got)
	}
	h.post(ri, "_phone_number", "1", "_resource_group", "SMALL").
		wantError(t, 503, excUnavailable, "No free access number in resource group SMALL")
	h.post(ri, "_phone_number", "1", "_resource_group", "NOPE").
		wantError(t, 400, excGSG, "_resource_group")

	h.clock.Advance(10 * time.Second) // the bookings end
	m := h.post(ri, "_phone_number", "1", "_resource_group", "SMALL").want(t, 200).json(t)
	if n := str(m, "_access_number"); n != "100" && n != "200" {
		t.Errorf("number %q after the bookings expired", n)
	}
}

func TestInstanceExpiry(t *testing.T) {
	h := newHarness(t, nil)
	svc := h.post("/genesys/1/service/generic-service", "_ttl", "5", "a", "b").
		want(t, 200).json(t)
	id := str(svc, "_id")
	h.post("/genesys/1/service/"+id+"/status").want(t, 200)
	h.clock.Advance(5 * time.Second)
	h.post("/genesys/1/service/"+id+"/status").wantError(t, 404, excNotFound, id)
	h.get("/genesys/1/storage/"+str(svc, "_data_id")).want(t, 404)
}

func TestMethodNotAllowed(t *testing.T) {
	h := newHarness(t, nil)
	res := h.get("/genesys/1/service/abc/ixn/chat")
	res.wantError(t, 405, excMethod, "GET")
	if allow := res.header.Get("Allow"); allow != "POST" {
		t.Errorf("Allow %q", allow)
	}
	res = h.send("PUT", "/genesys/1/storage/abc/key")
	res.want(t, 405)
	if allow := res.header.Get("Allow"); allow != "DELETE, GET, HEAD, POST" {
		t.Errorf("Allow %q", allow)
	}
	res = h.get("/genesys/1/service/request-interaction")
	res.want(t, 405)
	if allow := res.header.Get("Allow"); allow != "POST" {
		t.Errorf("Allow %q", allow)
	}
}

func TestSeedMakesIDsReproducible(t *testing.T) {
	run := func(seed int64) []string {
		h := newHarness(t, nil, WithSeed(seed))
		var out []string
		for range 3 {
			m := h.post("/genesys/1/service/request-interaction", "_phone_number", "1",
				"_provide_code", "true").want(t, 200).json(t)
			out = append(out, str(m, "_id"), str(m, "_data_id"), str(m, "_access_code"))
		}
		return out
	}
	a, b, c := run(42), run(42), run(43)
	if strings.Join(a, ",") != strings.Join(b, ",") {
		t.Errorf("same seed, different ids:\n%v\n%v", a, b)
	}
	if strings.Join(a, ",") == strings.Join(c, ",") {
		t.Errorf("different seeds, same ids: %v", a)
	}
}

func TestInstanceGetAndDelete(t *testing.T) {
	h := newHarness(t, nil)
	m := h.post("/genesys/1/service/request-interaction", "_phone_number", "1").
		want(t, 200).json(t)
	id := str(m, "_id")
	got := h.get("/genesys/1/service/"+id).want(t, 200).json(t)
	if got["_service"] != "request-interaction" || got["_access_number"] != m["_access_number"] {
		t.Errorf("instance %v", got)
	}
	h.send("DELETE", "/genesys/1/service/"+id).want(t, http.StatusNoContent)
	h.get("/genesys/1/service/"+id).wantError(t, 404, excNotFound, id)
	h.send("DELETE", "/genesys/1/service/"+id).want(t, 404)
	st := h.get("/mock/state").json(t)
	if len(st["reservations"].([]any)) != 0 {
		t.Errorf("the stopped service keeps its number: %v", st["reservations"])
	}
}

func TestChatV1CannedAnswers(t *testing.T) {
	h := newHarness(t, nil)
	m := h.post("/genesys/1/service/request-chat").want(t, 200).json(t)
	got := h.post(str(m, "_chatIxnAPI-CREATE-URL"), "firstName", "Ann").want(t, 200).json(t)
	if got["chatIxnState"] != "TRANSCRIPT" || got["chatSessionId"] != m["_id"] {
		t.Errorf("ixn/chat %v", got)
	}
	got = h.post("/genesys/1/service/" + str(m, "_id") + "/ixn/chat/disconnect").json(t)
	if got["chatIxnState"] != "DISCONNECTED" {
		t.Errorf("disconnect %v", got)
	}
}
