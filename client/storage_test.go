package client

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"
)

// TestStorageRequests checks the exact request of every Storage and service-storage call.
func TestStorageRequests(t *testing.T) {
	t.Parallel()
	form := func() *Form { return NewForm().Add("color", "blue") }
	tests := []struct {
		name   string
		do     func(ctx context.Context, c *Client) error
		method string
		path   string
		body   string
		answer string
	}{
		{"create", func(ctx context.Context, c *Client) error {
			id, err := c.Storage.Create(ctx, 3600*time.Second, form())
			return wantID(id, err, "a1")
		}, "POST", "/genesys/1/storage/3600", "color=blue", `{"id":"a1"}`},
		{"create rounds ttl up", func(ctx context.Context, c *Client) error {
			id, err := c.Storage.Create(ctx, 1100*time.Millisecond, nil)
			return wantID(id, err, "a1")
		}, "POST", "/genesys/1/storage/2", "", `{"_id":"a1"}`},
		{"create custom", func(ctx context.Context, c *Client) error {
			id, err := c.Storage.CreateCustom(ctx, "cart/7", time.Minute, form())
			return wantID(id, err, "cart/7")
		}, "POST", "/genesys/1/storage/custom/cart%2F7/60", "color=blue", `{"id":"cart/7"}`},
		{"update", func(ctx context.Context, c *Client) error {
			return c.Storage.Update(ctx, "a1", 10*time.Minute, form())
		}, "POST", "/genesys/1/storage/a1/600", "color=blue", `{"id":"a1"}`},
		{"get", func(ctx context.Context, c *Client) error {
			data, err := c.Storage.Get(ctx, "a 1")
			if err == nil && data["color"].Value != "blue" {
				t.Errorf("data %v", data)
			}
			return err
		}, "GET", "/genesys/1/storage/a%201", "", `{"color":"blue"}`},
		{"delete", func(ctx context.Context, c *Client) error {
			return c.Storage.Delete(ctx, "a1")
		}, "DELETE", "/genesys/1/storage/a1", "", ``},
		{"delete key", func(ctx context.Context, c *Client) error {
			return c.Storage.DeleteKey(ctx, "a1", "k?")
		}, "DELETE", "/genesys/1/storage/a1/k%3F", "", ``},
		{"service storage get all", func(ctx context.Context, c *Client) error {
			_, err := c.ServiceStorage.GetAll(ctx, "s1")
			return err
		}, "GET", "/genesys/1/service/s1/storage", "", `{"a":"b"}`},
		{"service storage update", func(ctx context.Context, c *Client) error {
			return c.ServiceStorage.Update(ctx, "s1", form())
		}, "POST", "/genesys/1/service/s1/storage", "color=blue", ``},
		{"service storage delete key", func(ctx context.Context, c *Client) error {
			return c.ServiceStorage.DeleteKey(ctx, "s1", "color")
		}, "DELETE", "/genesys/1/service/s1/storage/color", "", ``},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c, mt := newTestClient(t, WithGMSUser("u1"))
			var got sent
			status := 200
			if tt.answer == "" {
				status = http.StatusNoContent
			}
			mt.RegisterNoResponder(record(t, &got, status, tt.answer))

			if err := tt.do(t.Context(), c); err != nil {
				t.Fatal(err)
			}
			if got.Method != tt.method || got.Path != "/prefix"+tt.path ||
				string(got.Body) != tt.body {
				t.Errorf("sent %s %s %q\nwant %s /prefix%s %q", got.Method, got.Path, got.Body,
					tt.method, tt.path, tt.body)
			}
			// Sent as written, not canonicalized: read the map directly.
			if v := rawHeader(got.Header, HeaderGMSUser); len(v) != 1 || v[0] != "u1" {
				t.Errorf("gms_user %q", v)
			}
		})
	}
}

func wantID(id string, err error, want string) error {
	if err == nil && id != want {
		return fmt.Errorf("id %q, want %q", id, want)
	}
	return err
}

