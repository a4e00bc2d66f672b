package gmstest_test

import (
	"errors"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/gmsctl/gmsctl/client"
	"github.com/gmsctl/gmsctl/client/gmstest"
	"github.com/gmsctl/gmsctl/internal/mock"
)

func TestNewServerServesOnLoopbackUntilCleanup(t *testing.T) {
	var c *client.Client
	var base string
	t.Run("use", func(t *testing.T) {
		srv := gmstest.NewServer(t)
		base = srv.URL
		c = srv.Client(client.WithGMSUser("tester"))
		form := client.NewForm().Add("k", "v")
		if _, err := c.Storage.Create(t.Context(), time.Minute, form); err != nil {
			t.Fatal(err)
		}
	})

	u, err := url.Parse(base)
	if err != nil || u.Hostname() != "127.0.0.1" {
		t.Errorf("server URL %q, want one on 127.0.0.1", base)
	}
	_, err = c.Storage.Get(t.Context(), "anything")
	var apiErr *client.APIError
	if err == nil || errors.As(err, &apiErr) {
		t.Errorf("after cleanup: %v, want a connection error", err)
	}
}

// TestLargeHeaderGetsTheMocksJSON431: a request head over the mock's limit reaches the
// mock, which answers 431 with its JSON error body, not net/http's plain text.
func TestLargeHeaderGetsTheMocksJSON431(t *testing.T) {
	srv := gmstest.NewServer(t)
	c := srv.Client(client.WithHeader("X-Big", strings.Repeat("b", mock.MaxHeaderBytes+64<<10)))
	_, err := c.Node.Status(t.Context())
	var apiErr *client.APIError
	if !errors.As(err, &apiErr) || apiErr.StatusCode != http.StatusRequestHeaderFieldsTooLarge ||
		apiErr.Exception != "com.genesyslab.gsg.RequestTooLargeException" {
		t.Errorf("error %v, want the mock's JSON 431", err)
	}
}
