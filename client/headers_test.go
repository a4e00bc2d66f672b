package client

import (
	"bytes"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

// sentHeaders sends one request through a client made with opts and returns its headers.
func sentHeaders(t *testing.T, opts ...Option) http.Header {
	t.Helper()
	c, mt := newTestClient(t, opts...)
	var got sent
	mt.RegisterNoResponder(record(t, &got, 200, `{"_id":"1"}`))
	if _, err := c.Services.Create(t.Context(), "svc", nil); err != nil {
		t.Fatal(err)
	}
	return got.Header
}

// valuesOf returns every value sent under name, whatever the spelling of the key.
func valuesOf(h http.Header, name string) (keys, values []string) {
	for k, v := range h {
		if strings.EqualFold(k, name) {
			keys = append(keys, k)
			values = append(values, v...)
		}
	}
	return keys, values
}

// TestLaterHeaderOptionWins: WithHeader, WithGMSUser, WithAPIKey and WithUserAgent set one
// header set, names compared case-insensitively; the later option replaces the earlier
// value, so exactly one value goes on the wire, and gms_user and apikey keep that spelling.
func TestLaterHeaderOptionWins(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		opts    []Option
		header  string
		wantKey string // "" when no header is wanted
		want    string
	}{
		{"WithHeader after WithGMSUser", []Option{WithGMSUser("b"), WithHeader("gms_user", "a")},
			"gms_user", "gms_user", "a"},
		{"WithGMSUser after WithHeader", []Option{WithHeader("gms_user", "a"), WithGMSUser("b")},
			"gms_user", "gms_user", "b"},
		{"other case after WithGMSUser", []Option{WithGMSUser("b"), WithHeader("GMS_User", "a")},
			"gms_user", "gms_user", "a"},
		{"WithHeader alone", []Option{WithHeader("Gms_user", "a")},
			"gms_user", "gms_user", "a"},
		{"empty WithGMSUser removes", []Option{WithHeader("gms_user", "a"), WithGMSUser("")},
			"gms_user", "", ""},
		{"WithHeader after WithAPIKey", []Option{WithAPIKey("k1"), WithHeader("ApiKey", "k2")},
			"apikey", "apikey", "k2"},
		{"WithAPIKey after WithHeader", []Option{WithHeader("APIKEY", "k2"), WithAPIKey("k1")},
			"apikey", "apikey", "k1"},
		{"WithUserAgent after WithHeader", []Option{WithHeader("user-agent", "h/1"),
			WithUserAgent("ua/2")}, "User-Agent", "User-Agent", "ua/2"},
		{"WithHeader after WithUserAgent", []Option{WithUserAgent("ua/2"),
			WithHeader("user-agent", "h/1")}, "User-Agent", "User-Agent", "h/1"},
		{"other headers", []Option{WithHeader("x-trace", "1"), WithHeader("X-TRACE", "2")},
			"X-Trace", "X-Trace", "2"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			keys, values := valuesOf(sentHeaders(t, tt.opts...), tt.header)
			if tt.wantKey == "" {
				if len(keys) != 0 {
					t.Errorf("sent %s %q, want none", keys, values)
				}
				return
			}
			if len(keys) != 1 || keys[0] != tt.wantKey || len(values) != 1 ||
				values[0] != tt.want {
				t.Errorf("sent keys %q values %q, want %s: %s once", keys, values,
					tt.wantKey, tt.want)
			}
		})
	}
}

// TestPerRequestHeadersWinOverWithHeader: Accept, Content-Type and the Basic credentials
// are set per request, once, whatever WithHeader said.
func TestPerRequestHeadersWinOverWithHeader(t *testing.T) {
	t.Parallel()
	h := sentHeaders(t, WithHeader("accept", "text/html"), WithHeader("content-type", "x/y"),
		WithHeader("authorization", "Bearer t"), WithBasicAuth("u", "p"))
	for name, want := range map[string]string{"Accept": "application/json",
		"Content-Type": "application/x-www-form-urlencoded", "Authorization": "Basic dTpw"} {
		if keys, values := valuesOf(h, name); len(keys) != 1 || len(values) != 1 ||
			values[0] != want {
			t.Errorf("%s sent as %q %q, want %q once", name, keys, values, want)
		}
	}
}

