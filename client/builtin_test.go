package client

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"
)

func TestRequestInteractionSendsItsParameters(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		p    RequestInteractionParams
		path string
		body string
	}{
		{"minimal", RequestInteractionParams{PhoneNumber: "6504669999"},
			"/prefix/genesys/1/service/request-interaction", "_phone_number=6504669999"},
		{"false is sent", RequestInteractionParams{PhoneNumber: "1", ProvideCode: Ptr(false)},
			"/prefix/genesys/1/service/request-interaction",
			"_phone_number=1&_provide_code=false"},
		{"everything", RequestInteractionParams{Service: "vip interaction", PhoneNumber: "1",
			ProvideCode: Ptr(true), ResourceGroup: "VIP", TTL: Ptr(1500 * time.Millisecond),
			UserData: NewForm().Add("language", "french")},
			"/prefix/genesys/1/service/vip%20interaction",
			"_phone_number=1&_provide_code=true&_resource_group=VIP&_ttl=2&language=french"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c, mt := newTestClient(t)
			var got sent
			mt.RegisterNoResponder(record(t, &got, 200, `{"_id":"s1","_access_number":"800",`+
				`"_access_code":"1234","_expiration_time":"2026-03-01T12:01:00Z","_data_id":"d1"}`))

			resp, err := c.Services.RequestInteraction(t.Context(), tt.p)
			if err != nil {
				t.Fatal(err)
			}
			if got.Method != "POST" || got.Path != tt.path || string(got.Body) != tt.body {
				t.Errorf("sent %s %s %q\nwant POST %s %q", got.Method, got.Path, got.Body,
					tt.path, tt.body)
			}
			if resp.ID != "s1" || resp.AccessNumber != "800" || resp.AccessCode != "1234" ||
				resp.DataID != "d1" {
				t.Errorf("response %+v", resp)
			}
		})
	}
}

func TestRequestInteractionWithFileUserData(t *testing.T) {
	t.Parallel()
	c, mt := newTestClient(t)
	var got sent
	mt.RegisterNoResponder(record(t, &got, 200, `{"_id":"s1"}`))
	_, err := c.Services.RequestInteraction(t.Context(), RequestInteractionParams{
		PhoneNumber: "6504669999", ProvideCode: Ptr(true),
		UserData: NewForm().Add("language", "french").AddFile("FileKey", "testdata/MyPic.png"),
	})
	if err != nil {
		t.Fatal(err)
	}
	assertParts(t, parseMultipart(t, got.Header.Get("Content-Type"), got.Body), []mpPart{
		{Name: "_phone_number", Data: []byte("6504669999")},
		{Name: "_provide_code", Data: []byte("true")},
		{Name: "language", Data: []byte("french")},
		{Name: "FileKey", Filename: "MyPic.png", ContentType: "image/png",
			Data: readFile(t, "testdata/MyPic.png")},
	})
}

