package cli

import (
	"errors"
	"fmt"
	"net/url"
	"os"
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
	cmd.AddCommand(newConfigSetCmd(o), newConfigUnsetCmd(o), newConfigGetCmd(o),
		newConfigViewCmd(o), newConfigUseProfileCmd(o), newConfigListCmd(o))
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
			return o.editConfigNode(func(root *yaml.Node) error {
				profile, err := profileNode(root, o.profile)
				if err != nil {
					return err
				}
				if name, ok := strings.CutPrefix(key, "headers."); ok {
					headers, err := nodeMapping(profile, "headers", "headers")
					if err != nil {
						return err
					}
					nodeSet(headers, name, value)
					return nil
				}
				nodeSet(profile, key, value)
				return nil
			})
		},
	}
}

func newConfigUnsetCmd(o *rootOptions) *cobra.Command {
	return &cobra.Command{
		Use:   "unset KEY",
		Short: "Remove a key of the selected profile",
		Long: `Unset removes KEY from the selected profile: any key, including one that
gmsctl does not know (a typo such as "sever"), or headers.NAME for one header.
Comments and the rest of the file are kept.`,
		Example: "  $ gmsctl config unset password\n  $ gmsctl config unset headers.X-Request-Source",
		Args:    exactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			key := args[0]
			return o.editConfigNode(func(root *yaml.Node) error {
				profiles := nodeValue(root, "profiles")
				var profile *yaml.Node
				if profiles != nil && profiles.Kind == yaml.MappingNode {
					profile = nodeValue(profiles, o.profile)
				}
				if profile == nil || profile.Kind != yaml.MappingNode {
					return usageErrorf("profile %q is not in %s", o.profile, o.cfg.path)
				}
				removed := false
				if name, ok := strings.CutPrefix(key, "headers."); ok {
					if headers := nodeValue(profile, "headers"); headers != nil &&
						headers.Kind == yaml.MappingNode {
						removed = nodeDelete(headers, name)
						if len(headers.Content) == 0 {
							nodeDelete(profile, "headers")
						}
					}
				} else {
					removed = nodeDelete(profile, key)
				}
				if !removed {
					return usageErrorf("%s is not set in profile %q of %s", key, o.profile, o.cfg.path)
				}
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
		if u.User != nil {
			return usageErrorf("server %s: a URL must not hold credentials; set user, and the "+
				"password with 'config set password'", u.Redacted())
		}
	case "timeout":
		if d, err := time.ParseDuration(settingValue(key, value)); err != nil || d < 0 {
			return usageErrorf("timeout %q: want seconds or a duration such as 30s", value)
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
			return o.editConfigNode(func(root *yaml.Node) error {
				profiles := nodeValue(root, "profiles")
				if profiles == nil || profiles.Kind != yaml.MappingNode ||
					nodeValue(profiles, args[0]) == nil {
					return usageErrorf("profile %q is not in %s; create it with "+
						"'gmsctl config set --profile %s server URL'", args[0], o.cfg.path, args[0])
				}
				nodeSet(root, "current-profile", args[0])
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
	if err := checkConfigTarget(o.cfg.path, false); err != nil {
		return nil, err
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
