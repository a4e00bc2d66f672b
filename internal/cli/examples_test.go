package cli_test

import (
	"bufio"
	"cmp"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/gmsctl/gmsctl/internal/cli"
	"github.com/spf13/cobra"
)

// Sample values that Example sections use; the test swaps in real ones.
const (
	sampleServer    = "http://127.0.0.1:8080"
	sampleServiceID = "39a98e24-b03b-4191-b756-1efe8f3b16b8"
	sampleDataID    = "5f1c0a4e-2f0b-4a53-9f3c-0a1b2c3d4e5f"
	sampleNumber    = "8003449999"
	sampleCode      = "7684"
)

type example struct {
	command string // the command path that documents it
	line    string // shell line, without the "$ " prompt
}

// collectExamples returns every "$ gmsctl ..." line of every Example,
// with backslash continuations joined.
func collectExamples(c *cobra.Command) []example {
	var out []example
	var pending string
	for _, raw := range strings.Split(c.Example, "\n") {
		line := strings.TrimSpace(raw)
		if pending != "" {
			line = pending + " " + line
			pending = ""
		} else if !strings.HasPrefix(line, "$ ") {
			continue
		} else {
			line = strings.TrimPrefix(line, "$ ")
		}
		if strings.HasSuffix(line, `\`) {
			pending = strings.TrimSuffix(line, `\`)
			continue
		}
		out = append(out, example{command: c.CommandPath(), line: line})
	}
	for _, sub := range c.Commands() {
		out = append(out, collectExamples(sub)...)
	}
	return out
}

// TestExamplesRun runs every Example line of every command as a user would,
// in a shell, against a served mock: each must exit 0.
func TestExamplesRun(t *testing.T) {
	t.Parallel()
	root := cli.NewRootCmd(&cli.IOStreams{})
	examples := collectExamples(root)
	// Deleting and stopping come last, as a user would do it, so that the other
	// examples still find the data and services that those examples remove.
	slices.SortStableFunc(examples, func(a, b example) int {
		return cmp.Compare(deleteRank(a), deleteRank(b))
	})
	if len(examples) < 15 {
		t.Fatalf("found only %d examples", len(examples))
	}
	m := startMock(t)
	dir := t.TempDir()
	env := exampleEnv(t, dir, m.url)
	real := prepareExampleState(t, env, m.url)

	for _, ex := range examples {
		line := real.Replace(ex.line)
		if strings.HasPrefix(line, "gmsctl mock serve") {
			runServeExample(t, ex, line, env, dir)
			continue
		}
		cmd := exec.Command("sh", "-c", line)
		cmd.Dir, cmd.Env = dir, env
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Errorf("example of %q failed: %s\n  ran: %s\n  %v\n%s", ex.command, ex.line, line, err, out)
		}
	}
	for _, c := range root.Commands() {
		checkHasExample(t, c)
	}
}

func deleteRank(e example) int {
	if strings.HasSuffix(e.command, " delete") || strings.HasSuffix(e.command, " stop") {
		return 1
	}
	return 0
}

func checkHasExample(t *testing.T, c *cobra.Command) {
	t.Helper()
	if c.Runnable() && !c.HasSubCommands() && c.Example == "" && c.IsAvailableCommand() &&
		c.Name() != "help" &&
		c.Parent().Name() != "completion" {
		t.Errorf("%q has no Example section", c.CommandPath())
	}
	for _, sub := range c.Commands() {
		checkHasExample(t, sub)
	}
}

// exampleEnv puts the binary first on PATH, the mock in a config profile
// (default and staging), and MyPic.png under testdata/.
func exampleEnv(t *testing.T, dir, url string) []string {
	t.Helper()
	bin := gmsctlBinary(t)
	if err := os.MkdirAll(filepath.Join(dir, "testdata"), 0o755); err != nil {
		t.Fatal(err)
	}
	pic, err := os.ReadFile("testdata/MyPic.png")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "testdata", "MyPic.png"), pic, 0o644); err != nil {
		t.Fatal(err)
	}
	cfgDir := filepath.Join(dir, "xdg", "gmsctl")
	if err := os.MkdirAll(cfgDir, 0o700); err != nil {
		t.Fatal(err)
	}
	cfg := "profiles:\n  default:\n    server: " + url + "\n  staging:\n    server: " + url +
		"\n    timeout: 10s\n"
	if err := os.WriteFile(filepath.Join(cfgDir, "config.yaml"), []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
	return []string{"PATH=" + filepath.Dir(bin) + ":/usr/bin:/bin", "HOME=" + dir,
		"XDG_CONFIG_HOME=" + filepath.Join(dir, "xdg")}
}

// prepareExampleState creates the services the examples name and returns
// the replacer from sample values to real ones.
func prepareExampleState(t *testing.T, env []string, url string) *strings.Replacer {
	t.Helper()
	run := func(args ...string) map[string]any {
		r := gmsctl(t, "", env, append([]string{"--server", url}, args...)...).wantCode(t, 0)
		return r.json(t)
	}
	generic := run("service", "create", "generic-service", "-f", "color=blue")
	withData := run("service", "create", "request-interaction", "--phone", "6504669999",
		"-F", "language=french", "-F", "FileKey=@testdata/MyPic.png")
	reserved := run("service", "create", "request-interaction", "--phone", "6504669999",
		"--provide-code")
	reserved2 := run("service", "create", "request-interaction", "--phone", "6504669999",
		"--provide-code")
	return strings.NewReplacer(
		sampleServer, url,
		sampleServiceID, generic["_id"].(string),
		sampleDataID, withData["_data_id"].(string),
		"_access_number="+sampleNumber, "_access_number="+reserved["_access_number"].(string),
		"_access_code="+sampleCode, "_access_code="+reserved["_access_code"].(string),
		"--access-number "+sampleNumber, "--access-number "+reserved2["_access_number"].(string),
		"--access-code "+sampleCode, "--access-code "+reserved2["_access_code"].(string),
	)
}

var portRE = regexp.MustCompile(`--addr 127\.0\.0\.1:\d+`)

// runServeExample starts a mock serve example on a free port, waits until
// it serves, stops it with SIGTERM and expects exit 0.
func runServeExample(t *testing.T, ex example, line string, env []string, dir string) {
	t.Helper()
	line = portRE.ReplaceAllString(line, "--addr 127.0.0.1:0")
	if strings.Contains(line, "--config mock.yaml") {
		cfg := "services:\n  my-service:\n    type: generic\n"
		if err := os.WriteFile(filepath.Join(dir, "mock.yaml"), []byte(cfg), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	args := strings.Fields(line)
	cmd := exec.Command(args[0], args[1:]...)
	cmd.Dir, cmd.Env = dir, env
	cmd.Path = gmsctlBinary(t)
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	served := make(chan bool, 1)
	go func() {
		sc := bufio.NewScanner(stderr)
		ok := false
		for sc.Scan() {
			if !ok && strings.Contains(sc.Text(), "serving GMS on") {
				ok = true
				served <- true
			}
		}
		if !ok {
			served <- false
		}
	}()
	select {
	case ok := <-served:
		if !ok {
			t.Errorf("example of %q did not serve: %s", ex.command, ex.line)
		}
	case <-time.After(30 * time.Second):
		t.Errorf("example of %q did not serve in time: %s", ex.command, ex.line)
	}
	_ = cmd.Process.Signal(syscall.SIGTERM)
	if err := cmd.Wait(); err != nil {
		t.Errorf("example of %q: exit after SIGTERM: %v", ex.command, err)
	}
}
