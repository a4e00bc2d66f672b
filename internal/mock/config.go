package mock

import (
	"bytes"
	_ "embed"
	"errors"
	"fmt"
	"io"
	"maps"
	"math"
	"os"
	"reflect"
	"regexp"
	"slices"
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
// at the user's line and key.
func parseConfig(name string, data []byte) (*Config, *yaml.Node, error) {
	root := &yaml.Node{}
	if err := yaml.Unmarshal(data, root); err != nil {
		return nil, nil, fmt.Errorf("%s%s", name, lineFirst(err))
	}
	// The shape check names the key of an unknown field or a value of the wrong type,
	// which the YAML decoder's own messages do not.
	if err := checkShape(root, reflect.TypeFor[Config](), nil); err != nil {
		return nil, nil, locate(name, root, err)
	}
	cfg := &Config{}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(cfg); err != nil && !errors.Is(err, io.EOF) {
		return nil, nil, fmt.Errorf("%s%s", name, lineFirst(err))
	}
	if err := cfg.validatePartial(root); err != nil {
		return nil, nil, locate(name, root, err)
	}
	return cfg, root, nil
}

// locate prefixes err with the file name and, for a field error, the line of the field.
func locate(name string, root *yaml.Node, err error) error {
	var fe *fieldError
	if errors.As(err, &fe) {
		line := fe.line
		if line == 0 {
			line = lineOf(root, fe.path)
		}
		if line > 0 {
			return fmt.Errorf("%s:%d: %w", name, line, fe)
		}
	}
	return fmt.Errorf("%s: %w", name, err)
}

// checkShape walks the YAML document against the Go type it decodes into: every mapping
// key must be a field, every value of the kind its field takes. Errors carry the key path
// and line.
func checkShape(n *yaml.Node, t reflect.Type, path []string) error {
	for n.Kind == yaml.DocumentNode || n.Kind == yaml.AliasNode {
		if n.Kind == yaml.AliasNode {
			n = n.Alias
		} else if len(n.Content) == 0 {
			return nil
		} else {
			n = n.Content[0]
		}
	}
	if n.Kind == 0 || n.Kind == yaml.ScalarNode && n.ShortTag() == "!!null" {
		return nil // an empty document or value: nothing to check
	}
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	wrongKind := func(want string) error {
		got := map[yaml.Kind]string{yaml.MappingNode: "a mapping", yaml.SequenceNode: "a list",
			yaml.ScalarNode: fmt.Sprintf("%q", n.Value)}[n.Kind]
		return &fieldError{path: path, line: n.Line, msg: "want " + want + ", got " + got}
	}
	switch t.Kind() {
	case reflect.Struct:
		if n.Kind != yaml.MappingNode {
			return wrongKind("a mapping")
		}
		return eachPair(n, path, t, func(key *yaml.Node, value *yaml.Node, at []string) error {
			f, ok := yamlField(t, key.Value)
			if !ok {
				return &fieldError{path: at, line: key.Line, msg: "unknown field"}
			}
			return checkShape(value, f.Type, at)
		})
	case reflect.Map:
		if n.Kind != yaml.MappingNode {
			return wrongKind("a mapping")
		}
		return eachPair(n, path, t, func(_ *yaml.Node, value *yaml.Node, at []string) error {
			return checkShape(value, t.Elem(), at)
		})
	case reflect.Slice:
		if n.Kind != yaml.SequenceNode {
			return wrongKind("a list")
		}
		for i, item := range n.Content {
			if err := checkShape(item, t.Elem(), append(slices.Clip(path), strconv.Itoa(i))); err != nil {
				return err
			}
		}
	case reflect.String:
		if n.Kind != yaml.ScalarNode {
			return wrongKind("a string")
		}
	case reflect.Int, reflect.Int64:
		var v int64
		// The tag check refuses 1.5, which the decoder would silently make 1.
		if n.Kind != yaml.ScalarNode || n.ShortTag() != "!!int" || n.Decode(&v) != nil ||
			int64(int(v)) != v {
			return wrongKind("a whole number")
		}
	}
	return nil
}

// eachPair calls fn on each key and value of a mapping, with the key's path. The YAML merge
// key "<<" is followed into the mapping (or list of mappings) it names.
func eachPair(n *yaml.Node, path []string, t reflect.Type,
	fn func(key, value *yaml.Node, at []string) error) error {
	for i := 0; i+1 < len(n.Content); i += 2 {
		key, value := n.Content[i], n.Content[i+1]
		if key.Kind == yaml.ScalarNode && key.Value == "<<" && key.ShortTag() == "!!merge" {
			if err := checkShape(value, mergeType(value, t), path); err != nil {
				return err
			}
			continue
		}
		if key.Kind != yaml.ScalarNode {
			return &fieldError{path: path, line: key.Line, msg: "keys must be plain strings"}
		}
		if err := fn(key, value, append(slices.Clip(path), key.Value)); err != nil {
			return err
		}
	}
	return nil
}

// mergeType is the type a merge key's value is checked against: t, or a list of t.
func mergeType(value *yaml.Node, t reflect.Type) reflect.Type {
	if value.Kind == yaml.SequenceNode {
		return reflect.SliceOf(t)
	}
	return t
}

// yamlField finds the struct field whose yaml tag names key.
func yamlField(t reflect.Type, key string) (reflect.StructField, bool) {
	for i := range t.NumField() {
		f := t.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("yaml"), ",")
		if name == key && name != "-" {
			return f, true
		}
	}
	return reflect.StructField{}, false
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
	line int // 0: found from path
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

// validatePartial checks what can be checked in one file on its own. root is the file's
// YAML document, nil for a configuration built in Go.
func (c *Config) validatePartial(root *yaml.Node) error {
	if err := c.Defaults.validate(root); err != nil {
		return err
	}
	if err := c.Auth.Server.validate("auth", "server"); err != nil {
		return err
	}
	if err := c.Auth.Storage.validate("auth", "storage"); err != nil {
		return err
	}
	for _, group := range sortedKeys(c.ResourceGroups) {
		if err := validateGroup(group, c.ResourceGroups[group]); err != nil {
			return err
		}
	}
	for _, name := range sortedKeys(c.Services) {
		if err := c.Services[name].validatePartial(name); err != nil {
			return err
		}
	}
	if err := validatePatterns(c.Patterns, "patterns"); err != nil {
		return err
	}
	for _, g := range sortedKeys(c.PatternGroups) {
		if g == "" || strings.Contains(g, "/") {
			return fieldErr("group names cannot be empty or contain '/'", "pattern_groups", g)
		}
		if err := validatePatterns(c.PatternGroups[g], "pattern_groups", g); err != nil {
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
	if err := c.validatePartial(nil); err != nil {
		return err
	}
	for _, name := range sortedKeys(c.Services) {
		s := c.Services[name]
		if s.Type == "" {
			return fieldErr("type is required (builtin or generic)", "services", name, "type")
		}
		group, set := s.Options["_resource_group"]
		if set && group != "" {
			if _, ok := c.ResourceGroups[group]; !ok {
				return fieldErr(fmt.Sprintf("resource group %q is not in resource_groups", group),
					"services", name, "options", "_resource_group")
			}
			continue
		}
		if s.Type == "builtin" && (s.Service == "request-interaction" ||
			s.Service == "request-access") {
			if _, ok := c.ResourceGroups[defaultGroup]; !ok {
				return fieldErr("the default _resource_group "+defaultGroup+
					" is not in resource_groups; add it or set _resource_group",
					"services", name)
			}
		}
	}
	return nil
}

// defaultGroup is the resource group of a reservation without _resource_group.
const defaultGroup = "DNIS"

func sortedKeys[V any](m map[string]V) []string {
	return slices.Sorted(maps.Keys(m))
}

// validate checks the defaults. In a file (root not nil) a value left out is 0 and keeps
// the default, but a value written as 0 is an error; in a whole configuration, 0 is
// accepted where it has a meaning (no storage limit, the journal's default size).
func (d Defaults) validate(root *yaml.Node) error {
	for _, f := range []struct {
		name     string
		v, max   int64
		zeroOK   bool
		unitHint string
	}{
		{"ttl", int64(d.TTL), maxSeconds, false, " seconds"},
		{"booking_timeout", int64(d.BookingTimeout), maxSeconds, false, " seconds"},
		{"access_code_length", int64(d.AccessCodeLength), 18, false, " digits"},
		{"max_storage_bytes", d.MaxStorageBytes, math.MaxInt64, true, " bytes"},
		{"journal_size", int64(d.JournalSize), math.MaxInt32, true, " requests"},
	} {
		if f.v == 0 {
			if root == nil && f.zeroOK || root != nil && !inFile(root, "defaults", f.name) {
				continue
			}
		}
		if f.v < 1 || f.v > f.max {
			return fieldErr(fmt.Sprintf("must be from 1 to %d%s, got %d", f.max, f.unitHint, f.v),
				"defaults", f.name)
		}
	}
	return nil
}

// inFile reports whether the YAML document sets the key at path.
func inFile(root *yaml.Node, path ...string) bool {
	n := root
	if n.Kind == yaml.DocumentNode && len(n.Content) > 0 {
		n = n.Content[0]
	}
	for _, key := range path {
		for n.Kind == yaml.AliasNode {
			n = n.Alias
		}
		kv := mappingValue(n, key)
		if kv == nil {
			return false
		}
		n = kv.value
	}
	return true
}

func validateGroup(group string, numbers []string) error {
	if group == "" {
		return fieldErr("resource group names cannot be empty", "resource_groups", group)
	}
	if len(numbers) == 0 {
		return fieldErr("a resource group needs at least one access number",
			"resource_groups", group)
	}
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

// validate checks credentials that can be sent with HTTP Basic auth.
func (c *Credentials) validate(path ...string) error {
	if c == nil {
		return nil
	}
	if strings.Contains(c.Username, ":") {
		return fieldErr("a user name cannot contain ':' (HTTP Basic auth could not send it)",
			append(path, "username")...)
	}
	for _, v := range []struct{ key, value string }{
		{"username", c.Username}, {"password", c.Password}} {
		if strings.ContainsFunc(v.value, func(r rune) bool { return r < 0x20 || r == 0x7f }) {
			return fieldErr("control characters cannot be sent in HTTP Basic auth",
				append(path, v.key)...)
		}
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
	if err := validateOptions(s.Options, name); err != nil {
		return err
	}
	if err := s.Auth.validate("services", name, "auth"); err != nil {
		return err
	}
	for _, req := range sortedKeys(s.Requests) {
		if err := validateRequestName(req); err != nil {
			return fieldErr(err.Error(), "services", name, "requests", req)
		}
	}
	return nil
}

// validateOptions checks the service options the mock reads, with the rules a request's
// own parameter gets; an empty value means the default, as in a request.
func validateOptions(opts map[string]string, service string) error {
	for _, key := range sortedKeys(opts) {
		v := opts[key]
		if v == "" {
			continue
		}
		var msg string
		switch key {
		case "_ttl", "_booking_expiration_timeout":
			if _, ok := parseSeconds(v); !ok {
				msg = fmt.Sprintf("want whole seconds from 1 to %d, got %q", maxSeconds, v)
			}
		case "_access_code_length":
			if n, err := strconv.Atoi(v); err != nil || n < 1 || n > 18 {
				msg = fmt.Sprintf("want 1 to 18, got %q", v)
			}
		case "_provide_code", "_return_user_data", "_return_data", "_return_multiple_matches",
			"_delete_service":
			if _, err := parseBool(v); err != nil {
				msg = fmt.Sprintf("want true or false, got %q", v)
			}
		}
		if msg != "" {
			return fieldErr(msg, "services", service, "options", key)
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
