package client

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"
)

func TestNodeStatus(t *testing.T) {
	t.Parallel()
	c, mt := newTestClient(t, WithBasicAuth("admin", "pw"))
	var accept string
	mt.RegisterResponder("GET", testBase+"/genesys/1/admin/node/status",
		func(req *http.Request) (*http.Response, error) {
			accept = req.Header.Get("Accept")
			if _, _, ok := req.BasicAuth(); !ok {
				t.Error("no credentials sent")
			}
			resp := httpmock.NewStringResponse(200, "OFFLINE\n")
			resp.Header.Set("Content-Type", "text/plain;charset=ISO-8859-1")
			return resp, nil
		})

	status, err := c.Node.Status(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if status != NodeOffline || accept != "text/plain, */*" {
		t.Errorf("status %q, Accept %q", status, accept)
	}
}

// TestNodeStatusRefusesOtherAnswers: a 200 body other than ONLINE or OFFLINE (a proxy's
// HTML page, an empty body) is an error, not a status; case and spaces do not matter.
func TestNodeStatusRefusesOtherAnswers(t *testing.T) {
	t.Parallel()
	tests := []struct {
		body, contentType string
		want              NodeStatus
		wantErr           string
	}{
		{"<html>maintenance</html>", "text/html", "",
			`GET /prefix/genesys/1/admin/node/status: 200 answer is not ONLINE or OFFLINE ` +
				`(text/html): "maintenance"`},
		{"", "text/plain", "", "200 answer is not ONLINE or OFFLINE (text/plain): \"\""},
		{"ONLINE, mostly", "text/plain", "", `"ONLINE, mostly"`},
		{" online\r\n", "text/plain", NodeOnline, ""},
		{"Offline", "", NodeOffline, ""},
	}
	for _, tt := range tests {
		c, mt := newTestClient(t)
		mt.RegisterResponder("GET", testBase+"/genesys/1/admin/node/status",
			func(req *http.Request) (*http.Response, error) {
				resp := httpmock.NewStringResponse(200, tt.body)
				resp.Header.Set("Content-Type", tt.contentType)
				return resp, nil
			})
		status, err := c.Node.Status(t.Context())
		if tt.wantErr == "" {
			if err != nil || status != tt.want {
				t.Errorf("body %q: status %q, error %v; want %q", tt.body, status, err, tt.want)
			}
			continue
		}
		if err == nil || status != "" || !strings.Contains(err.Error(), tt.wantErr) {
			t.Errorf("body %q: status %q, error %v; want an error with %s", tt.body, status,
				err, tt.wantErr)
		}
	}
}

func TestNodeChangeStatus(t *testing.T) {
	t.Parallel()
	c, mt := newTestClient(t)
	var got sent
	mt.RegisterResponder("POST", testBase+"/genesys/1/admin/node/changestatus/OFFLINE",
		record(t, &got, 200, ""))

	if err := c.Node.ChangeStatus(t.Context(), NodeOffline); err != nil {
		t.Fatal(err)
	}
	if got.Method != "POST" || len(got.Body) != 0 {
		t.Errorf("sent %s %q", got.Method, got.Body)
	}
	if err := c.Node.ChangeStatus(t.Context(), "online"); err == nil ||
		!strings.Contains(err.Error(), "want ONLINE or OFFLINE") {
		t.Errorf("lower-case status: %v", err)
	}
	if n := mt.GetTotalCallCount(); n != 1 {
		t.Errorf("%d requests, want 1", n)
	}
}

func TestPatternsMatch(t *testing.T) {
	t.Parallel()
	c, mt := newTestClient(t)
	var general, grouped sent
	mt.RegisterResponder("POST", testBase+"/genesys/1/patterns",
		record(t, &general, 200, `{"param3":"911","param2":"email"}`))
	mt.RegisterResponder("POST", testBase+"/genesys/1/patterns/group/vip%20list",
		record(t, &grouped, 200, ``))
	form := NewForm().Add("param1", "1234562").Add("param2", "john.doe@example.com").
		Add("param3", "911")

	got, err := c.Patterns.Match(t.Context(), "", form)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got["param3"] != "911" || got["param2"] != "email" {
		t.Errorf("matches %v", got)
	}
	want := "param1=1234562&param2=john.doe%40example.com&param3=911"
	if string(general.Body) != want {
		t.Errorf("body %q, want %q", general.Body, want)
	}

	none, err := c.Patterns.Match(t.Context(), "vip list", form)
	if err != nil || len(none) != 0 || none == nil {
		t.Errorf("group match = %v, %v; want an empty map", none, err)
	}
	if grouped.Path != "/prefix/genesys/1/patterns/group/vip%20list" {
		t.Errorf("path %q", grouped.Path)
	}
}

func TestPhoneNumberCheck(t *testing.T) {
	t.Parallel()
	c, mt := newTestClient(t)
	var got sent
	body := `{"carrier":"Orange","country-code":33,"country-code-source":"FROM_DEFAULT_COUNTRY",` +
		`"is-possible-number":true,"is-valid-number":true,"is-premium":false,` +
		`"number-E164":"+33604120405","number-type":"MOBILE","region-code":"FR",` +
		`"time-zone":"Europe/Paris","location":"Frankreich","future-field":1}`
	mt.RegisterNoResponder(record(t, &got, 200, body))

	info, err := c.PhoneNumber.Check(t.Context(), "0604120405", "FR", "DE")
	if err != nil {
		t.Fatal(err)
	}
	if got.Method != "GET" || got.Path != "/prefix/genesys/1/phonenumber" ||
		got.Query != "country=FR&geocodingLocale=DE&number=0604120405" {
		t.Errorf("sent %s %s?%s", got.Method, got.Path, got.Query)
	}
	if info.Carrier != "Orange" || info.CountryCode != 33 || !info.IsValidNumber ||
		info.NumberE164 != "+33604120405" || info.NumberType != "MOBILE" ||
		info.TimeZone != "Europe/Paris" || info.Location != "Frankreich" {
		t.Errorf("info %+v", info)
	}
	if out, _ := info.MarshalJSON(); string(out) != body {
		t.Errorf("MarshalJSON = %s", out)
	}

	if _, err := c.PhoneNumber.Check(t.Context(), "+1 650", "", ""); err != nil {
		t.Fatal(err)
	}
	if got.Query != "number=%2B1+650" {
		t.Errorf("query %q", got.Query)
	}
}

func TestOfficeHoursQuery(t *testing.T) {
	t.Parallel()
	c, mt := newTestClient(t)
	var got sent
	body := `{"error":null,"timezone":"Europe/Paris","open":true,"periods":` +
		`[{"start":"2026-03-02T08:00:00.000Z","end":"2026-03-02T17:00:00.000Z"}]}`
	mt.RegisterNoResponder(record(t, &got, 200, body))
	paris, _ := time.LoadLocation("Europe/Paris")

	oh, err := c.Services.OfficeHours(t.Context(), OfficeHoursParams{
		Start: time.Date(2026, 3, 2, 10, 0, 0, 0, paris), NumberOfDays: Ptr(2)})
	if err != nil {
		t.Fatal(err)
	}
	if got.Method != "GET" || got.Path != "/prefix/genesys/1/service/office-hours" ||
		got.Query != "number-of-days=2&start=2026-03-02T09%3A00%3A00Z" {
		t.Errorf("sent %s %s?%s", got.Method, got.Path, got.Query)
	}
	if oh.Error != nil || !oh.Open || oh.Timezone != "Europe/Paris" || len(oh.Periods) != 1 ||
		oh.Periods[0].End != "2026-03-02T17:00:00.000Z" || string(oh.Raw) != body {
		t.Errorf("answer %+v", oh)
	}
}

func TestCapacityQuery(t *testing.T) {
	t.Parallel()
	c, mt := newTestClient(t)
	var got sent
	mt.RegisterNoResponder(record(t, &got, 200, `{"error":null,"timezone":"UTC",`+
		`"slots":[{"start":"2026-03-02T09:00:00","end":"2026-03-02T12:00:00","capacity":10}]}`))

	capa, err := c.Services.Capacity(t.Context(), CapacityParams{Service: "cap",
		Start: time.Date(2026, 3, 2, 8, 0, 0, 0, time.UTC),
		End:   time.Date(2026, 3, 2, 18, 0, 0, 0, time.UTC), Timezone: "Europe/Paris"})
	if err != nil {
		t.Fatal(err)
	}
	want := "end=2026-03-02T19%3A00%3A00&start=2026-03-02T09%3A00%3A00&timezone=Europe%2FParis"
	if got.Path != "/prefix/genesys/1/service/cap" || got.Query != want {
		t.Errorf("sent %s?%s\nwant query %s", got.Path, got.Query, want)
	}
	if len(capa.Slots) != 1 || capa.Slots[0].Capacity != 10 {
		t.Errorf("answer %+v", capa)
	}
	if _, err := c.Services.Capacity(t.Context(), CapacityParams{}); err == nil {
		t.Error("capacity without Start and End was sent")
	}
}
