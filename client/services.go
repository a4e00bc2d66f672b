package client

import (
	"context"
	"net/http"
	"net/url"
)

// ServicesAPI calls the GMS Service API (/genesys/1/service/...). Get it from
// [Client.Services].
type ServicesAPI struct{ c *Client }

// Create creates and starts an instance of the configured service named service:
// POST /genesys/1/service/{service} with form as the body. Parameters whose names start
// with "_" are service parameters; GMS stores the others as user data, whose Storage id
// is returned in DataID. The request is sent once and never retried.
func (s *ServicesAPI) Create(ctx context.Context, service string, form *Form) (
	*ServiceResponse, error) {
	if err := checkSegment("service name", service); err != nil {
		return nil, err
	}
	var out ServiceResponse
	cl := &call{method: http.MethodPost, path: gmsPath("service", service), form: form}
	if err := s.c.sendJSON(ctx, cl, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// Request sends a service-specific request to a running service instance:
// POST /genesys/1/service/{serviceID}/{request}. The request name may have several
// segments separated by '/', such as "ixn/chat/refresh"; each segment is escaped on its
// own. Empty segments, "." and ".." are refused before anything is sent.
func (s *ServicesAPI) Request(ctx context.Context, serviceID, request string, form *Form) (
	*ServiceResponse, error) {
	if err := checkSegment("service ID", serviceID); err != nil {
		return nil, err
	}
	segs, err := splitRequest(request)
	if err != nil {
		return nil, err
	}
	var out ServiceResponse
	path := gmsPath(append([]string{"service", serviceID}, segs...)...)
	cl := &call{method: http.MethodPost, path: path, form: form}
	if err := s.c.sendJSON(ctx, cl, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// Query calls a query-style built-in service such as office hours or capacity:
// GET /genesys/1/service/{service}?query. The whole answer is kept in the response's Raw.
func (s *ServicesAPI) Query(ctx context.Context, service string, query url.Values) (
	*ServiceResponse, error) {
	if err := checkSegment("service name", service); err != nil {
		return nil, err
	}
	var out ServiceResponse
	cl := &call{method: http.MethodGet, path: gmsPath("service", service), query: query}
	if err := s.c.sendJSON(ctx, cl, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// Get reads a running service instance: GET /genesys/1/service/{serviceID}. GMS's
// documentation does not describe this call; the bundled mock answers the instance's
// _id, _service, _data_id, _expiration_time and its access number and code while it holds
// one. An unknown or ended instance is an *APIError matching [ErrNotFound].
func (s *ServicesAPI) Get(ctx context.Context, serviceID string) (*ServiceResponse, error) {
	if err := checkSegment("service ID", serviceID); err != nil {
		return nil, err
	}
	var out ServiceResponse
	cl := &call{method: http.MethodGet, path: gmsPath("service", serviceID)}
	if err := s.c.sendJSON(ctx, cl, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// Stop ends a running service instance and releases its access number:
// DELETE /genesys/1/service/{serviceID}. Its user data stays in Storage until its TTL.
// Like Get, this call is inferred rather than documented by GMS.
func (s *ServicesAPI) Stop(ctx context.Context, serviceID string) error {
	if err := checkSegment("service ID", serviceID); err != nil {
		return err
	}
	return s.c.sendDiscard(ctx, &call{method: http.MethodDelete, path: gmsPath("service", serviceID)})
}
