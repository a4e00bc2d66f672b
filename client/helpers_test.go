package client

import (
	"bytes"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"os"
	"testing"

	"github.com/jarcoal/httpmock"
)

// testBase is the base URL of httpmock tests: loopback, so a request that escaped the mock
// transport could not leave the machine, and with a path prefix, so a request that ignored
// the base path is caught.
const testBase = "http://127.0.0.1:9/prefix"

// newTestClient returns a client whose requests go to a fresh httpmock transport that
// fails the test on any request no responder expects.
func newTestClient(t *testing.T, opts ...Option) (*Client, *httpmock.MockTransport) {
	t.Helper()
	mt := httpmock.NewMockTransport()
	mt.RegisterNoResponder(func(req *http.Request) (*http.Response, error) {
		t.Errorf("unexpected request %s %s", req.Method, req.URL)
		return nil, fmt.Errorf("no responder for %s %s", req.Method, req.URL)
	})
	c, err := New(testBase, append([]Option{WithTransport(mt)}, opts...)...)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return c, mt
}

// sent is a request as the server received it.
type sent struct {
	Method string
	Path   string // escaped
	Query  string
	Header http.Header
	Body   []byte
	Length int64 // the request's ContentLength
}

// record returns a responder that stores the request in *got and answers status with
// body as application/json.
func record(t *testing.T, got *sent, status int, body string) httpmock.Responder {
	return func(req *http.Request) (*http.Response, error) {
		var data []byte
		if req.Body != nil {
			var err error
			if data, err = io.ReadAll(req.Body); err != nil {
				return nil, err
			}
		}
		*got = sent{
			Length: req.ContentLength,
			Method: req.Method,
			Path:   req.URL.EscapedPath(),
			Query:  req.URL.RawQuery,
			Header: req.Header.Clone(),
			Body:   data,
		}
		resp := httpmock.NewStringResponse(status, body)
		resp.Header.Set("Content-Type", "application/json")
		return resp, nil
	}
}

// mpPart is one decoded multipart part.
type mpPart struct {
	Name, Filename, ContentType string
	Data                        []byte
}

// parseMultipart decodes a multipart body with mime/multipart, checking the boundary of
// contentType.
func parseMultipart(t *testing.T, contentType string, body []byte) []mpPart {
	t.Helper()
	mt, params, err := mime.ParseMediaType(contentType)
	if err != nil || mt != "multipart/form-data" || params["boundary"] == "" {
		t.Fatalf("Content-Type %q: want multipart/form-data with a boundary (%v)",
			contentType, err)
	}
	r := multipart.NewReader(bytes.NewReader(body), params["boundary"])
	var parts []mpPart
	for {
		p, err := r.NextPart()
		if err == io.EOF {
			return parts
		}
		if err != nil {
			t.Fatalf("reading multipart body: %v\n%s", err, body)
		}
		data, err := io.ReadAll(p)
		if err != nil {
			t.Fatalf("reading part %q: %v", p.FormName(), err)
		}
		parts = append(parts, mpPart{
			Name:        p.FormName(),
			Filename:    p.FileName(),
			ContentType: p.Header.Get("Content-Type"),
			Data:        data,
		})
	}
}

func readFile(t *testing.T, path string) []byte {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// rawHeader returns the values stored under exactly name, without canonicalizing it: the
// client sends gms_user and apikey in lower case, as real GMS clients do.
func rawHeader(h http.Header, name string) []string {
	return h[name]
}
