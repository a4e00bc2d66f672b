// Package mock is the bundled mock GMS server: an http.Handler with state that speaks the
// GMS Service and Storage APIs, the built-in services and a few small APIs, plus an admin
// API under /mock/ for tests. It never imports the SDK, so it cannot share its bugs.
package mock

import (
	"context"
	crand "crypto/rand"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/gmsctl/gmsctl/internal/mock/store"
	"github.com/google/uuid"
)

// DefaultMaxBodyBytes is the largest request body accepted unless WithMaxBodyBytes says
// otherwise.
const DefaultMaxBodyBytes = 32 << 20

// MaxHeaderBytes is the largest request head the mock accepts, counted as the request
// line and the header lines as sent, CRLFs included. A larger head gets 431 with the
// JSON error body. The http.Server in front of the mock must let such a head through:
// Serve's allows HTTPMaxHeaderBytes.
const MaxHeaderBytes = 1 << 20

// HTTPMaxHeaderBytes is the MaxHeaderBytes of the http.Server that Serve runs; give it to
// an http.Server of your own that serves the mock. A head larger than this never reaches
// the mock: net/http answers it with a plain-text 431 and closes the connection.
const HTTPMaxHeaderBytes = 2 * MaxHeaderBytes

// Option configures a Server.
type Option func(*Server)

// WithClock makes the server read time from c (a *ManualClock also enables
// POST /mock/clock/advance).
func WithClock(c Clock) Option {
	return func(s *Server) {
		if c != nil {
			s.clock = c
		}
	}
}

// WithLogger makes the server log one line per request, and its address, to l.
func WithLogger(l *slog.Logger) Option {
	return func(s *Server) {
		if l != nil {
			s.logger = l
		}
	}
}

// WithSeed makes service ids, storage ids and access codes reproducible.
func WithSeed(seed int64) Option {
	return func(s *Server) { s.seed = &seed }
}

// DefaultShutdownGrace is how long Serve waits for open requests once asked to stop,
// unless WithShutdownGrace says otherwise.
const DefaultShutdownGrace = 5 * time.Second

// WithShutdownGrace sets how long Serve waits for open requests to end once its context
// is done, before it closes their connections.
func WithShutdownGrace(d time.Duration) Option {
	return func(s *Server) {
		if d > 0 {
			s.grace = d
		}
	}
}

// WithMaxBodyBytes sets the largest request body accepted; larger bodies get 413.
func WithMaxBodyBytes(n int64) Option {
	return func(s *Server) {
		if n > 0 {
			s.maxBody = n
		}
	}
}

// Server is the mock GMS. It is safe for concurrent use.
type Server struct {
	cfg     *Config
	clock   Clock
	logger  *slog.Logger
	seed    *int64
	maxBody int64
	grace   time.Duration
	mux     *http.ServeMux
	store   *store.Store
	journal *journal
	// patterns holds the compiled pattern list (key "") and groups.
	patterns map[string][]compiledPattern

	randMu sync.Mutex
	rng    *rand.ChaCha8

	mu        sync.Mutex // guards the fields below
	instances map[string]*instance
	pools     map[string]*pool
	node      string
	lastSweep time.Time
}

// New builds a server from cfg (nil means DefaultConfig()). The configuration is checked
// and copied: later changes to cfg do not reach the server.
func New(cfg *Config, opts ...Option) (*Server, error) {
	if cfg == nil {
		cfg = DefaultConfig()
	}
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	s := &Server{
		clock:   systemClock{},
		logger:  slog.New(slog.NewTextHandler(io.Discard, nil)),
		maxBody: DefaultMaxBodyBytes,
		grace:   DefaultShutdownGrace,
	}
	for _, opt := range opts {
		opt(s)
	}
	copied, err := cloneConfig(cfg)
	if err != nil {
		return nil, err
	}
	s.cfg = copied
	s.patterns = compilePatterns(copied)
	s.rng = rand.NewChaCha8(seedBytes(s.seed))
	s.store = store.New(s.cfg.Defaults.MaxStorageBytes)
	s.journal = newJournal(s.cfg.Defaults.JournalSize)
	s.resetState()
	s.routes()
	return s, nil
}

