package client

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/jarcoal/httpmock"
)

// seedForm is the documented Service API example: request-interaction with the user's
// phone number, language, location and picture.
func seedForm() *Form {
	return NewForm().
		Add("_phone_number", "6504669999").
		Add("_provide_code", "true").
		Add("language", "french").
		Add("current_location_latitude", "48.8583").
		Add("current_location_longitude", "2.2944").
		AddFile("FileKey", "testdata/MyPic.png")
}

func TestCreateSeedExampleMultipart(t *testing.T) {
	t.Parallel()
	c, mt := newTestClient(t)
	var got sent
	mt.RegisterResponder("POST", testBase+"/genesys/1/service/request-interaction",
		record(t, &got, 200, `{"_id":"39a98e24-b03b-4191-b756-1efe8f3b16b8",`+
			`"_access_number":"8003449999","_access_code":"7684"}`))

	resp, err := c.Services.Create(t.Context(), "request-interaction", seedForm())
	if err != nil {
		t.Fatal(err)
	}

	if got.Method != "POST" || got.Path != "/prefix/genesys/1/service/request-interaction" {
		t.Errorf("sent %s %s", got.Method, got.Path)
	}
	if got.Length != int64(len(got.Body)) {
		t.Errorf("ContentLength %d, body has %d bytes", got.Length, len(got.Body))
	}
	parts := parseMultipart(t, got.Header.Get("Content-Type"), got.Body)
	want := []mpPart{
		{Name: "_phone_number", Data: []byte("6504669999")},
		{Name: "_provide_code", Data: []byte("true")},
		{Name: "language", Data: []byte("french")},
		{Name: "current_location_latitude", Data: []byte("48.8583")},
		{Name: "current_location_longitude", Data: []byte("2.2944")},
		{Name: "FileKey", Filename: "MyPic.png", ContentType: "image/png",
			Data: readFile(t, "testdata/MyPic.png")},
	}
	assertParts(t, parts, want)

	if resp.ID != "39a98e24-b03b-4191-b756-1efe8f3b16b8" || resp.AccessNumber != "8003449999" ||
		resp.AccessCode != "7684" || resp.DataID != "" {
		t.Errorf("response %+v", resp)
	}
}

func assertParts(t *testing.T, got, want []mpPart) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%d parts, want %d: %+v", len(got), len(want), got)
	}
	for i := range want {
		g, w := got[i], want[i]
		if g.Name != w.Name || g.Filename != w.Filename || g.ContentType != w.ContentType ||
			!bytes.Equal(g.Data, w.Data) {
			t.Errorf("part %d = %q %q %q %q, want %q %q %q %q", i, g.Name, g.Filename,
				g.ContentType, g.Data, w.Name, w.Filename, w.ContentType, w.Data)
		}
	}
}

func TestCreateURLEncodedExactBody(t *testing.T) {
	t.Parallel()
	c, mt := newTestClient(t)
	var got sent
	mt.RegisterResponder("POST", testBase+"/genesys/1/service/request-interaction",
		record(t, &got, 200, `{"_id":"x"}`))
	form := NewForm().
		Add("_phone_number", "6504669999").
		Add("note", "a b+c&d=e%f").
		Add("name with space", "é").
		Add("note", "second")

	if _, err := c.Services.Create(t.Context(), "request-interaction", form); err != nil {
		t.Fatal(err)
	}

	want := "_phone_number=6504669999&note=a+b%2Bc%26d%3De%25f&name+with+space=%C3%A9&" +
		"note=second"
	if string(got.Body) != want {
		t.Errorf("body\n%s\nwant\n%s", got.Body, want)
	}
	if ct := got.Header.Get("Content-Type"); ct != "application/x-www-form-urlencoded" {
		t.Errorf("Content-Type %q", ct)
	}
	values, err := url.ParseQuery(string(got.Body))
	if err != nil {
		t.Fatal(err)
	}
	if v := values["note"]; len(v) != 2 || v[0] != "a b+c&d=e%f" || v[1] != "second" {
		t.Errorf("note decoded as %q", v)
	}
}

