package cli_test

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"strings"
	"syscall"
	"testing"
	"time"
)

// serveGuard bounds every wait on the served mock; it only turns a hang into a failure
// and asserts nothing about speed.
const serveGuard = time.Minute

// openUpload starts an upload to the served mock and returns once its handler is
// reading the body: the headers ask "Expect: 100-continue" and the mock said continue.
// The rest of the body never comes.
func openUpload(t *testing.T, m *servedMock) net.Conn {
	t.Helper()
	conn, err := net.Dial("tcp", strings.TrimPrefix(m.url, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	_ = conn.SetDeadline(time.Now().Add(serveGuard))
	fmt.Fprintf(conn, "POST /genesys/1/storage/60 HTTP/1.1\r\nHost: mock\r\n"+
		"Content-Type: multipart/form-data; boundary=b\r\nContent-Length: %d\r\n"+
		"Expect: 100-continue\r\n\r\n", 30<<20)
	status, err := bufio.NewReader(conn).ReadString('\n')
	if err != nil || !strings.HasPrefix(status, "HTTP/1.1 100 ") {
		t.Fatalf("the mock did not start reading the upload: %q %v\n%s", status, err, m.log())
	}
	_, _ = io.WriteString(conn, "--b\r\nContent-Disposition: form-data; name=\"f\"; "+
		"filename=\"big.bin\"\r\n\r\n"+strings.Repeat("x", 10<<10))
	return conn
}

// signal sends sig to the served mock.
func (m *servedMock) signal(t *testing.T, sig syscall.Signal) {
	t.Helper()
	if err := m.cmd.Process.Signal(sig); err != nil {
		t.Fatal(err)
	}
}

// waitLine waits until the log holds a line with every part and returns it.
func (m *servedMock) waitLine(t *testing.T, parts ...string) string {
	t.Helper()
	deadline := time.Now().Add(serveGuard)
	for {
		for _, line := range strings.Split(m.log(), "\n") {
			if containsEvery(line, parts) {
				return line
			}
		}
		select {
		case <-m.done:
			for _, line := range strings.Split(m.log(), "\n") {
				if containsEvery(line, parts) {
					return line
				}
			}
			t.Fatalf("mock serve exited without a log line with %q:\n%s", parts, m.log())
		case <-time.After(20 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			t.Fatalf("no log line with %q:\n%s", parts, m.log())
		}
	}
}

// exitCode waits for the served mock to exit and returns its exit code.
func (m *servedMock) exitCode(t *testing.T) int {
	t.Helper()
	select {
	case <-m.done:
	case <-time.After(serveGuard):
		t.Fatalf("mock serve did not exit:\n%s", m.log())
	}
	return processExitCode(t, m.cmd.Wait())
}

func containsEvery(s string, parts []string) bool {
	for _, p := range parts {
		if !strings.Contains(s, p) {
			return false
		}
	}
	return true
}

// TestE2EMockServeStopWaitsThenCloses: SIGTERM with an upload in progress logs that the
// mock is stopping and waits for 1 open request; when the grace period ends it closes it,
// says so, and exits 0.
func TestE2EMockServeStopWaitsThenCloses(t *testing.T) {
	t.Parallel()
	m := startMock(t)
	openUpload(t, m)
	m.signal(t, syscall.SIGTERM)
	m.waitLine(t, "mock GMS stopping: waiting for open requests to end", "open_requests=1",
		"grace=5s")
	if code := m.exitCode(t); code != 0 {
		t.Errorf("exit code %d after SIGTERM, want 0\n%s", code, m.log())
	}
	m.waitLine(t, "level=WARN", "mock GMS closing the open requests", "open_requests=1",
		`reason="the grace period of 5s is over"`)
	m.waitLine(t, `msg="mock GMS stopped"`)
	if strings.Contains(m.log(), "gmsctl:") {
		t.Errorf("a requested stop printed an error:\n%s", m.log())
	}
}

// TestE2EMockServeStopTwice: a second signal stops at once, closing the open requests,
// and the exit code is still 0.
func TestE2EMockServeStopTwice(t *testing.T) {
	t.Parallel()
	m := startMock(t)
	openUpload(t, m)
	openUpload(t, m)
	m.signal(t, syscall.SIGINT)
	m.waitLine(t, "mock GMS stopping: waiting for open requests to end", "open_requests=2")
	m.signal(t, syscall.SIGINT)
	if code := m.exitCode(t); code != 0 {
		t.Errorf("exit code %d after two interrupts, want 0\n%s", code, m.log())
	}
	m.waitLine(t, "mock GMS closing the open requests", "open_requests=2",
		`reason="asked to stop now"`)
	m.waitLine(t, `msg="mock GMS stopped"`)
	if strings.Contains(m.log(), "grace period") {
		t.Errorf("the second signal did not cut the wait short:\n%s", m.log())
	}
}

// TestE2EMockServeStopIdle: with nothing open, SIGTERM logs the stop and exits 0.
func TestE2EMockServeStopIdle(t *testing.T) {
	t.Parallel()
	m := startMock(t)
	m.signal(t, syscall.SIGTERM)
	if code := m.exitCode(t); code != 0 {
		t.Errorf("exit code %d after SIGTERM, want 0\n%s", code, m.log())
	}
	m.waitLine(t, `msg="mock GMS stopping"`, "open_requests=0")
	m.waitLine(t, `msg="mock GMS stopped"`)
	if strings.Contains(m.log(), "gmsctl:") {
		t.Errorf("an idle stop printed an error:\n%s", m.log())
	}
}
