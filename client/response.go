package client

import (
	"bytes"
	"encoding/json"
	"fmt"
	"time"
)

// ServiceResponse is the JSON object GMS returns when a service is created or a
// service-specific request is answered. The well-known fields are decoded; Raw keeps the
// whole object, so no field is lost.
type ServiceResponse struct {
	ID             string // "_id", or "id" when the server sends that instead
	AccessNumber   string // "_access_number"
	AccessCode     string // "_access_code"
	DataID         string // "_data_id": the Storage id of the service's user data
	ExpirationTime string // "_expiration_time", as sent
	// Raw is the response body exactly as received.
	Raw json.RawMessage
}

// UnmarshalJSON decodes a JSON object, keeping it whole in Raw. Values of the known fields
// may be JSON strings or numbers.
func (r *ServiceResponse) UnmarshalJSON(data []byte) error {
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(data, &fields); err != nil {
		return err
	}
	if fields == nil {
		return fmt.Errorf("service response is null, want a JSON object")
	}
	*r = ServiceResponse{
		ID:             jsonText(fields["_id"]),
		AccessNumber:   jsonText(fields["_access_number"]),
		AccessCode:     jsonText(fields["_access_code"]),
		DataID:         jsonText(fields["_data_id"]),
		ExpirationTime: jsonText(fields["_expiration_time"]),
		Raw:            append(json.RawMessage(nil), data...),
	}
	if r.ID == "" {
		r.ID = jsonText(fields["id"])
	}
	return nil
}

// MarshalJSON returns Raw unchanged, so printing a response shows every field the server
// sent. A response built by hand, without Raw, is encoded from its known fields.
func (r ServiceResponse) MarshalJSON() ([]byte, error) {
	if len(r.Raw) > 0 {
		return r.Raw, nil
	}
	m := map[string]string{}
	for key, v := range map[string]string{
		"_id": r.ID, "_access_number": r.AccessNumber, "_access_code": r.AccessCode,
		"_data_id": r.DataID, "_expiration_time": r.ExpirationTime,
	} {
		if v != "" {
			m[key] = v
		}
	}
	return json.Marshal(m)
}

// Field returns the value of a top-level field of the response as decoded by
// encoding/json, except that numbers are [json.Number]: a string, a json.Number, a bool,
// nil, []any or map[string]any. The boolean is false when the field is absent.
func (r *ServiceResponse) Field(name string) (any, bool) {
	fields, err := decodeObject(r.Raw)
	if err != nil {
		return nil, false
	}
	v, ok := fields[name]
	return v, ok
}

// Fields returns every top-level field of the response, decoded as by [ServiceResponse.Field].
func (r *ServiceResponse) Fields() map[string]any {
	fields, _ := decodeObject(r.Raw)
	return fields
}

// Expiration parses ExpirationTime as an RFC 3339 time. The boolean is false when the
// field is absent or in another format.
func (r *ServiceResponse) Expiration() (time.Time, bool) {
	t, err := time.Parse(time.RFC3339, r.ExpirationTime)
	return t, err == nil
}

func decodeObject(raw json.RawMessage) (map[string]any, error) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var fields map[string]any
	if err := dec.Decode(&fields); err != nil {
		return nil, err
	}
	return fields, nil
}
