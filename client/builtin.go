package client

import (
	"context"
	"encoding/json"
	"strconv"
	"time"
)

// Default execution names of the built-in services. A deployment may configure the same
// built-ins under other names; set the Service field of the params to use those.
const (
	ServiceRequestInteraction = "request-interaction"
	ServiceRequestAccess      = "request-access"
	ServiceMatchInteraction   = "match-interaction"
	ServiceRequestChat        = "request-chat"
	ServiceOfficeHours        = "office-hours"
	ServiceCapacity           = "capacity"
)

// Ptr returns a pointer to v. It fills the optional fields of the params types, where nil
// means "not sent" and a pointer to the zero value sends that value:
//
//	client.RequestAccessParams{ID: id, ProvideCode: client.Ptr(false)}
func Ptr[T any](v T) *T { return &v }

// RequestInteractionParams are the parameters of the request-interaction service, which
// stores the app's user data and reserves an access number (and optionally an access code)
// for the caller to dial.
type RequestInteractionParams struct {
	Service       string         // execution name; empty means "request-interaction"
	PhoneNumber   string         // _phone_number, the device's number (required)
	ProvideCode   *bool          // _provide_code: also reserve an access code
	ResourceGroup string         // _resource_group of access numbers; empty is not sent
	TTL           *time.Duration // _ttl of the stored user data, sent in whole seconds
	// UserData is appended after the service parameters: strings and files that GMS
	// stores (names starting with "_" would be read as service parameters). Its encoding,
	// if set, is used for the whole body.
	UserData *Form
}

// RequestInteraction creates a request-interaction service. The response carries ID,
// AccessNumber, AccessCode (when asked for), ExpirationTime and DataID.
func (s *ServicesAPI) RequestInteraction(ctx context.Context, p RequestInteractionParams) (
	*ServiceResponse, error) {
	if p.PhoneNumber == "" {
		return nil, invalidf("request-interaction: PhoneNumber (_phone_number) is required")
	}
	form := NewForm().Add("_phone_number", p.PhoneNumber)
	addBool(form, "_provide_code", p.ProvideCode)
	addString(form, "_resource_group", p.ResourceGroup)
	if err := addSeconds(form, "_ttl", p.TTL); err != nil {
		return nil, err
	}
	form.appendForm(p.UserData)
	return s.Create(ctx, orDefault(p.Service, ServiceRequestInteraction), form)
}

// RequestAccessParams are the parameters of the request-access service, which reserves
// access information for a service instance that is already running.
type RequestAccessParams struct {
	Service                  string         // execution name; empty means "request-access"
	ID                       string         // _id of the running service (required)
	ProvideCode              *bool          // _provide_code
	PhoneNumber              string         // _phone_number; empty is not sent
	ResourceGroup            string         // _resource_group; empty is not sent
	BookingExpirationTimeout *time.Duration // _booking_expiration_timeout, in seconds
	AccessCodeLength         *int           // _access_code_length, in digits (at least 1)
}

// RequestAccess reserves an access number (and, with ProvideCode, a code) for a running
// service. The response carries AccessNumber, AccessCode and ExpirationTime.
func (s *ServicesAPI) RequestAccess(ctx context.Context, p RequestAccessParams) (
	*ServiceResponse, error) {
	if p.ID == "" {
		return nil, invalidf("request-access: ID (_id) is required")
	}
	form := NewForm().Add("_id", p.ID)
	addBool(form, "_provide_code", p.ProvideCode)
	addString(form, "_phone_number", p.PhoneNumber)
	addString(form, "_resource_group", p.ResourceGroup)
	err := addSeconds(form, "_booking_expiration_timeout", p.BookingExpirationTimeout)
	if err != nil {
		return nil, err
	}
	if p.AccessCodeLength != nil {
		n := *p.AccessCodeLength
		if err := checkCount("request-access: AccessCodeLength (_access_code_length)",
			n); err != nil {
			return nil, err
		}
		form.Add("_access_code_length", strconv.Itoa(n))
	}
	return s.Create(ctx, orDefault(p.Service, ServiceRequestAccess), form)
}

// MatchInteractionParams are the parameters of the match-interaction service, used when a
// call arrives on a reserved access number.
type MatchInteractionParams struct {
	Service               string // execution name; empty means "match-interaction"
	AccessNumber          string // _access_number that was dialled (required)
	AccessCode            string // _access_code the caller entered; empty is not sent
	PhoneNumber           string // _phone_number of the caller; empty is not sent
	ReturnUserData        *bool  // _return_user_data: include the stored user data
	ReturnMultipleMatches *bool  // _return_multiple_matches: answer every match
}

// Match is one service instance found by match-interaction.
type Match struct {
	ID       string          // "_id" of the matched service
	DataID   string          // "_data_id": Storage id of its user data
	UserData StorageData     // "_user_data", only when ReturnUserData was true
	Raw      json.RawMessage // the match object as received
}

// UnmarshalJSON decodes one match, keeping it whole in Raw.
func (m *Match) UnmarshalJSON(data []byte) error {
	var v struct {
		ID       json.RawMessage `json:"_id"`
		PlainID  json.RawMessage `json:"id"`
		DataID   json.RawMessage `json:"_data_id"`
		UserData StorageData     `json:"_user_data"`
	}
	if err := json.Unmarshal(data, &v); err != nil {
		return err
	}
	*m = Match{ID: jsonText(v.ID), DataID: jsonText(v.DataID), UserData: v.UserData,
		Raw: append(json.RawMessage(nil), data...)}
	if m.ID == "" {
		m.ID = jsonText(v.PlainID)
	}
	return nil
}