// TestCustomStorageSeesGMSUserFromWithHeader: the gms_user a custom storage call needs may
// come from WithHeader too, and a later empty WithGMSUser removes it.
func TestCustomStorageSeesGMSUserFromWithHeader(t *testing.T) {
	t.Parallel()
	c, mt := newTestClient(t, WithHeader("GMS_USER", "u1"))
	var got sent
	mt.RegisterNoResponder(record(t, &got, 200, `{"id":"cart"}`))
	if _, err := c.Storage.CreateCustom(t.Context(), "cart", time.Minute, nil); err != nil {
		t.Fatal(err)
	}
	if v := rawHeader(got.Header, HeaderGMSUser); len(v) != 1 || v[0] != "u1" {
		t.Errorf("gms_user %q", v)
	}

	c, _ = newTestClient(t, WithHeader("gms_user", "u1"), WithGMSUser(""))
	if _, err := c.Storage.CreateCustom(t.Context(), "cart", time.Minute, nil); err == nil ||
		!strings.Contains(err.Error(), "needs a gms_user header") {
		t.Errorf("error %v, want the missing gms_user", err)
	}
}

// hostOnTheWire sends one request through a client made with opts to a real loopback
// server and returns the Host that server received, and the Host header values left in
// its header map (there should be none: net/http moves Host to r.Host).
func hostOnTheWire(t *testing.T, opts ...Option) (host string, inMap []string) {
	t.Helper()
	var mu sync.Mutex
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		host, inMap = r.Host, r.Header.Values("Host")
		mu.Unlock()
		w.Header().Set("Content-Type", "text/plain")
		_, _ = w.Write([]byte("ONLINE"))
	}))
	t.Cleanup(srv.Close)
	c, err := New(srv.URL, opts...)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	if _, err := c.Node.Status(t.Context()); err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	defer mu.Unlock()
	return host, inMap
}

// TestWithHeaderHostGoesOnTheWire: WithHeader("Host", v), in any case, sets the Host the
// server receives; the later one wins, and an empty one restores the base URL's host.
func TestWithHeaderHostGoesOnTheWire(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		opts []Option
		want string // "" for the server's own address
	}{
		{"Host", []Option{WithHeader("Host", "gms.example:8080")}, "gms.example:8080"},
		{"lower case", []Option{WithHeader("host", "gms.example")}, "gms.example"},
		{"later wins", []Option{WithHeader("HOST", "a.example"), WithHeader("Host", "b.example")},
			"b.example"},
		{"IPv6", []Option{WithHeader("Host", "[::1]:8080")}, "[::1]:8080"},
		{"empty restores", []Option{WithHeader("Host", "a.example"), WithHeader("Host", "")}, ""},
		{"none", nil, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, inMap := hostOnTheWire(t, tt.opts...)
			want := tt.want
			if want == "" {
				want = "127.0.0.1:" // httptest's address, port unknown here
				if !strings.HasPrefix(got, want) {
					t.Errorf("server received Host %q, want %s<port>", got, want)
				}
			} else if got != want {
				t.Errorf("server received Host %q, want %q", got, want)
			}
			if len(inMap) != 0 {
				t.Errorf("Host also in the header map: %q", inMap)
			}
		})
	}
}

// TestWithHeaderHostIsLogged: the debug log shows the Host WithHeader set, since the URL
// it shows names another host.
func TestWithHeaderHostIsLogged(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	logger := slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}))
	hostOnTheWire(t, WithHeader("Host", "gms.example"), WithLogger(logger))
	if !strings.Contains(buf.String(), "host=gms.example") {
		t.Errorf("log lacks host=gms.example:\n%s", buf.String())
	}
}

// TestWithHeaderRefusesHeadersNetHTTPControls: headers net/http writes itself or that
// belong to the connection, and a Host net/http would not send, make New fail with
// ErrInvalidArgument naming the header, whatever its case.
func TestWithHeaderRefusesHeadersNetHTTPControls(t *testing.T) {
	t.Parallel()
	for _, name := range []string{"Content-Length", "content-length", "Transfer-Encoding",
		"TRANSFER-ENCODING", "Trailer", "Connection", "connection", "Keep-Alive",
		"Proxy-Connection", "Upgrade", "TE", "te"} {
		_, err := New(testBase, WithHeader(name, "1"))
		if !errors.Is(err, ErrInvalidArgument) || !strings.Contains(err.Error(), `"`+name+`"`) {
			t.Errorf("WithHeader(%q): error %v, want ErrInvalidArgument naming it", name, err)
		}
	}
	for _, host := range []string{"a b", "a/b", "a@b", "a\tb", "é.example"} {
		_, err := New(testBase, WithHeader("Host", host))
		if !errors.Is(err, ErrInvalidArgument) || !strings.Contains(err.Error(), "Host") {
			t.Errorf("WithHeader(Host, %q): error %v, want ErrInvalidArgument naming Host",
				host, err)
		}
	}
}
