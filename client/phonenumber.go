package client

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
)

// PhoneNumberAPI calls the GMS phone number validation service (/genesys/1/phonenumber).
// Get it from [Client.PhoneNumber].
type PhoneNumberAPI struct{ c *Client }

// PhoneNumberInfo is what GMS knows about a phone number. Raw keeps the whole answer.
type PhoneNumberInfo struct {
	Carrier                string `json:"carrier"`                    // mobile carrier name
	CountryCode            int    `json:"country-code"`               // calling code, 33
	CountryCodeSource      string `json:"country-code-source"`        // FROM_DEFAULT_COUNTRY...
	CountryDefault         string `json:"country-default"`            // the country asked for
	Extension              string `json:"extension"`                  // extension, if any
	IsPossibleNumber       bool   `json:"is-possible-number"`         // plausible length
	IsPremium              bool   `json:"is-premium"`                 // premium-rate number
	IsValidNumber          bool   `json:"is-valid-number"`            // valid numbering plan
	IsValidNumberForRegion bool   `json:"is-valid-number-for-region"` // valid in the country
	ItalianLeadingZero     bool   `json:"italian-leading-zero"`       // keeps a leading 0
	LanguageSpecified      string `json:"language-specified"`         // locale used
	Location               string `json:"location"`                   // geographic description
	NumberE164             string `json:"number-E164"`                // +33604120405
	NumberInternational    string `json:"number-international"`       // +33 6 04 12 04 05
	NumberNational         string `json:"number-national"`            // 06 04 12 04 05
	NumberNationalShort    string `json:"number-national-short"`      // 604120405
	NumberOriginal         string `json:"number-original"`            // as parsed
	NumberSpecified        string `json:"number-specified"`           // as sent
	NumberType             string `json:"number-type"`                // MOBILE, FIXED_LINE...
	RegionCode             string `json:"region-code"`                // FR
	TimeZone               string `json:"time-zone"`                  // Europe/Paris

	Raw json.RawMessage `json:"-"` // the answer as received
}

// UnmarshalJSON decodes the known fields and keeps the whole object in Raw.
func (p *PhoneNumberInfo) UnmarshalJSON(data []byte) error {
	type plain PhoneNumberInfo
	var v plain
	if err := json.Unmarshal(data, &v); err != nil {
		return err
	}
	*p = PhoneNumberInfo(v)
	p.Raw = append(json.RawMessage(nil), data...)
	return nil
}

// MarshalJSON returns Raw unchanged when set, so no field of the answer is lost.
func (p PhoneNumberInfo) MarshalJSON() ([]byte, error) {
	if len(p.Raw) > 0 {
		return p.Raw, nil
	}
	type plain PhoneNumberInfo
	return json.Marshal(plain(p))
}

// Check validates number: GET /genesys/1/phonenumber?number=&country=&geocodingLocale=.
// country is the ISO region used when number has no leading '+' (such as "FR"), and
// locale the language of the location description (such as "DE"); empty ones are not
// sent. An empty number fails before sending, with an error matching
// [ErrInvalidArgument]; an invalid number gives an *APIError matching [ErrBadRequest].
func (p *PhoneNumberAPI) Check(ctx context.Context, number, country, locale string) (
	*PhoneNumberInfo, error) {
	if number == "" {
		return nil, invalidf("phone number is empty")
	}
	q := url.Values{"number": {number}}
	if country != "" {
		q.Set("country", country)
	}
	if locale != "" {
		q.Set("geocodingLocale", locale)
	}
	var out PhoneNumberInfo
	cl := &call{method: http.MethodGet, path: gmsPath("phonenumber"), query: q}
	if err := p.c.sendJSON(ctx, cl, &out); err != nil {
		return nil, err
	}
	return &out, nil
}