func seedBytes(seed *int64) [32]byte {
	var b [32]byte
	if seed == nil {
		_, _ = crand.Read(b[:])
		return b
	}
	binary.LittleEndian.PutUint64(b[:], uint64(*seed))
	copy(b[8:], "gmsctl mock seed")
	return b
}

// resetState forgets instances, reservations and stored data.
func (s *Server) resetState() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.instances = make(map[string]*instance)
	s.pools = make(map[string]*pool)
	for group, numbers := range s.cfg.ResourceGroups {
		s.pools[group] = newPool(numbers)
	}
	s.node = s.cfg.NodeStatus
	if s.node == "" {
		s.node = "ONLINE"
	}
	s.store.Reset()
}

func (s *Server) now() time.Time { return s.clock.Now().UTC() }

// newID returns a UUID drawn from the server's random source.
func (s *Server) newID() string {
	s.randMu.Lock()
	defer s.randMu.Unlock()
	id, err := uuid.NewRandomFromReader(s.rng)
	if err != nil {
		panic(err) // ChaCha8 reads never fail
	}
	return id.String()
}

// digits returns n random decimal digits.
func (s *Server) digits(n int) string {
	s.randMu.Lock()
	defer s.randMu.Unlock()
	r := rand.New(s.rng)
	b := make([]byte, n)
	for i := range b {
		b[i] = byte('0' + r.IntN(10))
	}
	return string(b)
}

// ServeHTTP answers one request: it normalizes the path, checks credentials, limits the
// body, routes, then records the request in the journal and logs it.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	rec := &recorder{ResponseWriter: w, status: http.StatusOK}
	info := &reqInfo{}
	r = r.WithContext(context.WithValue(r.Context(), reqInfoKey{}, info))
	trimTrailingSlash(r.URL)
	s.serve(rec, r)
	if !strings.HasPrefix(r.URL.Path, "/mock/") {
		s.journal.add(s.journalEntry(r, rec.status, info))
	}
	s.logger.LogAttrs(r.Context(), slog.LevelInfo, "request",
		slog.String("method", r.Method), slog.String("path", r.URL.Path),
		slog.Int("status", rec.status), slog.Duration("duration", time.Since(start)))
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	defer func() {
		if v := recover(); v != nil {
			if v == http.ErrAbortHandler {
				panic(v)
			}
			s.logger.Error("handler panic", "path", r.URL.Path, "panic", fmt.Sprint(v))
			writeError(w, &apiError{http.StatusInternalServerError, excInternal,
				"internal error in the mock"})
		}
	}()
	if n := headBytes(r); n > MaxHeaderBytes {
		w.Header().Set("Connection", "close")
		writeError(w, &apiError{http.StatusRequestHeaderFieldsTooLarge, excTooLarge,
			fmt.Sprintf("Request header fields (%d bytes) are larger than the limit of %s",
				n, formatBytes(MaxHeaderBytes))})
		return
	}
	// Before credentials: an unclean path is no API, whoever asks. http.ServeMux would
	// redirect it with an HTML body.
	if aerr := uncleanPath(r); aerr != nil {
		writeError(w, aerr)
		return
	}
	if aerr := s.authorize(r); aerr != nil {
		w.Header().Set("WWW-Authenticate", `Basic realm="`+authRealm+`"`)
		writeError(w, aerr)
		return
	}
	if r.ContentLength > s.maxBody {
		w.Header().Set("Connection", "close")
		writeError(w, tooLarge(s.maxBody))
		return
	}
	body := &countingBody{ReadCloser: http.MaxBytesReader(w, r.Body, s.maxBody)}
	r.Body = body
	if aerr := notImplemented(r.URL.Path); aerr != nil {
		writeError(w, aerr)
	} else {
		s.mux.ServeHTTP(w, r)
	}
	// A handler that answered before reading the body (an unknown service, say) still
	// leaves the fields in the journal.
	info := infoOf(r)
	if info.form == nil && body.n == 0 && !strings.HasPrefix(r.URL.Path, "/mock/") {
		if f, aerr := decodeForm(r); aerr == nil {
			info.form = f
		}
	}
}

