package client

import (
	"bytes"
	"encoding/base64"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"
)

func TestNewRejectsBadInput(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		base string
		opts []Option
		want string // substring of the error
	}{
		{"empty base", "", nil, "empty"},
		{"relative base", "/genesys", nil, "absolute"},
		{"no scheme", "gms.example:8080", nil, "absolute"},
		{"ftp scheme", "ftp://gms.example", nil, "absolute"},
		{"no host", "http://", nil, "no host"},
		{"malformed", "http://[::1", nil, "base URL"},
		{"credentials", "http://u:p@gms.example", nil, "credentials"},
		{"query", "http://gms.example/?a=b", nil, "query"},
		{"fragment", "http://gms.example/#x", nil, "query or fragment"},
		{"nil option", "http://gms.example", []Option{nil}, "nil option"},
		{"nil http client", "http://gms.example", []Option{WithHTTPClient(nil)}, "nil"},
		{"nil transport", "http://gms.example", []Option{WithTransport(nil)}, "nil"},
		{"negative timeout", "http://gms.example", []Option{WithTimeout(-time.Second)},
			"negative"},
		{"empty header name", "http://gms.example", []Option{WithHeader("", "v")},
			"invalid header name"},
		{"header name with space", "http://gms.example", []Option{WithHeader("a b", "v")},
			"invalid header name"},
		{"CR in header", "http://gms.example", []Option{WithHeader("X-A", "a\rb")},
			"control character"},
		{"LF in gms_user", "http://gms.example", []Option{WithGMSUser("u\nX-Evil: 1")},
			"control character"},
		{"LF in api key", "http://gms.example", []Option{WithAPIKey("k\n")},
			"control character"},
		{"NUL in user agent", "http://gms.example", []Option{WithUserAgent("a\x00")},
			"control character"},
		{"colon in user", "http://gms.example", []Option{WithBasicAuth("a:b", "p")}, "':'"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := New(tt.base, tt.opts...)
			if err == nil {
				t.Fatalf("New(%q) = %v, want an error", tt.base, c)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("New(%q) error %q, want it to mention %q", tt.base, err, tt.want)
			}
		})
	}
}

func TestNewAcceptsBaseURLs(t *testing.T) {
	t.Parallel()
	tests := []struct{ base, want string }{
		{"http://127.0.0.1:8080", "http://127.0.0.1:8080"},
		{"http://127.0.0.1:8080/", "http://127.0.0.1:8080"},
		{"https://[::1]:8443/prefix//", "https://[::1]:8443/prefix"},
		{"http://127.0.0.1/a%2Fb/", "http://127.0.0.1/a%2Fb"},
	}
	for _, tt := range tests {
		c, err := New(tt.base, WithTimeout(0))
		if err != nil {
			t.Errorf("New(%q): %v", tt.base, err)
			continue
		}
		if got := c.BaseURL(); got != tt.want {
			t.Errorf("New(%q).BaseURL() = %q, want %q", tt.base, got, tt.want)
		}
	}
}

func TestBasePathPrefixIsKept(t *testing.T) {
	t.Parallel()
	mt := httpmock.NewMockTransport()
	var got sent
	mt.RegisterNoResponder(record(t, &got, 200, `{"_id":"1"}`))
	c, err := New("http://127.0.0.1:9/a%2Fb/gms/", WithTransport(mt))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Services.Create(t.Context(), "svc", nil); err != nil {
		t.Fatal(err)
	}
	if want := "/a%2Fb/gms/genesys/1/service/svc"; got.Path != want {
		t.Errorf("path %q, want %q", got.Path, want)
	}
}

func TestWithHTTPClientCopiesTheClient(t *testing.T) {
	t.Parallel()
	hc := &http.Client{Timeout: time.Minute}
	c, err := New("http://127.0.0.1:9", WithHTTPClient(hc), WithTimeout(time.Second))
	if err != nil {
		t.Fatal(err)
	}
	hc.Timeout = time.Hour
	if c.http == hc {
		t.Fatal("client shares the caller's *http.Client")
	}
	if c.timeout != time.Second || c.http.Timeout != 0 {
		t.Errorf("timeouts %v and %v, want the WithTimeout value 1s applied per call",
			c.timeout, c.http.Timeout)
	}

	c2, err := New("http://127.0.0.1:9", WithHTTPClient(hc))
	if err != nil {
		t.Fatal(err)
	}
	if c2.http.Timeout != time.Hour {
		t.Errorf("timeout %v, want the copied client's 1h", c2.http.Timeout)
	}
}

