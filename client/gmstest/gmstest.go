// Package gmstest starts the bundled mock GMS server in-process for tests of code that uses
// the client SDK: a real HTTP server on a loopback port, stopped when the test ends.
//
//	func TestMyApp(t *testing.T) {
//		srv := gmstest.NewServer(t)
//		c := srv.Client(client.WithGMSUser("tester"))
//		resp, err := c.Services.Create(t.Context(), "request-interaction",
//			client.NewForm().Add("_phone_number", "6504669999"))
//		...
//	}
package gmstest

import (
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/gmsctl/gmsctl/client"
	"github.com/gmsctl/gmsctl/internal/mock"
)

// Server is a running mock GMS server.
type Server struct {
	// URL is the server's base URL, such as "http://127.0.0.1:41234"; pass it to client.New.
	URL string
	// Mock is the mock itself, for its Go API.
	Mock *mock.Server

	ts *httptest.Server
	tb testing.TB // nil for a server from Start
}

// NewServer starts the mock with its embedded default configuration (the standard
// services and an access-number pool) and the given options, on 127.0.0.1. The server is
// closed when the test and its subtests end. Any failure to start fails the test.
func NewServer(tb testing.TB, opts ...mock.Option) *Server {
	tb.Helper()
	return NewServerConfig(tb, nil, opts...)
}

// NewServerConfig is like [NewServer] with a configuration of your own, such as one from
// mock.LoadConfig. A nil cfg is the embedded default.
func NewServerConfig(tb testing.TB, cfg *mock.Config, opts ...mock.Option) *Server {
	tb.Helper()
	s, err := StartConfig(cfg, opts...)
	if err != nil {
		tb.Fatalf("gmstest: %v", err)
	}
	s.tb = tb
	tb.Cleanup(s.Close)
	return s
}

// Start starts the mock with its embedded default configuration, for code without a
// testing.TB such as an Example function or a TestMain. The caller must call Close.
func Start(opts ...mock.Option) (*Server, error) {
	return StartConfig(nil, opts...)
}

// StartConfig is like [Start] with a configuration of your own; nil is the default.
func StartConfig(cfg *mock.Config, opts ...mock.Option) (*Server, error) {
	m, err := mock.New(cfg, opts...)
	if err != nil {
		return nil, fmt.Errorf("creating the mock: %w", err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("listening on loopback: %w", err)
	}
	// The mock answers a request head over mock.MaxHeaderBytes with its JSON 431; the
	// server's own limit must be above it for such a head to reach the mock.
	ts := &httptest.Server{Listener: ln, Config: &http.Server{Handler: m,
		MaxHeaderBytes: mock.HTTPMaxHeaderBytes}}
	ts.Start()
	return &Server{URL: ts.URL, Mock: m, ts: ts}, nil
}

// Close stops the server and waits for the requests in progress to end.
func (s *Server) Close() {
	s.ts.Close()
}

// Client returns a client of the server with the given options. An option error fails
// the test of a server from NewServer, and panics for a server from Start.
func (s *Server) Client(opts ...client.Option) *client.Client {
	c, err := client.New(s.URL, opts...)
	if err == nil {
		return c
	}
	if s.tb == nil {
		panic("gmstest: creating the client: " + err.Error())
	}
	s.tb.Helper()
	s.tb.Fatalf("gmstest: creating the client: %v", err)
	return nil
}
