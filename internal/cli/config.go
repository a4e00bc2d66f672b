package cli

import (
	"errors"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
	"github.com/spf13/viper"
)

// Keys that a profile, or a GMSCTL_* variable, can set. Each is also a
// global flag of the same name, except password.
var profileFlagKeys = []string{"server", "user", "gms-user", "api-key", "timeout", "output"}

// envOnlyFlagKeys can come from the environment but not from a profile.
var envOnlyFlagKeys = []string{"mock", "debug", "template", "jq"}

// configFile is a loaded configuration file.
type configFile struct {
	path   string
	exists bool
	v      *viper.Viper
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
	data, err := os.ReadFile(path)
	switch {
	case errors.Is(err, os.ErrNotExist) && !explicit:
		return cf, nil
	case err != nil:
		return nil, usageErrorf("config file: %v", err)
	}
	cf.exists = true
	if err := cf.v.ReadConfig(strings.NewReader(string(data))); err != nil {
		return nil, usageErrorf("config file %s: %v", path, unwrapViper(err))
	}
	return cf, nil
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

func (o *rootOptions) applyConfig(cmd *cobra.Command) error {
	fs := cmd.Flags()
	env := newEnv()
	for _, key := range envOnlyFlagKeys {
		if err := setFromEnv(fs, env, key); err != nil {
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
	cf, err := loadConfig(path, explicit)
	if err != nil {
		return err
	}
	o.cfg = cf
	profile := o.profile
	if profile == "" {
		profile = cf.currentProfile()
	}
	if o.profile != "" && profile != "default" && !cf.hasProfile(profile) && !allowsNewProfile(cmd) {
		return usageErrorf("profile %q is not in %s; run 'gmsctl config list' to see the profiles",
			profile, cf.path)
	}
	o.profile = profile
	for _, key := range profileFlagKeys {
		if err := o.setFromEnvOrProfile(fs, env, key); err != nil {
			return err
		}
	}
	o.applySecretsAndHeaders(fs, env)
	return nil
}

func setFromEnv(fs *pflag.FlagSet, env *viper.Viper, key string) error {
	if fs.Changed(key) || !env.IsSet(key) {
		return nil
	}
	if err := fs.Set(key, env.GetString(key)); err != nil {
		return usageErrorf("environment GMSCTL_%s: %v", envName(key), err)
	}
	return nil
}

func (o *rootOptions) setFromEnvOrProfile(fs *pflag.FlagSet, env *viper.Viper, key string) error {
	if fs.Changed(key) {
		return nil
	}
	if env.IsSet(key) {
		return setFromEnv(fs, env, key)
	}
	value, ok := o.cfg.profileValue(o.profile, key)
	if !ok {
		return nil
	}
	if err := fs.Set(key, value); err != nil {
		return usageErrorf("config file %s, profile %q, key %s: %v", o.cfg.path, o.profile, key, err)
	}
	return nil
}

// applySecretsAndHeaders fills the password (never a flag) and the profile's
// headers (added before any --header, so a flag can override one).
func (o *rootOptions) applySecretsAndHeaders(fs *pflag.FlagSet, env *viper.Viper) {
	if env.IsSet("password") {
		o.password = env.GetString("password")
	} else if pw, ok := o.cfg.profileValue(o.profile, "password"); ok {
		o.password = pw
	}
	headers := o.cfg.v.GetStringMapString("profiles." + o.profile + ".headers")
	if len(headers) == 0 {
		return
	}
	var fromProfile []string
	for _, name := range sortedKeys(headers) {
		fromProfile = append(fromProfile, name+": "+headers[name])
	}
	o.headers = append(fromProfile, o.headers...)
}

func envName(key string) string {
	return strings.ToUpper(strings.ReplaceAll(key, "-", "_"))
}
