package mock

import (
	"bytes"
	_ "embed"
	"errors"
	"fmt"
	"io"
	"os"
	"regexp"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

//go:embed default.yaml
var defaultYAML []byte

// Config is the mock's configuration: services, access-number pools, credentials and
// patterns. It is read from YAML; DefaultConfig is the embedded default.
type Config struct {
	Defaults       Defaults                  `yaml:"defaults"`
	Auth           AuthConfig                `yaml:"auth"`
	ResourceGroups map[string][]string       `yaml:"resource_groups"`
	Services       map[string]*ServiceConfig `yaml:"services"`
	Patterns       []Pattern                 `yaml:"patterns"`
	PatternGroups  map[string][]Pattern      `yaml:"pattern_groups"`
	NodeStatus     string                    `yaml:"node_status"`
}

// Defaults holds the values used when neither the request nor the service sets one.
// Durations are in seconds, as in GMS.
type Defaults struct {
	TTL              int   `yaml:"ttl"`
	BookingTimeout   int   `yaml:"booking_timeout"`
	AccessCodeLength int   `yaml:"access_code_length"`
	MaxStorageBytes  int64 `yaml:"max_storage_bytes"`
	JournalSize      int   `yaml:"journal_size"`
}

// AuthConfig holds the server-wide and Storage API credentials. Credentials without a
// password enforce nothing, as in GMS.
type AuthConfig struct {
	Server  *Credentials `yaml:"server"`
	Storage *Credentials `yaml:"storage"`
}

// Credentials are HTTP Basic credentials.
type Credentials struct {
	Username string `yaml:"username"`
	Password string `yaml:"password"`
}

// ServiceConfig configures one service, addressed by its name (the GMS execution name).
type ServiceConfig struct {
	// Type is "builtin" (Service names the built-in) or "generic" (requests from config).
	Type    string `yaml:"type"`
	Service string `yaml:"service"`
	// Options are service parameters used when the request does not send them
	// (_ttl, _provide_code, _resource_group, _access_code_length, ...).
	Options map[string]string `yaml:"options"`
	// Response adds fields to the create answer; strings may use ${param} substitution.
	Response map[string]any `yaml:"response"`
	// Requests declares the service-specific requests (name -> answer).
	Requests map[string]*RequestConfig `yaml:"requests"`
	Auth     *Credentials              `yaml:"auth"`
}

// RequestConfig is the answer of one service-specific request.
type RequestConfig struct {
	Response map[string]any `yaml:"response"`
}

// Pattern is a named regular expression of the pattern matcher API.
type Pattern struct {
	Name  string `yaml:"name"`
	Regex string `yaml:"regex"`
}

// Built-in service names a ServiceConfig of type builtin may use.
var builtinServices = map[string]bool{
	"request-interaction": true,
	"request-access":      true,
	"match-interaction":   true,
	"request-chat":        true,
	"office-hours":        true,
	"capacity":            true,
}

// DefaultConfig returns a fresh copy of the embedded default configuration.
func DefaultConfig() *Config {
	cfg, _, err := parseConfig("default.yaml", defaultYAML)
	if err != nil {
		panic("mock: embedded default.yaml: " + err.Error())
	}
	return cfg
}

// LoadConfig reads the YAML file at path and merges it over the default configuration.
// Malformed YAML, unknown fields and invalid values are errors that name the file and line.
func LoadConfig(path string) (*Config, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	user, root, err := parseConfig(path, data)
	if err != nil {
		return nil, err
	}
	cfg := DefaultConfig()
	cfg.merge(user)
	if err := cfg.validate(); err != nil {
		return nil, locate(path, root, err)
	}
	return cfg, nil
}

// parseConfig decodes strictly and validates the file on its own, so that errors can point
// at the user's line.
func parseConfig(name string, data []byte) (*Config, *yaml.Node, error) {
	cfg := &Config{}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(cfg); err != nil && !errors.Is(err, io.EOF) {
		return nil, nil, fmt.Errorf("%s%s", name, lineFirst(err))
	}
	root := &yaml.Node{}
	_ = yaml.Unmarshal(data, root)
	if err := cfg.validatePartial(); err != nil {
		return nil, nil, locate(name, root, err)
	}
	return cfg, root, nil
}

// locate prefixes err with the file name and, for a field error, the line of the field.
func locate(name string, root *yaml.Node, err error) error {
	var fe *fieldError
	if errors.As(err, &fe) {
		if line := lineOf(root, fe.path); line > 0 {
			return fmt.Errorf("%s:%d: %w", name, line, fe)
		}
	}
	return fmt.Errorf("%s: %w", name, err)
}

var yamlLineRE = regexp.MustCompile(`line (\d+): `)

// lineFirst rewrites "yaml: line 3: msg" as ":3: msg" so the error reads file:line: msg.
func lineFirst(err error) string {
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	msg = strings.ReplaceAll(msg, "unmarshal errors:\n  ", "")
	if m := yamlLineRE.FindStringSubmatchIndex(msg); m != nil && m[0] == 0 {
		return ":" + msg[m[2]:m[3]] + ": " + msg[m[1]:]
	}
	return ": " + msg
}

// lineOf finds the line of the deepest key of path that exists in the document.
func lineOf(root *yaml.Node, path []string) int {
	n := root
	if n.Kind == yaml.DocumentNode && len(n.Content) > 0 {
		n = n.Content[0]
	}
	line := 0
	for _, key := range path {
		next := mappingValue(n, key)
		if next == nil {
			if idx, err := strconv.Atoi(key); err == nil && n.Kind == yaml.SequenceNode &&
				idx < len(n.Content) {
				n = n.Content[idx]
				line = n.Line
				continue
			}
			break
		}
		line = next.key.Line
		n = next.value
	}
	return line
}

type keyValue struct{ key, value *yaml.Node }

func mappingValue(n *yaml.Node, key string) *keyValue {
	if n.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == key {
			return &keyValue{n.Content[i], n.Content[i+1]}
		}
	}
	return nil
}

