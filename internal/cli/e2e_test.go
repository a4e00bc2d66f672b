package cli_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/gmsctl/gmsctl/internal/cli"
	"github.com/rogpeppe/go-internal/testscript"
)

// The gmsctl binary for the end-to-end tests is built once, on first use,
// into binDir. TestMain must not build it: testscript re-runs this test
// binary as the gmsctl command, and that run must start nothing else.
var (
	binDir    string
	buildOnce sync.Once
	buildErr  error
)

func TestMain(m *testing.M) {
	testscript.Main(cleanupM{m}, map[string]func(){
		"gmsctl": func() {
			os.Exit(cli.Run(context.Background(), os.Args[1:], cli.SystemStreams()))
		},
	})
}

// cleanupM removes the built binary once every test has run; testscript.Main
// exits the process itself, so the cleanup cannot follow it.
type cleanupM struct{ m *testing.M }

func (c cleanupM) Run() int {
	code := c.m.Run()
	if binDir != "" {
		os.RemoveAll(binDir)
	}
	return code
}

// gmsctlBinary returns the path of the built binary.
func gmsctlBinary(t *testing.T) string {
	t.Helper()
	buildOnce.Do(func() {
		if binDir, buildErr = os.MkdirTemp("", "gmsctl-e2e-"); buildErr != nil {
			return
		}
		build := exec.Command("go", "build", "-o", filepath.Join(binDir, "gmsctl"),
			"github.com/gmsctl/gmsctl/cmd/gmsctl")
		if out, err := build.CombinedOutput(); err != nil {
			buildErr = fmt.Errorf("building gmsctl: %v\n%s", err, out)
		}
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return filepath.Join(binDir, "gmsctl")
}

// result is what one run of the binary did.
type result struct {
	stdout, stderr string
	code           int
}

// gmsctl runs the binary with a clean environment (no user config).
func gmsctl(t *testing.T, stdin string, env []string, args ...string) result {
	t.Helper()
	cmd := exec.Command(gmsctlBinary(t), args...)
	cmd.Env = append([]string{"HOME=" + t.TempDir(), "XDG_CONFIG_HOME=" + t.TempDir(),
		"PATH=" + os.Getenv("PATH")}, env...)
	cmd.Dir = "."
	cmd.Stdin = strings.NewReader(stdin)
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	err := cmd.Run()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatalf("running gmsctl %v: %v", args, err)
	}
	return result{stdout: out.String(), stderr: errOut.String(), code: code}
}

func (r result) json(t *testing.T) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal([]byte(r.stdout), &m); err != nil {
		t.Fatalf("stdout is not a JSON object: %v\nstdout: %s\nstderr: %s", err, r.stdout, r.stderr)
	}
	return m
}

func (r result) wantCode(t *testing.T, code int) result {
	t.Helper()
	if r.code != code {
		t.Fatalf("exit code %d, want %d\nstdout: %s\nstderr: %s", r.code, code, r.stdout, r.stderr)
	}
	return r
}

// servedMock is a `gmsctl mock serve` process on a free loopback port.
type servedMock struct {
	url  string
	cmd  *exec.Cmd
	mu   sync.Mutex
	logs bytes.Buffer
	done chan struct{}
}

func (m *servedMock) log() string {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.logs.String()
}

var servingRE = regexp.MustCompile(`serving GMS on (http://\S+)`)

func startMock(t *testing.T, args ...string) *servedMock {
	t.Helper()
	cmd := exec.Command(gmsctlBinary(t), append([]string{"mock", "serve", "--addr", "127.0.0.1:0"},
		args...)...)
	cmd.Env = []string{"HOME=" + t.TempDir(), "XDG_CONFIG_HOME=" + t.TempDir()}
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	m := &servedMock{cmd: cmd, done: make(chan struct{})}
	urlCh := make(chan string, 1)
	go func() {
		defer close(m.done)
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			m.mu.Lock()
			m.logs.WriteString(sc.Text() + "\n")
			m.mu.Unlock()
			if s := servingRE.FindStringSubmatch(sc.Text()); s != nil {
				urlCh <- s[1]
			}
		}
	}()
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		<-m.done
		_ = cmd.Wait()
	})
	select {
	case m.url = <-urlCh:
	case <-m.done:
		t.Fatalf("mock serve exited before serving:\n%s", m.log())
	case <-time.After(30 * time.Second):
		t.Fatalf("mock serve did not say where it serves:\n%s", m.log())
	}
	return m
}

// stop sends SIGTERM and returns the exit code.
func (m *servedMock) stop(t *testing.T) int {
	t.Helper()
	if err := m.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	<-m.done
	return processExitCode(t, m.cmd.Wait())
}