func TestForcedMultipartWithStringsOnly(t *testing.T) {
	t.Parallel()
	c, mt := newTestClient(t)
	var got sent
	mt.RegisterResponder("POST", testBase+"/genesys/1/service/svc",
		record(t, &got, 200, `{"_id":"x"}`))
	form := NewForm().Add("a", "1").SetEncoding(EncodingMultipart)
	if form.Encoding() != EncodingMultipart {
		t.Fatalf("Encoding() = %v", form.Encoding())
	}

	if _, err := c.Services.Create(t.Context(), "svc", form); err != nil {
		t.Fatal(err)
	}
	assertParts(t, parseMultipart(t, got.Header.Get("Content-Type"), got.Body),
		[]mpPart{{Name: "a", Data: []byte("1")}})
}

func TestForcedURLEncodedWithFileFailsBeforeSending(t *testing.T) {
	t.Parallel()
	c, mt := newTestClient(t)
	form := NewForm().Add("a", "1").AddFile("f", "testdata/MyPic.png").
		SetEncoding(EncodingURLEncoded)

	_, err := c.Services.Create(t.Context(), "svc", form)
	if err == nil || !strings.Contains(err.Error(), `file part "f" cannot be sent urlencoded`) {
		t.Errorf("error %v, want a refusal of the file part", err)
	}
	if n := mt.GetTotalCallCount(); n != 0 {
		t.Errorf("%d requests sent, want 0", n)
	}
}

func TestRequestEscapesEachSegment(t *testing.T) {
	t.Parallel()
	c, mt := newTestClient(t)
	var got sent
	mt.RegisterNoResponder(record(t, &got, 200, `{"_id":"a b/c"}`))

	resp, err := c.Services.Request(t.Context(), "a b/c?#%", "ixn/chat/refresh",
		NewForm().Add("transcriptPosition", "2"))
	if err != nil {
		t.Fatal(err)
	}
	if want := "/prefix/genesys/1/service/a%20b%2Fc%3F%23%25/ixn/chat/refresh"; got.Path != want {
		t.Errorf("path %q, want %q", got.Path, want)
	}
	if got.Query != "" || string(got.Body) != "transcriptPosition=2" {
		t.Errorf("query %q body %q", got.Query, got.Body)
	}
	if resp.ID != "a b/c" {
		t.Errorf("ID %q", resp.ID)
	}
}

func TestRequestRefusesBadPathsBeforeSending(t *testing.T) {
	t.Parallel()
	c, mt := newTestClient(t)
	tests := []struct{ id, request, want string }{
		{"", "ixn/chat", "service ID is empty"},
		{".", "ixn/chat", `service ID "." is not allowed`},
		{"..", "ixn/chat", `service ID ".." is not allowed`},
		{"id", "", "request name is empty"},
		{"id", "/ixn", "request segment is empty"},
		{"id", "ixn/", "request segment is empty"},
		{"id", "ixn//chat", "request segment is empty"},
		{"id", "ixn/../admin", `request segment ".." is not allowed`},
		{"id", ".", `request segment "." is not allowed`},
	}
	for _, tt := range tests {
		_, err := c.Services.Request(t.Context(), tt.id, tt.request, nil)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("Request(%q, %q) error %v, want %q", tt.id, tt.request, err, tt.want)
		}
	}
	for _, name := range []string{"", ".", ".."} {
		if _, err := c.Services.Create(t.Context(), name, nil); err == nil {
			t.Errorf("Create(%q) succeeded", name)
		}
	}
	if n := mt.GetTotalCallCount(); n != 0 {
		t.Errorf("%d requests sent, want 0", n)
	}
}