func TestStorageRefusesBadArguments(t *testing.T) {
	t.Parallel()
	c, mt := newTestClient(t)
	ctx := t.Context()
	checks := []struct {
		err  error
		want string
	}{
		{second(c.Storage.Create(ctx, 0, nil)), "ttl must be positive, got 0s"},
		{second(c.Storage.Create(ctx, -time.Second, nil)), "ttl must be positive, got -1s"},
		{second(c.Storage.CreateCustom(ctx, "x", time.Minute, nil)), "needs a gms_user header"},
		{customWithUser(t), "custom storage id is empty"},
		{second(c.Storage.Get(ctx, "")), "storage id is empty"},
		{second(c.Storage.GetValue(ctx, "a", "..")), `storage key ".." is not allowed`},
		{c.Storage.Update(ctx, "..", time.Second, nil), `storage id ".." is not allowed`},
		{c.Storage.Delete(ctx, ""), "storage id is empty"},
		{c.Storage.DeleteKey(ctx, "a", ""), "storage key is empty"},
		{c.ServiceStorage.Update(ctx, "", nil), "service ID is empty"},
		{c.ServiceStorage.DeleteKey(ctx, "s", "."), `storage key "." is not allowed`},
		{second(c.ServiceStorage.GetAll(ctx, ".")), `service ID "." is not allowed`},
		{second(c.ServiceStorage.GetBinary(ctx, "s", "")), "storage key is empty"},
		{second(c.ServiceStorage.Get(ctx, "", "k")), "service ID is empty"},
	}
	for _, ch := range checks {
		if ch.err == nil || !strings.Contains(ch.err.Error(), ch.want) {
			t.Errorf("error %v, want %q", ch.err, ch.want)
		}
	}
	if n := mt.GetTotalCallCount(); n != 0 {
		t.Errorf("%d requests sent, want 0", n)
	}
}

func customWithUser(t *testing.T) error {
	c, _ := newTestClient(t, WithGMSUser("u"))
	return second(c.Storage.CreateCustom(t.Context(), "", time.Minute, nil))
}

func TestStorageValueShapes(t *testing.T) {
	t.Parallel()
	raw := `{"s":"text","f":{"filename":"a.png","content_type":"image/png","size":3,` +
		`"href":"/x"},"n":42,"o":{"k":"v"},"null":null}`
	var data StorageData
	if err := json.Unmarshal([]byte(raw), &data); err != nil {
		t.Fatal(err)
	}
	if data["s"].Value != "text" || data["s"].File != nil || data["s"].String() != "text" {
		t.Errorf("string value %+v", data["s"])
	}
	if f := data["f"].File; f == nil || *f != (StoredFile{"a.png", "image/png", 3, "/x"}) ||
		data["f"].String() != "a.png" {
		t.Errorf("file value %+v", data["f"])
	}
	if data["n"].Value != "42" || data["o"].Value != `{"k":"v"}` || data["o"].File != nil ||
		data["null"].Value != "" {
		t.Errorf("other values %+v %+v %+v", data["n"], data["o"], data["null"])
	}
	out, err := json.Marshal(data)
	if err != nil {
		t.Fatal(err)
	}
	var back, orig map[string]any
	json.Unmarshal(out, &back)
	json.Unmarshal([]byte(raw), &orig)
	if len(back) != len(orig) || string(mustJSON(back)) != string(mustJSON(orig)) {
		t.Errorf("MarshalJSON = %s, want %s", out, raw)
	}
}

func mustJSON(v any) []byte {
	out, _ := json.Marshal(v)
	return out
}

func TestGetValueStreamsTheRawValue(t *testing.T) {
	t.Parallel()
	c, mt := newTestClient(t)
	var accept string
	mt.RegisterResponder("GET", testBase+"/genesys/1/service/s1/storage/binary/FileKey",
		func(req *http.Request) (*http.Response, error) {
			accept = req.Header.Get("Accept")
			resp := httpmock.NewBytesResponse(200, []byte("\x89PNG"))
			resp.Header.Set("Content-Type", "image/png")
			resp.Header.Set("Content-Disposition",
				`attachment; filename*=UTF-8''%E5%86%99%E7%9C%9F.png`)
			resp.ContentLength = 4
			return resp, nil
		})

	v, err := c.ServiceStorage.GetBinary(t.Context(), "s1", "FileKey")
	if err != nil {
		t.Fatal(err)
	}
	data, err := io.ReadAll(v.Body)
	if err != nil {
		t.Fatal(err)
	}
	if err := v.Body.Close(); err != nil {
		t.Fatal(err)
	}
	if string(data) != "\x89PNG" || v.ContentType != "image/png" || v.Filename != "写真.png" ||
		v.Size != 4 || accept != "*/*" {
		t.Errorf("value %q %+v, Accept %q", data, v, accept)
	}
}

func TestGetValueErrorIsAPIError(t *testing.T) {
	t.Parallel()
	c, mt := newTestClient(t)
	mt.RegisterResponder("GET", testBase+"/genesys/1/storage/a/k",
		httpmock.NewStringResponder(404, `{"exception":"x.NotFoundException","message":"gone"}`))
	v, err := c.Storage.GetValue(t.Context(), "a", "k")
	if v != nil || err == nil || !strings.HasSuffix(err.Error(), "404 Not Found: gone "+
		"(x.NotFoundException)") {
		t.Errorf("GetValue = %v, %v", v, err)
	}
}
