package mock

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
)

// syncBuffer is a log sink safe for the server's goroutines.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

func TestServeLogsAndShutsDown(t *testing.T) {
	var logs syncBuffer
	srv, err := New(nil, WithLogger(slog.New(slog.NewTextHandler(&logs, nil))))
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ctx, ln) }()

	base := "http://" + ln.Addr().String()
	req, _ := http.NewRequest("POST", base+"/genesys/1/service/request-interaction",
		strings.NewReader("_phone_number=1"))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.SetBasicAuth("user", "s3cret-pass")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	_, _ = io.Copy(io.Discard, res.Body)
	res.Body.Close()
	if res.StatusCode != 200 {
		t.Fatalf("status %d", res.StatusCode)
	}

	cancel()
	if err := <-done; err != nil {
		t.Errorf("Serve returned %v after a clean shutdown", err)
	}
	out := logs.String()
	for _, want := range []string{"addr=" + ln.Addr().String(), "method=POST",
		"path=/genesys/1/service/request-interaction", "status=200", "duration="} {
		if !strings.Contains(out, want) {
			t.Errorf("log lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "s3cret") {
		t.Error("the log shows a password")
	}
	if _, err := http.Get(base + "/mock/healthz"); err == nil {
		t.Error("the server still answers after shutdown")
	}
}

// TestConcurrentCreateAndMatch runs many clients that reserve and match numbers at once.
// A number must never be held by two services at the same time.
func TestConcurrentCreateAndMatch(t *testing.T) {
	cfg := DefaultConfig()
	numbers := make([]string, 20)
	for i := range numbers {
		numbers[i] = fmt.Sprint(5550000 + i)
	}
	cfg.ResourceGroups["DNIS"] = numbers
	h := newHarness(t, cfg)
	client := h.http.Client()
	post := func(path string, v url.Values) (int, map[string]any) {
		res, err := client.PostForm(h.http.URL+path, v)
		if err != nil {
			t.Error(err)
			return 0, nil
		}
		defer res.Body.Close()
		body, _ := io.ReadAll(res.Body)
		var m map[string]any
		_ = jsonUnmarshal(body, &m)
		return res.StatusCode, m
	}

	var mu sync.Mutex
	held := map[string]bool{}
	var wg sync.WaitGroup
	var ok, busy int
	for w := range 40 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 25 {
				status, m := post("/genesys/1/service/request-interaction", url.Values{
					"_phone_number": {fmt.Sprint(w, i)}, "_provide_code": {"true"}})
				if status == http.StatusServiceUnavailable {
					mu.Lock()
					busy++
					mu.Unlock()
					continue
				}
				if status != 200 {
					t.Errorf("create: %d %v", status, m)
					return
				}
				number := str(m, "_access_number")
				mu.Lock()
				if held[number] {
					t.Errorf("number %s handed out twice", number)
				}
				held[number] = true
				ok++
				mu.Unlock()
				// Hold the number for one more round trip, then forget it before the
				// match frees it.
				if res, err := client.Get(h.http.URL + "/genesys/1/storage/" +
					str(m, "_data_id")); err == nil {
					res.Body.Close()
				}
				mu.Lock()
				delete(held, number)
				mu.Unlock()
				status, got := post("/genesys/1/service/match-interaction", url.Values{
					"_access_number": {number}, "_access_code": {str(m, "_access_code")}})
				if status != 200 || got["_id"] != m["_id"] {
					t.Errorf("match %s: %d %v", number, status, got)
				}
			}
		}()
	}
	wg.Wait()
	if ok == 0 {
		t.Fatal("no create succeeded")
	}
	st := h.get("/mock/state").want(t, 200).json(t)
	if n := len(st["reservations"].([]any)); n != 0 {
		t.Errorf("%d reservations left after every match", n)
	}
	t.Logf("%d reservations, %d answered 503", ok, busy)
}

// serveLoopback runs srv.Serve on a loopback port until the test ends and returns the
// address.
func serveLoopback(t *testing.T, srv *Server) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ctx, ln) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("Serve: %v", err)
		}
	})
	return ln.Addr().String()
}

// rawExchange writes head (request line and header lines, without the empty line that
// ends them, padded with an X-Pad header to exactly size bytes in all) on a new
// connection to addr and reads the answer.
func rawExchange(t *testing.T, addr, head string, size int) *response {
	t.Helper()
	const padLine = "X-Pad: \r\n"
	pad := size - len(head) - len(padLine) - len("\r\n")
	if pad < 0 {
		t.Fatalf("head of %d bytes cannot be padded to %d", len(head), size)
	}
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	msg := head + "X-Pad: " + strings.Repeat("p", pad) + "\r\n\r\n"
	if len(msg) != size {
		t.Fatalf("built %d bytes, want %d", len(msg), size)
	}
	if _, err := io.WriteString(conn, msg); err != nil {
		t.Fatal(err)
	}
	res, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return &response{status: res.StatusCode, header: res.Header, body: body}
}

// TestServeLargeHeadGetsJSON431: over a real socket, a request head of exactly
// MaxHeaderBytes is served, and one byte more gets 431 with the JSON error body (not
// net/http's plain text); the SDK-style request through http.Client sees the same.
func TestServeLargeHeadGetsJSON431(t *testing.T) {
	srv, err := New(nil)
	if err != nil {
		t.Fatal(err)
	}
	addr := serveLoopback(t, srv)
	head := "GET /mock/healthz HTTP/1.1\r\nHost: " + addr + "\r\n"
	rawExchange(t, addr, head, MaxHeaderBytes).want(t, http.StatusOK)
	rawExchange(t, addr, head, MaxHeaderBytes+1).wantError(t,
		http.StatusRequestHeaderFieldsTooLarge, excTooLarge,
		fmt.Sprintf("(%d bytes)", MaxHeaderBytes+1), "limit of 1 MiB")

	req, _ := http.NewRequest("POST", "http://"+addr+"/genesys/1/service/request-interaction",
		strings.NewReader("_phone_number=1"))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("X-Big", strings.Repeat("b", MaxHeaderBytes*3/2))
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	(&response{res.StatusCode, res.Header, body}).wantError(t,
		http.StatusRequestHeaderFieldsTooLarge, excTooLarge, "limit of 1 MiB")
}
