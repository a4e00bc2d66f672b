package mock

import (
	"net/http"
	"regexp"
)

// handleRequest answers POST /genesys/1/service/{id}/{request...} from the request
// declarations of the instance's service. User data in the body is merged into the
// instance's data area.
func (s *Server) handleRequest(w http.ResponseWriter, r *http.Request) {
	id, request := r.PathValue("id"), r.PathValue("request")
	now := s.now()
	s.mu.Lock()
	in := s.instanceLocked(id, now)
	var snapshot instance
	if in != nil {
		snapshot = *in
	}
	s.mu.Unlock()
	if in == nil {
		writeError(w, notFound("Service instance '%s' not found", id))
		return
	}
	svc := s.cfg.Services[snapshot.service]
	req := svc.Requests[request]
	if req == nil {
		writeError(w, badRequest("Request '%s' is not supported by service '%s'",
			request, snapshot.service))
		return
	}
	f, aerr := readForm(r)
	if aerr != nil {
		writeError(w, aerr)
		return
	}
	if entries := userData(f); len(entries) > 0 {
		s.mergeUserData(&snapshot, entries, now)
	}
	vars := templateVars(&snapshot, f)
	if area, err := s.store.Get(snapshot.dataID, "", now); err == nil {
		for _, e := range area.Entries {
			if _, seen := vars[e.Key]; !seen && e.Value.File == nil {
				vars[e.Key] = e.Value.Text
			}
		}
	}
	body := render(req.Response, vars)
	if len(req.Response) == 0 {
		body["_id"] = snapshot.id
	}
	writeJSON(w, http.StatusOK, body)
}

// templateVars are the values ${name} may refer to in configured answers: _id, _data_id
// and _service, the request's fields, the instance's parameters (and, for requests, the
// strings of its user data), the first found winning.
func templateVars(in *instance, f *form) map[string]string {
	vars := map[string]string{"_id": in.id, "_data_id": in.dataID, "_service": in.service}
	for _, fl := range f.fields {
		if _, seen := vars[fl.name]; !seen {
			vars[fl.name] = fl.value
		}
	}
	for k, v := range in.params {
		if _, seen := vars[k]; !seen {
			vars[k] = v
		}
	}
	return vars
}

var templateRE = regexp.MustCompile(`\$\{([^}]*)\}`)

// render copies a configured answer, replacing ${name} in every string it holds.
func render(tmpl map[string]any, vars map[string]string) map[string]any {
	out := make(map[string]any, len(tmpl)+4)
	for k, v := range tmpl {
		out[k] = renderValue(v, vars)
	}
	return out
}

func renderValue(v any, vars map[string]string) any {
	switch t := v.(type) {
	case string:
		return templateRE.ReplaceAllStringFunc(t, func(m string) string {
			return vars[m[2:len(m)-1]]
		})
	case map[string]any:
		return render(t, vars)
	case []any:
		out := make([]any, len(t))
		for i, e := range t {
			out[i] = renderValue(e, vars)
		}
		return out
	}
	return v
}
