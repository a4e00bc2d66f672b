package client

import (
	"net/http"
	"strings"
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
