package cli

import (
	"bytes"
	"context"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gmsctl/gmsctl/internal/mock"
)

// runWith runs gmsctl in-process with fake streams against a fresh mock.
func runWith(t *testing.T, tty bool, env map[string]string, args ...string) (string, string, int) {
	t.Helper()
	return runOn(t, newTestMock(t), tty, env, args...)
}

func newTestMock(t *testing.T) string {
	t.Helper()
	srv, err := mock.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv)
	t.Cleanup(ts.Close)
	return ts.URL
}

// runOn runs gmsctl in-process with fake streams against the server at url.
func runOn(t *testing.T, url string, tty bool, env map[string]string, args ...string) (string, string, int) {
	t.Helper()
	t.Setenv("XDG_CONFIG_HOME", t.TempDir())
	var out, errOut bytes.Buffer
	streams := &IOStreams{In: strings.NewReader(""), Out: &out, ErrOut: &errOut,
		OutTTY: tty, ErrTTY: tty, Getenv: func(k string) string { return env[k] }}
	code := Run(context.Background(), append([]string{"--server", url}, args...), streams)
	return out.String(), errOut.String(), code
}

func TestColourOnlyOnTerminalWithoutNoColor(t *testing.T) {
	args := []string{"service", "create", "request-interaction", "--phone", "5551234"}
	out, _, code := runWith(t, true, nil, args...)
	if code != 0 || !strings.Contains(out, colorKey+`"_id"`) {
		t.Errorf("terminal output should colour keys (exit %d):\n%q", code, out)
	}
	for name, env := range map[string]map[string]string{
		"pipe":      nil,
		"NO_COLOR":  {"NO_COLOR": "1"},
		"TERM=dumb": {"TERM": "dumb"},
	} {
		out, _, code := runWith(t, name != "pipe", env, args...)
		if code != 0 || strings.Contains(out, "\x1b[") || !strings.Contains(out, `"_id"`) {
			t.Errorf("%s: output should be plain JSON (exit %d):\n%q", name, code, out)
		}
	}
}

func TestTableAlignedOnTerminal(t *testing.T) {
	out, _, code := runWith(t, true, nil, "service", "create", "request-interaction",
		"--phone", "5551234", "-o", "table")
	if code != 0 || !strings.HasPrefix(out, "KEY               VALUE\n") || strings.Contains(out, "\t") {
		t.Errorf("terminal table should be aligned with spaces (exit %d):\n%q", code, out)
	}
}

// TestProgressBarOnlyOnTerminal: an upload and a download above the
// threshold show a bar on a terminal's stderr, and nothing in a pipe.
func TestProgressBarOnlyOnTerminal(t *testing.T) {
	big := filepath.Join(t.TempDir(), "big.bin")
	content := bytes.Repeat([]byte("gms!"), (progressThreshold+1<<20)/4)
	if err := os.WriteFile(big, content, 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tty := range []bool{true, false} {
		url := newTestMock(t)
		out, stderr, code := runOn(t, url, tty, nil, "storage", "create", "-F", "blob=@"+big,
			"--jq", ".id")
		switch {
		case code != 0:
			t.Fatalf("tty=%v: exit %d: %s", tty, code, stderr)
		case tty && !strings.Contains(stderr, "uploading"):
			t.Errorf("terminal: no upload progress on stderr: %q", stderr)
		case !tty && stderr != "":
			t.Errorf("pipe: upload stderr should stay empty, got %q", stderr)
		}
		got := filepath.Join(t.TempDir(), "got.bin")
		_, stderr, code = runOn(t, url, tty, nil, "storage", "get", strings.TrimSpace(out),
			"blob", "-O", got)
		switch {
		case code != 0:
			t.Fatalf("tty=%v: download exit %d: %s", tty, code, stderr)
		case tty && !strings.Contains(stderr, "downloading"):
			t.Errorf("terminal: no download progress on stderr: %q", stderr)
		case !tty && stderr != "":
			t.Errorf("pipe: download stderr should stay empty, got %q", stderr)
		}
		if a, b := fileBytes(t, big), fileBytes(t, got); !bytes.Equal(a, b) {
			t.Errorf("tty=%v: downloaded %d bytes, uploaded %d", tty, len(b), len(a))
		}
	}
}

func fileBytes(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
