package cli_test

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestE2ECompletionAsksTheServedMock: with a gmsctl mock as the server,
// completion offers its configured services, its running instances and
// their requests; with no reachable server it falls back to the built-ins.
func TestE2ECompletionAsksTheServedMock(t *testing.T) {
	t.Parallel()
	cfg := filepath.Join(t.TempDir(), "mock.yaml")
	yaml := "services:\n  my-service:\n    type: generic\n    requests:\n      ping: {}\n      pong: {}\n"
	if err := os.WriteFile(cfg, []byte(yaml), 0o644); err != nil {
		t.Fatal(err)
	}
	m := startMock(t, "--config", cfg)
	env := []string{"GMSCTL_SERVER=" + m.url}

	lines := func(r result) []string {
		var out []string
		for _, l := range strings.Split(strings.TrimSpace(r.stdout), "\n") {
			if !strings.HasPrefix(l, ":") {
				out = append(out, l)
			}
		}
		return out
	}
	got := lines(gmsctl(t, "", env, "__complete", "service", "create", "").wantCode(t, 0))
	for _, want := range []string{"my-service", "request-interaction", "match-interaction"} {
		if !slices.Contains(got, want) {
			t.Errorf("service create completion %q lacks %q", got, want)
		}
	}

	id := gmsctl(t, "", env, "service", "create", "my-service", "--jq", "._id").wantCode(t, 0).stdout
	id = strings.TrimSpace(id)
	got = lines(gmsctl(t, "", env, "__complete", "service", "request", "").wantCode(t, 0))
	if !slices.Contains(got, id+"\tmy-service") {
		t.Errorf("service request completion %q lacks the instance %s", got, id)
	}
	got = lines(gmsctl(t, "", env, "__complete", "service", "request", id, "p").wantCode(t, 0))
	if strings.Join(got, ",") != "ping,pong" {
		t.Errorf("request completion of %s: %q, want ping and pong", id, got)
	}

	// No server answers: the built-in names, quickly, and no error.
	off := []string{"GMSCTL_SERVER=http://127.0.0.1:1"}
	got = lines(gmsctl(t, "", off, "__complete", "service", "create", "match").wantCode(t, 0))
	if strings.Join(got, ",") != "match-interaction" {
		t.Errorf("offline completion: %q", got)
	}
}
