// Package client is a Go SDK for Genesys Mobile Services (GMS), the contact-center gateway
// that mobile and web apps call to start services, reserve access numbers and store app data.
//
// Create a [Client] with [New] and call the API families through its fields:
//
//	c, err := client.New("http://gms.example:8080", client.WithBasicAuth("user", "secret"))
//	resp, err := c.Services.Create(ctx, "request-interaction",
//		client.NewForm().Add("_phone_number", "6504669999").AddFile("picture", "me.png"))
//
// Every call takes a [context.Context]; cancelling it aborts the request, including an upload
// in progress. Failed calls return an [*APIError] when the server answered with a non-2xx
// status; use [errors.Is] with [ErrNotFound], [ErrUnauthorized] and the other sentinels.
//
// The client never retries a request: a create that fails in flight is reported, not resent.
package client

import (
	"log/slog"
	"net/http"
	"net/url"
	"time"
)

// Version is the version of this SDK, used in the default User-Agent.
const Version = "0.1.0"

// DefaultUserAgent is the User-Agent header sent unless [WithUserAgent] sets another.
const DefaultUserAgent = "gmsctl-go/" + Version

// Client calls one GMS server. It is safe for concurrent use by several goroutines.
type Client struct {
	// Services creates service instances and sends service-specific requests
	// (/genesys/1/service/...), including the typed built-in services.
	Services *ServicesAPI
	// ServiceStorage reads and writes the app data of a service instance
	// (/genesys/1/service/{id}/storage).
	ServiceStorage *ServiceStorageAPI
	// Storage is the general-purpose key/value store with a time-to-live
	// (/genesys/1/storage/...).
	Storage *StorageAPI
	// Node reads and changes the health status of a GMS node (/genesys/1/admin/node/...).
	Node *NodeAPI
	// Patterns matches form values against the server's pattern lists (/genesys/1/patterns).
	Patterns *PatternsAPI
	// PhoneNumber validates and describes phone numbers (/genesys/1/phonenumber).
	PhoneNumber *PhoneNumberAPI

	base    *url.URL
	http    *http.Client
	headers http.Header // sent on every request, already validated
	host    string      // Host header from WithHeader; "" for the base URL's host
	log     *slog.Logger
	auth    *basicAuth
	gmsUser string
	timeout time.Duration // per call, 0 for none
}

type basicAuth struct{ user, password string }

// New returns a client for the GMS server at baseURL, such as "http://gms.example:8080".
// The base URL may end with a path prefix ("http://proxy.example/gms"); requests then go to
// <prefix>/genesys/1/.... It must be an absolute http or https URL without credentials,
// query or fragment. New returns an error, never panics, when baseURL or an option is invalid.
func New(baseURL string, opts ...Option) (*Client, error) {
	base, err := parseBaseURL(baseURL)
	if err != nil {
		return nil, err
	}
	cfg := newConfig()
	for _, opt := range opts {
		if opt == nil {
			return nil, invalidf("nil option")
		}
		if err := opt(cfg); err != nil {
			return nil, err
		}
	}

	c := &Client{
		base:    base,
		http:    cfg.httpClient(),
		headers: cfg.allHeaders(),
		host:    cfg.host,
		log:     cfg.logger,
		auth:    cfg.auth,
		gmsUser: cfg.gmsUser(),
		timeout: cfg.timeout,
	}
	c.Services = &ServicesAPI{c: c}
	c.ServiceStorage = &ServiceStorageAPI{c: c}
	c.Storage = &StorageAPI{c: c}
	c.Node = &NodeAPI{c: c}
	c.Patterns = &PatternsAPI{c: c}
	c.PhoneNumber = &PhoneNumberAPI{c: c}
	return c, nil
}

// BaseURL returns the server address the client was created with, without a trailing slash.
func (c *Client) BaseURL() string {
	return c.base.String()
}

func parseBaseURL(raw string) (*url.URL, error) {
	if raw == "" {
		return nil, invalidf("base URL is empty")
	}
	u, err := url.Parse(raw)
	if err != nil {
		return nil, invalidf("base URL %q: %v", raw, err)
	}
	switch {
	case u.Scheme != "http" && u.Scheme != "https":
		return nil, invalidf("base URL %q: want an absolute http:// or https:// URL", raw)
	case u.Host == "" || u.Opaque != "":
		return nil, invalidf("base URL %q: no host", raw)
	case u.User != nil:
		return nil, invalidf("base URL must not hold credentials; use WithBasicAuth")
	case u.RawQuery != "" || u.ForceQuery || u.Fragment != "":
		return nil, invalidf("base URL %q: a query or fragment is not allowed", raw)
	}
	trimmed := *u
	trimmed.Path = trimTrailingSlashes(u.Path)
	trimmed.RawPath = trimTrailingSlashes(u.RawPath)
	return &trimmed, nil
}

func trimTrailingSlashes(s string) string {
	for len(s) > 0 && s[len(s)-1] == '/' {
		s = s[:len(s)-1]
	}
	return s
}
