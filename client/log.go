package client

import (
	"context"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"
)

const redacted = "REDACTED"

// secretWords mark header, query and form names whose values never appear in logs.
var secretWords = []string{
	"authorization", "password", "passwd", "secret", "securekey", "apikey", "api_key",
	"api-key", "token", "cookie",
}

func isSecretName(name string) bool {
	lower := strings.ToLower(name)
	for _, w := range secretWords {
		if strings.Contains(lower, w) {
			return true
		}
	}
	return false
}

func (c *Client) debugEnabled(ctx context.Context) bool {
	return c.log != nil && c.log.Enabled(ctx, slog.LevelDebug)
}

// logRequest logs the method, URL, headers and form field names of req; secret values are
// replaced by REDACTED and form values are never logged.
func (c *Client) logRequest(ctx context.Context, req *http.Request, body *requestBody) {
	if !c.debugEnabled(ctx) {
		return
	}
	attrs := []any{
		"method", req.Method,
		"url", redactURL(req.URL),
		"headers", redactHeaders(req.Header),
	}
	if c.host != "" {
		attrs = append(attrs, "host", req.Host) // the Host WithHeader set
	}
	if body != nil {
		attrs = append(attrs, "content_type", body.contentType, "form", body.summary)
	}
	c.log.DebugContext(ctx, "gms request", attrs...)
}

func (c *Client) logResponse(ctx context.Context, req *http.Request, resp *http.Response,
	elapsed time.Duration) {
	if !c.debugEnabled(ctx) {
		return
	}
	c.log.DebugContext(ctx, "gms response",
		"method", req.Method,
		"path", req.URL.EscapedPath(),
		"status", resp.StatusCode,
		"content_type", resp.Header.Get("Content-Type"),
		"content_length", resp.ContentLength,
		"elapsed", elapsed,
	)
}

func redactHeaders(h http.Header) map[string]string {
	out := make(map[string]string, len(h))
	for name, values := range h {
		v := strings.Join(values, ", ")
		if isSecretName(name) {
			v = redacted
		}
		out[name] = v
	}
	return out
}

func redactURL(u *url.URL) string {
	cp := *u
	if cp.RawQuery != "" {
		q := cp.Query()
		for name := range q {
			if isSecretName(name) {
				q[name] = []string{redacted}
			}
		}
		cp.RawQuery = q.Encode()
	}
	return cp.String()
}