// MatchResult is the answer of match-interaction, in either of its shapes: a single match
// ({"_id", "_data_id"}) or, with ReturnMultipleMatches, {"matches": [...]}.
type MatchResult struct {
	// Matches holds every match; a single-match answer gives one element.
	Matches []Match
	// Raw is the answer as received; MarshalJSON returns it.
	Raw json.RawMessage
}

// First returns the first match. A successful match-interaction always has one: no match
// is a 404 error.
func (r *MatchResult) First() Match {
	if len(r.Matches) == 0 {
		return Match{}
	}
	return r.Matches[0]
}

// UnmarshalJSON decodes either answer shape.
func (r *MatchResult) UnmarshalJSON(data []byte) error {
	var multi struct {
		Matches *[]Match `json:"matches"`
	}
	if err := json.Unmarshal(data, &multi); err != nil {
		return err
	}
	*r = MatchResult{Raw: append(json.RawMessage(nil), data...)}
	if multi.Matches != nil {
		r.Matches = *multi.Matches
		return nil
	}
	var one Match
	if err := json.Unmarshal(data, &one); err != nil {
		return err
	}
	r.Matches = []Match{one}
	return nil
}

// MarshalJSON returns Raw unchanged.
func (r MatchResult) MarshalJSON() ([]byte, error) {
	if len(r.Raw) > 0 {
		return r.Raw, nil
	}
	return json.Marshal(map[string][]Match{"matches": r.Matches})
}

// MarshalJSON returns Raw unchanged.
func (m Match) MarshalJSON() ([]byte, error) {
	if len(m.Raw) > 0 {
		return m.Raw, nil
	}
	return json.Marshal(map[string]any{"_id": m.ID, "_data_id": m.DataID})
}

// MatchInteraction finds the service that reserved an access number, and releases the
// number. No match is an *APIError matching [ErrNotFound].
func (s *ServicesAPI) MatchInteraction(ctx context.Context, p MatchInteractionParams) (
	*MatchResult, error) {
	if p.AccessNumber == "" {
		return nil, invalidf("match-interaction: AccessNumber (_access_number) is required")
	}
	form := NewForm().Add("_access_number", p.AccessNumber)
	addString(form, "_access_code", p.AccessCode)
	addString(form, "_phone_number", p.PhoneNumber)
	addBool(form, "_return_user_data", p.ReturnUserData)
	addBool(form, "_return_multiple_matches", p.ReturnMultipleMatches)

	path := gmsPath("service", orDefault(p.Service, ServiceMatchInteraction))
	var out MatchResult
	if err := s.c.sendJSON(ctx, &call{method: "POST", path: path, form: form}, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// RequestChatParams are the parameters of the request-chat service (Chat API v1), which
// creates the service that a chat interaction is then started on.
type RequestChatParams struct {
	Service  string // execution name; empty means "request-chat"
	Verbose  *bool  // _verbose: ask for every detail attribute
	UserData *Form  // business data, appended after the service parameters
}

// RequestChatResponse is the answer of request-chat.
type RequestChatResponse struct {
	ID        string          // "_id" of the chat service
	DataID    string          // "_data_id", when the server stored user data
	CreateURL string          // "_chatIxnAPI-CREATE-URL": path that starts the chat
	Raw       json.RawMessage // the answer as received
}

// UnmarshalJSON decodes the answer, keeping it whole in Raw.
func (r *RequestChatResponse) UnmarshalJSON(data []byte) error {
	var sr ServiceResponse
	if err := json.Unmarshal(data, &sr); err != nil {
		return err
	}
	url, _ := sr.Field("_chatIxnAPI-CREATE-URL")
	s, _ := url.(string)
	*r = RequestChatResponse{ID: sr.ID, DataID: sr.DataID, CreateURL: s, Raw: sr.Raw}
	return nil
}

// MarshalJSON returns Raw unchanged.
func (r RequestChatResponse) MarshalJSON() ([]byte, error) {
	if len(r.Raw) > 0 {
		return r.Raw, nil
	}
	return json.Marshal(map[string]string{"_id": r.ID, "_chatIxnAPI-CREATE-URL": r.CreateURL})
}

// RequestChat creates a Chat API v1 chat service. Start the chat with
// Services.Request(ctx, resp.ID, "ixn/chat", form).
func (s *ServicesAPI) RequestChat(ctx context.Context, p RequestChatParams) (
	*RequestChatResponse, error) {
	form := NewForm()
	addBool(form, "_verbose", p.Verbose)
	form.appendForm(p.UserData)

	path := gmsPath("service", orDefault(p.Service, ServiceRequestChat))
	var out RequestChatResponse
	if err := s.c.sendJSON(ctx, &call{method: "POST", path: path, form: form}, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

func orDefault(v, def string) string {
	if v == "" {
		return def
	}
	return v
}

func addString(f *Form, name, value string) {
	if value != "" {
		f.Add(name, value)
	}
}

func addBool(f *Form, name string, value *bool) {
	if value != nil {
		f.Add(name, strconv.FormatBool(*value))
	}
}

// checkCount refuses a count GMS cannot use: below 1, or above a Java int.
func checkCount(what string, n int) error {
	if n < 1 || int64(n) > maxJavaInt {
		return invalidf("%s must be from 1 to %d, got %d", what, maxJavaInt, n)
	}
	return nil
}

// addSeconds adds a positive duration of at most 2147483647 seconds as whole seconds,
// rounded up.
func addSeconds(f *Form, name string, d *time.Duration) error {
	if d == nil {
		return nil
	}
	secs, err := ttlSeconds(name, *d)
	if err != nil {
		return err
	}
	f.Add(name, secs)
	return nil
}