func TestBuiltinsRefuseMissingParameters(t *testing.T) {
	t.Parallel()
	c, mt := newTestClient(t)
	ctx := t.Context()
	checks := []struct {
		err  error
		want string
	}{
		{second(c.Services.RequestInteraction(ctx, RequestInteractionParams{})),
			"PhoneNumber (_phone_number) is required"},
		{second(c.Services.RequestInteraction(ctx, RequestInteractionParams{PhoneNumber: "1",
			TTL: Ptr(time.Duration(0))})), "_ttl must be positive"},
		{second(c.Services.RequestAccess(ctx, RequestAccessParams{})), "ID (_id) is required"},
		{second(c.Services.MatchInteraction(ctx, MatchInteractionParams{})),
			"AccessNumber (_access_number) is required"},
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

func second[T any](_ T, err error) error { return err }

func TestRequestAccessSendsItsParameters(t *testing.T) {
	t.Parallel()
	c, mt := newTestClient(t)
	var got sent
	mt.RegisterResponder("POST", testBase+"/genesys/1/service/request-access",
		record(t, &got, 200, `{"_access_number":"8005550100","_access_code":"482913",`+
			`"_expiration_time":"2026-03-01T12:01:00Z"}`))

	resp, err := c.Services.RequestAccess(t.Context(), RequestAccessParams{
		ID: "svc-1", ProvideCode: Ptr(true), PhoneNumber: "5551234", ResourceGroup: "DNIS",
		BookingExpirationTimeout: Ptr(90 * time.Second), AccessCodeLength: Ptr(6),
	})
	if err != nil {
		t.Fatal(err)
	}
	want := "_id=svc-1&_provide_code=true&_phone_number=5551234&_resource_group=DNIS&" +
		"_booking_expiration_timeout=90&_access_code_length=6"
	if string(got.Body) != want {
		t.Errorf("body %q\nwant %q", got.Body, want)
	}
	if resp.AccessNumber != "8005550100" || resp.AccessCode != "482913" {
		t.Errorf("response %+v", resp)
	}
}

func TestMatchInteractionSingleMatch(t *testing.T) {
	t.Parallel()
	c, mt := newTestClient(t)
	var got sent
	body := `{"_id":"s1","_data_id":"d1","_user_data":{"language":"french",` +
		`"FileKey":{"filename":"MyPic.png","content_type":"image/png","size":74,` +
		`"href":"/genesys/1/storage/d1/FileKey"}}}`
	mt.RegisterResponder("POST", testBase+"/genesys/1/service/match-interaction",
		record(t, &got, 200, body))

	res, err := c.Services.MatchInteraction(t.Context(), MatchInteractionParams{
		AccessNumber: "8003449999", AccessCode: "7684", ReturnUserData: Ptr(true),
	})
	if err != nil {
		t.Fatal(err)
	}
	if want := "_access_number=8003449999&_access_code=7684&_return_user_data=true"; string(
		got.Body) != want {
		t.Errorf("body %q\nwant %q", got.Body, want)
	}
	m := res.First()
	if len(res.Matches) != 1 || m.ID != "s1" || m.DataID != "d1" ||
		m.UserData["language"].Value != "french" ||
		m.UserData["FileKey"].File.Href != "/genesys/1/storage/d1/FileKey" {
		t.Errorf("result %+v", res)
	}
	if out, _ := json.Marshal(res); string(out) != body {
		t.Errorf("MarshalJSON = %s", out)
	}
}

func TestMatchInteractionMultipleMatches(t *testing.T) {
	t.Parallel()
	c, mt := newTestClient(t)
	var got sent
	mt.RegisterResponder("POST", testBase+"/genesys/1/service/match-interaction",
		record(t, &got, 200, `{"matches":[{"_id":"s1","_data_id":"d1"},{"_id":"s2"}]}`))

	res, err := c.Services.MatchInteraction(t.Context(), MatchInteractionParams{
		AccessNumber: "8003449999", ReturnMultipleMatches: Ptr(true),
	})
	if err != nil {
		t.Fatal(err)
	}
	if want := "_access_number=8003449999&_return_multiple_matches=true"; string(
		got.Body) != want {
		t.Errorf("body %q", got.Body)
	}
	if len(res.Matches) != 2 || res.First().ID != "s1" || res.Matches[1].ID != "s2" ||
		res.Matches[1].DataID != "" || res.Matches[0].UserData != nil {
		t.Errorf("result %+v", res)
	}
}

func TestRequestChat(t *testing.T) {
	t.Parallel()
	c, mt := newTestClient(t)
	var got sent
	mt.RegisterResponder(http.MethodPost, testBase+"/genesys/1/service/request-chat",
		record(t, &got, 200, `{"_chatIxnAPI-CREATE-URL":"/genesys/1/service/81f0/ixn/chat",`+
			`"_id":"81f0"}`))

	resp, err := c.Services.RequestChat(t.Context(), RequestChatParams{Verbose: Ptr(false),
		UserData: NewForm().Add("usr_topic", "billing")})
	if err != nil {
		t.Fatal(err)
	}
	if string(got.Body) != "_verbose=false&usr_topic=billing" {
		t.Errorf("body %q", got.Body)
	}
	if resp.ID != "81f0" || resp.CreateURL != "/genesys/1/service/81f0/ixn/chat" {
		t.Errorf("response %+v", resp)
	}
}