func TestServiceResponseKeepsEveryField(t *testing.T) {
	t.Parallel()
	c, mt := newTestClient(t)
	body := `{"id":"abc","_access_number":8003449999,"_data_id":"d1",` +
		`"_expiration_time":"2025-01-02T03:04:05Z","_action":"DialNumber",` +
		`"nested":{"k":[1,2]},"big":12345678901234567890}`
	mt.RegisterResponder("POST", testBase+"/genesys/1/service/svc",
		httpmock.NewStringResponder(200, body))

	resp, err := c.Services.Create(t.Context(), "svc", nil)
	if err != nil {
		t.Fatal(err)
	}
	if resp.ID != "abc" || resp.AccessNumber != "8003449999" || resp.DataID != "d1" {
		t.Errorf("decoded %+v", resp)
	}
	if exp, ok := resp.Expiration(); !ok || exp.Year() != 2025 {
		t.Errorf("Expiration() = %v, %v", exp, ok)
	}
	out, err := json.Marshal(resp)
	if err != nil || string(out) != body {
		t.Errorf("MarshalJSON = %s, %v; want the body unchanged", out, err)
	}
	if v, ok := resp.Field("_action"); !ok || v != "DialNumber" {
		t.Errorf("Field(_action) = %v, %v", v, ok)
	}
	if v, ok := resp.Field("big"); !ok || v != json.Number("12345678901234567890") {
		t.Errorf("Field(big) = %#v, %v; want the exact json.Number", v, ok)
	}
	if _, ok := resp.Field("missing"); ok {
		t.Error("Field(missing) reported present")
	}
}

func TestServiceResponseIDPrefersUnderscore(t *testing.T) {
	t.Parallel()
	var r ServiceResponse
	if err := json.Unmarshal([]byte(`{"id":"plain","_id":"under"}`), &r); err != nil {
		t.Fatal(err)
	}
	if r.ID != "under" {
		t.Errorf("ID %q, want under", r.ID)
	}
	if err := json.Unmarshal([]byte(`[1]`), &r); err == nil {
		t.Error("an array decoded as a service response")
	}
	hand := ServiceResponse{ID: "x", AccessCode: "12"}
	out, err := json.Marshal(hand)
	if err != nil || string(out) != `{"_access_code":"12","_id":"x"}` {
		t.Errorf("MarshalJSON without Raw = %s, %v", out, err)
	}
}

func TestEmptySuccessBodyIsAnEmptyObject(t *testing.T) {
	t.Parallel()
	c, mt := newTestClient(t)
	mt.RegisterResponder("POST", testBase+"/genesys/1/service/svc",
		httpmock.NewStringResponder(200, ""))
	resp, err := c.Services.Create(t.Context(), "svc", nil)
	if err != nil {
		t.Fatal(err)
	}
	if string(resp.Raw) != "{}" || resp.ID != "" {
		t.Errorf("response %+v", resp)
	}
}

func TestNonJSONSuccessBodyIsAnError(t *testing.T) {
	t.Parallel()
	c, mt := newTestClient(t)
	mt.RegisterResponder("POST", testBase+"/genesys/1/service/svc",
		httpmock.NewStringResponder(200, "<html>login page</html>"))
	_, err := c.Services.Create(t.Context(), "svc", nil)
	if err == nil || !strings.Contains(err.Error(), "login page") ||
		!strings.Contains(err.Error(), "POST /prefix/genesys/1/service/svc") {
		t.Errorf("error %v, want the request and a body snippet", err)
	}
}

