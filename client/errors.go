package client

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Sentinel errors matched with [errors.Is] against an [*APIError].
var (
	// ErrBadRequest: the server answered 400 (a missing or invalid parameter).
	ErrBadRequest = errors.New("bad request")
	// ErrUnauthorized: the server answered 401 or 403 (credentials missing, wrong or
	// not allowed).
	ErrUnauthorized = errors.New("unauthorized")
	// ErrNotFound: the server answered 404 (unknown service, id or key, expired data,
	// or no match).
	ErrNotFound = errors.New("not found")
	// ErrTooLarge: the server answered 413 (request body over its limit).
	ErrTooLarge = errors.New("request too large")
	// ErrUnsupportedMediaType: the server answered 415 (the body encoding is not accepted).
	ErrUnsupportedMediaType = errors.New("unsupported media type")
	// ErrServiceUnavailable: the server answered 503 (for example no free access number).
	ErrServiceUnavailable = errors.New("service unavailable")
)

// ErrInvalidArgument is matched, with [errors.Is], by the errors the client returns before
// sending anything because an argument or option is invalid: an empty or ".." path
// parameter, a missing required parameter, a bad form, a non-positive TTL, an invalid
// option of [New]. A command-line tool can report these as usage errors.
var ErrInvalidArgument = errors.New("invalid argument")

// invalidArgError is an error of the caller's making, found before sending.
type invalidArgError struct{ msg string }

func (e *invalidArgError) Error() string        { return e.msg }
func (e *invalidArgError) Is(target error) bool { return target == ErrInvalidArgument }

func invalidf(format string, a ...any) error {
	return &invalidArgError{msg: fmt.Sprintf(format, a...)}
}

// maxErrorBody caps how much of an error response body is read and kept.
const maxErrorBody = 64 << 10

// snippetLen is how much of a non-JSON error body Error shows.
const snippetLen = 200

// APIError is the error returned when GMS answers with a status other than 2xx.
// GMS error bodies look like {"exception":"<java class>","message":"<text>"}; other bodies
// (an HTML page from a proxy) are kept in Body and summarised by Error.
type APIError struct {
	StatusCode int    // HTTP status, such as 404
	Exception  string // the "exception" field of a GMS error body, if any
	Message    string // the "message" field of a GMS error body, if any
	Body       []byte // the response body, at most 64 KiB
	Method     string // method of the request that failed
	Path       string // escaped path of the request that failed, without query
}

// Error returns a one-line description such as
// "POST /genesys/1/service/x: 404 Not Found: service x not found (...NotFoundException)".
func (e *APIError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s: %d %s", e.Method, e.Path, e.StatusCode,
		http.StatusText(e.StatusCode))
	switch {
	case e.Message != "" && e.Exception != "":
		fmt.Fprintf(&b, ": %s (%s)", e.Message, e.Exception)
	case e.Message != "":
		fmt.Fprintf(&b, ": %s", e.Message)
	case e.Exception != "":
		fmt.Fprintf(&b, ": %s", e.Exception)
	default:
		if s := bodySnippet(e.Body); s != "" {
			fmt.Fprintf(&b, ": %s", s)
		}
	}
	return b.String()
}

// Is reports whether target is the sentinel error for e's status code.
func (e *APIError) Is(target error) bool {
	switch e.StatusCode {
	case http.StatusBadRequest:
		return target == ErrBadRequest
	case http.StatusUnauthorized, http.StatusForbidden:
		return target == ErrUnauthorized
	case http.StatusNotFound:
		return target == ErrNotFound
	case http.StatusRequestEntityTooLarge:
		return target == ErrTooLarge
	case http.StatusUnsupportedMediaType:
		return target == ErrUnsupportedMediaType
	case http.StatusServiceUnavailable:
		return target == ErrServiceUnavailable
	}
	return false
}

// newAPIError reads at most maxErrorBody bytes of resp's body into an APIError.
func newAPIError(resp *http.Response) *APIError {
	req := resp.Request
	body, _ := io.ReadAll(io.LimitReader(resp.Body, maxErrorBody))
	e := &APIError{
		StatusCode: resp.StatusCode,
		Body:       body,
		Method:     req.Method,
		Path:       req.URL.EscapedPath(),
	}
	var gmsErr struct {
		Exception json.RawMessage `json:"exception"`
		Message   json.RawMessage `json:"message"`
	}
	if json.Unmarshal(body, &gmsErr) == nil {
		e.Exception = jsonText(gmsErr.Exception)
		e.Message = jsonText(gmsErr.Message)
	}
	return e
}

// jsonText returns a JSON string's value, or the compact text of another JSON value.
func jsonText(raw json.RawMessage) string {
	var s string
	if len(raw) == 0 || string(raw) == "null" {
		return ""
	}
	if json.Unmarshal(raw, &s) == nil {
		return s
	}
	return string(raw)
}

// bodySnippet returns a short, single-line, printable summary of a response body.
// Markup tags are dropped so that a proxy's HTML error page reads as its text.
func bodySnippet(body []byte) string {
	text := string(body)
	if strings.HasPrefix(strings.TrimSpace(text), "<") {
		text = stripTags(text)
	}
	text = strings.Join(strings.Fields(strings.ToValidUTF8(text, "\uFFFD")), " ")
	text = strings.Map(func(r rune) rune {
		if r != ' ' && !unicode.IsPrint(r) {
			return '\uFFFD' // keep terminal control sequences out of messages
		}
		return r
	}, text)
	if len(text) <= snippetLen {
		return text
	}
	cut := snippetLen
	for cut > 0 && !utf8.RuneStart(text[cut]) {
		cut--
	}
	return text[:cut] + "…"
}

func stripTags(s string) string {
	var b strings.Builder
	inTag := false
	for _, r := range s {
		switch {
		case r == '<':
			inTag = true
		case r == '>' && inTag:
			inTag = false
			b.WriteByte(' ')
		case !inTag:
			b.WriteRune(r)
		}
	}
	return b.String()
}
