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

	tb testing.TB
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
	m, err := mock.New(cfg, opts...)
	if err != nil {
		tb.Fatalf("gmstest: creating the mock: %v", err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatalf("gmstest: listening on loopback: %v", err)
	}
	ts := &httptest.Server{Listener: ln, Config: &http.Server{Handler: m}}
	ts.Start()
	tb.Cleanup(ts.Close)
	return &Server{URL: ts.URL, Mock: m, tb: tb}
}

// Client returns a client of the server with the given options. An option error fails
// the test.
func (s *Server) Client(opts ...client.Option) *client.Client {
	s.tb.Helper()
	c, err := client.New(s.URL, opts...)
	if err != nil {
		s.tb.Fatalf("gmstest: creating the client: %v", err)
	}
	return c
}