// A create is sent once, whatever happens to it: no retry after a 503, nor after a
// failed connection.
func TestCreateIsNeverRetried(t *testing.T) {
	t.Parallel()
	responders := map[string]httpmock.Responder{
		"503": httpmock.NewStringResponder(503,
			`{"exception":"x.ResourceUnavailableException","message":"No free access number"}`),
		"500":        httpmock.NewStringResponder(500, `oops`),
		"connection": httpmock.ConnectionFailure,
	}
	for name, responder := range responders {
		t.Run(name, func(t *testing.T) {
			c, mt := newTestClient(t)
			url := testBase + "/genesys/1/service/request-interaction"
			mt.RegisterResponder("POST", url, responder)

			_, err := c.Services.Create(t.Context(), "request-interaction", seedForm())
			if err == nil {
				t.Fatal("Create succeeded")
			}
			if n := mt.GetCallCountInfo()["POST "+url]; n != 1 {
				t.Errorf("create sent %d times, want 1", n)
			}
			if name == "503" && !errors.Is(err, ErrServiceUnavailable) {
				t.Errorf("error %v is not ErrServiceUnavailable", err)
			}
		})
	}
}

func TestQuerySendsGETWithQuery(t *testing.T) {
	t.Parallel()
	c, mt := newTestClient(t)
	var got sent
	mt.RegisterNoResponder(record(t, &got, 200, `{"error":null,"periods":[]}`))
	q := url.Values{"start": {"2025-01-01T00:00:00Z"}, "number-of-days": {"2"}}

	resp, err := c.Services.Query(t.Context(), "office-hours", q)
	if err != nil {
		t.Fatal(err)
	}
	if got.Method != http.MethodGet || got.Path != "/prefix/genesys/1/service/office-hours" ||
		got.Query != "number-of-days=2&start=2025-01-01T00%3A00%3A00Z" || len(got.Body) != 0 {
		t.Errorf("sent %s %s?%s body %q", got.Method, got.Path, got.Query, got.Body)
	}
	if _, ok := got.Header["Content-Type"]; ok {
		t.Error("GET carries a Content-Type")
	}
	if v, ok := resp.Field("periods"); !ok || len(v.([]any)) != 0 {
		t.Errorf("periods = %v, %v", v, ok)
	}
}

// roundTripFunc is a transport that answers without setting Response.Request.
type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(req *http.Request) (*http.Response, error) { return f(req) }

func TestResponseWithoutRequestIsHandled(t *testing.T) {
	t.Parallel()
	rt := roundTripFunc(func(req *http.Request) (*http.Response, error) {
		return &http.Response{StatusCode: 200, Header: http.Header{},
			Body: io.NopCloser(strings.NewReader("not json"))}, nil
	})
	c, err := New(testBase, WithTransport(rt))
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.Services.Create(t.Context(), "svc", nil)
	if err == nil || !strings.Contains(err.Error(), "POST /prefix/genesys/1/service/svc") {
		t.Errorf("error %v", err)
	}
}

func TestGetAndStopSendTheirMethods(t *testing.T) {
	t.Parallel()
	c, mt := newTestClient(t)
	var got sent
	mt.RegisterNoResponder(record(t, &got, 200, `{"_id":"a b","_service":"svc"}`))
	resp, err := c.Services.Get(t.Context(), "a b")
	if err != nil {
		t.Fatal(err)
	}
	if got.Method != http.MethodGet || got.Path != "/prefix/genesys/1/service/a%20b" ||
		len(got.Body) != 0 || resp.ID != "a b" {
		t.Errorf("sent %s %s body %q; answer %s", got.Method, got.Path, got.Body, resp.Raw)
	}

	mt.RegisterNoResponder(record(t, &got, 204, ""))
	if err := c.Services.Stop(t.Context(), "a b"); err != nil {
		t.Fatal(err)
	}
	if got.Method != http.MethodDelete || got.Path != "/prefix/genesys/1/service/a%20b" {
		t.Errorf("sent %s %s", got.Method, got.Path)
	}
	for _, bad := range []string{"", ".."} {
		if _, err := c.Services.Get(t.Context(), bad); !errors.Is(err, ErrInvalidArgument) {
			t.Errorf("Get(%q): %v", bad, err)
		}
		if err := c.Services.Stop(t.Context(), bad); !errors.Is(err, ErrInvalidArgument) {
			t.Errorf("Stop(%q): %v", bad, err)
		}
	}
}
