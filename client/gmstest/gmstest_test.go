package gmstest_test

import (
	"errors"
	"net/url"
	"testing"
	"time"

	"github.com/gmsctl/gmsctl/client"
	"github.com/gmsctl/gmsctl/client/gmstest"
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
