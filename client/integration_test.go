package client_test

// SDK <-> mock tests: the client talks to the bundled mock over a real loopback socket.

import (
	"bytes"
	"errors"
	"io"
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/gmsctl/gmsctl/client"
	"github.com/gmsctl/gmsctl/client/gmstest"
	"github.com/gmsctl/gmsctl/internal/mock"
)

func seedForm() *client.Form {
	return client.NewForm().
		Add("_phone_number", "6504669999").
		Add("_provide_code", "true").
		Add("language", "french").
		Add("current_location_latitude", "48.8583").
		Add("current_location_longitude", "2.2944").
		AddFile("FileKey", "testdata/MyPic.png")
}

// The documented example, end to end: create the interaction, match the call that uses
// its access number and code, then read the user data it stored, picture included.
func TestMockSeedExampleEndToEnd(t *testing.T) {
	t.Parallel()
	c := gmstest.NewServer(t).Client()
	ctx := t.Context()

	created, err := c.Services.Create(ctx, "request-interaction", seedForm())
	if err != nil {
		t.Fatal(err)
	}
	if created.ID == "" || created.DataID == "" ||
		!regexp.MustCompile(`^800344999\d$`).MatchString(created.AccessNumber) ||
		!regexp.MustCompile(`^\d{4}$`).MatchString(created.AccessCode) {
		t.Fatalf("create answered %s", created.Raw)
	}
	if _, ok := created.Expiration(); !ok {
		t.Errorf("_expiration_time %q is not RFC 3339", created.ExpirationTime)
	}

	matched, err := c.Services.Create(ctx, "match-interaction", client.NewForm().
		Add("_access_number", created.AccessNumber).
		Add("_access_code", created.AccessCode))
	if err != nil {
		t.Fatal(err)
	}
	if matched.ID != created.ID || matched.DataID != created.DataID {
		t.Errorf("match answered %s, want the created service %s", matched.Raw, created.Raw)
	}

	assertSeedUserData(t, c, created.DataID)
}

func assertSeedUserData(t *testing.T, c *client.Client, dataID string) {
	t.Helper()
	data, err := c.Storage.Get(t.Context(), dataID)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"language": "french", "current_location_latitude": "48.8583",
		"current_location_longitude": "2.2944"}
	for key, value := range want {
		if got := data[key]; got.Value != value || got.File != nil {
			t.Errorf("user data %s = %+v, want %q", key, got, value)
		}
	}
	if _, ok := data["_phone_number"]; ok {
		t.Error("service parameter _phone_number was stored as user data")
	}
	pic := readFile(t, "testdata/MyPic.png")
	if f := data["FileKey"].File; f == nil || f.Filename != "MyPic.png" ||
		f.ContentType != "image/png" || f.Size != int64(len(pic)) {
		t.Errorf("FileKey = %+v", data["FileKey"])
	}

	v, err := c.Storage.GetValue(t.Context(), dataID, "FileKey")
	if err != nil {
		t.Fatal(err)
	}
	defer v.Body.Close()
	got, err := io.ReadAll(v.Body)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, pic) || v.ContentType != "image/png" || v.Filename != "MyPic.png" ||
		v.Size != int64(len(pic)) {
		t.Errorf("GetValue: %d bytes, type %q, filename %q, size %d", len(got),
			v.ContentType, v.Filename, v.Size)
	}
}

func TestMockErrorsAreAPIErrors(t *testing.T) {
	t.Parallel()
	c := gmstest.NewServer(t).Client()

	_, err := c.Services.Create(t.Context(), "no-such-service", nil)
	var apiErr *client.APIError
	if !errors.Is(err, client.ErrNotFound) || !errors.As(err, &apiErr) ||
		apiErr.Exception != "com.genesyslab.gsg.services.NotFoundException" ||
		apiErr.Path != "/genesys/1/service/no-such-service" {
		t.Errorf("unknown service: %v", err)
	}

	_, err = c.Services.Create(t.Context(), "request-interaction",
		client.NewForm().Add("language", "french"))
	if !errors.Is(err, client.ErrBadRequest) || !strings.Contains(err.Error(), "_phone_number") {
		t.Errorf("missing _phone_number: %v", err)
	}

	_, err = c.Services.Request(t.Context(), "no-such-id", "ixn/chat/refresh", nil)
	if !errors.Is(err, client.ErrNotFound) {
		t.Errorf("unknown service id: %v", err)
	}
}

