package cli

import (
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"time"
)

// debugTransport traces each request and response on w, with secrets
// redacted: it is what --debug installs.
type debugTransport struct {
	next http.RoundTripper
	mu   sync.Mutex
	w    io.Writer
}

func newDebugTransport(next http.RoundTripper, w io.Writer) http.RoundTripper {
	return &debugTransport{next: next, w: w}
}

func (t *debugTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	start := time.Now()
	t.mu.Lock()
	fmt.Fprintf(t.w, "> %s %s\n", req.Method, redactURL(req.URL))
	writeHostHeader(t.w, "> ", req)
	writeHeaders(t.w, "> ", req.Header)
	t.mu.Unlock()

	resp, err := t.next.RoundTrip(req)

	t.mu.Lock()
	defer t.mu.Unlock()
	if err != nil {
		fmt.Fprintf(t.w, "< error after %s: %v\n", time.Since(start).Round(time.Millisecond), err)
		return nil, err
	}
	fmt.Fprintf(t.w, "< %s %s (%s)\n", resp.Proto, resp.Status, time.Since(start).Round(time.Millisecond))
	writeHeaders(t.w, "< ", resp.Header)
	return resp, nil
}

// writeHostHeader shows a Host header that differs from the URL's host (set
// with -H 'Host: ...'): net/http sends it from req.Host, not from the header map.
func writeHostHeader(w io.Writer, prefix string, req *http.Request) {
	if req.Host != "" && req.Host != req.URL.Host {
		fmt.Fprintf(w, "%sHost: %s\n", prefix, req.Host)
	}
}

func writeHeaders(w io.Writer, prefix string, h http.Header) {
	names := make([]string, 0, len(h))
	for name := range h {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		for _, v := range h[name] {
			if isSecretName(name) {
				v = redacted
			}
			fmt.Fprintf(w, "%s%s: %s\n", prefix, name, v)
		}
	}
}

const redacted = "[REDACTED]"

// isSecretName reports whether a header or parameter name carries a secret.
func isSecretName(name string) bool {
	n := strings.ToLower(name)
	for _, s := range []string{"authorization", "apikey", "api-key", "api_key", "cookie",
		"password", "securekey", "secret", "token"} {
		if strings.Contains(n, s) {
			return true
		}
	}
	return false
}

func redactURL(u *url.URL) string {
	c := *u
	if c.User != nil {
		c.User = url.User(c.User.Username())
	}
	q := c.Query()
	changed := false
	for name := range q {
		if isSecretName(name) {
			q[name] = []string{redacted}
			changed = true
		}
	}
	if changed {
		c.RawQuery = q.Encode()
	}
	return c.String()
}
