package cli_test

import (
	"context"
	"errors"
	"flag"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/gmsctl/gmsctl/internal/mock"
	"github.com/rogpeppe/go-internal/testscript"
)

var updateScripts = flag.Bool("update-scripts", false,
	"rewrite the expected output in testdata/script from what gmsctl prints")

// scriptClock is the mock's frozen time in scripts, so answers are exact.
var scriptClock = time.Date(2026, time.December, 4, 12, 0, 0, 0, time.UTC)

// TestScripts runs testdata/script/*.txtar: gmsctl as a user runs it, with
// exact expected stdout, stderr and exit codes. Each script gets its own
// mock GMS (seeded, frozen clock) in $GMSCTL_SERVER and an empty HOME.
func TestScripts(t *testing.T) {
	t.Parallel()
	testscript.Run(t, testscript.Params{
		Dir:                 "testdata/script",
		RequireExplicitExec: true,
		UpdateScripts:       *updateScripts,
		Setup:               setupScript,
		Cmds: map[string]func(*testscript.TestScript, bool, []string){
			"perm":     cmdPerm,
			"exitcode": cmdExitCode,
			"advance":  cmdAdvance,
		},
	})
}

// setupScript gives each script two seeded mocks with a frozen clock:
// $MOCK_URL with the default configuration and $AUTH_MOCK_URL that wants
// basic auth app:s3cret on the server, ops:ops-pw on the generic-service
// and vault:vault-pw on Storage; and MyPic.png in its work directory.
func setupScript(env *testscript.Env) error {
	url, err := startScriptMock(env, mock.DefaultConfig())
	if err != nil {
		return err
	}
	env.Setenv("MOCK_URL", url)
	authCfg := mock.DefaultConfig()
	authCfg.Auth.Server = &mock.Credentials{Username: "app", Password: "s3cret"}
	authCfg.Auth.Storage = &mock.Credentials{Username: "vault", Password: "vault-pw"}
	authCfg.Services["generic-service"].Auth = &mock.Credentials{Username: "ops", Password: "ops-pw"}
	if url, err = startScriptMock(env, authCfg); err != nil {
		return err
	}
	env.Setenv("AUTH_MOCK_URL", url)
	env.Setenv("XDG_CONFIG_HOME", filepath.Join(env.WorkDir, ".config"))
	pic, err := os.ReadFile(filepath.Join("testdata", "MyPic.png"))
	if err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(env.WorkDir, "MyPic.png"), pic, 0o644)
}

func startScriptMock(env *testscript.Env, cfg *mock.Config) (string, error) {
	srv, err := mock.New(cfg, mock.WithSeed(7), mock.WithClock(mock.NewManualClock(scriptClock)),
		mock.WithLogger(slog.New(slog.DiscardHandler)))
	if err != nil {
		return "", err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ctx, ln) }()
	env.Defer(func() {
		cancel()
		<-done
	})
	return "http://" + ln.Addr().String(), nil
}

// cmdPerm checks a file's permission bits: perm FILE 0600.
func cmdPerm(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) != 2 {
		ts.Fatalf("usage: perm FILE MODE")
	}
	info, err := os.Stat(ts.MkAbs(args[0]))
	ts.Check(err)
	want, err := strconv.ParseUint(args[1], 8, 32)
	ts.Check(err)
	got := info.Mode().Perm()
	if (got == os.FileMode(want)) == neg {
		ts.Fatalf("%s has mode %#o, want %s%#o", args[0], got, map[bool]string{true: "not "}[neg], want)
	}
}

// cmdExitCode runs a program and checks its exit code: exitcode 3 gmsctl ARGS.
func cmdExitCode(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) < 2 {
		ts.Fatalf("usage: exitcode CODE PROGRAM [ARGS...]")
	}
	want, err := strconv.Atoi(args[0])
	ts.Check(err)
	got := 0
	if err := ts.Exec(args[1], args[2:]...); err != nil {
		var ee *exec.ExitError
		if !errors.As(err, &ee) {
			ts.Fatalf("running %s: %v", args[1], err)
		}
		got = ee.ExitCode()
	}
	if got != want {
		ts.Fatalf("%s exited %d, want %d", args[1], got, want)
	}
}

// cmdAdvance moves the clock of the $MOCK_URL mock: advance 30s.
func cmdAdvance(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 1 {
		ts.Fatalf("usage: advance DURATION")
	}
	resp, err := http.Post(ts.Getenv("MOCK_URL")+"/mock/clock/advance?d="+args[0], "", nil)
	ts.Check(err)
	resp.Body.Close()
	if resp.StatusCode/100 != 2 {
		ts.Fatalf("advancing the mock clock: %s", resp.Status)
	}
}
