package client

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"
)

// maxJSONBody caps the size of a JSON response the client decodes.
const maxJSONBody = 32 << 20

// call describes one API request. It is the only input of the one place that builds
// requests (newRequest).
type call struct {
	method string
	path   []string   // unescaped path segments after the base URL, such as "genesys"
	query  url.Values // optional
	form   *Form      // the body of a POST; nil sends an empty form
	accept string     // Accept header; empty means application/json
}

// gmsPath returns the segments of /genesys/1/<segs...>.
func gmsPath(segs ...string) []string {
	return append([]string{"genesys", "1"}, segs...)
}

// checkSegment refuses a path parameter that would change the request's path: it must be
// non-empty and not "." or "..". Other characters, '/' included, are escaped.
func checkSegment(what, value string) error {
	switch value {
	case "":
		return invalidf("%s is empty", what)
	case ".", "..":
		return invalidf("%s %q is not allowed", what, value)
	}
	return nil
}

// splitRequest splits a service request name such as "ixn/chat/refresh" into segments and
// checks each of them.
func splitRequest(request string) ([]string, error) {
	if request == "" {
		return nil, invalidf("request name is empty")
	}
	segs := strings.Split(request, "/")
	for _, s := range segs {
		if err := checkSegment("request segment", s); err != nil {
			return nil, fmt.Errorf("request %q: %w", request, err)
		}
	}
	return segs, nil
}

// endpoint resolves path segments against the base URL, escaping each segment.
func (c *Client) endpoint(segs []string, query url.Values) (*url.URL, error) {
	escaped := make([]string, len(segs))
	for i, s := range segs {
		if err := checkSegment("path segment", s); err != nil {
			return nil, err
		}
		escaped[i] = url.PathEscape(s)
	}
	u := *c.base
	u.Path = c.base.Path + "/" + strings.Join(segs, "/")
	u.RawPath = c.base.EscapedPath() + "/" + strings.Join(escaped, "/")
	if len(query) > 0 {
		u.RawQuery = query.Encode()
	}
	return &u, nil
}

// newRequest builds the HTTP request for cl. Files of the form are opened here, so a
// missing file fails the call before anything is sent.
func (c *Client) newRequest(ctx context.Context, cl *call) (*http.Request, *requestBody, error) {
	u, err := c.endpoint(cl.path, cl.query)
	if err != nil {
		return nil, nil, err
	}
	var body *requestBody
	if cl.method == http.MethodPost || cl.form != nil {
		if body, err = encodeForm(cl.form); err != nil {
			return nil, nil, err
		}
	}
	req, err := http.NewRequestWithContext(ctx, cl.method, u.String(), nil)
	if err != nil {
		return nil, nil, err
	}
	req.URL = u // keeps RawPath exactly as built
	if c.host != "" {
		req.Host = c.host // net/http sends Host from here, never from req.Header
	}
	c.setHeaders(req, cl)
	if body != nil {
		if err := attachBody(req, body); err != nil {
			return nil, nil, err
		}
	}
	return req, body, nil
}

func (c *Client) setHeaders(req *http.Request, cl *call) {
	for name, values := range c.headers {
		req.Header[name] = append([]string(nil), values...)
	}
	accept := cl.accept
	if accept == "" {
		accept = "application/json"
	}
	req.Header.Set("Accept", accept)
	if c.auth != nil {
		req.SetBasicAuth(c.auth.user, c.auth.password)
	}
}

func attachBody(req *http.Request, body *requestBody) error {
	req.Header.Set("Content-Type", body.contentType)
	req.ContentLength = body.length
	if body.length == 0 {
		req.Body = http.NoBody
		req.GetBody = func() (io.ReadCloser, error) { return http.NoBody, nil }
		return nil
	}
	rc, err := body.open()
	if err != nil {
		return err
	}
	req.Body, req.GetBody = rc, body.open
	return nil
}

// send performs cl and returns the response when its status is 2xx; the caller closes its
// body. Any other status is returned as an *APIError. An error that the WithTimeout
// deadline caused, in the exchange or in a read of the response body, ends with
// "(timeout d)".
func (c *Client) send(parent context.Context, cl *call) (*http.Response, error) {
	ctx, cancel := parent, context.CancelFunc(func() {})
	if c.timeout > 0 {
		ctx, cancel = context.WithTimeout(parent, c.timeout)
	}
	timedOut := func(err error) error { return c.timeoutError(parent, ctx, err) }
	resp, err := c.sendCtx(ctx, cl, cancel, timedOut)
	if err != nil {
		err = timedOut(err)
		cancel()
	}
	return resp, err
}

