package mock

import (
	"net/http"
	"strings"

	"github.com/nyaruka/phonenumbers"
)

var numberTypes = map[phonenumbers.PhoneNumberType]string{
	phonenumbers.FIXED_LINE: "FIXED_LINE", phonenumbers.MOBILE: "MOBILE",
	phonenumbers.FIXED_LINE_OR_MOBILE: "FIXED_LINE_OR_MOBILE",
	phonenumbers.TOLL_FREE:            "TOLL_FREE", phonenumbers.PREMIUM_RATE: "PREMIUM_RATE",
	phonenumbers.SHARED_COST: "SHARED_COST", phonenumbers.VOIP: "VOIP",
	phonenumbers.PERSONAL_NUMBER: "PERSONAL_NUMBER", phonenumbers.PAGER: "PAGER",
	phonenumbers.UAN: "UAN", phonenumbers.VOICEMAIL: "VOICEMAIL",
	phonenumbers.UNKNOWN: "UNKNOWN",
}

// handlePhoneNumber answers GET /genesys/1/phonenumber?number=&country=&geocodingLocale=
// with what libphonenumber knows of the number.
func (s *Server) handlePhoneNumber(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	number, country := q.Get("number"), strings.ToUpper(q.Get("country"))
	if number == "" {
		writeError(w, missingParam("number"))
		return
	}
	locale := q.Get("geocodingLocale")
	num, err := phonenumbers.ParseAndKeepRawInput(number, country)
	if err != nil {
		writeError(w, badRequest("Invalid Phone Number %s for Country %s (parsing impossible)",
			number, country))
		return
	}
	writeJSON(w, http.StatusOK, describeNumber(num, number, country, locale))
}

func describeNumber(num *phonenumbers.PhoneNumber, original, country,
	locale string) map[string]any {
	lang := geocodingLanguage(locale)
	carrier, _ := phonenumbers.GetCarrierForNumber(num, lang)
	location, _ := phonenumbers.GetGeocodingForNumber(num, lang)
	zone := ""
	if zones, err := phonenumbers.GetTimezonesForNumber(num); err == nil && len(zones) > 0 {
		zone = zones[0]
	}
	typ := phonenumbers.GetNumberType(num)
	region := phonenumbers.GetRegionCodeForNumber(num)
	return map[string]any{
		"carrier":                    carrier,
		"country-code":               num.GetCountryCode(),
		"country-code-source":        num.GetCountryCodeSource().String(),
		"country-default":            country,
		"extension":                  num.GetExtension(),
		"is-possible-number":         phonenumbers.IsPossibleNumber(num),
		"is-premium":                 typ == phonenumbers.PREMIUM_RATE,
		"is-valid-number":            phonenumbers.IsValidNumber(num),
		"is-valid-number-for-region": phonenumbers.IsValidNumberForRegion(num, country),
		"italian-leading-zero":       num.GetItalianLeadingZero(),
		"language-specified":         locale,
		"location":                   location,
		"number-E164":                phonenumbers.Format(num, phonenumbers.E164),
		"number-international":       phonenumbers.Format(num, phonenumbers.INTERNATIONAL),
		"number-national":            phonenumbers.Format(num, phonenumbers.NATIONAL),
		"number-national-short":      phonenumbers.GetNationalSignificantNumber(num),
		"number-original":            original,
		"number-specified":           num.GetRawInput(),
		"number-type":                numberTypes[typ],
		"region-code":                region,
		"time-zone":                  zone,
	}
}

// geocodingLanguage turns a locale such as "DE", "fr_FR" or "en-US" into a language code.
func geocodingLanguage(locale string) string {
	lang, _, _ := strings.Cut(strings.ReplaceAll(locale, "-", "_"), "_")
	if lang == "" {
		return "en"
	}
	return strings.ToLower(lang)
}
