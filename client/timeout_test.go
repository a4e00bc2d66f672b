package client

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// stallServer answers on loopback and then stalls until the client goes away: before the
// headers, or (body true) after the headers and the first bytes of a JSON body.
func stallServer(t *testing.T, body bool) string {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if body {
			w.Header().Set("Content-Type", "application/json")
			io.WriteString(w, `{"a":`)
			w.(http.Flusher).Flush()
		}
		select {
		case <-r.Context().Done():
		case <-time.After(10 * time.Second):
		}
	}))
	t.Cleanup(srv.Close)
	return srv.URL
}

// TestTimeoutErrorNamesOnlyWithTimeout: "(timeout d)" ends an error exactly when the
// WithTimeout deadline ended the call, whether it expired awaiting the headers or while the
// body was read; a given http.Client's Timeout or the caller's context deadline add nothing.
func TestTimeoutErrorNamesOnlyWithTimeout(t *testing.T) {
	t.Parallel()
	const d = 100 * time.Millisecond
	getJSON := func(ctx context.Context, c *Client) error {
		_, err := c.Storage.Get(ctx, "x")
		return err
	}
	discard := func(ctx context.Context, c *Client) error { return c.Storage.Delete(ctx, "x") }
	status := func(ctx context.Context, c *Client) error {
		_, err := c.Node.Status(ctx)
		return err
	}
	getValue := func(ctx context.Context, c *Client) error {
		v, err := c.Storage.GetValue(ctx, "x", "k")
		if err != nil {
			return err
		}
		defer v.Body.Close()
		_, err = io.ReadAll(v.Body)
		return err
	}
	tests := []struct {
		name       string
		body       bool // stall after the headers
		opts       []Option
		ctxTimeout time.Duration // a deadline of the caller's context, when not 0
		call       func(context.Context, *Client) error
		suffix     string // the error must end so; "" means no "(timeout" anywhere
		contains   string
	}{
		{"http.Client timeout awaiting headers", false,
			[]Option{WithHTTPClient(&http.Client{Timeout: d})}, 0, getJSON, "",
			"Client.Timeout exceeded"},
		{"http.Client timeout reading the body", true,
			[]Option{WithHTTPClient(&http.Client{Timeout: d})}, 0, getJSON, "",
			"reading response"},
		{"context deadline, WithTimeout(0)", false, []Option{WithTimeout(0)}, d, getJSON,
			"", "context deadline exceeded"},
		{"context deadline before WithTimeout", true, []Option{WithTimeout(time.Hour)}, d,
			getJSON, "", "reading response"},
		{"WithTimeout awaiting headers", false, []Option{WithTimeout(d)}, 0, getJSON,
			"context deadline exceeded (timeout 100ms)", "GET /genesys/1/storage/x"},
		{"WithTimeout reading a JSON body", true, []Option{WithTimeout(d)}, 0, getJSON,
			"reading response: context deadline exceeded (timeout 100ms)",
			"GET /genesys/1/storage/x"},
		{"WithTimeout reading a discarded body", true, []Option{WithTimeout(d)}, 0, discard,
			"reading response: context deadline exceeded (timeout 100ms)",
			"DELETE /genesys/1/storage/x"},
		{"WithTimeout reading the node status", true, []Option{WithTimeout(d)}, 0, status,
			"context deadline exceeded (timeout 100ms)", "GET /genesys/1/admin/node/status"},
		{"WithTimeout reading a raw value", true, []Option{WithTimeout(d)}, 0, getValue,
			"context deadline exceeded (timeout 100ms)", ""},
		{"WithTimeout over a longer http.Client timeout", true,
			[]Option{WithHTTPClient(&http.Client{Timeout: time.Hour}), WithTimeout(d)}, 0,
			getJSON, "reading response: context deadline exceeded (timeout 100ms)", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c, err := New(stallServer(t, tt.body), tt.opts...)
			if err != nil {
				t.Fatal(err)
			}
			ctx := t.Context()
			if tt.ctxTimeout > 0 {
				var cancel context.CancelFunc
				ctx, cancel = context.WithTimeout(ctx, tt.ctxTimeout)
				defer cancel()
			}
			err = tt.call(ctx, c)
			if !errors.Is(err, context.DeadlineExceeded) {
				t.Fatalf("error %v, want one wrapping context.DeadlineExceeded", err)
			}
			msg := err.Error()
			if tt.suffix == "" && strings.Contains(msg, "(timeout") ||
				tt.suffix != "" && !strings.HasSuffix(msg, tt.suffix) ||
				!strings.Contains(msg, tt.contains) {
				t.Errorf("error %q\nwant it to end with %q (or, if empty, no \"(timeout\") "+
					"and contain %q", msg, tt.suffix, tt.contains)
			}
		})
	}
}
