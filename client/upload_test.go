package client

import (
	"bytes"
	"context"
	"errors"
	"io"
	"io/fs"
	"mime"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"
)

func TestMissingFileFailsBeforeSending(t *testing.T) {
	t.Parallel()
	c, mt := newTestClient(t)
	path := filepath.Join(t.TempDir(), "absent.png")
	form := NewForm().Add("a", "1").AddFile("FileKey", path)

	_, err := c.Services.Create(t.Context(), "svc", form)

	var fileErr *FileError
	if !errors.As(err, &fileErr) || !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("error %T %v, want a *FileError wrapping fs.ErrNotExist", err, err)
	}
	want := "file " + path + ` (form field "FileKey"): no such file or directory`
	if err.Error() != want {
		t.Errorf("Error() = %q, want %q", err.Error(), want)
	}
	if n := mt.GetTotalCallCount(); n != 0 {
		t.Errorf("%d requests sent, want 0", n)
	}
}

func TestDirectoryAsFileFailsBeforeSending(t *testing.T) {
	t.Parallel()
	c, mt := newTestClient(t)
	dir := t.TempDir()
	_, err := c.Storage.Create(t.Context(), time.Minute, NewForm().AddFile("f", dir))
	if err == nil || !strings.Contains(err.Error(), dir+` (form field "f"): is a directory`) {
		t.Errorf("error %v", err)
	}
	if n := mt.GetTotalCallCount(); n != 0 {
		t.Errorf("%d requests sent, want 0", n)
	}
}

func TestOpenFailureFailsBeforeSending(t *testing.T) {
	t.Parallel()
	c, mt := newTestClient(t)
	boom := errors.New("device unplugged")
	form := NewForm().AddFilePart(FilePart{Name: "f", Filename: "cam.jpg",
		Open: func() (io.ReadCloser, error) { return nil, boom }})

	_, err := c.Services.Create(t.Context(), "svc", form)
	if !errors.Is(err, boom) || !strings.Contains(err.Error(), "cam.jpg") {
		t.Errorf("error %v, want the open error naming cam.jpg", err)
	}
	if n := mt.GetTotalCallCount(); n != 0 {
		t.Errorf("%d requests sent, want 0", n)
	}
}

// failingReader returns some bytes, then an error.
type failingReader struct {
	data []byte
	err  error
}

func (f *failingReader) Read(p []byte) (int, error) {
	if len(f.data) == 0 {
		return 0, f.err
	}
	n := copy(p, f.data)
	f.data = f.data[n:]
	return n, nil
}

func TestReadFailureDuringUploadAbortsTheCall(t *testing.T) {
	t.Parallel()
	c, mt := newTestClient(t)
	broken := errors.New("disk read error")
	mt.RegisterResponder("POST", testBase+"/genesys/1/service/svc",
		func(req *http.Request) (*http.Response, error) {
			_, err := io.ReadAll(req.Body)
			if !errors.Is(err, broken) {
				t.Errorf("server read the body with error %v, want it aborted", err)
			}
			return nil, err
		})
	form := NewForm().AddFilePart(FilePart{Name: "f", Filename: "big.bin",
		Open: func() (io.ReadCloser, error) {
			return io.NopCloser(&failingReader{data: []byte("partial"), err: broken}), nil
		}})

	_, err := c.Services.Create(t.Context(), "svc", form)

	var fileErr *FileError
	if !errors.As(err, &fileErr) || !errors.Is(err, broken) || fileErr.File != "big.bin" {
		t.Fatalf("error %T %v, want a *FileError for big.bin", err, err)
	}
	if !strings.HasPrefix(err.Error(), "POST /prefix/genesys/1/service/svc: file big.bin") {
		t.Errorf("Error() = %q", err.Error())
	}
}

func TestMultipartBodyIsReplayable(t *testing.T) {
	t.Parallel()
	c, mt := newTestClient(t)
	var first, second []byte
	var length int64
	mt.RegisterResponder("POST", testBase+"/genesys/1/service/svc",
		func(req *http.Request) (*http.Response, error) {
			var err error
			length = req.ContentLength
			if first, err = io.ReadAll(req.Body); err != nil {
				return nil, err
			}
			replay, err := req.GetBody()
			if err != nil {
				return nil, err
			}
			defer replay.Close()
			if second, err = io.ReadAll(replay); err != nil {
				return nil, err
			}
			return httpmock.NewStringResponse(200, `{"_id":"1"}`), nil
		})

	if _, err := c.Services.Create(t.Context(), "svc", seedForm()); err != nil {
		t.Fatal(err)
	}
	if len(first) == 0 || !bytes.Equal(first, second) {
		t.Errorf("replayed body differs:\n%q\n%q", first, second)
	}
	if length != int64(len(first)) {
		t.Errorf("ContentLength %d, body has %d bytes", length, len(first))
	}
}

func TestUnknownSizeIsStreamedWithoutLength(t *testing.T) {
	t.Parallel()
	c, mt := newTestClient(t)
	var got sent
	mt.RegisterResponder("POST", testBase+"/genesys/1/service/svc",
		record(t, &got, 200, `{"_id":"1"}`))
	form := NewForm().AddFilePart(FilePart{Name: "f", Filename: "notes.txt",
		Open: func() (io.ReadCloser, error) {
			return io.NopCloser(strings.NewReader("hello")), nil
		}})

	if _, err := c.Services.Create(t.Context(), "svc", form); err != nil {
		t.Fatal(err)
	}
	if got.Length != -1 {
		t.Errorf("ContentLength %d, want -1 (unknown)", got.Length)
	}
	assertParts(t, parseMultipart(t, got.Header.Get("Content-Type"), got.Body), []mpPart{
		{Name: "f", Filename: "notes.txt", ContentType: mime.TypeByExtension(".txt"),
			Data: []byte("hello")},
	})
}