func TestMockServiceRequestWithSegments(t *testing.T) {
	t.Parallel()
	c := gmstest.NewServer(t).Client()
	created, err := c.Services.Create(t.Context(), "generic-service",
		client.NewForm().Add("color", "blue"))
	if err != nil {
		t.Fatal(err)
	}
	if v, _ := created.Field("_status"); v != "started" {
		t.Errorf("create answered %s", created.Raw)
	}

	resp, err := c.Services.Request(t.Context(), created.ID, "ixn/chat/refresh",
		client.NewForm().Add("transcriptPosition", "1"))
	if err != nil {
		t.Fatal(err)
	}
	if resp.ID != created.ID {
		t.Errorf("refresh answered %s", resp.Raw)
	}
	if v, _ := resp.Field("chatIxnState"); v != "TRANSCRIPT" {
		t.Errorf("chatIxnState = %v in %s", v, resp.Raw)
	}

	_, err = c.Services.Request(t.Context(), created.ID, "not/declared", nil)
	if !errors.Is(err, client.ErrBadRequest) || !strings.Contains(err.Error(), "not supported") {
		t.Errorf("undeclared request: %v", err)
	}
}

func TestMockStorageLifecycle(t *testing.T) {
	t.Parallel()
	c := gmstest.NewServer(t).Client()
	ctx := t.Context()

	id, err := c.Storage.Create(ctx, time.Hour, client.NewForm().
		Add("color", "blue").Add("note", "a b+c&d=e").AddFile("pic", "testdata/MyPic.png"))
	if err != nil {
		t.Fatal(err)
	}
	err = c.Storage.Update(ctx, id, time.Hour, client.NewForm().Add("color", "red"))
	if err != nil {
		t.Fatal(err)
	}
	data, err := c.Storage.Get(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if data["color"].Value != "red" || data["note"].Value != "a b+c&d=e" ||
		data["pic"].File == nil {
		t.Errorf("storage holds %v", data)
	}

	v, err := c.Storage.GetValue(ctx, id, "note")
	if err != nil {
		t.Fatal(err)
	}
	text, _ := io.ReadAll(v.Body)
	v.Body.Close()
	if string(text) != "a b+c&d=e" || !strings.HasPrefix(v.ContentType, "text/plain") {
		t.Errorf("GetValue(note) = %q (%s)", text, v.ContentType)
	}

	if err := c.Storage.DeleteKey(ctx, id, "color"); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Storage.GetValue(ctx, id, "color"); !errors.Is(err, client.ErrNotFound) {
		t.Errorf("deleted key: %v", err)
	}
	if err := c.Storage.Delete(ctx, id); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Storage.Get(ctx, id); !errors.Is(err, client.ErrNotFound) {
		t.Errorf("deleted area: %v", err)
	}
}

func TestMockStorageExpiresOnTheMockClock(t *testing.T) {
	t.Parallel()
	clock := mock.NewManualClock(time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC))
	c := gmstest.NewServer(t, mock.WithClock(clock)).Client()

	id, err := c.Storage.Create(t.Context(), 30*time.Second, client.NewForm().Add("k", "v"))
	if err != nil {
		t.Fatal(err)
	}
	clock.Advance(29 * time.Second)
	if _, err := c.Storage.Get(t.Context(), id); err != nil {
		t.Fatalf("before the TTL: %v", err)
	}
	clock.Advance(2 * time.Second)
	if _, err := c.Storage.Get(t.Context(), id); !errors.Is(err, client.ErrNotFound) {
		t.Errorf("after the TTL: %v, want ErrNotFound", err)
	}
}

func TestMockCustomStorageIsScopedByGMSUser(t *testing.T) {
	t.Parallel()
	srv := gmstest.NewServer(t)
	alice := srv.Client(client.WithGMSUser("alice"))
	bob := srv.Client(client.WithGMSUser("bob"))
	anonymous := srv.Client()

	if _, err := anonymous.Storage.CreateCustom(t.Context(), "cart-1", time.Minute,
		client.NewForm().Add("k", "v")); err == nil ||
		!strings.Contains(err.Error(), "WithGMSUser") {
		t.Errorf("custom create without gms_user: %v", err)
	}
	id, err := alice.Storage.CreateCustom(t.Context(), "cart 1/x", time.Minute,
		client.NewForm().Add("item", "book"))
	if err != nil {
		t.Fatal(err)
	}
	if id != "cart 1/x" {
		t.Errorf("id %q, want the custom id", id)
	}
	data, err := alice.Storage.Get(t.Context(), id)
	if err != nil || data["item"].Value != "book" {
		t.Errorf("owner read: %v, %v", data, err)
	}
	if _, err := bob.Storage.Get(t.Context(), id); !errors.Is(err, client.ErrNotFound) {
		t.Errorf("other gms_user read: %v, want ErrNotFound", err)
	}
}

