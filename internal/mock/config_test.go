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
			":4: services.x.colour: unknown field"},
		{"malformed", "services:\n  x: [\n", ":2:"},
		{"bad type", "services:\n  x:\n    type: magic\n", ":3: services.x.type: unknown type"},
		{"bad builtin", "services:\n  x:\n    type: builtin\n    service: teleport\n",
			":4: services.x.service"},
		{"bad regex", "patterns:\n  - name: p\n    regex: \"(\"\n", ":2: patterns.0: bad regex"},
		{"repeated number", "resource_groups:\n  G: [\"1\", \"1\"]\n",
			":2: resource_groups.G.1: empty or repeated"},
		{"missing type", "services:\n  y:\n    options: {a: b}\n", ":2: services.y.type"},
		{"reserved request", "services:\n  x:\n    type: generic\n    requests:\n" +
			"      storage: {}\n", ":5: services.x.requests.storage"},
		{"negative", "defaults:\n  ttl: -1\n", ":2: defaults.ttl: must be from 1 to 2147483647"},
		{"zero", "defaults:\n  booking_timeout: 0\n", ":2: defaults.booking_timeout: must be from 1"},
		{"zero code length", "defaults:\n  access_code_length: 0\n",
			":2: defaults.access_code_length: must be from 1 to 18"},

		// Decoding errors name the key, not the Go type.
		{"unknown default", "# defaults\ndefaults:\n  bogus: 1\n", ":3: defaults.bogus: unknown field"},
		{"unknown top-level", "colour: red\n", ":1: colour: unknown field"},
		{"unknown in flow", "auth:\n  server: {username: a, passwd: b}\n",
			":2: auth.server.passwd: unknown field"},
		{"unknown in list", "patterns:\n  - name: p\n    regx: a\n",
			":3: patterns.0.regx: unknown field"},
		{"unknown via merge key", "services:\n  a: &base\n    type: generic\n  b:\n" +
			"    <<: *base\n    colour: red\n", ":6: services.b.colour: unknown field"},
		{"string for int", "defaults:\n  ttl: abc\n",
			`:2: defaults.ttl: want a whole number, got "abc"`},
		{"float for int", "defaults:\n  journal_size: 1.5\n",
			`:2: defaults.journal_size: want a whole number, got "1.5"`},
		{"list for mapping", "services:\n  x:\n    type: generic\n    options: [a]\n",
			":4: services.x.options: want a mapping, got a list"},
		{"mapping for string", "node_status: {a: b}\n", ":1: node_status: want a string, got a mapping"},
		{"mapping for list", "resource_groups:\n  G: {a: b}\n",
			":2: resource_groups.G: want a list, got a mapping"},

		// Values that cannot work.
		{"unknown group", "services:\n  vip:\n    type: builtin\n    service: request-interaction\n" +
			"    options:\n      _resource_group: VIP\n",
			`:6: services.vip.options._resource_group: resource group "VIP" is not in resource_groups`},
		{"unknown group on a default service", "services:\n  request-access:\n    options:\n" +
			"      _resource_group: NOPE\n", ":4: services.request-access.options._resource_group"},
		{"colon in server user", "auth:\n  server:\n    username: a:b\n    password: x\n",
			":3: auth.server.username: a user name cannot contain ':'"},
		{"colon in storage user", "auth:\n  storage: {username: \"st:ore\", password: x}\n",
			":2: auth.storage.username: a user name cannot contain ':'"},
		{"colon in service user", "services:\n  x:\n    type: generic\n    auth:\n" +
			"      username: \"x:y\"\n      password: z\n",
			":5: services.x.auth.username: a user name cannot contain ':'"},
		{"control character in password", "auth:\n  server: {username: a, password: \"p\\nq\"}\n",
			":2: auth.server.password: control characters"},
		{"empty group", "resource_groups:\n  VIP: []\n",
			":2: resource_groups.VIP: a resource group needs at least one access number"},
		{"null group", "resource_groups:\n  VIP:\n",
			":2: resource_groups.VIP: a resource group needs at least one access number"},
		{"empty group name", "resource_groups:\n  \"\": [\"1\"]\n",
			":2: resource_groups.: resource group names cannot be empty"},
		{"option ttl too large", "services:\n  request-interaction:\n    options:\n" +
			"      _ttl: \"9223372037\"\n",
			`:4: services.request-interaction.options._ttl: want whole seconds from 1 to 2147483647`},
		{"option booking zero", "services:\n  x:\n    type: builtin\n    service: request-access\n" +
			"    options: {_booking_expiration_timeout: \"0\"}\n",
			":5: services.x.options._booking_expiration_timeout: want whole seconds"},
		{"option code length", "services:\n  request-interaction:\n    options:\n" +
			"      _access_code_length: 19\n",
			`:4: services.request-interaction.options._access_code_length: want 1 to 18, got "19"`},
		{"option bool", "services:\n  match-interaction:\n    options:\n" +
			"      _return_user_data: maybe\n",
			`:4: services.match-interaction.options._return_user_data: want true or false`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			path := writeFile(t, "bad.yaml", c.yaml)
			_, err := LoadConfig(path)
			if err == nil {
				t.Fatal("no error")
			}
			if !strings.HasPrefix(err.Error(), path+c.want) {
				t.Errorf("error %q\ndoes not start with the file and %q", err, c.want)
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
	cases := []struct {
		name   string
		change func(*Config)
		want   string
	}{
		{"unknown group", func(c *Config) {
			c.Services["request-interaction"].Options["_resource_group"] = "VIP"
		}, "services.request-interaction.options._resource_group: resource group \"VIP\""},
		{"no default group", func(c *Config) { delete(c.ResourceGroups, "DNIS") },
			"services.request-access: the default _resource_group DNIS is not in resource_groups"},
		{"empty group", func(c *Config) { c.ResourceGroups["VIP"] = nil },
			"resource_groups.VIP: a resource group needs at least one access number"},
		{"colon in user", func(c *Config) { c.Auth.Server = &Credentials{"a:b", "c"} },
			"auth.server.username: a user name cannot contain ':'"},
		{"zero ttl", func(c *Config) { c.Defaults.TTL = 0 }, "defaults.ttl: must be from 1"},
		{"zero booking", func(c *Config) { c.Defaults.BookingTimeout = 0 },
			"defaults.booking_timeout: must be from 1"},
		{"zero code length", func(c *Config) { c.Defaults.AccessCodeLength = 0 },
			"defaults.access_code_length: must be from 1 to 18"},
	}
	for _, c := range cases {
		cfg := DefaultConfig()
		c.change(cfg)
		if _, err := New(cfg); err == nil || !strings.HasPrefix(err.Error(), c.want) {
			t.Errorf("%s: New: %v, want %s", c.name, err, c.want)
		}
	}
	// Zero means "no limit" and "the default size" in a configuration built in Go.
	cfg = DefaultConfig()
	cfg.Defaults.MaxStorageBytes, cfg.Defaults.JournalSize = 0, 0
	if _, err := New(cfg); err != nil {
		t.Errorf("New with no storage limit: %v", err)
	}
}

// TestLoadConfigAnchorsAndMergeKeys: YAML anchors and merge keys still load.
func TestLoadConfigAnchorsAndMergeKeys(t *testing.T) {
	cfg, err := LoadConfig(writeFile(t, "mock.yaml", `
x-auth: &creds {username: app, password: secret}
services:
  a: &base
    type: generic
    response: {k: v}
  b:
    <<: *base
    auth: *creds
`))
	if err == nil {
		t.Fatalf("a top-level x-auth key was accepted: %+v", cfg)
	}
	cfg, err = LoadConfig(writeFile(t, "mock.yaml", `
services:
  a: &base
    type: generic
    response: {k: v}
    auth: &creds {username: app, password: secret}
  b:
    <<: *base
  c:
    type: generic
    auth: *creds
`))
	if err != nil {
		t.Fatal(err)
	}
	if b := cfg.Services["b"]; b == nil || b.Type != "generic" || b.Auth == nil ||
		cfg.Services["c"].Auth.Username != "app" {
		t.Errorf("merge key or alias lost: %+v", cfg.Services["b"])
	}
}