// gatedReader yields a first chunk, then blocks until release is closed; Close is
// recorded so the test can see that the upload goroutine let go of it.
type gatedReader struct {
	first   []byte
	release chan struct{}
	closed  chan struct{}
	once    sync.Once
}

func (g *gatedReader) Read(p []byte) (int, error) {
	if len(g.first) > 0 {
		n := copy(p, g.first)
		g.first = g.first[n:]
		return n, nil
	}
	<-g.release
	return 0, io.EOF
}

func (g *gatedReader) Close() error {
	g.once.Do(func() { close(g.closed) })
	return nil
}

func TestCancelAbortsARunningUpload(t *testing.T) {
	t.Parallel()
	received := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		buf := make([]byte, 1024)
		if n, _ := r.Body.Read(buf); n > 0 {
			close(received)
		}
		io.Copy(io.Discard, r.Body) // ends when the client drops the connection
	}))
	t.Cleanup(srv.Close)
	c, err := New(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	reader := &gatedReader{first: bytes.Repeat([]byte("x"), 256<<10),
		release: make(chan struct{}), closed: make(chan struct{})}
	form := NewForm().AddFilePart(FilePart{Name: "f", Filename: "slow.bin",
		Open: func() (io.ReadCloser, error) { return reader, nil }})
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)

	go func() {
		_, err := c.Services.Create(ctx, "svc", form)
		done <- err
	}()
	<-received
	cancel()
	err = <-done

	if !errors.Is(err, context.Canceled) {
		t.Fatalf("error %v, want one wrapping context.Canceled", err)
	}
	if want := "POST /genesys/1/service/svc: context canceled"; err.Error() != want {
		t.Errorf("Error() = %q, want %q", err.Error(), want)
	}
	close(reader.release)
	<-reader.closed // the upload goroutine closed the reader and ended
}

// A large upload streams from the file: the memory allocated while sending it is a small
// fraction of its size. The file is sparse, so the test costs no disk space.
func TestLargeUploadDoesNotBufferTheFile(t *testing.T) {
	if testing.Short() {
		t.Skip("sends 64 MiB over loopback")
	}
	const size = 64 << 20
	path := sparseFile(t, size)
	srv, received := countingServer(t)
	c, err := New(srv.URL)
	if err != nil {
		t.Fatal(err)
	}

	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	_, err = c.Storage.Create(t.Context(), time.Minute, NewForm().AddFile("blob", path))
	runtime.ReadMemStats(&after)

	if err != nil {
		t.Fatal(err)
	}
	if got := <-received; got != size {
		t.Fatalf("server received %d file bytes, want %d", got, size)
	}
	if alloc := after.TotalAlloc - before.TotalAlloc; alloc > size/8 {
		t.Errorf("sending %d bytes allocated %d bytes", size, alloc)
	}
}

func BenchmarkLargeUpload(b *testing.B) {
	const size = 32 << 20
	path := sparseFile(b, size)
	srv, received := countingServer(b)
	c, err := New(srv.URL)
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(size)
	b.ReportAllocs()
	for b.Loop() {
		form := NewForm().AddFile("blob", path)
		if _, err := c.Storage.Create(b.Context(), time.Minute, form); err != nil {
			b.Fatal(err)
		}
		<-received
	}
}

func sparseFile(tb testing.TB, size int64) string {
	tb.Helper()
	path := filepath.Join(tb.TempDir(), "large.bin")
	f, err := os.Create(path)
	if err != nil {
		tb.Fatal(err)
	}
	if err := f.Truncate(size); err != nil {
		tb.Fatal(err)
	}
	if err := f.Close(); err != nil {
		tb.Fatal(err)
	}
	return path
}

// countingServer reads multipart uploads part by part without keeping them and reports
// the number of file bytes of each request.
func countingServer(tb testing.TB) (*httptest.Server, <-chan int64) {
	received := make(chan int64, 1)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mr, err := r.MultipartReader()
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		var n int64
		for {
			part, err := mr.NextPart()
			if err != nil {
				break
			}
			c, _ := io.Copy(io.Discard, part)
			n += c
		}
		received <- n
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, `{"id":"big"}`)
	}))
	tb.Cleanup(srv.Close)
	return srv, received
}

// WithTimeout ends a call whose upload is stuck in a read that never returns (a terminal
// on stdin), and the error says it timed out.
func TestTimeoutAbortsABlockedUpload(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
	}))
	t.Cleanup(srv.Close)
	c, err := New(srv.URL, WithTimeout(50*time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	reader := &gatedReader{first: []byte("x"), release: make(chan struct{}),
		closed: make(chan struct{})}
	form := NewForm().AddFilePart(FilePart{Name: "f", Filename: "stdin",
		Open: func() (io.ReadCloser, error) { return reader, nil }})

	_, err = c.Services.Create(t.Context(), "svc", form)

	want := "POST /genesys/1/service/svc: context deadline exceeded (timeout 50ms)"
	if !errors.Is(err, context.DeadlineExceeded) || err.Error() != want {
		t.Errorf("error %v, want a timeout wrapping context.DeadlineExceeded", err)
	}
	close(reader.release)
	<-reader.closed
}