func TestMockServiceStorage(t *testing.T) {
	t.Parallel()
	c := gmstest.NewServer(t).Client()
	ctx := t.Context()
	created, err := c.Services.Create(ctx, "request-interaction", seedForm())
	if err != nil {
		t.Fatal(err)
	}

	if err := c.ServiceStorage.Update(ctx, created.ID,
		client.NewForm().Add("language", "english").Add("extra", "1")); err != nil {
		t.Fatal(err)
	}
	all, err := c.ServiceStorage.GetAll(ctx, created.ID)
	if err != nil {
		t.Fatal(err)
	}
	if all["language"].Value != "english" || all["extra"].Value != "1" ||
		all["FileKey"].File == nil {
		t.Errorf("GetAll = %v", all)
	}

	v, err := c.ServiceStorage.Get(ctx, created.ID, "extra")
	if err != nil {
		t.Fatal(err)
	}
	one, _ := io.ReadAll(v.Body)
	v.Body.Close()
	if string(one) != "1" {
		t.Errorf("Get(extra) = %q", one)
	}

	bin, err := c.ServiceStorage.GetBinary(ctx, created.ID, "FileKey")
	if err != nil {
		t.Fatal(err)
	}
	pic, _ := io.ReadAll(bin.Body)
	bin.Body.Close()
	if !bytes.Equal(pic, readFile(t, "testdata/MyPic.png")) {
		t.Errorf("GetBinary returned %d bytes", len(pic))
	}

	if err := c.ServiceStorage.DeleteKey(ctx, created.ID, "extra"); err != nil {
		t.Fatal(err)
	}
	if _, err := c.ServiceStorage.Get(ctx, created.ID, "extra"); !errors.Is(err,
		client.ErrNotFound) {
		t.Errorf("deleted key: %v", err)
	}
}

func TestMockBasicAuth(t *testing.T) {
	t.Parallel()
	cfg := mock.DefaultConfig()
	cfg.Auth.Server = &mock.Credentials{Username: "gms", Password: "gms-secret"}
	srv := gmstest.NewServerConfig(t, cfg)

	_, err := srv.Client().Services.Create(t.Context(), "request-interaction", seedForm())
	if !errors.Is(err, client.ErrUnauthorized) {
		t.Errorf("no credentials: %v, want ErrUnauthorized", err)
	}
	_, err = srv.Client(client.WithBasicAuth("gms", "wrong")).Services.Create(t.Context(),
		"request-interaction", seedForm())
	if !errors.Is(err, client.ErrUnauthorized) {
		t.Errorf("wrong password: %v, want ErrUnauthorized", err)
	}
	_, err = srv.Client(client.WithBasicAuth("gms", "gms-secret")).Services.Create(
		t.Context(), "request-interaction", seedForm())
	if err != nil {
		t.Errorf("right credentials: %v", err)
	}
}

func TestMockBodyTooLarge(t *testing.T) {
	t.Parallel()
	c := gmstest.NewServer(t, mock.WithMaxBodyBytes(4<<10)).Client()
	big := make([]byte, 64<<10)
	form := client.NewForm().Add("_phone_number", "6504669999").AddFilePart(client.FilePart{
		Name: "blob", Filename: "big.bin", Size: int64(len(big)),
		Open: func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(big)), nil },
	})

	_, err := c.Services.Create(t.Context(), "request-interaction", form)
	if !errors.Is(err, client.ErrTooLarge) {
		t.Errorf("error %v, want ErrTooLarge", err)
	}
}

