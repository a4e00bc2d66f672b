package cli

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
	"github.com/spf13/viper"
	"go.yaml.in/yaml/v3"
)

// Keys that a profile, or a GMSCTL_* variable, can set. Each is also a
// global flag of the same name, except password.
var profileFlagKeys = []string{"server", "user", "gms-user", "api-key", "timeout", "output"}

// envOnlyFlagKeys can come from the environment but not from a profile.
var envOnlyFlagKeys = []string{"mock", "debug", "template", "jq"}

// profileSettingKeys are the keys a profile may hold besides headers.
var profileSettingKeys = append(slices.Clone(profileFlagKeys), "password")

// configFile is a loaded configuration file.
type configFile struct {
	path   string
	exists bool
	v      *viper.Viper
	// shapeErr reports an unknown key or a value of the wrong shape. It stops
	// the commands that use the configuration, not the config commands that
	// could repair it.
	shapeErr error
}

// newEnv returns a viper that reads only GMSCTL_* variables: dashes in keys
// become underscores (gms-user -> GMSCTL_GMS_USER).
func newEnv() *viper.Viper {
	env := viper.New()
	env.SetEnvPrefix("GMSCTL")
	env.SetEnvKeyReplacer(strings.NewReplacer("-", "_"))
	env.AutomaticEnv()
	return env
}

// defaultConfigPath is $XDG_CONFIG_HOME/gmsctl/config.yaml, falling back to
// the user's configuration directory.
func defaultConfigPath() string {
	dir := os.Getenv("XDG_CONFIG_HOME")
	if dir != "" && !filepath.IsAbs(dir) {
		dir = "" // the XDG spec says to ignore a relative path
		if home, err := os.UserHomeDir(); err == nil {
			return filepath.Join(home, ".config", "gmsctl", "config.yaml")
		}
	}
	if dir == "" {
		var err error
		if dir, err = os.UserConfigDir(); err != nil {
			return ""
		}
	}
	return filepath.Join(dir, "gmsctl", "config.yaml")
}

// loadConfig reads path. A missing file is an error only when explicit.
func loadConfig(path string, explicit bool) (*configFile, error) {
	cf := &configFile{path: path, v: viper.New()}
	cf.v.SetConfigType("yaml")
	if path == "" {
		return cf, nil
	}
	if err := checkConfigTarget(path, false); err != nil {
		return nil, err
	}
	data, err := os.ReadFile(path)
	switch {
	case errors.Is(err, os.ErrNotExist) && !explicit:
		return cf, nil
	case err != nil:
		return nil, usageErrorf("config file: %v", err)
	}
	cf.exists = true
	if err := cf.v.ReadConfig(strings.NewReader(string(data))); err != nil {
		return nil, usageErrorf("config file %s: %s", path, oneLine(unwrapViper(err).Error()))
	}
	cf.shapeErr = checkConfigShape(path, data)
	return cf, nil
}

var (
	colonBreaks = regexp.MustCompile(`:\s*\n\s*`)
	lineBreaks  = regexp.MustCompile(`\s*\n\s*`)
)

// oneLine joins the lines of a parser's message, so an error stays one line.
func oneLine(msg string) string {
	msg = colonBreaks.ReplaceAllString(strings.TrimSpace(msg), ": ")
	return lineBreaks.ReplaceAllString(msg, "; ")
}

// checkConfigShape reports the first key that gmsctl does not know and the
// first value of the wrong shape, with its line: a typo such as "sever:"
// must not be silently ignored.
func checkConfigShape(path string, data []byte) error {
	var root yaml.Node
	if yaml.Unmarshal(data, &root) != nil || len(root.Content) == 0 {
		return nil // the loader reports syntax errors; an empty file is fine
	}
	bad := func(n *yaml.Node, format string, a ...any) error {
		return usageErrorf("config file %s: line %d: %s", path, n.Line, fmt.Sprintf(format, a...))
	}
	doc := root.Content[0]
	if doc.Kind != yaml.MappingNode {
		return bad(doc, "want a mapping with current-profile and profiles")
	}
	for i := 0; i+1 < len(doc.Content); i += 2 {
		k, v := doc.Content[i], doc.Content[i+1]
		switch k.Value {
		case "current-profile":
			if v.Kind != yaml.ScalarNode {
				return bad(v, "current-profile must be a profile name")
			}
		case "profiles":
			if err := checkProfilesShape(v, bad); err != nil {
				return err
			}
		default:
			return bad(k, "unknown key %q (want current-profile or profiles)", k.Value)
		}
	}
	return nil
}

func checkProfilesShape(n *yaml.Node, bad func(*yaml.Node, string, ...any) error) error {
	n = resolveAlias(n)
	if n.Kind != yaml.MappingNode {
		return bad(n, "profiles must map profile names to their settings")
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if err := checkProfileShape(n.Content[i].Value, n.Content[i+1], bad); err != nil {
			return err
		}
	}
	return nil
}

