package mock

import (
	"strings"
	"testing"
)

func TestDefaultConfig(t *testing.T) {
	cfg := DefaultConfig()
	for _, name := range []string{"request-interaction", "request-access", "match-interaction",
		"request-chat", "generic-service"} {
		if cfg.Services[name] == nil {
			t.Errorf("default config lacks service %s", name)
		}
	}
	if got := cfg.ResourceGroups["DNIS"]; len(got) == 0 || got[0] != "8003449999" {
		t.Errorf("DNIS pool %v", got)
	}
	if cfg.Defaults.TTL != 30 {
		t.Errorf("default ttl %d", cfg.Defaults.TTL)
	}
	// Each call is a fresh copy.
	cfg.Services["request-interaction"].Options["_ttl"] = "1"
	if DefaultConfig().Services["request-interaction"].Options["_ttl"] != "" {
		t.Error("DefaultConfig shares state between calls")
	}
}

func TestLoadConfigMerges(t *testing.T) {
	path := writeFile(t, "mock.yaml", `
defaults:
  ttl: 90
auth:
  server: {username: admin, password: secret}
resource_groups:
  DNIS: ["111", "222"]
  VIP: ["999"]
services:
  request-interaction:
    options:
      _provide_code: true
  my-app:
    type: generic
    requests:
      a/b/c:
        response: {echo: "${word}"}
`)
	cfg, err := LoadConfig(path)
	if err != nil {
		t.Fatal(err)
	}
	ri := cfg.Services["request-interaction"]
	if ri.Type != "builtin" || ri.Service != "request-interaction" {
		t.Errorf("override lost the default fields: %+v", ri)
	}
	if ri.Options["_provide_code"] != "true" || ri.Options["_access_code_length"] != "4" {
		t.Errorf("options not merged: %v", ri.Options)
	}
	if cfg.Services["match-interaction"] == nil || cfg.Services["my-app"] == nil {
		t.Error("services not merged")
	}
	if cfg.Defaults.TTL != 90 || cfg.Defaults.BookingTimeout != 60 {
		t.Errorf("defaults %+v", cfg.Defaults)
	}
	if g := cfg.ResourceGroups["DNIS"]; len(g) != 2 || cfg.ResourceGroups["VIP"][0] != "999" {
		t.Errorf("groups %v", cfg.ResourceGroups)
	}
	if cfg.Auth.Server.Password != "secret" {
		t.Errorf("auth %+v", cfg.Auth.Server)
	}

	h := newHarness(t, cfg, WithSeed(3))
	req := h.request("POST", "/genesys/1/service/request-interaction",
		"application/x-www-form-urlencoded", strings.NewReader("_phone_number=1"))
	req.SetBasicAuth("admin", "secret")
	m := h.do(req).want(t, 200).json(t)
	if str(m, "_access_number") != "111" || len(str(m, "_access_code")) != 4 {
		t.Errorf("answer %v", m)
	}
}

func TestLoadConfigErrors(t *testing.T) {
	cases := []struct{ name, yaml, want string }{
		{"unknown field", "services:\n  x:\n    type: generic\n    colour: red\n",
			":4: field colour not found"},
		{"malformed", "services:\n  x: [\n", ":2:"},
		{"bad type", "services:\n  x:\n    type: magic\n", ":3: services.x.type: unknown type"},
		{"bad builtin", "services:\n  x:\n    type: builtin\n    service: teleport\n",
			":4: services.x.service"},
		{"bad regex", "patterns:\n  - name: p\n    regex: \"(\"\n", ":2: patterns.0: bad regex"},
		{"repeated number", "resource_groups:\n  G: [\"1\", \"1\"]\n", "resource_groups.G.1"},
		{"missing type", "services:\n  y:\n    options: {a: b}\n", "services.y.type"},
		{"reserved request", "services:\n  x:\n    type: generic\n    requests:\n" +
			"      storage: {}\n", ":5: services.x.requests.storage"},
		{"negative", "defaults:\n  ttl: -1\n", ":2: defaults.ttl"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			path := writeFile(t, "bad.yaml", c.yaml)
			_, err := LoadConfig(path)
			if err == nil {
				t.Fatal("no error")
			}
			if !strings.Contains(err.Error(), path) || !strings.Contains(err.Error(), c.want) {
				t.Errorf("error %q does not name the file and %q", err, c.want)
			}
		})
	}
	if _, err := LoadConfig(t.TempDir() + "/missing.yaml"); err == nil {
		t.Error("a missing file is not an error")
	}
}

func TestLoadConfigEmptyFile(t *testing.T) {
	cfg, err := LoadConfig(writeFile(t, "empty.yaml", "# nothing\n"))
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Services["request-interaction"] == nil {
		t.Error("an empty file lost the defaults")
	}
}

func TestNewRejectsInvalidConfig(t *testing.T) {
	cfg := DefaultConfig()
	cfg.Services["broken"] = &ServiceConfig{Type: "builtin", Service: "nope"}
	if _, err := New(cfg); err == nil {
		t.Error("New accepted an unknown built-in")
	}
	if _, err := New(nil); err != nil {
		t.Errorf("New(nil): %v", err)
	}
}
