package mock

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
)

// BenchmarkCreateAndMatch measures one request-interaction and its match-interaction,
// in process (no socket), to follow the cost of the state and the form decoder.
func BenchmarkCreateAndMatch(b *testing.B) {
	srv, err := New(nil, WithSeed(1))
	if err != nil {
		b.Fatal(err)
	}
	post := func(path, body string) *httptest.ResponseRecorder {
		req := httptest.NewRequest("POST", path, strings.NewReader(body))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		rec := httptest.NewRecorder()
		srv.ServeHTTP(rec, req)
		return rec
	}
	for b.Loop() {
		rec := post("/genesys/1/service/request-interaction",
			"_phone_number=5551234&language=fr&color=blue")
		if rec.Code != http.StatusOK {
			b.Fatalf("create: %d %s", rec.Code, rec.Body)
		}
		number := rec.Body.String()
		number = number[strings.Index(number, `"_access_number":"`)+18:]
		number = number[:strings.IndexByte(number, '"')]
		rec = post("/genesys/1/service/match-interaction", "_access_number="+
			url.QueryEscape(number))
		if rec.Code != http.StatusOK {
			b.Fatalf("match: %d %s", rec.Code, rec.Body)
		}
	}
}