func TestHeadersOnEveryRequest(t *testing.T) {
	t.Parallel()
	c, mt := newTestClient(t,
		WithBasicAuth("alice", "s3cret"),
		WithGMSUser("user-42"),
		WithAPIKey("key-1"),
		WithHeader("x-trace", "abc"),
		WithHeader("X-Trace", "def"), // replaces the first one
	)
	var got sent
	mt.RegisterResponder("POST", testBase+"/genesys/1/service/svc",
		record(t, &got, 200, `{"_id":"1"}`))
	if _, err := c.Services.Create(t.Context(), "svc", nil); err != nil {
		t.Fatal(err)
	}

	// gms_user and apikey go on the wire spelt exactly so, not canonicalized.
	wantRaw := map[string]string{
		"gms_user":      "user-42",
		"apikey":        "key-1",
		"X-Trace":       "def",
		"User-Agent":    DefaultUserAgent,
		"Accept":        "application/json",
		"Content-Type":  "application/x-www-form-urlencoded",
		"Authorization": "Basic " + base64.StdEncoding.EncodeToString([]byte("alice:s3cret")),
	}
	for name, want := range wantRaw {
		if v := got.Header[name]; len(v) != 1 || v[0] != want {
			t.Errorf("header %s = %q, want [%q]", name, v, want)
		}
	}
	if len(got.Body) != 0 {
		t.Errorf("body %q, want empty for a nil form", got.Body)
	}
}

func TestUserAgentAndEmptyCredentials(t *testing.T) {
	t.Parallel()
	c, mt := newTestClient(t, WithUserAgent("myapp/2.0"), WithBasicAuth("", ""),
		WithGMSUser(""), WithAPIKey(""))
	var got sent
	mt.RegisterResponder("POST", testBase+"/genesys/1/service/svc",
		record(t, &got, 200, `{}`))
	if _, err := c.Services.Create(t.Context(), "svc", nil); err != nil {
		t.Fatal(err)
	}
	if ua := got.Header.Get("User-Agent"); ua != "myapp/2.0" {
		t.Errorf("User-Agent %q, want myapp/2.0", ua)
	}
	for _, name := range []string{"Authorization", "gms_user", "apikey"} {
		if v, ok := got.Header[name]; ok {
			t.Errorf("header %s = %q sent, want none", name, v)
		}
	}
}

func TestDebugLogRedactsSecrets(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	logger := slog.New(slog.NewJSONHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}))
	c, mt := newTestClient(t, WithLogger(logger), WithBasicAuth("alice", "pw-SECRET-1"),
		WithAPIKey("key-SECRET-2"), WithHeader("X-Auth-Token", "tok-SECRET-3"))
	var got sent
	mt.RegisterResponder("POST", testBase+"/genesys/1/service/svc",
		record(t, &got, 200, `{"_id":"1"}`))
	form := NewForm().Add("password", "form-SECRET-4").Add("secureKey", "sk-SECRET-5").
		Add("_phone_number", "6504669999")
	if _, err := c.Services.Create(t.Context(), "svc", form); err != nil {
		t.Fatal(err)
	}

	out := buf.String()
	if strings.Contains(out, "SECRET") || strings.Contains(out, "6504669999") {
		t.Errorf("debug log shows a secret or a form value:\n%s", out)
	}
	for _, want := range []string{`"msg":"gms request"`, `"msg":"gms response"`,
		`"Authorization":"REDACTED"`, `"apikey":"REDACTED"`, `"status":200`,
		`"form":["password","secureKey","_phone_number"]`} {
		if !strings.Contains(out, want) {
			t.Errorf("debug log lacks %s:\n%s", want, out)
		}
	}
}
