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
	for _, want := range []string{"my-service", "request-interaction", "match-interaction",
		"generic-service"} {
		if !slices.Contains(got, want) {
			t.Errorf("service create completion %q lacks %q", got, want)
		}
	}
	for _, unwanted := range []string{"office-hours", "capacity"} {
		if slices.Contains(got, unwanted) {
			t.Errorf("service create completion %q offers the queried %q", got, unwanted)
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

	// service query offers the queried services only; service create never does.
	got = lines(gmsctl(t, "", env, "__complete", "service", "query", "").wantCode(t, 0))
	if strings.Join(got, ",") != "capacity,office-hours" {
		t.Errorf("service query completion: %q", got)
	}

	// Storage ids, and instance ids with --service.
	data := gmsctl(t, "", env, "storage", "create", "-f", "k=v", "--jq", ".id").wantCode(t, 0).stdout
	got = lines(gmsctl(t, "", env, "__complete", "storage", "get", "").wantCode(t, 0))
	if !slices.Contains(got, strings.TrimSpace(data)) {
		t.Errorf("storage get completion %q lacks %s", got, data)
	}
	got = lines(gmsctl(t, "", env, "__complete", "storage", "get", "--service", "").wantCode(t, 0))
	if !slices.Contains(got, id+"\tmy-service") {
		t.Errorf("storage get --service completion %q lacks %s", got, id)
	}

	// No server answers: the built-in names that create services, and no error.
	off := []string{"GMSCTL_SERVER=http://127.0.0.1:1"}
	got = lines(gmsctl(t, "", off, "__complete", "service", "create", "").wantCode(t, 0))
	want := "match-interaction,request-access,request-chat,request-interaction"
	if strings.Join(got, ",") != want {
		t.Errorf("offline completion: %q, want %s", got, want)
	}
}
