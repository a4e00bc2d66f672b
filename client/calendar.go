package client

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"strconv"
	"time"
)

// The typed fields of OfficeHours and Capacity follow the bundled mock: GMS documents
// only the "error" field of these answers, so Raw keeps whatever a real server sends.

// OfficeHoursParams query an office-hours (calendar) service.
type OfficeHoursParams struct {
	Service      string    // execution name; empty means "office-hours"
	Start        time.Time // start; zero means now (not sent). Sent in UTC.
	NumberOfDays *int      // number-of-days to list, at least 1
	End          time.Time // end, not before Start; zero is not sent. Sent in UTC.
}

// OfficeHours is the answer of an office-hours service.
type OfficeHours struct {
	Error    *string         `json:"error"`    // nil on success
	Timezone string          `json:"timezone"` // the service's time zone
	Open     bool            `json:"open"`     // open at the start time
	Periods  []OpenPeriod    `json:"periods"`  // open periods; none means closed
	Raw      json.RawMessage `json:"-"`        // the answer as received
}

// OpenPeriod is one period during which a service is open, as sent (ISO 8601, UTC).
type OpenPeriod struct {
	Start string `json:"start"` // first instant of the period
	End   string `json:"end"`   // instant the period ends
}

// OfficeHours asks an office-hours service when it is open:
// GET /genesys/1/service/{service}?start=&number-of-days=&end=.
func (s *ServicesAPI) OfficeHours(ctx context.Context, p OfficeHoursParams) (*OfficeHours, error) {
	if !p.Start.IsZero() && !p.End.IsZero() && p.End.Before(p.Start) {
		return nil, invalidf("office-hours: End comes before Start")
	}
	q := url.Values{}
	if !p.Start.IsZero() {
		q.Set("start", p.Start.UTC().Format(time.RFC3339))
	}
	if p.NumberOfDays != nil {
		n := *p.NumberOfDays
		if err := checkCount("office-hours: NumberOfDays (number-of-days)", n); err != nil {
			return nil, err
		}
		q.Set("number-of-days", strconv.Itoa(n))
	}
	if !p.End.IsZero() {
		q.Set("end", p.End.UTC().Format(time.RFC3339))
	}
	var out OfficeHours
	if err := s.queryInto(ctx, orDefault(p.Service, ServiceOfficeHours), q, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// CapacityParams query a capacity service. Start and End are required; End may not come
// before Start.
type CapacityParams struct {
	Service string // execution name; empty means "capacity"
	// Start and End are sent as local times without a zone (2006-01-02T15:04:05): the
	// wall clock in Timezone when it is set, otherwise the wall clock of the time itself.
	Start, End time.Time
	Timezone   string // IANA time zone such as "Europe/Paris"; empty is not sent
}

// Capacity is the answer of a capacity service.
type Capacity struct {
	Error    *string         `json:"error"`    // nil on success
	Timezone string          `json:"timezone"` // time zone of the slot times
	Slots    []CapacitySlot  `json:"slots"`    // slots with capacity left
	Raw      json.RawMessage `json:"-"`        // the answer as received
}

// CapacitySlot is a period and how many requests it can still take.
type CapacitySlot struct {
	Start    string `json:"start"`    // local time, without a zone
	End      string `json:"end"`      // local time, without a zone
	Capacity int    `json:"capacity"` // requests the slot can still take
}

// Capacity asks a capacity service for the capacity between two times:
// GET /genesys/1/service/{service}?start=&end=&timezone=.
func (s *ServicesAPI) Capacity(ctx context.Context, p CapacityParams) (*Capacity, error) {
	if p.Start.IsZero() || p.End.IsZero() {
		return nil, invalidf("capacity: Start and End are required")
	}
	if p.End.Before(p.Start) {
		return nil, invalidf("capacity: End comes before Start")
	}
	start, end := p.Start, p.End
	q := url.Values{}
	if p.Timezone != "" {
		loc, err := time.LoadLocation(p.Timezone)
		if err != nil {
			return nil, invalidf("capacity: time zone %q: %v", p.Timezone, err)
		}
		start, end = start.In(loc), end.In(loc)
		q.Set("timezone", p.Timezone)
	}
	const local = "2006-01-02T15:04:05"
	q.Set("start", start.Format(local))
	q.Set("end", end.Format(local))
	var out Capacity
	if err := s.queryInto(ctx, orDefault(p.Service, ServiceCapacity), q, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// queryInto runs Query and decodes its answer into v, a struct with a Raw field set by
// the caller's type.
func (s *ServicesAPI) queryInto(ctx context.Context, service string, q url.Values,
	v rawHolder) error {
	resp, err := s.Query(ctx, service, q)
	if err != nil {
		return err
	}
	if err := json.Unmarshal(resp.Raw, v); err != nil {
		return fmt.Errorf("GET service %s: decoding answer: %v: %s", service, err,
			bodySnippet(resp.Raw))
	}
	v.setRaw(resp.Raw)
	return nil
}

type rawHolder interface{ setRaw(json.RawMessage) }

func (o *OfficeHours) setRaw(raw json.RawMessage) { o.Raw = raw }
func (c *Capacity) setRaw(raw json.RawMessage)    { c.Raw = raw }

// MarshalJSON returns Raw unchanged when set.
func (o OfficeHours) MarshalJSON() ([]byte, error) {
	if len(o.Raw) > 0 {
		return o.Raw, nil
	}
	type plain OfficeHours
	return json.Marshal(plain(o))
}

// MarshalJSON returns Raw unchanged when set.
func (c Capacity) MarshalJSON() ([]byte, error) {
	if len(c.Raw) > 0 {
		return c.Raw, nil
	}
	type plain Capacity
	return json.Marshal(plain(c))
}