// headBytes returns the size of the request head as an HTTP/1.1 client sent it: the
// request line, the Host line (net/http moves it to r.Host) and the other header lines,
// each with its CRLF, and the empty line that ends the head.
func headBytes(r *http.Request) int {
	n := len(r.Method) + 1 + len(r.RequestURI) + 1 + len(r.Proto) + 2
	if r.Host != "" {
		n += len("Host: ") + len(r.Host) + 2
	}
	for name, values := range r.Header {
		for _, v := range values {
			n += len(name) + 2 + len(v) + 2
		}
	}
	return n + 2
}

// trimTrailingSlash drops a trailing slash, which GMS clients may add, from the path
// (escaped form included, so that an escaped "/" in a segment stays one segment). Two
// slashes are an empty segment, left for uncleanPath.
func trimTrailingSlash(u *url.URL) {
	esc := u.EscapedPath()
	if len(esc) < 2 || !strings.HasSuffix(esc, "/") || strings.HasSuffix(esc, "//") {
		return
	}
	esc = esc[:len(esc)-1]
	p, err := url.PathUnescape(esc)
	if err != nil {
		return
	}
	u.Path, u.RawPath = p, esc
}

// uncleanPath refuses a path with an empty, "." or ".." segment (escaped or not) — what
// http.ServeMux would answer with a redirect — with a GMS-style 404 naming the path.
func uncleanPath(r *http.Request) *apiError {
	esc := r.URL.EscapedPath()
	if esc == "/" {
		return nil
	}
	clean := strings.HasPrefix(esc, "/")
	for _, seg := range strings.Split(strings.TrimPrefix(esc, "/"), "/") {
		if seg == "" {
			clean = false
			break
		}
		if v, err := url.PathUnescape(seg); err != nil || v == "." || v == ".." {
			clean = false
			break
		}
	}
	if clean {
		return nil
	}
	shown := esc
	if shown == "" {
		shown = r.RequestURI
	}
	return notFound("No GMS API at %s: not a clean path (an empty, '.' or '..' segment)",
		shown)
}

// countingBody counts the bytes a handler read.
type countingBody struct {
	io.ReadCloser
	n int64
}

func (b *countingBody) Read(p []byte) (int, error) {
	n, err := b.ReadCloser.Read(p)
	b.n += int64(n)
	return n, err
}

// Serve serves HTTP on ln until ctx is done, then stops gracefully (see ServeStop) and
// returns nil.
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	return s.ServeStop(ctx, nil, ln)
}

// ServeStop serves HTTP on ln until ctx is done. Then it stops accepting connections and
// waits for the open requests to end, for at most the grace period (WithShutdownGrace,
// default 5 s) or until stopNow is closed (nil: never), and closes the connections left.
// A stop asked for this way is no failure: ServeStop returns nil. It returns an error
// only when serving itself fails.
func (s *Server) ServeStop(ctx context.Context, stopNow <-chan struct{}, ln net.Listener) error {
	conns := newConnTracker()
	hs := &http.Server{
		Handler:           s,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       10 * time.Minute, // large uploads over slow links
		WriteTimeout:      10 * time.Minute,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    HTTPMaxHeaderBytes, // the mock itself answers 431 above MaxHeaderBytes
		// "OPTIONS *" reaches the mock too, to get its JSON 404, not an empty 200.
		DisableGeneralOptionsHandler: true,
		ErrorLog:                     slog.NewLogLogger(s.logger.Handler(), slog.LevelWarn),
		BaseContext: func(net.Listener) context.Context {
			return context.WithoutCancel(ctx)
		},
		ConnState: conns.track,
	}
	addr := ln.Addr().String()
	s.logger.Info("mock GMS listening", "addr", addr)
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	stopSweeper := s.startSweeper()
	defer stopSweeper()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	s.stop(hs, conns, stopNow, addr)
	if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	s.logger.Info("mock GMS stopped", "addr", addr)
	return nil
}

