package mock

import (
	"bufio"
	"fmt"
	"net"
	"net/http"
	"strings"
	"testing"
)

// rawRequest sends one request line as written, with no client cleaning the path, and
// returns the answer.
func rawRequest(t *testing.T, addr, method, target string) *response {
	t.Helper()
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	fmt.Fprintf(conn, "%s %s HTTP/1.1\r\nHost: mock\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
		method, target)
	res, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatalf("%s %s: %v", method, target, err)
	}
	defer res.Body.Close()
	var body strings.Builder
	_, _ = bufio.NewReader(res.Body).WriteTo(&body)
	return &response{status: res.StatusCode, header: res.Header, body: []byte(body.String())}
}

// TestUncleanPathsAnswerJSON: paths with empty, "." or ".." segments get a GMS-style 404
// naming the path, never http.ServeMux's redirect with an HTML body.
func TestUncleanPathsAnswerJSON(t *testing.T) {
	h := newHarness(t, nil)
	for _, c := range []struct{ method, path string }{
		{"GET", "//genesys/1/admin/node/status"},
		{"GET", "/genesys//1/admin/node/status"},
		{"GET", "/genesys/1/storage//x"},
		{"POST", "/genesys/1/storage//60"},
		{"DELETE", "/genesys/1/storage/x//y"},
		{"POST", "/genesys/1/service//request-interaction"},
		{"GET", "/genesys/1/./admin/node/status"},
		{"GET", "/genesys/1/x/../admin/node/status"},
		{"GET", "/genesys/1/storage/%2e%2e/x"},
		{"GET", "/mock//state"},
		{"POST", "//mock/reset"},
		{"GET", "/genesys/1/storage//"},
		{"GET", "//"},
		{"GET", "/mock/healthz//"},
		{"GET", "/genesys/1/storage/%2E/x"},
		{"GET", "/genesys/1/storage/x/%2e%2E"},
	} {
		res := rawRequest(t, h.http.Listener.Addr().String(), c.method, c.path)
		if res.status != http.StatusNotFound || res.header.Get("Location") != "" {
			t.Errorf("%s %s: %d (Location %q), want 404", c.method, c.path, res.status,
				res.header.Get("Location"))
			continue
		}
		res.wantError(t, http.StatusNotFound, excNotFound, "not a clean path")
	}
	rawRequest(t, h.http.Listener.Addr().String(), "CONNECT", "mock:443").wantError(t, http.StatusNotFound, excNotFound,
		"No GMS API at mock:443")
	// The mock's state was not touched by the unclean POST //mock/reset.
	id := str(h.post("/genesys/1/storage/60", "k", "v").want(t, 200).json(t), "id")
	rawRequest(t, h.http.Listener.Addr().String(), "POST", "//mock/reset")
	h.get("/genesys/1/storage/"+id).want(t, 200)
}

// TestUncleanPathsNeedNoCredentials: an unclean path is 404 before any credentials are
// asked for, and the journal keeps it as sent.
func TestUncleanPathsNeedNoCredentials(t *testing.T) {
	cfg := DefaultConfig()
	cfg.Auth.Server = &Credentials{Username: "gms", Password: "secret"}
	h := newHarness(t, cfg)
	rawRequest(t, h.http.Listener.Addr().String(), "GET", "/genesys/1/storage//x").wantError(t, http.StatusNotFound,
		excNotFound, "/genesys/1/storage//x")
	var journal []journalEntry
	if err := jsonUnmarshal(h.get("/mock/journal").want(t, 200).body, &journal); err != nil {
		t.Fatal(err)
	}
	if len(journal) != 1 || journal[0].Path != "/genesys/1/storage//x" || journal[0].Status != 404 {
		t.Errorf("journal %+v", journal)
	}
}

// TestServeOptionsStar: Serve gives "OPTIONS *" the JSON 404 too, not Go's empty 200.
func TestServeOptionsStar(t *testing.T) {
	srv, err := New(nil)
	if err != nil {
		t.Fatal(err)
	}
	rawRequest(t, serveLoopback(t, srv), "OPTIONS", "*").
		wantError(t, http.StatusNotFound, excNotFound, "*")
}

// TestTrailingSlashIgnored: one trailing slash is ignored; an escaped slash stays part of
// its segment.
func TestTrailingSlashIgnored(t *testing.T) {
	h := newHarness(t, nil)
	res := rawRequest(t, h.http.Listener.Addr().String(), "GET", "/genesys/1/admin/node/status/")
	if res.status != 200 || string(res.body) != "ONLINE" {
		t.Errorf("status/: %d %s", res.status, res.body)
	}
	rawRequest(t, h.http.Listener.Addr().String(), "GET", "/mock/healthz/").want(t, 200)
	id := str(h.post("/genesys/1/storage/60", "k", "v").want(t, 200).json(t), "id")
	res = rawRequest(t, h.http.Listener.Addr().String(), "GET", "/genesys/1/storage/"+id+"/k/")
	if res.want(t, 200); string(res.body) != "v" {
		t.Errorf("key/: %s", res.body)
	}
	// An escaped slash is part of a custom id, with or without a trailing slash.
	req := h.request("POST", "/genesys/1/storage/custom/a%2Fb/60",
		"application/x-www-form-urlencoded", strings.NewReader("k=v"))
	req.Header.Set("gms_user", "me")
	h.do(req).want(t, 200)
	for _, target := range []string{"/genesys/1/storage/a%2Fb/k", "/genesys/1/storage/a%2Fb/k/"} {
		req := h.request("GET", "", "", nil)
		req.URL.Opaque = target
		req.Header.Set("gms_user", "me")
		if res := h.do(req).want(t, 200); string(res.body) != "v" {
			t.Errorf("%s: %s", target, res.body)
		}
	}
}
