package cli

import (
	"bytes"
	"context"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/gmsctl/gmsctl/internal/mock"
)

// runWith runs gmsctl in-process with fake streams against a fresh mock.
func runWith(t *testing.T, tty bool, env map[string]string, args ...string) (string, string, int) {
	t.Helper()
	srv, err := mock.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv)
	t.Cleanup(ts.Close)
	t.Setenv("XDG_CONFIG_HOME", t.TempDir())
	var out, errOut bytes.Buffer
	streams := &IOStreams{In: strings.NewReader(""), Out: &out, ErrOut: &errOut,
		OutTTY: tty, ErrTTY: tty, Getenv: func(k string) string { return env[k] }}
	code := Run(context.Background(), append([]string{"--server", ts.URL}, args...), streams)
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
