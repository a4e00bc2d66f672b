package client

import (
	"log/slog"
	"net/http"
	"strings"
	"time"
)

// Header names GMS reads. They are sent exactly as written here, in lower case with an
// underscore, as the real GMS clients send them.
const (
	HeaderGMSUser = "gms_user"
	HeaderAPIKey  = "apikey"
)

// An Option configures a [Client] in [New]. Options that receive invalid values make New
// return an error.
type Option func(*config) error

type config struct {
	baseHTTP  *http.Client
	transport http.RoundTripper
	timeout   time.Duration
	timeoutOK bool
	auth      *basicAuth
	// headers holds what WithHeader, WithGMSUser, WithAPIKey and WithUserAgent set, one
	// value per name whatever its case (see setHeader). It starts with the default
	// User-Agent.
	headers http.Header
	// host is the Host header WithHeader("Host", v) set, sent through http.Request.Host;
	// "" sends the base URL's host.
	host   string
	logger *slog.Logger
}

func newConfig() *config {
	return &config{headers: http.Header{"User-Agent": {DefaultUserAgent}}}
}

// setHeader makes value the only value of the header name, replacing what any earlier
// option set under the same name in any case; remove drops the header instead. gms_user
// and apikey are stored, and sent, spelt exactly as HeaderGMSUser and HeaderAPIKey; other
// names are canonicalized.
func (c *config) setHeader(name, value string, remove bool) {
	for k := range c.headers {
		if strings.EqualFold(k, name) {
			delete(c.headers, k)
		}
	}
	if remove {
		return
	}
	key := http.CanonicalHeaderKey(name)
	for _, raw := range []string{HeaderGMSUser, HeaderAPIKey} {
		if strings.EqualFold(name, raw) {
			key = raw
		}
	}
	c.headers[key] = []string{value}
}

// gmsUser returns the gms_user value the client will send, or "".
func (c *config) gmsUser() string {
	for k, v := range c.headers { // the key is not canonical: no Header.Get
		if k == HeaderGMSUser && len(v) > 0 {
			return v[0]
		}
	}
	return ""
}

// WithHTTPClient makes the client send its requests through a copy of hc: its transport,
// redirect policy, cookie jar and timeout are used, and later changes to hc are not seen.
// [WithTransport] and [WithTimeout] override the matching fields of the copy.
func WithHTTPClient(hc *http.Client) Option {
	return func(c *config) error {
		if hc == nil {
			return invalidf("WithHTTPClient: nil *http.Client")
		}
		cp := *hc
		c.baseHTTP = &cp
		return nil
	}
}

// WithTransport sends requests through rt, for example an httpmock transport in tests or a
// transport with custom TLS settings.
func WithTransport(rt http.RoundTripper) Option {
	return func(c *config) error {
		if rt == nil {
			return invalidf("WithTransport: nil http.RoundTripper")
		}
		c.transport = rt
		return nil
	}
}

// WithTimeout limits each call, from sending the request to reading the whole response
// body, to d; it replaces the Timeout of a client given to WithHTTPClient. Zero means no
// limit (the default); a context deadline still applies. A call that times out returns an
// error wrapping context.DeadlineExceeded. For a large upload or download prefer a context
// deadline sized for the transfer.
func WithTimeout(d time.Duration) Option {
	return func(c *config) error {
		if d < 0 {
			return invalidf("WithTimeout: negative timeout %v", d)
		}
		c.timeout, c.timeoutOK = d, true
		return nil
	}
}

// WithBasicAuth sends HTTP Basic credentials on every request. Both empty means no
// credentials. A user name may not contain a colon (RFC 7617).
func WithBasicAuth(user, password string) Option {
	return func(c *config) error {
		if user == "" && password == "" {
			c.auth = nil
			return nil
		}
		if strings.Contains(user, ":") {
			return invalidf("WithBasicAuth: user name must not contain ':'")
		}
		c.auth = &basicAuth{user: user, password: password}
		return nil
	}
}

// WithGMSUser sends the gms_user header on every request. GMS requires it for custom-id
// storage and for Chat v1 in CometD mode. An empty value sends no header. Like
// [WithHeader], it replaces the value an earlier option set for gms_user, in any case.
func WithGMSUser(user string) Option {
	return func(c *config) error {
		if err := checkHeaderValue(HeaderGMSUser, user); err != nil {
			return err
		}
		c.setHeader(HeaderGMSUser, user, user == "")
		return nil
	}
}

// WithAPIKey sends the apikey header on every request, for an API gateway in front of GMS.
// An empty value sends no header. Debug logs never show the key. Like [WithHeader], it
// replaces the value an earlier option set for apikey, in any case.
func WithAPIKey(key string) Option {
	return func(c *config) error {
		if err := checkHeaderValue(HeaderAPIKey, key); err != nil {
			return err
		}
		c.setHeader(HeaderAPIKey, key, key == "")
		return nil
	}
}