type fieldError struct {
	path []string
	msg  string
}

func (e *fieldError) Error() string { return strings.Join(e.path, ".") + ": " + e.msg }

func fieldErr(msg string, path ...string) error { return &fieldError{path: path, msg: msg} }

// merge lays o over c: scalars that o sets win, maps merge by key, a service that exists
// in both keeps the fields o leaves empty, lists from o replace c's.
func (c *Config) merge(o *Config) {
	c.Defaults.merge(o.Defaults)
	if o.Auth.Server != nil {
		c.Auth.Server = o.Auth.Server
	}
	if o.Auth.Storage != nil {
		c.Auth.Storage = o.Auth.Storage
	}
	c.ResourceGroups = mergeMap(c.ResourceGroups, o.ResourceGroups)
	if c.Services == nil {
		c.Services = map[string]*ServiceConfig{}
	}
	for name, s := range o.Services {
		if old := c.Services[name]; old != nil && s != nil {
			old.merge(s)
			continue
		}
		c.Services[name] = s
	}
	if o.Patterns != nil {
		c.Patterns = o.Patterns
	}
	c.PatternGroups = mergeMap(c.PatternGroups, o.PatternGroups)
	if o.NodeStatus != "" {
		c.NodeStatus = o.NodeStatus
	}
}

func (d *Defaults) merge(o Defaults) {
	if o.TTL != 0 {
		d.TTL = o.TTL
	}
	if o.BookingTimeout != 0 {
		d.BookingTimeout = o.BookingTimeout
	}
	if o.AccessCodeLength != 0 {
		d.AccessCodeLength = o.AccessCodeLength
	}
	if o.MaxStorageBytes != 0 {
		d.MaxStorageBytes = o.MaxStorageBytes
	}
	if o.JournalSize != 0 {
		d.JournalSize = o.JournalSize
	}
}

func (s *ServiceConfig) merge(o *ServiceConfig) {
	if o.Type != "" {
		s.Type = o.Type
	}
	if o.Service != "" {
		s.Service = o.Service
	}
	s.Options = mergeMap(s.Options, o.Options)
	s.Response = mergeMap(s.Response, o.Response)
	s.Requests = mergeMap(s.Requests, o.Requests)
	if o.Auth != nil {
		s.Auth = o.Auth
	}
}

func mergeMap[V any](dst, src map[string]V) map[string]V {
	if dst == nil && src != nil {
		dst = make(map[string]V, len(src))
	}
	for k, v := range src {
		dst[k] = v
	}
	return dst
}