// checkProfileShape checks one profile's settings; a YAML merge key (<<)
// brings in the settings of the mapping (or mappings) it names.
func checkProfileShape(name string, body *yaml.Node, bad func(*yaml.Node, string, ...any) error) error {
	body = resolveAlias(body)
	if body.Kind != yaml.MappingNode {
		return bad(body, "profile %q must be a mapping of settings, such as server: URL", name)
	}
	for j := 0; j+1 < len(body.Content); j += 2 {
		k, v := body.Content[j], resolveAlias(body.Content[j+1])
		switch {
		case k.Value == "<<" && k.Tag == "!!merge":
			merged := []*yaml.Node{v}
			if v.Kind == yaml.SequenceNode {
				merged = v.Content
			}
			for _, m := range merged {
				if err := checkProfileShape(name, m, bad); err != nil {
					return err
				}
			}
		case k.Value == "headers":
			if v.Kind != yaml.MappingNode {
				return bad(v, "headers of profile %q must map header names to values", name)
			}
			for h := 1; h < len(v.Content); h += 2 {
				if resolveAlias(v.Content[h]).Kind != yaml.ScalarNode {
					return bad(v.Content[h], "header %s of profile %q must be a single value",
						v.Content[h-1].Value, name)
				}
			}
		case slices.Contains(profileSettingKeys, k.Value):
			if v.Kind != yaml.ScalarNode {
				return bad(v, "%s of profile %q must be a single value", k.Value, name)
			}
		default:
			return bad(k, "unknown key %q in profile %q (known: %s, headers)", k.Value, name,
				strings.Join(profileSettingKeys, ", "))
		}
	}
	return nil
}

func resolveAlias(n *yaml.Node) *yaml.Node {
	for n.Kind == yaml.AliasNode && n.Alias != nil {
		n = n.Alias
	}
	return n
}

// unwrapViper drops viper's "While parsing config:" wrapper, keeping the YAML
// parser's own message, which names the line.
func unwrapViper(err error) error {
	if u := errors.Unwrap(err); u != nil {
		return u
	}
	return err
}

// currentProfile names the profile that the file selects, "default" if none.
func (cf *configFile) currentProfile() string {
	if p := cf.v.GetString("current-profile"); p != "" {
		return p
	}
	return "default"
}

func (cf *configFile) hasProfile(name string) bool {
	return cf.v.IsSet("profiles." + name)
}

func (cf *configFile) profileValue(profile, key string) (string, bool) {
	k := "profiles." + profile + "." + key
	if !cf.v.IsSet(k) {
		return "", false
	}
	return cf.v.GetString(k), true
}

// applyConfig sets every flag the user did not set from the environment,
// then from the selected profile: flag > environment > profile > default.
// annotationNewProfile on a command (or its parent) lets --profile name a
// profile that the file does not have yet: config set creates it.
const annotationNewProfile = "gmsctl/new-profile"

func allowsNewProfile(cmd *cobra.Command) bool {
	for c := cmd; c != nil; c = c.Parent() {
		if c.Annotations[annotationNewProfile] == "true" {
			return true
		}
	}
	return false
}

// annotationNoConfig marks a command that works without gmsctl's
// configuration (version, help, completion, mock serve): a broken or missing
// configuration file must not stop it.
const annotationNoConfig = "gmsctl/no-config"

// annotationConfigCmd marks the config commands: a file with an unknown key
// must not stop the commands that can repair it.
const annotationConfigCmd = "gmsctl/config-cmd"

func hasAnnotation(cmd *cobra.Command, name string) bool {
	for c := cmd; c != nil; c = c.Parent() {
		if c.Annotations[name] == "true" {
			return true
		}
	}
	return false
}

func needsNoConfig(cmd *cobra.Command) bool {
	for c := cmd; c != nil && c.HasParent(); c = c.Parent() {
		if c.Name() == "help" || c.Name() == "completion" {
			return true
		}
	}
	return hasAnnotation(cmd, annotationNoConfig)
}

