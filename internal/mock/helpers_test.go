package mock

import (
	"bytes"
	"encoding/json"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/textproto"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"
)

// epoch is where every test's manual clock starts.
var epoch = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

// harness is a mock served over a real loopback socket with a manual clock.
type harness struct {
	t     *testing.T
	srv   *Server
	http  *httptest.Server
	clock *ManualClock
}

func newHarness(t *testing.T, cfg *Config, opts ...Option) *harness {
	t.Helper()
	clock := NewManualClock(epoch)
	srv, err := New(cfg, append([]Option{WithClock(clock), WithSeed(1)}, opts...)...)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	ts := httptest.NewServer(srv)
	t.Cleanup(ts.Close)
	return &harness{t: t, srv: srv, http: ts, clock: clock}
}

// response is an answer with its body read.
type response struct {
	status int
	header http.Header
	body   []byte
}

func (r *response) json(t *testing.T) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(r.body, &m); err != nil {
		t.Fatalf("answer %d is not a JSON object: %v\n%s", r.status, err, r.body)
	}
	return m
}

// want fails unless the status is code.
func (r *response) want(t *testing.T, code int) *response {
	t.Helper()
	if r.status != code {
		t.Fatalf("status %d, want %d; body: %s", r.status, code, r.body)
	}
	return r
}

// wantError checks an error answer: status, JSON body with exception, and a message
// containing every part.
func (r *response) wantError(t *testing.T, code int, exception string, parts ...string) {
	t.Helper()
	r.want(t, code)
	if ct := r.header.Get("Content-Type"); ct != "application/json" {
		t.Errorf("error Content-Type %q, want application/json", ct)
	}
	m := r.json(t)
	if m["exception"] != exception {
		t.Errorf("exception %v, want %s", m["exception"], exception)
	}
	msg, _ := m["message"].(string)
	for _, p := range parts {
		if !strings.Contains(msg, p) {
			t.Errorf("message %q does not contain %q", msg, p)
		}
	}
}

func (h *harness) do(req *http.Request) *response {
	h.t.Helper()
	res, err := h.http.Client().Do(req)
	if err != nil {
		h.t.Fatalf("%s %s: %v", req.Method, req.URL.Path, err)
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	if err != nil {
		h.t.Fatalf("read answer: %v", err)
	}
	return &response{status: res.StatusCode, header: res.Header, body: body}
}

func (h *harness) request(method, path, contentType string, body io.Reader) *http.Request {
	h.t.Helper()
	req, err := http.NewRequest(method, h.http.URL+path, body)
	if err != nil {
		h.t.Fatal(err)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	return req
}

func (h *harness) get(path string) *response {
	return h.do(h.request(http.MethodGet, path, "", nil))
}

func (h *harness) send(method, path string) *response {
	return h.do(h.request(method, path, "", nil))
}

// post sends a urlencoded body built from key=value pairs.
func (h *harness) post(path string, kv ...string) *response {
	h.t.Helper()
	return h.do(h.request(http.MethodPost, path, "application/x-www-form-urlencoded",
		strings.NewReader(encode(kv...))))
}

func encode(kv ...string) string {
	v := url.Values{}
	for i := 0; i+1 < len(kv); i += 2 {
		v.Add(kv[i], kv[i+1])
	}
	return v.Encode()
}

// filePart is a file to put in a multipart body.
type filePart struct {
	field, filename, contentType string
	data                         []byte
}

// postMultipart sends a multipart body built by mime/multipart.
func (h *harness) postMultipart(path string, files []filePart, kv ...string) *response {
	h.t.Helper()
	body, ct := buildMultipart(h.t, files, kv...)
	return h.do(h.request(http.MethodPost, path, ct, bytes.NewReader(body)))
}

func buildMultipart(t *testing.T, files []filePart, kv ...string) ([]byte, string) {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for i := 0; i+1 < len(kv); i += 2 {
		if err := mw.WriteField(kv[i], kv[i+1]); err != nil {
			t.Fatal(err)
		}
	}
	for _, f := range files {
		hdr := textproto.MIMEHeader{}
		hdr.Set("Content-Disposition", `form-data; name="`+f.field+`"; filename="`+
			f.filename+`"`)
		if f.contentType != "" {
			hdr.Set("Content-Type", f.contentType)
		}
		w, err := mw.CreatePart(hdr)
		if err != nil {
			t.Fatal(err)
		}
		_, _ = w.Write(f.data)
	}
	if err := mw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes(), mw.FormDataContentType()
}

func readPic(t *testing.T) []byte {
	t.Helper()
	data, err := os.ReadFile("testdata/MyPic.png")
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func str(m map[string]any, key string) string {
	s, _ := m[key].(string)
	return s
}

// writeFile writes a file in a fresh temporary directory and returns its path.
func writeFile(t *testing.T, name, content string) string {
	t.Helper()
	path := t.TempDir() + "/" + name
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func jsonUnmarshal(b []byte, v any) error { return json.Unmarshal(b, v) }

func containsAll(s string, parts ...string) bool {
	for _, p := range parts {
		if !strings.Contains(s, p) {
			return false
		}
	}
	return true
}