// validatePartial checks what can be checked in one file on its own.
func (c *Config) validatePartial() error {
	if err := c.Defaults.validate(); err != nil {
		return err
	}
	for group, numbers := range c.ResourceGroups {
		if err := validateGroup(group, numbers); err != nil {
			return err
		}
	}
	for name, s := range c.Services {
		if err := s.validatePartial(name); err != nil {
			return err
		}
	}
	if err := validatePatterns(c.Patterns, "patterns"); err != nil {
		return err
	}
	for g, ps := range c.PatternGroups {
		if g == "" || strings.Contains(g, "/") {
			return fieldErr("group names cannot be empty or contain '/'", "pattern_groups")
		}
		if err := validatePatterns(ps, "pattern_groups", g); err != nil {
			return err
		}
	}
	switch c.NodeStatus {
	case "", "ONLINE", "OFFLINE":
	default:
		return fieldErr("must be ONLINE or OFFLINE", "node_status")
	}
	return nil
}

// validate checks the merged configuration as a whole.
func (c *Config) validate() error {
	if err := c.validatePartial(); err != nil {
		return err
	}
	for name, s := range c.Services {
		if s.Type == "" {
			return fieldErr("type is required (builtin or generic)", "services", name, "type")
		}
	}
	return nil
}

func (d Defaults) validate() error {
	for _, f := range []struct {
		name string
		v    int64
	}{
		{"ttl", int64(d.TTL)}, {"booking_timeout", int64(d.BookingTimeout)},
		{"access_code_length", int64(d.AccessCodeLength)},
		{"max_storage_bytes", d.MaxStorageBytes}, {"journal_size", int64(d.JournalSize)},
	} {
		if f.v < 0 {
			return fieldErr("must not be negative", "defaults", f.name)
		}
	}
	if d.AccessCodeLength > 18 {
		return fieldErr("must be at most 18", "defaults", "access_code_length")
	}
	return nil
}

func validateGroup(group string, numbers []string) error {
	seen := map[string]bool{}
	for i, n := range numbers {
		if n == "" || seen[n] {
			return fieldErr("empty or repeated access number", "resource_groups", group,
				strconv.Itoa(i))
		}
		seen[n] = true
	}
	return nil
}

func (s *ServiceConfig) validatePartial(name string) error {
	if s == nil {
		return fieldErr("service needs a body", "services", name)
	}
	if name == "" || strings.Contains(name, "/") {
		return fieldErr("service names cannot be empty or contain '/'", "services", name)
	}
	switch s.Type {
	case "":
	case "builtin":
		if !builtinServices[s.Service] {
			return fieldErr(fmt.Sprintf("unknown built-in service %q", s.Service),
				"services", name, "service")
		}
	case "generic":
		if s.Service != "" {
			return fieldErr("a generic service takes no 'service'", "services", name, "service")
		}
	default:
		return fieldErr(fmt.Sprintf("unknown type %q (want builtin or generic)", s.Type),
			"services", name, "type")
	}
	if s.Type == "builtin" && (s.Service == "office-hours" || s.Service == "capacity") {
		if err := validateCalendar(s, name); err != nil {
			return err
		}
	}
	for req := range s.Requests {
		if err := validateRequestName(req); err != nil {
			return fieldErr(err.Error(), "services", name, "requests", req)
		}
	}
	return nil
}

func validateRequestName(req string) error {
	if req == "" || strings.HasPrefix(req, "/") || strings.HasSuffix(req, "/") ||
		strings.Contains(req, "//") {
		return errors.New("request names are non-empty, with no leading, trailing or double '/'")
	}
	if req == "storage" || strings.HasPrefix(req, "storage/") {
		return errors.New("'storage' is reserved for the service-instance storage API")
	}
	return nil
}

func validatePatterns(ps []Pattern, path ...string) error {
	for i, p := range ps {
		at := append(append([]string{}, path...), strconv.Itoa(i))
		if p.Name == "" {
			return fieldErr("pattern needs a name", at...)
		}
		if _, err := regexp.Compile(p.Regex); err != nil {
			return fieldErr("bad regex: "+err.Error(), at...)
		}
	}
	return nil
}

func validateCalendar(s *ServiceConfig, name string) error {
	_, err := loadCalendar(s.Options, s.Service == "capacity")
	var oe *optionError
	if errors.As(err, &oe) {
		return fieldErr(oe.err.Error(), "services", name, "options", oe.key)
	}
	if v := s.Options["_max_capacity"]; v != "" && s.Service == "capacity" {
		if _, err := strconv.Atoi(v); err != nil {
			return fieldErr("must be a whole number", "services", name, "options",
				"_max_capacity")
		}
	}
	return err
}
