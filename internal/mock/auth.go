package mock

import (
	"crypto/subtle"
	"net/http"
	"strings"
)

// authorize checks Basic credentials when the configuration asks for them: per-service
// credentials win over the server's for that service, storage credentials apply to the
// Storage API. Credentials with an empty password enforce nothing.
func (s *Server) authorize(r *http.Request) *apiError {
	want := s.credentialsFor(r.URL.Path)
	if want == nil || want.Password == "" {
		return nil
	}
	user, pass, ok := r.BasicAuth()
	if ok && equal(user, want.Username) && equal(pass, want.Password) {
		return nil
	}
	msg := "Authentication required"
	if ok {
		msg = "Wrong user name or password"
	}
	return &apiError{http.StatusUnauthorized, excUnauthorized, msg}
}

func equal(a, b string) bool { return subtle.ConstantTimeCompare([]byte(a), []byte(b)) == 1 }

func (s *Server) credentialsFor(path string) *Credentials {
	switch {
	case strings.HasPrefix(path, "/mock/"):
		return nil
	case path == "/genesys/1/storage" || strings.HasPrefix(path, storagePath):
		if c := s.cfg.Auth.Storage; c != nil && c.Password != "" {
			return c
		}
	case strings.HasPrefix(path, "/genesys/1/service/"):
		if c := s.serviceCredentials(path); c != nil {
			return c
		}
	}
	return s.cfg.Auth.Server
}

// serviceCredentials finds the service a /genesys/1/service/ path addresses, by name or
// by instance id, and returns its credentials.
func (s *Server) serviceCredentials(path string) *Credentials {
	first, _, _ := strings.Cut(strings.TrimPrefix(path, "/genesys/1/service/"), "/")
	name := first
	if s.cfg.Services[name] == nil {
		s.mu.Lock()
		if in := s.instances[first]; in != nil {
			name = in.service
		}
		s.mu.Unlock()
	}
	if svc := s.cfg.Services[name]; svc != nil && svc.Auth != nil && svc.Auth.Password != "" {
		return svc.Auth
	}
	return nil
}
