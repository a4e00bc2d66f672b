package client_test

import (
	"errors"
	"testing"
	"time"

	"github.com/gmsctl/gmsctl/client"
	"github.com/gmsctl/gmsctl/client/gmstest"
	"github.com/gmsctl/gmsctl/internal/mock"
)

func TestMockTypedInteractionFlow(t *testing.T) {
	t.Parallel()
	c := gmstest.NewServer(t).Client()
	ctx := t.Context()

	created, err := c.Services.RequestInteraction(ctx, client.RequestInteractionParams{
		PhoneNumber: "6504669999", ProvideCode: client.Ptr(true), TTL: client.Ptr(time.Minute),
		UserData: client.NewForm().Add("language", "french").
			AddFile("FileKey", "testdata/MyPic.png"),
	})
	if err != nil {
		t.Fatal(err)
	}

	res, err := c.Services.MatchInteraction(ctx, client.MatchInteractionParams{
		AccessNumber: created.AccessNumber, AccessCode: created.AccessCode,
		PhoneNumber: "6504669999", ReturnUserData: client.Ptr(true),
	})
	if err != nil {
		t.Fatal(err)
	}
	m := res.First()
	if len(res.Matches) != 1 || m.ID != created.ID || m.DataID != created.DataID {
		t.Fatalf("match %s, want service %s", res.Raw, created.Raw)
	}
	if m.UserData["language"].Value != "french" || m.UserData["FileKey"].File == nil ||
		m.UserData["FileKey"].File.Filename != "MyPic.png" {
		t.Errorf("user data %s", res.Raw)
	}

	// The number was released by the match: matching it again finds nothing.
	_, err = c.Services.MatchInteraction(ctx, client.MatchInteractionParams{
		AccessNumber: created.AccessNumber, AccessCode: created.AccessCode})
	if !errors.Is(err, client.ErrNotFound) {
		t.Errorf("second match: %v, want ErrNotFound", err)
	}
}

func TestMockRequestAccessAndMultipleMatches(t *testing.T) {
	t.Parallel()
	c := gmstest.NewServer(t).Client()
	ctx := t.Context()
	svc, err := c.Services.Create(ctx, "generic-service", client.NewForm().Add("k", "v"))
	if err != nil {
		t.Fatal(err)
	}

	access, err := c.Services.RequestAccess(ctx, client.RequestAccessParams{
		ID: svc.ID, ProvideCode: client.Ptr(true), AccessCodeLength: client.Ptr(8),
		BookingExpirationTimeout: client.Ptr(2 * time.Minute),
	})
	if err != nil {
		t.Fatal(err)
	}
	if access.AccessNumber == "" || len(access.AccessCode) != 8 {
		t.Fatalf("request-access answered %s", access.Raw)
	}
	if _, ok := access.Expiration(); !ok {
		t.Errorf("expiration %q", access.ExpirationTime)
	}

	res, err := c.Services.MatchInteraction(ctx, client.MatchInteractionParams{
		AccessNumber: access.AccessNumber, AccessCode: access.AccessCode,
		ReturnMultipleMatches: client.Ptr(true),
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Matches) != 1 || res.First().ID != svc.ID {
		t.Errorf("matches %s, want service %s", res.Raw, svc.ID)
	}
}

func TestMockRequestChat(t *testing.T) {
	t.Parallel()
	c := gmstest.NewServer(t).Client()
	chat, err := c.Services.RequestChat(t.Context(), client.RequestChatParams{
		Verbose: client.Ptr(false), UserData: client.NewForm().Add("usr_topic", "billing")})
	if err != nil {
		t.Fatal(err)
	}
	if chat.ID == "" || chat.CreateURL != "/genesys/1/service/"+chat.ID+"/ixn/chat" {
		t.Fatalf("request-chat answered %s", chat.Raw)
	}

	started, err := c.Services.Request(t.Context(), chat.ID, "ixn/chat",
		client.NewForm().Add("firstName", "Ann").Add("subject", "Help"))
	if err != nil {
		t.Fatal(err)
	}
	if v, _ := started.Field("chatSessionId"); v != chat.ID {
		t.Errorf("ixn/chat answered %s", started.Raw)
	}
}

func TestMockNodeStatus(t *testing.T) {
	t.Parallel()
	c := gmstest.NewServer(t).Client()
	ctx := t.Context()
	if s, err := c.Node.Status(ctx); err != nil || s != client.NodeOnline {
		t.Fatalf("Status = %q, %v", s, err)
	}
	if err := c.Node.ChangeStatus(ctx, client.NodeOffline); err != nil {
		t.Fatal(err)
	}
	if s, err := c.Node.Status(ctx); err != nil || s != client.NodeOffline {
		t.Errorf("after change: %q, %v", s, err)
	}
}

func TestMockPatterns(t *testing.T) {
	t.Parallel()
	c := gmstest.NewServer(t).Client()
	form := client.NewForm().Add("param1", "hello").Add("param2", "john.doe@example.com").
		Add("param3", "911")

	got, err := c.Patterns.Match(t.Context(), "", form)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got["param2"] != "email" || got["param3"] != "emergency" {
		t.Errorf("general list: %v", got)
	}
	got, err = c.Patterns.Match(t.Context(), "contact", form)
	if err != nil || len(got) != 1 || got["param2"] != "email" {
		t.Errorf("contact group: %v, %v", got, err)
	}
	if _, err := c.Patterns.Match(t.Context(), "no-such-group", form); !errors.Is(err,
		client.ErrNotFound) {
		t.Errorf("unknown group: %v, want ErrNotFound", err)
	}
}

func TestMockPhoneNumber(t *testing.T) {
	t.Parallel()
	c := gmstest.NewServer(t).Client()
	info, err := c.PhoneNumber.Check(t.Context(), "0604120405", "FR", "DE")
	if err != nil {
		t.Fatal(err)
	}
	if info.NumberE164 != "+33604120405" || info.NumberType != "MOBILE" ||
		info.RegionCode != "FR" || info.CountryCode != 33 || !info.IsValidNumber {
		t.Errorf("info %s", info.Raw)
	}
	if _, err := c.PhoneNumber.Check(t.Context(), "bad", "DE", ""); !errors.Is(err,
		client.ErrBadRequest) {
		t.Errorf("bad number: %v, want ErrBadRequest", err)
	}
}

func TestMockOfficeHoursAndCapacity(t *testing.T) {
	t.Parallel()
	// Monday 2 March 2026, 10:00 in Paris.
	clock := mock.NewManualClock(time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC))
	c := gmstest.NewServer(t, mock.WithClock(clock)).Client()

	oh, err := c.Services.OfficeHours(t.Context(), client.OfficeHoursParams{
		NumberOfDays: client.Ptr(1)})
	if err != nil {
		t.Fatal(err)
	}
	if oh.Error != nil || !oh.Open || oh.Timezone != "Europe/Paris" || len(oh.Periods) != 1 ||
		oh.Periods[0].Start != "2026-03-02T08:00:00.000Z" {
		t.Errorf("office hours %s", oh.Raw)
	}

	capa, err := c.Services.Capacity(t.Context(), client.CapacityParams{
		Start: time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC),
		End:   time.Date(2026, 3, 2, 23, 0, 0, 0, time.UTC), Timezone: "UTC"})
	if err != nil {
		t.Fatal(err)
	}
	if len(capa.Slots) != 2 || capa.Slots[0].Capacity != 10 || capa.Slots[1].Capacity != 5 {
		t.Errorf("capacity %s", capa.Raw)
	}
}
