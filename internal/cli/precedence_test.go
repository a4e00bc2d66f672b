package cli_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// precedenceKey is one setting that can come from a flag, a GMSCTL_*
// variable or the config profile. good is the value that makes check pass;
// the layers that must lose get bad values, so the test sees which one won.
type precedenceKey struct {
	flag, env, profileKey string
	good, bad             string
	args                  func(server string) []string
	// check inspects the run; good is false when no layer sets the key and
	// the default must apply.
	check func(t *testing.T, r result, good bool)
}

// TestE2EPrecedenceEveryCombination runs the binary for every subset of
// {flag, environment, profile} of each key: the highest layer present must
// win, and with none the default applies.
func TestE2EPrecedenceEveryCombination(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	authCfg := filepath.Join(dir, "auth.yaml")
	if err := os.WriteFile(authCfg,
		[]byte("auth:\n  server: {username: app, password: s3cret}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	plain, auth := startMock(t), startMock(t, "--config", authCfg)

	keys := []precedenceKey{{
		flag: "--server", env: "GMSCTL_SERVER", profileKey: "server",
		good: plain.url, bad: "http://127.0.0.1:1",
		args: func(string) []string { return []string{"service", "create", "generic-service"} },
		check: func(t *testing.T, r result, good bool) {
			if !good {
				r.wantCode(t, 2)
				if !strings.Contains(r.stderr, "no GMS server") {
					t.Errorf("stderr %q", r.stderr)
				}
				return
			}
			r.wantCode(t, 0)
		},
	}, {
		flag: "--gms-user", env: "GMSCTL_GMS_USER", profileKey: "gms-user",
		good: "device-good", bad: "device-bad",
		args: func(server string) []string {
			return []string{"--server", server, "service", "create", "svc", "--dry-run"}
		},
		check: func(t *testing.T, r result, good bool) {
			r.wantCode(t, 0)
			has := strings.Contains(r.stdout, "\ngms_user: device-good\n")
			if has != good || strings.Contains(r.stdout, "device-bad") {
				t.Errorf("dry-run headers:\n%s", r.stdout)
			}
		},
	}, {
		flag: "--output", env: "GMSCTL_OUTPUT", profileKey: "output",
		good: "yaml", bad: "table",
		args: func(server string) []string {
			return []string{"--server", server, "service", "create", "generic-service"}
		},
		check: func(t *testing.T, r result, good bool) {
			r.wantCode(t, 0)
			isYAML := strings.HasPrefix(r.stdout, "_data_id: ")
			isJSON := strings.HasPrefix(r.stdout, "{\n")
			if (good && !isYAML) || (!good && !isJSON) {
				t.Errorf("output:\n%s", r.stdout)
			}
		},
	}, {
		flag: "--user", env: "GMSCTL_USER", profileKey: "user",
		good: "app", bad: "nobody",
		args: func(string) []string {
			return []string{"--server", auth.url, "service", "create", "generic-service"}
		},
		check: func(t *testing.T, r result, good bool) {
			if good {
				r.wantCode(t, 0)
			} else {
				r.wantCode(t, 4)
			}
		},
	}}

	for _, k := range keys {
		for mask := 0; mask < 8; mask++ {
			hasFlag, hasEnv, hasProfile := mask&4 != 0, mask&2 != 0, mask&1 != 0
			name := fmt.Sprintf("%s/flag=%v,env=%v,profile=%v", k.profileKey, hasFlag, hasEnv,
				hasProfile)
			t.Run(name, func(t *testing.T) {
				val := func(isWinner bool) string {
					if isWinner {
						return k.good
					}
					return k.bad
				}
				xdg := t.TempDir()
				env := []string{"XDG_CONFIG_HOME=" + xdg, "GMSCTL_PASSWORD=s3cret"}
				var args []string
				if hasFlag {
					args = append(args, k.flag, val(true))
				}
				if hasEnv {
					env = append(env, k.env+"="+val(!hasFlag))
				}
				if hasProfile {
					cfg := fmt.Sprintf("profiles:\n  default:\n    %s: %q\n", k.profileKey,
						val(!hasFlag && !hasEnv))
					writeConfig(t, xdg, cfg)
				}
				args = append(args, k.args(plain.url)...)
				k.check(t, gmsctl(t, "", env, args...), mask != 0)
			})
		}
	}
}

func writeConfig(t *testing.T, xdg, content string) {
	t.Helper()
	d := filepath.Join(xdg, "gmsctl")
	if err := os.MkdirAll(d, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(d, "config.yaml"), []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
}
