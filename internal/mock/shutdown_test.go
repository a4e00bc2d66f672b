package mock

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"
)

// guard bounds every wait in these tests; it only turns a hang into a failure.
const guard = 30 * time.Second

// servedMock is a Server running Serve/ServeStop on a loopback port.
type servedMock struct {
	addr    string
	logs    *syncBuffer
	cancel  context.CancelFunc
	stopNow chan struct{}
	done    chan struct{} // closed when ServeStop returned err
	err     error
}

func startServe(t *testing.T, opts ...Option) *servedMock {
	t.Helper()
	m := &servedMock{logs: &syncBuffer{}, stopNow: make(chan struct{}), done: make(chan struct{})}
	srv, err := New(nil, append([]Option{
		WithLogger(slog.New(slog.NewTextHandler(m.logs, nil)))}, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	m.addr = ln.Addr().String()
	ctx, cancel := context.WithCancel(t.Context())
	m.cancel = cancel
	go func() {
		m.err = srv.ServeStop(ctx, m.stopNow, ln)
		close(m.done)
	}()
	t.Cleanup(func() {
		cancel()
		select {
		case <-m.done:
		case <-time.After(guard):
		}
	})
	return m
}

// wait waits for ServeStop to return and fails unless it returned nil.
func (m *servedMock) wait(t *testing.T) {
	t.Helper()
	select {
	case <-m.done:
		if m.err != nil {
			t.Errorf("ServeStop returned %v after a requested stop", m.err)
		}
	case <-time.After(guard):
		t.Fatalf("ServeStop did not return:\n%s", m.logs)
	}
}

// waitLog waits until the log holds a line with every part.
func (m *servedMock) waitLog(t *testing.T, parts ...string) string {
	t.Helper()
	deadline := time.Now().Add(guard)
	for {
		for _, line := range strings.Split(m.logs.String(), "\n") {
			if containsAll(line, parts...) {
				return line
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("no log line with %q:\n%s", parts, m.logs)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// slowUpload opens an upload whose handler is running and reading its body: it sends
// the headers with "Expect: 100-continue" and returns once the server said continue.
func slowUpload(t *testing.T, addr string, size int) (net.Conn, *bufio.Reader) {
	t.Helper()
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	_ = conn.SetDeadline(time.Now().Add(guard))
	fmt.Fprintf(conn, "POST /genesys/1/storage/60 HTTP/1.1\r\nHost: mock\r\n"+
		"Content-Type: application/x-www-form-urlencoded\r\nContent-Length: %d\r\n"+
		"Expect: 100-continue\r\n\r\n", size)
	r := bufio.NewReader(conn)
	line, err := r.ReadString('\n')
	if err != nil || !strings.HasPrefix(line, "HTTP/1.1 100 ") {
		t.Fatalf("no 100 Continue: %q %v", line, err)
	}
	if _, err := r.ReadString('\n'); err != nil { // the blank line after 100 Continue
		t.Fatal(err)
	}
	if _, err := io.WriteString(conn, "k=v&pad="); err != nil {
		t.Fatal(err)
	}
	return conn, r
}

// TestServeStopWaitsForOpenRequest: a request in progress when the stop comes may end
// within the grace period, and gets its answer.
func TestServeStopWaitsForOpenRequest(t *testing.T) {
	m := startServe(t, WithShutdownGrace(time.Minute))
	body := 1000
	conn, r := slowUpload(t, m.addr, body)
	m.cancel()
	m.waitLog(t, `msg="mock GMS stopping: waiting for open requests to end"`,
		"open_requests=1", "grace=1m0s")
	if _, err := io.WriteString(conn, strings.Repeat("x", body-len("k=v&pad="))); err != nil {
		t.Fatal(err)
	}
	res, err := http.ReadResponse(r, nil)
	if err != nil {
		t.Fatalf("the open request got no answer: %v", err)
	}
	res.Body.Close()
	if res.StatusCode != 200 {
		t.Errorf("status %d", res.StatusCode)
	}
	m.wait(t)
	out := m.logs.String()
	if strings.Contains(out, "closing the open requests") {
		t.Errorf("a request that ended in time was cut:\n%s", out)
	}
	m.waitLog(t, `msg="mock GMS stopped"`)
}

// TestServeStopGraceOver: a request still open when the grace period ends is cut, the
// log says so, and ServeStop returns nil.
func TestServeStopGraceOver(t *testing.T) {
	m := startServe(t, WithShutdownGrace(50*time.Millisecond))
	_, r := slowUpload(t, m.addr, 1<<20)
	m.cancel()
	m.wait(t)
	m.waitLog(t, "level=WARN", `msg="mock GMS closing the open requests"`, "open_requests=1",
		`reason="the grace period of 50ms is over"`)
	m.waitLog(t, `msg="mock GMS stopped"`)
	if res, err := http.ReadResponse(r, nil); err == nil {
		t.Logf("the cut request was answered %d", res.StatusCode)
	}
}

// TestServeStopNow: closing stopNow ends the wait at once, long before the grace period.
func TestServeStopNow(t *testing.T) {
	m := startServe(t, WithShutdownGrace(time.Hour))
	slowUpload(t, m.addr, 1<<20)
	slowUpload(t, m.addr, 1<<20)
	m.cancel()
	m.waitLog(t, "mock GMS stopping", "open_requests=2", "grace=1h0m0s")
	close(m.stopNow)
	m.wait(t)
	m.waitLog(t, `msg="mock GMS closing the open requests"`, "open_requests=2",
		`reason="asked to stop now"`)
}

// TestServeStopIdle: with no request open, the stop logs it and returns nil.
func TestServeStopIdle(t *testing.T) {
	m := startServe(t, WithShutdownGrace(time.Hour))
	m.cancel()
	m.wait(t)
	m.waitLog(t, `msg="mock GMS stopping"`, "open_requests=0")
	m.waitLog(t, `msg="mock GMS stopped"`)
}

// TestServeStopIdleConnections: an idle keep-alive connection and a connection that sent
// nothing do not hold the stop up for the grace period, and no request is cut.
func TestServeStopIdleConnections(t *testing.T) {
	m := startServe(t, WithShutdownGrace(time.Hour))
	client := &http.Client{Transport: &http.Transport{}}
	res, err := client.Get("http://" + m.addr + "/mock/healthz") // leaves an idle connection
	if err != nil {
		t.Fatal(err)
	}
	_, _ = io.Copy(io.Discard, res.Body)
	res.Body.Close()
	silent, err := net.Dial("tcp", m.addr)
	if err != nil {
		t.Fatal(err)
	}
	defer silent.Close()
	m.cancel()
	m.wait(t)
	m.waitLog(t, `msg="mock GMS stopped"`)
	if strings.Contains(m.logs.String(), "closing the open requests") {
		t.Errorf("an idle stop closed open requests:\n%s", m.logs)
	}
}
