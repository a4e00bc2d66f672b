package cli

import (
	"bytes"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"go.yaml.in/yaml/v3"
	"golang.org/x/term"
)

// settableKeys are the keys of a profile; headers.NAME sets one header.
var settableKeys = []string{"server", "user", "password", "gms-user", "api-key", "timeout", "output"}

func newConfigCmd(o *rootOptions) *cobra.Command {
	cmd := groupCmd("config", "Manage gmsctl's configuration file and profiles")
	cmd.Annotations = map[string]string{annotationNewProfile: "true", annotationConfigCmd: "true"}
	cmd.Long = `Config reads and writes gmsctl's configuration file, by default
$XDG_CONFIG_HOME/gmsctl/config.yaml (~/.config/gmsctl/config.yaml), or the file
named by --config or GMSCTL_CONFIG. The file holds named profiles:

  current-profile: default
  profiles:
    default:
      server: http://127.0.0.1:8080
      user: app
      password: secret
      gms-user: device-42
      api-key: k-123
      timeout: 30s
      output: json
      headers:
        X-Request-Source: ci

A value is taken from, in order: a flag, a GMSCTL_* environment variable, the
selected profile (--profile, GMSCTL_PROFILE or current-profile), the default.
The file is written with mode 0600 since it may hold secrets.`
	cmd.AddCommand(newConfigSetCmd(o), newConfigGetCmd(o), newConfigViewCmd(o),
		newConfigUseProfileCmd(o), newConfigListCmd(o))
	return cmd
}

func newConfigSetCmd(o *rootOptions) *cobra.Command {
	return &cobra.Command{
		Use:   "set KEY [VALUE]",
		Short: "Set a key of the selected profile",
		Long: `Set writes KEY of the selected profile. KEY is one of ` + strings.Join(settableKeys, ", ") +
			`, or headers.NAME for an extra header. A password is never taken from the command
line: "config set password" reads it from the first line of standard input.`,
		Example: `  $ gmsctl config set server http://127.0.0.1:8080
  $ gmsctl config set --profile staging timeout 10s
  $ gmsctl config set headers.X-Request-Source ci
  $ printf 'secret\n' | gmsctl config set password`,
		Args: rangeArgs(1, 2),
		RunE: func(cmd *cobra.Command, args []string) error {
			key := args[0]
			value, err := configSetValue(o, key, args[1:])
			if err != nil {
				return err
			}
			return o.editConfig(func(doc map[string]any) error {
				profile := profileMap(doc, o.profile)
				if name, ok := strings.CutPrefix(key, "headers."); ok {
					headers, _ := profile["headers"].(map[string]any)
					if headers == nil {
						headers = map[string]any{}
					}
					headers[name] = value
					profile["headers"] = headers
					return nil
				}
				profile[key] = value
				return nil
			})
		},
	}
}

func configSetValue(o *rootOptions, key string, rest []string) (string, error) {
	if key == "password" {
		if len(rest) > 0 {
			return "", usageErrorf("a password is never taken from the command line: " +
				"pipe it in, as in: printf 'secret\\n' | gmsctl config set password")
		}
		if f, ok := o.streams.In.(*os.File); ok && o.streams.InTTY {
			// On a terminal: prompt on stderr and read without echo.
			fmt.Fprint(o.streams.ErrOut, "Password: ")
			pw, err := term.ReadPassword(int(f.Fd()))
			fmt.Fprintln(o.streams.ErrOut)
			if err != nil {
				return "", usageErrorf("reading the password: %v", err)
			}
			if len(pw) == 0 {
				return "", usageErrorf("no password given")
			}
			return string(pw), nil
		}
		pw, err := readPasswordLine(o.streams.In)
		if err != nil {
			return "", usageErrorf("config set password: %v; pipe it in, as in: "+
				"printf 'secret\\n' | gmsctl config set password", err)
		}
		return pw, nil
	}
	if len(rest) == 0 {
		return "", usageErrorf("config set %s needs a VALUE", key)
	}
	return rest[0], validateConfigValue(key, rest[0])
}

func validateConfigValue(key, value string) error {
	if name, ok := strings.CutPrefix(key, "headers."); ok {
		if name == "" || strings.ContainsAny(name, ": \t\r\n") || strings.ContainsAny(value, "\r\n") {
			return usageErrorf("bad header %q: want headers.NAME VALUE, with no spaces, colons "+
				"or line breaks in NAME and no line breaks in VALUE", key)
		}
		return nil
	}
	if !slices.Contains(settableKeys, key) {
		return usageErrorf("unknown key %q: want one of %s, or headers.NAME", key,
			strings.Join(settableKeys, ", "))
	}
	switch key {
	case "server":
		u, err := url.Parse(value)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return usageErrorf("server %q: want an http or https URL such as http://127.0.0.1:8080", value)
		}
	case "timeout":
		if d, err := time.ParseDuration(value); err != nil || d < 0 {
			return usageErrorf("timeout %q: want a duration such as 30s", value)
		}
	case "output":
		if !slices.Contains(outputFormats, value) {
			return usageErrorf("output %q: want one of %s", value, strings.Join(outputFormats, ", "))
		}
	}
	return nil
}