// processExitCode turns what exec.Cmd.Wait returned into the exit code.
func processExitCode(t *testing.T, err error) int {
	t.Helper()
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		return ee.ExitCode()
	}
	if err != nil {
		t.Fatal(err)
	}
	return 0
}

// newGmsctlCmd returns an unstarted run of the binary with a clean
// environment, and the buffer its stderr goes to.
func newGmsctlCmd(t *testing.T, args ...string) (*exec.Cmd, *bytes.Buffer) {
	t.Helper()
	cmd := exec.Command(gmsctlBinary(t), args...)
	cmd.Env = []string{"HOME=" + t.TempDir(), "XDG_CONFIG_HOME=" + t.TempDir()}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	return cmd, &stderr
}

// signalAndWait sends sig to a running command and returns its exit code;
// a command that does not end (within a generous guard) fails the test.
func signalAndWait(t *testing.T, cmd *exec.Cmd, sig syscall.Signal) int {
	t.Helper()
	if err := cmd.Process.Signal(sig); err != nil {
		t.Fatal(err)
	}
	waited := make(chan error, 1)
	go func() { waited <- cmd.Wait() }()
	select {
	case err := <-waited:
		return processExitCode(t, err)
	case <-time.After(30 * time.Second):
		_ = cmd.Process.Kill()
		t.Fatalf("gmsctl did not stop after %v", sig)
		return 0
	}
}

var documentedExample = []string{"--phone", "6504669999", "--provide-code",
	"-F", "language=french", "-F", "current_location_latitude=48.8583",
	"-F", "current_location_longitude=2.2944", "-F", "FileKey=@testdata/MyPic.png"}

func TestE2EDocumentedExampleWithInProcessMock(t *testing.T) {
	t.Parallel()
	args := append([]string{"service", "create", "request-interaction", "--mock"},
		documentedExample...)
	got := gmsctl(t, "", nil, args...).wantCode(t, 0).json(t)
	for _, key := range []string{"_id", "_access_number", "_access_code"} {
		if s, _ := got[key].(string); s == "" {
			t.Errorf("answer has no %s: %v", key, got)
		}
	}
}

func TestE2EServedMockFlow(t *testing.T) {
	t.Parallel()
	m := startMock(t)
	srv := []string{"--server", m.url}

	create := gmsctl(t, "", nil, append(append(srv, "service", "create", "request-interaction"),
		documentedExample...)...).wantCode(t, 0).json(t)
	number, code := create["_access_number"].(string), create["_access_code"].(string)
	if number == "" || code == "" {
		t.Fatalf("create answered no access number or code: %v", create)
	}

	match := gmsctl(t, "", nil, append(srv, "service", "create", "match-interaction",
		"-f", "_access_number="+number, "-f", "_access_code="+code)...).wantCode(t, 0).json(t)
	if match["_id"] != create["_id"] {
		t.Errorf("match found %v, want the created service %v", match["_id"], create["_id"])
	}
	dataID, _ := match["_data_id"].(string)
	if dataID == "" {
		t.Fatalf("match answered no _data_id: %v", match)
	}

	// The number was released: matching again finds nothing (exit 3).
	again := gmsctl(t, "", nil, append(srv, "service", "create", "match-interaction",
		"-f", "_access_number="+number, "-f", "_access_code="+code)...).wantCode(t, 3)
	if !strings.Contains(again.stderr, "404") {
		t.Errorf("second match: stderr %q does not say 404", again.stderr)
	}

	data := gmsctl(t, "", nil, append(srv, "storage", "get", dataID)...).wantCode(t, 0).json(t)
	for key, want := range map[string]string{"language": "french",
		"current_location_latitude": "48.8583", "current_location_longitude": "2.2944"} {
		if data[key] != want {
			t.Errorf("stored %s = %v, want %q", key, data[key], want)
		}
	}
	for key := range data {
		if strings.HasPrefix(key, "_") {
			t.Errorf("service parameter %s was stored as user data", key)
		}
	}
	file, _ := data["FileKey"].(map[string]any)
	if file["filename"] != "MyPic.png" || file["content_type"] != "image/png" {
		t.Errorf("stored FileKey = %v, want MyPic.png image/png", data["FileKey"])
	}

	out := filepath.Join(t.TempDir(), "pic.png")
	gmsctl(t, "", nil, append(srv, "storage", "get", dataID, "FileKey", "-O", out)...).wantCode(t, 0)
	assertSameFile(t, out, "testdata/MyPic.png")

	lang := gmsctl(t, "", nil, append(srv, "storage", "get", dataID, "language")...).wantCode(t, 0)
	if lang.stdout != "french" {
		t.Errorf("storage get language printed %q, want french", lang.stdout)
	}

	if code := m.stop(t); code != 0 {
		t.Errorf("mock serve exited %d after SIGTERM, want 0\n%s", code, m.log())
	}
	if n := strings.Count(m.log(), "/genesys/1/"); n < 6 {
		t.Errorf("mock logged %d request lines, want one per request (>= 6):\n%s", n, m.log())
	}
}