// WithHeader sends the header name: value on every request. Header names are compared
// without regard to case: the value replaces the one an earlier WithHeader, [WithGMSUser],
// [WithAPIKey] or [WithUserAgent] set for the same name, and a later one of those replaces
// it, so each header is sent once. A WithHeader for gms_user or apikey (in any case) is
// sent spelt "gms_user" or "apikey"; other names are canonicalized ("x-trace" is sent as
// X-Trace).
//
// WithHeader("Host", v) sends v as the Host header (through http.Request.Host) instead of
// the base URL's host and port; the connection still goes to the base URL. An empty v
// restores the base URL's host; a v with characters a Host cannot hold is refused.
//
// Headers that net/http writes itself or that belong to the connection cannot be set:
// Content-Length, Transfer-Encoding, Trailer, Connection, Keep-Alive, Proxy-Connection,
// Upgrade and TE, in any case. WithHeader refuses them: New returns an error matching
// [ErrInvalidArgument] that names the header.
func WithHeader(name, value string) Option {
	return func(c *config) error {
		if !validHeaderName(name) {
			return invalidf("WithHeader: invalid header name %q", name)
		}
		if why := unsettableHeader(name); why != "" {
			return invalidf("WithHeader: header %q cannot be set: %s", name, why)
		}
		if err := checkHeaderValue(name, value); err != nil {
			return err
		}
		if strings.EqualFold(name, "Host") {
			if !validHost(value) {
				return invalidf("WithHeader: invalid Host %q", value)
			}
			c.host = value
			return nil
		}
		c.setHeader(name, value, false)
		return nil
	}
}

// unsettableHeader says why net/http would not send the header name as WithHeader set it
// (it writes the header itself from the request, or the header belongs to the
// connection, which net/http manages and HTTP/2 forbids in a request), or "" when name
// may be set.
func unsettableHeader(name string) string {
	switch http.CanonicalHeaderKey(name) {
	case "Content-Length", "Transfer-Encoding", "Trailer":
		return "net/http writes it from the request body"
	case "Connection", "Keep-Alive", "Proxy-Connection", "Upgrade", "Te":
		return "it belongs to the connection, which net/http manages"
	}
	return ""
}

// validHost reports whether h holds only bytes net/http sends in a Host header (those of
// a host name, an IP address, IPv6 brackets and zone, and a port); net/http would send
// an empty Host instead of any other value. "" is valid: the base URL's host is sent.
func validHost(h string) bool {
	for i := 0; i < len(h); i++ {
		b := h[i]
		isAlnum := b >= '0' && b <= '9' || b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z'
		if !isAlnum && !strings.ContainsRune("!$%&'()*+,-.:;=[]_~", rune(b)) {
			return false
		}
	}
	return true
}

// WithUserAgent replaces the default User-Agent header ([DefaultUserAgent]), or a value
// an earlier [WithHeader] set for it. An empty value sends no User-Agent of the client's
// own (net/http then sends its default).
func WithUserAgent(ua string) Option {
	return func(c *config) error {
		if err := checkHeaderValue("User-Agent", ua); err != nil {
			return err
		}
		c.setHeader("User-Agent", ua, ua == "")
		return nil
	}
}

// WithLogger makes the client log each request and response at debug level through l.
// Without it (or with nil) the client logs nothing. Logs never contain the Authorization
// header, the API key, or the values of form fields whose names look secret (passwords,
// secureKey, tokens).
func WithLogger(l *slog.Logger) Option {
	return func(c *config) error {
		c.logger = l
		return nil
	}
}

func (c *config) httpClient() *http.Client {
	hc := &http.Client{}
	if c.baseHTTP != nil {
		hc = c.baseHTTP
	}
	if c.transport != nil {
		hc.Transport = c.transport
	}
	if c.timeoutOK {
		hc.Timeout = 0 // the client applies WithTimeout through the request context
	}
	return hc
}

// allHeaders returns the headers every request carries.
func (c *config) allHeaders() http.Header {
	return c.headers.Clone()
}

// validHeaderName reports whether name is an RFC 9110 token.
func validHeaderName(name string) bool {
	if name == "" {
		return false
	}
	for i := 0; i < len(name); i++ {
		b := name[i]
		isAlnum := b >= '0' && b <= '9' || b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z'
		if !isAlnum && !strings.ContainsRune("!#$%&'*+-.^_`|~", rune(b)) {
			return false
		}
	}
	return true
}

// checkHeaderValue refuses control characters other than tab, which would split or break
// the header on the wire.
func checkHeaderValue(name, value string) error {
	for i := 0; i < len(value); i++ {
		if b := value[i]; b < 0x20 && b != '\t' || b == 0x7f {
			return invalidf("header %s: value contains control character %q", name, b)
		}
	}
	return nil
}
