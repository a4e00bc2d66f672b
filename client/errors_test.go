package client

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"
)

func TestAPIErrorFromGMSBody(t *testing.T) {
	t.Parallel()
	c, mt := newTestClient(t)
	body := `{"exception":"com.genesyslab.gsg.services.NotFoundException",` +
		`"message":"Service not-there is not found"}`
	mt.RegisterResponder("POST", testBase+"/genesys/1/service/not-there",
		httpmock.NewStringResponder(404, body))

	_, err := c.Services.Create(t.Context(), "not-there", nil)

	var apiErr *APIError
	if !errors.As(err, &apiErr) {
		t.Fatalf("error %T %v, want *APIError", err, err)
	}
	want := APIError{
		StatusCode: 404,
		Exception:  "com.genesyslab.gsg.services.NotFoundException",
		Message:    "Service not-there is not found",
		Method:     "POST",
		Path:       "/prefix/genesys/1/service/not-there",
	}
	if apiErr.StatusCode != want.StatusCode || apiErr.Exception != want.Exception ||
		apiErr.Message != want.Message || apiErr.Method != want.Method ||
		apiErr.Path != want.Path || string(apiErr.Body) != body {
		t.Errorf("got %+v\nwant %+v", apiErr, want)
	}
	wantText := "POST /prefix/genesys/1/service/not-there: 404 Not Found: Service not-there " +
		"is not found (com.genesyslab.gsg.services.NotFoundException)"
	if err.Error() != wantText {
		t.Errorf("Error() = %q\nwant %q", err.Error(), wantText)
	}
}

func TestAPIErrorFromHTMLProxyPage(t *testing.T) {
	t.Parallel()
	c, mt := newTestClient(t)
	page := "<html>\n<head><title>502 Bad Gateway</title></head>\n<body>\n" +
		"<center><h1>502 Bad Gateway</h1></center>\n<hr><center>nginx</center>\n" +
		strings.Repeat("<p>padding text</p>\n", 50) + "</body></html>"
	mt.RegisterResponder("GET", testBase+"/genesys/1/storage/abc",
		httpmock.NewStringResponder(502, page))

	_, err := c.Storage.Get(t.Context(), "abc")

	var apiErr *APIError
	if !errors.As(err, &apiErr) {
		t.Fatalf("error %T %v, want *APIError", err, err)
	}
	if apiErr.Message != "" || apiErr.Exception != "" || string(apiErr.Body) != page {
		t.Errorf("fields %+v", apiErr)
	}
	text := err.Error()
	wantPrefix := "GET /prefix/genesys/1/storage/abc: 502 Bad Gateway: 502 Bad Gateway " +
		"502 Bad Gateway nginx padding text"
	if !strings.HasPrefix(text, wantPrefix) || !strings.HasSuffix(text, "…") ||
		strings.ContainsAny(text, "<>\n") || len(text) > len(wantPrefix)+snippetLen {
		t.Errorf("Error() = %q", text)
	}
}

func TestAPIErrorBodyIsCapped(t *testing.T) {
	t.Parallel()
	c, mt := newTestClient(t)
	huge := strings.Repeat("x", 3*maxErrorBody)
	mt.RegisterResponder("DELETE", testBase+"/genesys/1/storage/abc",
		httpmock.NewStringResponder(500, huge))

	err := c.Storage.Delete(t.Context(), "abc")

	var apiErr *APIError
	if !errors.As(err, &apiErr) || len(apiErr.Body) != maxErrorBody {
		t.Fatalf("error %v: kept %d body bytes, want %d", err, len(apiErr.Body), maxErrorBody)
	}
}

func TestAPIErrorSentinels(t *testing.T) {
	t.Parallel()
	sentinels := []error{ErrBadRequest, ErrUnauthorized, ErrNotFound, ErrTooLarge,
		ErrUnsupportedMediaType, ErrServiceUnavailable}
	tests := []struct {
		status int
		want   error // nil: matches no sentinel
	}{
		{400, ErrBadRequest},
		{401, ErrUnauthorized},
		{403, ErrUnauthorized},
		{404, ErrNotFound},
		{405, nil},
		{409, nil},
		{413, ErrTooLarge},
		{415, ErrUnsupportedMediaType},
		{500, nil},
		{503, ErrServiceUnavailable},
	}
	for _, tt := range tests {
		err := fmt.Errorf("wrapped: %w", &APIError{StatusCode: tt.status})
		for _, s := range sentinels {
			if got := errors.Is(err, s); got != (s == tt.want) {
				t.Errorf("status %d: errors.Is(err, %v) = %v", tt.status, s, got)
			}
		}
	}
}

func TestAPIErrorMessageOnly(t *testing.T) {
	t.Parallel()
	e := &APIError{StatusCode: http.StatusBadRequest, Method: "POST", Path: "/p",
		Message: "Missing mandatory parameter _phone_number"}
	want := "POST /p: 400 Bad Request: Missing mandatory parameter _phone_number"
	if e.Error() != want {
		t.Errorf("Error() = %q, want %q", e.Error(), want)
	}
	empty := &APIError{StatusCode: 401, Method: "GET", Path: "/p"}
	if empty.Error() != "GET /p: 401 Unauthorized" {
		t.Errorf("Error() = %q", empty.Error())
	}
}

func TestBodySnippetIsPrintable(t *testing.T) {
	t.Parallel()
	got := bodySnippet([]byte("bad\x1b[31m red\x00 \xff end"))
	if want := "bad\uFFFD[31m red\uFFFD \uFFFD end"; got != want {
		t.Errorf("bodySnippet = %q, want %q", got, want)
	}
}

func TestInvalidArgumentErrors(t *testing.T) {
	t.Parallel()
	c, mt := newTestClient(t)
	ctx := t.Context()
	_, newErr := New("relative/url")
	invalid := []error{
		newErr,
		second(c.Services.Request(ctx, "id", "a//b", nil)),
		second(c.Services.Create(ctx, "..", nil)),
		second(c.Services.Create(ctx, "svc", NewForm().Add("", "v"))),
		second(c.Services.Create(ctx, "svc", NewForm().AddFilePart(FilePart{Name: "f",
			Path: "x", ContentType: "a\r\nb"}))),
		second(c.Services.RequestInteraction(ctx, RequestInteractionParams{})),
		second(c.Storage.Create(ctx, 0, nil)),
		second(c.Storage.CreateCustom(ctx, "id", time.Minute, nil)),
		c.Node.ChangeStatus(ctx, "SLEEPING"),
	}
	for i, err := range invalid {
		if !errors.Is(err, ErrInvalidArgument) {
			t.Errorf("error %d (%v) does not match ErrInvalidArgument", i, err)
		}
	}
	if n := mt.GetTotalCallCount(); n != 0 {
		t.Errorf("%d requests sent, want 0", n)
	}

	mt.RegisterResponder("GET", testBase+"/genesys/1/storage/x",
		httpmock.NewStringResponder(400, `{"message":"bad"}`))
	_, apiErr := c.Storage.Get(ctx, "x")
	_, fileErr := c.Storage.Create(ctx, time.Minute, NewForm().AddFile("f", "testdata/none"))
	for _, err := range []error{apiErr, fileErr} {
		if err == nil || errors.Is(err, ErrInvalidArgument) {
			t.Errorf("error %v matches ErrInvalidArgument", err)
		}
	}
}