func assertSameFile(t *testing.T, got, want string) {
	t.Helper()
	g, err := os.ReadFile(got)
	if err != nil {
		t.Fatal(err)
	}
	w, err := os.ReadFile(want)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(g, w) {
		t.Errorf("%s differs from %s (%d vs %d bytes)", got, want, len(g), len(w))
	}
}

func TestE2EServiceRequestAndErrors(t *testing.T) {
	t.Parallel()
	m := startMock(t)
	srv := []string{"--server", m.url}

	created := gmsctl(t, "", nil, append(srv, "service", "create", "request-interaction",
		"--phone", "5551234")...).wantCode(t, 0).json(t)
	id := created["_id"].(string)

	cases := []struct {
		name   string
		args   []string
		code   int
		stderr string
	}{
		{"unknown service", []string{"service", "create", "no-such-service"}, 3, "404"},
		{"missing phone", []string{"service", "create", "request-interaction"}, 1, "_phone_number"},
		{"unknown id", []string{"service", "request", "no-such-id", "status"}, 3, "404"},
		{"dot-dot segment", []string{"service", "request", id, "../x"}, 2, ".."},
		{"empty segment", []string{"service", "request", id, "a//b"}, 2, "empty"},
		{"bad -f", []string{"service", "create", "x", "-f", "novalue"}, 2, "key=value"},
		{"missing file", []string{"service", "create", "x", "-F", "k=@nope.png"}, 2, "nope.png"},
		{"unknown flag", []string{"service", "create", "x", "--nope"}, 2, "unknown flag"},
		{"unknown command", []string{"servce"}, 2, "unknown command"},
		{"too many args", []string{"service", "create", "a", "b"}, 2, "usage"},
		{"file with --urlencoded", []string{"service", "create", "x", "--urlencoded",
			"-F", "k=@testdata/MyPic.png"}, 2, "--urlencoded"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := gmsctl(t, "", nil, append(srv, tc.args...)...).wantCode(t, tc.code)
			if !strings.Contains(r.stderr, tc.stderr) {
				t.Errorf("stderr %q does not mention %q", r.stderr, tc.stderr)
			}
			if r.stdout != "" {
				t.Errorf("stdout should be empty on error, got %q", r.stdout)
			}
		})
	}

	// The mock keeps serving after all of that.
	gmsctl(t, "", nil, append(srv, "service", "create", "request-interaction",
		"--phone", "5551234")...).wantCode(t, 0)
}

func TestE2ENoServer(t *testing.T) {
	t.Parallel()
	r := gmsctl(t, "", nil, "service", "create", "request-interaction").wantCode(t, 2)
	if !strings.Contains(r.stderr, "--server") || !strings.Contains(r.stderr, "--mock") {
		t.Errorf("stderr %q should tell how to name a server", r.stderr)
	}
}

func TestE2EStdinFilePart(t *testing.T) {
	t.Parallel()
	m := startMock(t)
	srv := []string{"--server", m.url}
	r := gmsctl(t, "note from stdin", nil, append(srv, "service", "create", "request-interaction",
		"--phone", "5551234", "--provide-code", "-F", "note=@-;type=text/plain;filename=note.txt")...)
	r.wantCode(t, 0)
	match := gmsctl(t, "", nil, append(srv, "service", "create", "match-interaction",
		"-f", "_access_number="+r.json(t)["_access_number"].(string),
		"-f", "_access_code="+r.json(t)["_access_code"].(string))...).wantCode(t, 0).json(t)
	got := gmsctl(t, "", nil, append(srv, "storage", "get", match["_data_id"].(string),
		"note")...).wantCode(t, 0)
	if got.stdout != "note from stdin" {
		t.Errorf("note = %q, want the bytes sent on stdin", got.stdout)
	}
}

// TestE2EVersionFromVCS: a plain `go build` of a git checkout reports the
// commit it was built from, without any -ldflags.
func TestE2EVersionFromVCS(t *testing.T) {
	t.Parallel()
	head, err := exec.Command("git", "rev-parse", "HEAD").Output()
	if err != nil {
		t.Skipf("not a git checkout (or no git): %v", err)
	}
	bin := filepath.Join(t.TempDir(), "gmsctl")
	build := exec.Command("go", "build", "-buildvcs=true", "-o", bin, "github.com/gmsctl/gmsctl/cmd/gmsctl")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	out, err := exec.Command(bin, "version", "-o", "json").Output()
	if err != nil {
		t.Fatal(err)
	}
	var v map[string]string
	if err := json.Unmarshal(out, &v); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	if want := strings.TrimSpace(string(head))[:12]; !strings.HasPrefix(v["commit"], want) ||
		v["date"] == "" || v["version"] == "dev" {
		t.Errorf("version %v, want commit %s, a date and a version", v, want)
	}
}