// stop shuts hs down: it waits for the requests in progress until they end, the grace
// period is over or stopNow is closed, then closes every connection left.
func (s *Server) stop(hs *http.Server, conns *connTracker, stopNow <-chan struct{}, addr string) {
	open, _, _ := conns.counts()
	if open == 0 {
		s.logger.Info("mock GMS stopping", "addr", addr, "open_requests", 0)
	} else {
		s.logger.Info("mock GMS stopping: waiting for open requests to end", "addr", addr,
			"open_requests", open, "grace", s.grace)
	}
	shutdownCtx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- hs.Shutdown(shutdownCtx) }() // closes the listener and idle connections
	grace := time.NewTimer(s.grace)
	defer grace.Stop()
	reason := ""
	for reason == "" {
		open, _, changed := conns.counts()
		if open == 0 {
			// What is left has no request in progress: a new connection that sent
			// nothing yet, which Shutdown would wait for.
			break
		}
		select {
		case <-done:
			return
		case <-changed:
		case <-grace.C:
			reason = "the grace period of " + s.grace.String() + " is over"
		case <-stopNow:
			reason = "asked to stop now"
		}
	}
	if open, _, _ = conns.counts(); reason != "" && open > 0 {
		s.logger.Warn("mock GMS closing the open requests", "addr", addr,
			"open_requests", open, "reason", reason)
	}
	_ = hs.Close()
	cancel()
	<-done
	// Let the handlers of the closed connections return, so that their log lines come
	// before "stopped"; their reads and writes fail at once.
	wait := time.NewTimer(2 * time.Second)
	defer wait.Stop()
	for {
		_, all, changed := conns.counts()
		if all == 0 {
			return
		}
		select {
		case <-changed:
		case <-wait.C:
			return
		}
	}
}

// connTracker follows the connections of one http.Server through its ConnState hook.
type connTracker struct {
	mu      sync.Mutex
	conns   map[net.Conn]http.ConnState
	changed chan struct{} // closed, and replaced, at each change
}

func newConnTracker() *connTracker {
	return &connTracker{conns: map[net.Conn]http.ConnState{}, changed: make(chan struct{})}
}

func (t *connTracker) track(c net.Conn, st http.ConnState) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if st == http.StateClosed || st == http.StateHijacked {
		delete(t.conns, c)
	} else {
		t.conns[c] = st
	}
	close(t.changed)
	t.changed = make(chan struct{})
}

// counts returns the connections with a request in progress, all connections, and a
// channel closed at the next change.
func (t *connTracker) counts() (open, all int, changed <-chan struct{}) {
	t.mu.Lock()
	defer t.mu.Unlock()
	for _, st := range t.conns {
		if st == http.StateActive {
			open++
		}
	}
	return open, len(t.conns), t.changed
}

// startSweeper drops expired data every second of wall time, so memory stays bounded
// even when nobody calls the server. Expiry itself follows the server's clock.
func (s *Server) startSweeper() (stop func()) {
	done := make(chan struct{})
	ticker := time.NewTicker(time.Second)
	go func() {
		for {
			select {
			case <-done:
				return
			case <-ticker.C:
				s.sweep(true)
			}
		}
	}()
	return func() { ticker.Stop(); close(done) }
}

// recorder remembers the status written through it.
type recorder struct {
	http.ResponseWriter
	status      int
	wroteHeader bool
}

func (r *recorder) WriteHeader(code int) {
	if !r.wroteHeader {
		r.status, r.wroteHeader = code, true
	}
	r.ResponseWriter.WriteHeader(code)
}

func (r *recorder) Write(b []byte) (int, error) {
	r.wroteHeader = true
	return r.ResponseWriter.Write(b)
}

func (r *recorder) Unwrap() http.ResponseWriter { return r.ResponseWriter }

type reqInfoKey struct{}

// reqInfo carries what the handler decoded back to the journal.
type reqInfo struct {
	form *form
}

func infoOf(r *http.Request) *reqInfo {
	if info, ok := r.Context().Value(reqInfoKey{}).(*reqInfo); ok {
		return info
	}
	return &reqInfo{}
}

// readForm decodes the request body as a form and remembers it for the journal.
func readForm(r *http.Request) (*form, *apiError) {
	f, aerr := decodeForm(r)
	if aerr == nil {
		infoOf(r).form = f
	}
	return f, aerr
}

func formatBytes(n int64) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MiB", n>>20)
	case n >= 1<<10 && n%(1<<10) == 0:
		return fmt.Sprintf("%d KiB", n>>10)
	}
	return fmt.Sprintf("%d bytes", n)
}