func TestMockNoFreeAccessNumber(t *testing.T) {
	t.Parallel()
	cfg := mock.DefaultConfig()
	cfg.ResourceGroups["DNIS"] = []string{"8005550100"}
	c := gmstest.NewServerConfig(t, cfg).Client()
	form := func() *client.Form { return client.NewForm().Add("_phone_number", "6504669999") }

	if _, err := c.Services.Create(t.Context(), "request-interaction", form()); err != nil {
		t.Fatal(err)
	}
	_, err := c.Services.Create(t.Context(), "request-interaction", form())
	if !errors.Is(err, client.ErrServiceUnavailable) ||
		!strings.Contains(err.Error(), "No free access number") {
		t.Errorf("error %v, want ErrServiceUnavailable", err)
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

// One client used by many goroutines at once: run with -race.
func TestMockConcurrentUse(t *testing.T) {
	t.Parallel()
	c := gmstest.NewServer(t).Client(client.WithGMSUser("load"))
	const n = 16
	errs := make(chan error, n)
	for i := range n {
		go func() {
			form := client.NewForm().Add("i", strconv.Itoa(i)).AddFile("pic", "testdata/MyPic.png")
			id, err := c.Storage.Create(t.Context(), time.Minute, form)
			if err == nil {
				var data client.StorageData
				data, err = c.Storage.Get(t.Context(), id)
				if err == nil && data["i"].Value != strconv.Itoa(i) {
					err = errors.New("read back " + data["i"].Value)
				}
			}
			errs <- err
		}()
	}
	for range n {
		if err := <-errs; err != nil {
			t.Error(err)
		}
	}
}

// Keys, ids and filenames with spaces, slashes, quotes and non-ASCII text survive the trip
// through the SDK's escaping and the mock's parsing.
func TestMockOddNamesRoundTrip(t *testing.T) {
	t.Parallel()
	c := gmstest.NewServer(t).Client(client.WithGMSUser("ünïcode user"))
	ctx := t.Context()
	key := "clé / spéciale?#%"
	form := client.NewForm().Add(key, "välue & more+").AddFilePart(client.FilePart{
		Name: "pic", Filename: "My Pic, \"best\" ☀.png", Path: "testdata/MyPic.png"})

	id, err := c.Storage.CreateCustom(ctx, "area 1/ü?", time.Minute, form)
	if err != nil {
		t.Fatal(err)
	}
	data, err := c.Storage.Get(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if data[key].Value != "välue & more+" {
		t.Errorf("data %v", data)
	}
	v, err := c.Storage.GetValue(ctx, id, "pic")
	if err != nil {
		t.Fatal(err)
	}
	v.Body.Close()
	if want := "My Pic, %22best%22 ☀.png"; v.Filename != want {
		t.Errorf("filename %q, want %q", v.Filename, want)
	}
	one, err := c.Storage.GetValue(ctx, id, key)
	if err != nil {
		t.Fatal(err)
	}
	text, _ := io.ReadAll(one.Body)
	one.Body.Close()
	if string(text) != "välue & more+" {
		t.Errorf("GetValue(%q) = %q", key, text)
	}
	if err := c.Storage.DeleteKey(ctx, id, key); err != nil {
		t.Fatal(err)
	}
}

func TestMockGetAndStopAnInstance(t *testing.T) {
	t.Parallel()
	c := gmstest.NewServer(t).Client()
	created, err := c.Services.RequestInteraction(t.Context(), client.RequestInteractionParams{
		PhoneNumber: "6504669999", UserData: client.NewForm().Add("language", "french")})
	if err != nil {
		t.Fatal(err)
	}
	got, err := c.Services.Get(t.Context(), created.ID)
	if err != nil {
		t.Fatal(err)
	}
	if svc, _ := got.Field("_service"); got.ID != created.ID || svc != "request-interaction" ||
		got.AccessNumber != created.AccessNumber || got.DataID != created.DataID {
		t.Errorf("Get answered %s for %s", got.Raw, created.Raw)
	}
	if err := c.Services.Stop(t.Context(), created.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Services.Get(t.Context(), created.ID); !errors.Is(err, client.ErrNotFound) {
		t.Errorf("Get after Stop: %v", err)
	}
	if err := c.Services.Stop(t.Context(), created.ID); !errors.Is(err, client.ErrNotFound) {
		t.Errorf("second Stop: %v", err)
	}
	// The number is free again: nothing matches it; the user data outlives the stop.
	_, err = c.Services.MatchInteraction(t.Context(),
		client.MatchInteractionParams{AccessNumber: created.AccessNumber})
	if !errors.Is(err, client.ErrNotFound) {
		t.Errorf("match after Stop: %v", err)
	}
	if data, err := c.Storage.Get(t.Context(), created.DataID); err != nil || len(data) != 1 {
		t.Errorf("user data after Stop: %v, %v", data, err)
	}
}