func (o *rootOptions) applyConfig(cmd *cobra.Command) error {
	fs := cmd.Flags()
	env := newEnv()
	o.sources = map[string]string{}
	// A --jq flag wins over GMSCTL_TEMPLATE, and --template over GMSCTL_JQ.
	userJQ, userTemplate := fs.Changed("jq"), fs.Changed("template")
	// An explicit --server wins over GMSCTL_MOCK, as a flag wins over a variable.
	userServer := fs.Changed("server")
	for _, key := range envOnlyFlagKeys {
		if (key == "template" && userJQ) || (key == "jq" && userTemplate) ||
			(key == "mock" && userServer) {
			continue
		}
		if err := o.setFromEnv(fs, env, key); err != nil {
			return err
		}
	}
	if o.configPath == "" {
		o.configPath = env.GetString("config")
	}
	if o.profile == "" {
		o.profile = env.GetString("profile")
	}
	path, explicit := o.configPath, o.configPath != ""
	if !explicit {
		path = defaultConfigPath()
	}
	// config set may create the file that --config names.
	cf, err := loadConfig(path, explicit && !hasAnnotation(cmd, annotationConfigCmd))
	if err != nil && needsNoConfig(cmd) {
		cf, err = loadConfig("", false)
	}
	if err != nil {
		return err
	}
	if cf.shapeErr != nil && !needsNoConfig(cmd) && !hasAnnotation(cmd, annotationConfigCmd) {
		return cf.shapeErr
	}
	o.cfg = cf
	profile := o.profile
	if profile == "" {
		profile = cf.currentProfile()
	}
	if profile != "default" && !cf.hasProfile(profile) && !allowsNewProfile(cmd) &&
		!needsNoConfig(cmd) {
		if o.profile == "" {
			return usageErrorf("current-profile %q of %s is not a profile of that file; "+
				"run 'gmsctl config use-profile NAME' or 'gmsctl config list'", profile, cf.path)
		}
		return usageErrorf("profile %q is not in %s; run 'gmsctl config list' to see the profiles",
			profile, cf.path)
	}
	o.profile = profile
	if hasAnnotation(cmd, annotationConfigCmd) {
		// The config commands read and write the file itself; a bad value
		// there must not stop the command that repairs it.
		for _, key := range profileFlagKeys {
			if err := o.setFromEnv(fs, env, key); err != nil {
				return err
			}
		}
		return nil
	}
	for _, key := range profileFlagKeys {
		if err := o.setFromEnvOrProfile(fs, env, key); err != nil {
			return err
		}
	}
	o.applySecretsAndHeaders(fs, env)
	return nil
}

// sourceOf names where the value of a setting came from, for error messages:
// "--server", "GMSCTL_SERVER" or the config file's profile.
func (o *rootOptions) sourceOf(key string) string {
	if s, ok := o.sources[key]; ok {
		return s
	}
	return "--" + key
}

func (o *rootOptions) setFromEnv(fs *pflag.FlagSet, env *viper.Viper, key string) error {
	if fs.Changed(key) || !env.IsSet(key) {
		return nil
	}
	o.sources[key] = "GMSCTL_" + envName(key)
	if err := fs.Set(key, settingValue(key, env.GetString(key))); err != nil {
		return usageErrorf("environment GMSCTL_%s: %v", envName(key), err)
	}
	return nil
}

func (o *rootOptions) setFromEnvOrProfile(fs *pflag.FlagSet, env *viper.Viper, key string) error {
	if fs.Changed(key) {
		return nil
	}
	if env.IsSet(key) {
		return o.setFromEnv(fs, env, key)
	}
	value, ok := o.cfg.profileValue(o.profile, key)
	if !ok {
		return nil
	}
	o.sources[key] = fmt.Sprintf("config file %s, profile %q, key %s", o.cfg.path, o.profile, key)
	if err := fs.Set(key, settingValue(key, value)); err != nil {
		return usageErrorf("%s: %q: %v", o.sources[key], value, flagValueError(err))
	}
	return nil
}

// applySecretsAndHeaders fills the password (never a flag) and the profile's
// headers (added before any --header, so a flag can override one).
func (o *rootOptions) applySecretsAndHeaders(fs *pflag.FlagSet, env *viper.Viper) {
	if env.IsSet("password") {
		o.password, o.passwordSource = env.GetString("password"), "GMSCTL_PASSWORD"
	} else if pw, ok := o.cfg.profileValue(o.profile, "password"); ok {
		o.password = pw
		o.passwordSource = fmt.Sprintf("config file %s, profile %q", o.cfg.path, o.profile)
	}
	headers := o.cfg.v.GetStringMapString("profiles." + o.profile + ".headers")
	if len(headers) == 0 {
		return
	}
	var fromProfile []string
	for _, name := range sortedKeys(headers) {
		fromProfile = append(fromProfile, name+": "+headers[name])
	}
	o.profileHeaders = len(fromProfile)
	o.headers = append(fromProfile, o.headers...)
}

func envName(key string) string {
	return strings.ToUpper(strings.ReplaceAll(key, "-", "_"))
}

// settingValue reads a bare number of seconds as a duration for timeout,
// the natural way to write it in YAML or a variable ("30" is 30s).
func settingValue(key, value string) string {
	if key == "timeout" && value != "" && strings.Trim(value, "0123456789") == "" {
		return value + "s"
	}
	return value
}

// flagValueError drops pflag's "invalid argument ... for --flag" wrapper,
// which would name a flag the user did not give.
func flagValueError(err error) error {
	if u := errors.Unwrap(err); u != nil {
		return u
	}
	return err
}
