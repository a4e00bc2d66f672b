package mock

import (
	"net/http"
	"strings"
	"testing"
)

func TestBasicAuth(t *testing.T) {
	cfg := DefaultConfig()
	cfg.Auth.Server = &Credentials{Username: "srv", Password: "srv-pw"}
	cfg.Auth.Storage = &Credentials{Username: "sto", Password: "sto-pw"}
	cfg.Services["request-chat"].Auth = &Credentials{Username: "chat", Password: "chat-pw"}
	h := newHarness(t, cfg)
	call := func(path, user, pass string) *response {
		req := h.request("POST", path, "application/x-www-form-urlencoded",
			strings.NewReader("_phone_number=1"))
		if user != "" {
			req.SetBasicAuth(user, pass)
		}
		return h.do(req)
	}
	cases := []struct {
		path, user, pass string
		status           int
	}{
		{"/genesys/1/service/request-interaction", "", "", 401},
		{"/genesys/1/service/request-interaction", "srv", "wrong", 401},
		{"/genesys/1/service/request-interaction", "srv", "srv-pw", 200},
		{"/genesys/1/service/request-chat", "srv", "srv-pw", 401},
		{"/genesys/1/service/request-chat", "chat", "chat-pw", 200},
		{"/genesys/1/storage/60", "srv", "srv-pw", 401},
		{"/genesys/1/storage/60", "sto", "sto-pw", 200},
		{"/genesys/1/patterns", "srv", "srv-pw", 200},
	}
	for _, c := range cases {
		res := call(c.path, c.user, c.pass)
		if res.status != c.status {
			t.Errorf("%s as %q: %d, want %d (%s)", c.path, c.user, res.status, c.status, res.body)
			continue
		}
		if c.status == 401 {
			res.wantError(t, 401, excUnauthorized)
			if got := res.header.Get("WWW-Authenticate"); got !=
				`Basic realm="Genesys Application Configuration Needed"` {
				t.Errorf("WWW-Authenticate %q", got)
			}
		}
	}
	// A request on an instance uses its service's credentials.
	chat := call("/genesys/1/service/request-chat", "chat", "chat-pw").json(t)
	path := "/genesys/1/service/" + str(chat, "_id") + "/storage"
	req := h.request("GET", path, "", nil)
	req.SetBasicAuth("srv", "srv-pw")
	h.do(req).want(t, http.StatusUnauthorized)
	req = h.request("GET", path, "", nil)
	req.SetBasicAuth("chat", "chat-pw")
	h.do(req).want(t, http.StatusOK)
	h.get("/mock/state").want(t, http.StatusOK) // the admin API needs no credentials
}