// timeoutError adds "(timeout d)" to err when the WithTimeout deadline of ctx, derived
// from parent in send, ended the call: not a deadline of parent (which ctx inherits when
// it comes first), nor the Timeout of an http.Client given to WithHTTPClient.
func (c *Client) timeoutError(parent, ctx context.Context, err error) error {
	if c.timeout <= 0 || !errors.Is(err, context.DeadlineExceeded) ||
		ctx.Err() != context.DeadlineExceeded {
		return err
	}
	if pd, ok := parent.Deadline(); ok {
		if d, _ := ctx.Deadline(); !pd.After(d) {
			return err // the caller's own deadline came first
		}
	}
	return fmt.Errorf("%w (timeout %v)", err, c.timeout)
}

// sendCtx is send under the call's context; cancel, called when the response body is
// closed, releases it, and timedOut explains errors of reads of the response body.
func (c *Client) sendCtx(ctx context.Context, cl *call, cancel context.CancelFunc,
	timedOut func(error) error) (*http.Response, error) {
	req, body, err := c.newRequest(ctx, cl)
	if err != nil {
		return nil, err
	}
	closeReq := func() {}
	if body != nil {
		// Closing the body stops the goroutine that streams a multipart form. Do it
		// ourselves when the call ends, as some transports (httpmock) never do, and as
		// soon as ctx is done: the transport waits for the body to stop before it
		// returns, and a file read (stdin) may block for a long time.
		closeReq = sync.OnceFunc(func() { req.Body.Close() })
		stop := context.AfterFunc(ctx, closeReq)
		defer stop()
	}
	start := time.Now()
	c.logRequest(ctx, req, body)
	resp, err := c.http.Do(req)
	if err != nil {
		closeReq()
		return nil, sendError(ctx, req, body, err)
	}
	if resp.Request == nil { // a RoundTripper need not set it; errors below read it
		resp.Request = req
	}
	c.logResponse(ctx, req, resp, time.Since(start))
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		apiErr := newAPIError(resp)
		resp.Body.Close()
		closeReq()
		return nil, apiErr
	}
	resp.Body = &bodyCloser{ReadCloser: resp.Body, after: func() { closeReq(); cancel() },
		readErr: timedOut}
	return resp, nil
}

// sendError explains a failed exchange: the context's end first, then a file that could
// not be read, then the transport's own error.
func sendError(ctx context.Context, req *http.Request, body *requestBody, err error) error {
	if ctxErr := ctx.Err(); ctxErr != nil {
		return fmt.Errorf("%s %s: %w", req.Method, req.URL.EscapedPath(), ctxErr)
	}
	if body != nil {
		if fileErr := body.failure.get(); fileErr != nil {
			return fmt.Errorf("%s %s: %w", req.Method, req.URL.EscapedPath(), fileErr)
		}
	}
	return err
}

// bodyCloser closes the request body after the response body, and passes read errors
// other than io.EOF through readErr.
type bodyCloser struct {
	io.ReadCloser
	after   func()
	readErr func(error) error
}

func (b *bodyCloser) Read(p []byte) (int, error) {
	n, err := b.ReadCloser.Read(p)
	if err != nil && err != io.EOF {
		err = b.readErr(err)
	}
	return n, err
}

func (b *bodyCloser) Close() error {
	err := b.ReadCloser.Close()
	b.after()
	return err
}

// sendJSON performs cl and decodes the JSON response into v (which may be nil).
func (c *Client) sendJSON(ctx context.Context, cl *call, v any) error {
	resp, err := c.send(ctx, cl)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	data, err := readJSONBody(resp)
	if err != nil {
		return fmt.Errorf("%s %s: %w", resp.Request.Method, resp.Request.URL.EscapedPath(), err)
	}
	if v == nil {
		return nil
	}
	if err := json.Unmarshal(data, v); err != nil {
		return fmt.Errorf("%s %s: decoding %d response: %v: %s", resp.Request.Method,
			resp.Request.URL.EscapedPath(), resp.StatusCode, err, bodySnippet(data))
	}
	return nil
}

// readJSONBody reads a success body. An empty body reads as an empty JSON object, as GMS
// answers some calls with no content.
func readJSONBody(resp *http.Response) ([]byte, error) {
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxJSONBody+1))
	if err != nil {
		return nil, fmt.Errorf("reading response: %w", err)
	}
	if len(data) > maxJSONBody {
		return nil, fmt.Errorf("response body larger than %d bytes", maxJSONBody)
	}
	if len(bytes.TrimSpace(data)) == 0 {
		return []byte("{}"), nil
	}
	return data, nil
}

// sendDiscard performs cl and ignores the body of its 2xx response.
func (c *Client) sendDiscard(ctx context.Context, cl *call) error {
	resp, err := c.send(ctx, cl)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if _, err := io.Copy(io.Discard, io.LimitReader(resp.Body, maxJSONBody)); err != nil {
		return fmt.Errorf("%s %s: reading response: %w", resp.Request.Method,
			resp.Request.URL.EscapedPath(), err)
	}
	return nil
}
