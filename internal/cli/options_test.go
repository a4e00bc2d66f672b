package cli

import (
	"io"
	"strings"
	"testing"
)

// TestHeaderErrorsNeverQuoteTheValue: a bad header is named, its value (which
// may be a token) is not printed.
func TestHeaderErrorsNeverQuoteTheValue(t *testing.T) {
	for _, h := range []string{"Authorization: Bearer sekrit\x01", "X-Token: sekrit\n2",
		"Bearer sekrit"} {
		o := &rootOptions{streams: &IOStreams{ErrOut: io.Discard}, headers: []string{h}}
		_, err := o.clientOptions()
		if err == nil || exitCode(err) != ExitUsage || strings.Contains(err.Error(), "sekrit") {
			t.Errorf("header %q: %v", h, err)
		}
	}
	o := &rootOptions{streams: &IOStreams{ErrOut: io.Discard}, user: "app",
		password: "pw\x01", passwordSource: "GMSCTL_PASSWORD"}
	if _, err := o.clientOptions(); err == nil || !strings.Contains(err.Error(), "GMSCTL_PASSWORD") ||
		strings.Contains(err.Error(), "pw") && strings.Contains(err.Error(), "pw\x01") {
		t.Errorf("password with a control character: %v", err)
	}
}
