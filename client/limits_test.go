package client

import (
	"errors"
	"strings"
	"testing"
	"time"
)

// TestDurationsAboveGMSIntLimitAreRefused: GMS reads TTLs and timeouts as a Java int, and
// a Storage TTL it cannot read silently becomes 30 s, so the client refuses anything above
// 2147483647 seconds before sending.
func TestDurationsAboveGMSIntLimitAreRefused(t *testing.T) {
	t.Parallel()
	c, mt := newTestClient(t, WithGMSUser("u"))
	ctx := t.Context()
	century := 100 * 365 * 24 * time.Hour
	justOver := 2147483647*time.Second + time.Nanosecond // rounds up to 2147483648
	form := NewForm().Add("a", "b")
	errs := map[string]error{
		"Create":           second(c.Storage.Create(ctx, century, form)),
		"Create just over": second(c.Storage.Create(ctx, justOver, form)),
		"CreateCustom":     second(c.Storage.CreateCustom(ctx, "cart", century, form)),
		"Update":           c.Storage.Update(ctx, "id", century, form),
		"RequestInteraction _ttl": second(c.Services.RequestInteraction(ctx,
			RequestInteractionParams{PhoneNumber: "1", TTL: Ptr(century)})),
		"RequestAccess _booking_expiration_timeout": second(c.Services.RequestAccess(ctx,
			RequestAccessParams{ID: "s", BookingExpirationTimeout: Ptr(century)})),
	}
	for name, err := range errs {
		if !errors.Is(err, ErrInvalidArgument) ||
			!strings.Contains(err.Error(), "at most 2147483647 seconds") {
			t.Errorf("%s: error %v, want ErrInvalidArgument naming the limit", name, err)
		}
	}
	if n := mt.GetTotalCallCount(); n != 0 {
		t.Errorf("%d requests sent, want 0", n)
	}
}

// TestDurationAtGMSIntLimitIsSent: 2147483647 seconds itself is a valid Java int.
func TestDurationAtGMSIntLimitIsSent(t *testing.T) {
	t.Parallel()
	c, mt := newTestClient(t)
	var got sent
	mt.RegisterNoResponder(record(t, &got, 200, `{"id":"a1"}`))
	if _, err := c.Storage.Create(t.Context(), 2147483647*time.Second, nil); err != nil {
		t.Fatal(err)
	}
	if want := "/prefix/genesys/1/storage/2147483647"; got.Path != want {
		t.Errorf("path %s, want %s", got.Path, want)
	}
}