func newConfigGetCmd(o *rootOptions) *cobra.Command {
	return &cobra.Command{
		Use:     "get KEY",
		Short:   "Print a key of the selected profile (secrets masked)",
		Example: "  $ gmsctl config get server\n  $ gmsctl config get --profile staging timeout",
		Args:    exactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			key := args[0]
			_, isHeader := strings.CutPrefix(key, "headers.")
			switch {
			case key == "headers":
				headers := o.cfg.v.GetStringMapString("profiles." + o.profile + ".headers")
				for _, name := range sortedKeys(headers) {
					v := headers[name]
					if isSecretName(name) {
						v = mask(v)
					}
					fmt.Fprintf(o.streams.Out, "%s: %s\n", name, v)
				}
				return nil
			case !isHeader && !slices.Contains(settableKeys, key):
				return usageErrorf("unknown key %q: want one of %s, headers or headers.NAME",
					key, strings.Join(settableKeys, ", "))
			}
			value, ok := o.cfg.profileValue(o.profile, args[0])
			if !ok {
				return usageErrorf("%s is not set in profile %q of %s", args[0], o.profile, o.cfg.path)
			}
			if isSecretName(args[0]) {
				value = mask(value)
			}
			_, err := fmt.Fprintln(o.streams.Out, value)
			return err
		},
	}
}

func newConfigViewCmd(o *rootOptions) *cobra.Command {
	return &cobra.Command{
		Use:     "view",
		Short:   "Print the configuration file with secrets masked",
		Example: "  $ gmsctl config view",
		Args:    exactArgs(0),
		RunE: func(cmd *cobra.Command, _ []string) error {
			doc, err := o.readConfigDoc()
			if err != nil {
				return err
			}
			maskSecrets(doc)
			if o.outputFlag || o.jq != "" || o.template != "" {
				return o.printValue(doc) // -o json|table, --jq, --template
			}
			enc := yaml.NewEncoder(o.streams.Out)
			enc.SetIndent(2)
			if err := enc.Encode(doc); err != nil {
				return err
			}
			return enc.Close()
		},
	}
}

func newConfigUseProfileCmd(o *rootOptions) *cobra.Command {
	return &cobra.Command{
		Use:     "use-profile NAME",
		Short:   "Make NAME the profile used when none is named",
		Example: "  $ gmsctl config use-profile staging",
		Args:    exactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return o.editConfig(func(doc map[string]any) error {
				profiles, _ := doc["profiles"].(map[string]any)
				if _, ok := profiles[args[0]]; !ok {
					return usageErrorf("profile %q is not in %s; create it with "+
						"'gmsctl config set --profile %s server URL'", args[0], o.cfg.path, args[0])
				}
				doc["current-profile"] = args[0]
				return nil
			})
		},
	}
}

func newConfigListCmd(o *rootOptions) *cobra.Command {
	return &cobra.Command{
		Use:     "list",
		Short:   "List the profiles of the configuration file",
		Example: "  $ gmsctl config list\n  $ gmsctl config list -o table",
		Args:    exactArgs(0),
		RunE: func(cmd *cobra.Command, _ []string) error {
			doc, err := o.readConfigDoc()
			if err != nil {
				return err
			}
			profiles, _ := doc["profiles"].(map[string]any)
			current := o.cfg.currentProfile()
			type row struct {
				Name    string `json:"name"`
				Current bool   `json:"current"`
				Server  string `json:"server"`
			}
			rows := []row{}
			for _, name := range sortedAnyKeys(profiles) {
				p, _ := profiles[name].(map[string]any)
				server, _ := p["server"].(string)
				rows = append(rows, row{Name: name, Current: name == current, Server: server})
			}
			return o.printValue(rows)
		},
	}
}

// readConfigDoc reads the configuration file as a generic document; a
// missing file reads as empty.
func (o *rootOptions) readConfigDoc() (map[string]any, error) {
	doc := map[string]any{}
	if o.cfg == nil || o.cfg.path == "" {
		return nil, usageErrorf("no configuration file: set XDG_CONFIG_HOME or pass --config")
	}
	data, err := os.ReadFile(o.cfg.path)
	if errors.Is(err, os.ErrNotExist) {
		return doc, nil
	}
	if err != nil {
		return nil, usageErrorf("config file: %v", err)
	}
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, usageErrorf("config file %s: %v", o.cfg.path, err)
	}
	if doc == nil {
		doc = map[string]any{}
	}
	return doc, nil
}

// editConfig applies edit to the configuration file and writes it back
// with mode 0600, through a temporary file so a crash never truncates it.
func (o *rootOptions) editConfig(edit func(map[string]any) error) error {
	doc, err := o.readConfigDoc()
	if err != nil {
		return err
	}
	if err := edit(doc); err != nil {
		return err
	}
	var buf bytes.Buffer
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode(doc); err != nil {
		return err
	}
	data := buf.Bytes()
	path := o.cfg.path
	if real, err := filepath.EvalSymlinks(path); err == nil {
		path = real // keep a symlinked file (dotfiles) a symlink: write its target
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return usageErrorf("config file: %v", err)
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".config-*.yaml")
	if err != nil {
		return usageErrorf("config file: %v", err)
	}
	defer os.Remove(tmp.Name())
	if err := tmp.Chmod(0o600); err != nil {
		tmp.Close()
		return err
	}
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

func profileMap(doc map[string]any, name string) map[string]any {
	profiles, _ := doc["profiles"].(map[string]any)
	if profiles == nil {
		profiles = map[string]any{}
		doc["profiles"] = profiles
	}
	p, _ := profiles[name].(map[string]any)
	if p == nil {
		p = map[string]any{}
		profiles[name] = p
	}
	return p
}

// maskSecrets replaces every secret value of the document, at any depth.
func maskSecrets(v any) {
	m, ok := v.(map[string]any)
	if !ok {
		return
	}
	for k, val := range m {
		if s, isString := val.(string); isString && isSecretName(k) {
			m[k] = mask(s)
			continue
		}
		maskSecrets(val)
	}
}

func mask(s string) string {
	if s == "" {
		return ""
	}
	return "********"
}

func sortedAnyKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
