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

// TestTypedParamsRefuseValuesGMSCannotUse: an empty phone number, a code length or day
// count below 1 (or above a Java int) and an end before the start fail before sending.
func TestTypedParamsRefuseValuesGMSCannotUse(t *testing.T) {
	t.Parallel()
	c, mt := newTestClient(t)
	ctx := t.Context()
	day := time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC)
	checks := []struct {
		err  error
		want string
	}{
		{second(c.PhoneNumber.Check(ctx, "", "FR", "")), "phone number is empty"},
		{second(c.Services.RequestAccess(ctx, RequestAccessParams{ID: "s",
			AccessCodeLength: Ptr(0)})), "(_access_code_length) must be from 1 to 2147483647, got 0"},
		{second(c.Services.RequestAccess(ctx, RequestAccessParams{ID: "s",
			AccessCodeLength: Ptr(-4)})), "(_access_code_length) must be from 1 to 2147483647, got -4"},
		{second(c.Services.OfficeHours(ctx, OfficeHoursParams{NumberOfDays: Ptr(0)})),
			"(number-of-days) must be from 1 to 2147483647, got 0"},
		{second(c.Services.OfficeHours(ctx, OfficeHoursParams{NumberOfDays: Ptr(-1)})),
			"(number-of-days) must be from 1 to 2147483647, got -1"},
		{second(c.Services.OfficeHours(ctx, OfficeHoursParams{Start: day,
			End: day.Add(-time.Hour)})), "office-hours: End comes before Start"},
		{second(c.Services.Capacity(ctx, CapacityParams{Start: day,
			End: day.Add(-time.Hour)})), "capacity: End comes before Start"},
	}
	if int64(^uint(0)>>1) > 2147483647 { // a 64-bit int can exceed GMS's Java int
		big := int(^uint(0) >> 1)
		checks = append(checks, struct {
			err  error
			want string
		}{second(c.Services.RequestAccess(ctx, RequestAccessParams{ID: "s",
			AccessCodeLength: &big})), "(_access_code_length) must be from 1 to 2147483647"})
	}
	for _, ch := range checks {
		if !errors.Is(ch.err, ErrInvalidArgument) || !strings.Contains(ch.err.Error(), ch.want) {
			t.Errorf("error %v, want ErrInvalidArgument with %q", ch.err, ch.want)
		}
	}
	if n := mt.GetTotalCallCount(); n != 0 {
		t.Errorf("%d requests sent, want 0", n)
	}
}
