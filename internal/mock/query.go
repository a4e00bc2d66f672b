package mock

import "net/http"

func isQueryService(svc *ServiceConfig) bool {
	return svc.Type == "builtin" && (svc.Service == "office-hours" || svc.Service == "capacity")
}

// handleQueryService answers GET /genesys/1/service/{name} for the query-style built-ins.
func (s *Server) handleQueryService(w http.ResponseWriter, r *http.Request) {
	name := r.PathValue("name")
	svc := s.cfg.Services[name]
	if svc == nil {
		writeError(w, notFound("Service '%s' is not configured", name))
		return
	}
	if !isQueryService(svc) {
		w.Header().Set("Allow", "POST")
		writeError(w, &apiError{http.StatusMethodNotAllowed, excMethod,
			"Service '" + name + "' is created with POST"})
		return
	}
	writeError(w, &apiError{http.StatusNotImplemented, excInternal, "not implemented yet"})
}

func (s *Server) handlePhoneNumber(w http.ResponseWriter, _ *http.Request) {
	writeError(w, &apiError{http.StatusNotImplemented, excInternal, "not implemented yet"})
}