// TestE2ESignalsStopARunningCommand: Ctrl-C (SIGINT) and SIGTERM stop a
// command that waits on a server that never answers, with 128 + the
// signal's number as the exit code.
func TestE2ESignalsStopARunningCommand(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		sig  syscall.Signal
		code int
	}{{syscall.SIGINT, 130}, {syscall.SIGTERM, 143}} {
		t.Run(tc.sig.String(), func(t *testing.T) {
			t.Parallel()
			ln, err := net.Listen("tcp", "127.0.0.1:0")
			if err != nil {
				t.Fatal(err)
			}
			defer ln.Close()
			accepted := make(chan net.Conn, 1)
			go func() {
				if c, err := ln.Accept(); err == nil {
					accepted <- c // hold the connection open, answer nothing
				}
			}()
			cmd, stderr := newGmsctlCmd(t, "--server", "http://"+ln.Addr().String(),
				"--timeout", "0", "node", "status")
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			select {
			case c := <-accepted:
				defer c.Close()
			case <-time.After(30 * time.Second):
				_ = cmd.Process.Kill()
				t.Fatal("gmsctl never connected")
			}
			if code := signalAndWait(t, cmd, tc.sig); code != tc.code {
				t.Fatalf("exit %d, want %d; stderr: %s", code, tc.code, stderr.String())
			}
			if !strings.Contains(stderr.String(), "gmsctl: stopped by ") {
				t.Errorf("stderr: %q", stderr.String())
			}
		})
	}
}

// TestE2ESIGTERMDuringDownload: SIGTERM while a value is being written to a
// file exits 143 and leaves no partial file.
func TestE2ESIGTERMDuringDownload(t *testing.T) {
	t.Parallel()
	started := make(chan struct{}, 1)
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/octet-stream")
		w.Header().Set("Content-Length", "1000000")
		w.WriteHeader(http.StatusOK)
		_, _ = w.Write([]byte("x"))
		w.(http.Flusher).Flush()
		started <- struct{}{}
		select { // hold the body open until the test ends
		case <-release:
		case <-r.Context().Done():
		}
	}))
	defer srv.Close()
	defer close(release)
	dir := t.TempDir()
	cmd, stderr := newGmsctlCmd(t, "--server", srv.URL, "--timeout", "0",
		"storage", "get", "area", "blob", "-O", filepath.Join(dir, "out.bin"))
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	select {
	case <-started:
	case <-time.After(30 * time.Second):
		_ = cmd.Process.Kill()
		t.Fatal("the download never started")
	}
	if code := signalAndWait(t, cmd, syscall.SIGTERM); code != 143 {
		t.Fatalf("exit %d, want 143; stderr: %s", code, stderr.String())
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("left behind: %v", entries)
	}
}

// TestE2ECtrlCWhileReadingStdin: -F key=<- waits for standard input; Ctrl-C
// stops it at once (exit 130), it does not wait for the input to end.
func TestE2ECtrlCWhileReadingStdin(t *testing.T) {
	t.Parallel()
	cmd, stderr := newGmsctlCmd(t, "--server", "http://127.0.0.1:1", "storage", "create",
		"-F", "x=<-")
	stdin, err := cmd.StdinPipe() // held open and never written: the read blocks
	if err != nil {
		t.Fatal(err)
	}
	defer stdin.Close()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	// Give the process time to install its signal handler and block on stdin.
	time.Sleep(500 * time.Millisecond)
	if code := signalAndWait(t, cmd, syscall.SIGINT); code != 130 {
		t.Fatalf("exit %d, want 130; stderr: %s", code, stderr.String())
	}
}

// TestE2ENonGMSErrorPage: an error page that is not GMS JSON (a proxy's
// HTML) gives one readable line, the request named once.
func TestE2ENonGMSErrorPage(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(http.StatusBadGateway)
		_, _ = w.Write([]byte("<html><body><h1>502 Bad Gateway</h1></body></html>"))
	}))
	defer srv.Close()
	r := gmsctl(t, "", nil, "--server", srv.URL, "node", "status").wantCode(t, 1)
	if strings.Count(r.stderr, "/genesys/1/admin/node/status") != 1 ||
		!strings.Contains(r.stderr, "502 Bad Gateway") || strings.Count(r.stderr, "\n") != 1 {
		t.Errorf("stderr: %q", r.stderr)
	}
}
