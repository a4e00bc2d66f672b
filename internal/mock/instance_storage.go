package mock

import (
	"net/http"
	"net/url"
	"time"
)

// liveInstance returns a copy of the live instance named by the {id} path value, or
// answers 404 and returns false.
func (s *Server) liveInstance(w http.ResponseWriter, r *http.Request) (instance, bool) {
	id := r.PathValue("id")
	s.mu.Lock()
	defer s.mu.Unlock()
	in := s.instanceLocked(id, s.now())
	if in == nil {
		writeError(w, notFound("Service instance '%s' not found", id))
		return instance{}, false
	}
	return *in, true
}

// handleInstanceGet answers GET /genesys/1/service/{id} with what the mock knows of a
// live instance (inferred: the GMS page for it was not read).
func (s *Server) handleInstanceGet(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("name")
	now := s.now()
	s.mu.Lock()
	in := s.instanceLocked(id, now)
	var body map[string]any
	if in != nil {
		body = map[string]any{"_id": in.id, "_service": in.service, "_data_id": in.dataID,
			"_expiration_time": in.expires.Format(time.RFC3339)}
		if in.res != nil {
			addAccess(body, in.res)
		}
	}
	s.mu.Unlock()
	if body == nil {
		writeError(w, notFound("No service or service instance '%s'", id))
		return
	}
	writeJSON(w, http.StatusOK, body)
}

// handleInstanceDelete stops a live instance: its access number is released; its data
// stays until its TTL ends (inferred).
func (s *Server) handleInstanceDelete(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("name")
	s.mu.Lock()
	in := s.instanceLocked(id, s.now())
	if in != nil {
		if in.res != nil {
			s.releaseLocked(in.res)
		}
		delete(s.instances, id)
	}
	s.mu.Unlock()
	if in == nil {
		writeError(w, notFound("Service instance '%s' not found", id))
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func instanceStoragePath(id string) string {
	return "/genesys/1/service/" + url.PathEscape(id) + "/storage/"
}

func (s *Server) handleInstanceStorageGet(w http.ResponseWriter, r *http.Request) {
	in, ok := s.liveInstance(w, r)
	if !ok {
		return
	}
	area, err := s.store.Get(in.dataID, "", s.now())
	if err != nil {
		writeRawJSON(w, http.StatusOK, []byte("{}")) // the instance lives on, its data expired
		return
	}
	writeRawJSON(w, http.StatusOK, areaJSON(area, instanceStoragePath(in.id)+"binary/"))
}

func (s *Server) handleInstanceStorageKey(w http.ResponseWriter, r *http.Request) {
	in, ok := s.liveInstance(w, r)
	if !ok {
		return
	}
	s.writeValue(w, in.dataID, r.PathValue("key"), "")
}

func (s *Server) handleInstanceStoragePost(w http.ResponseWriter, r *http.Request) {
	in, ok := s.liveInstance(w, r)
	if !ok {
		return
	}
	f, aerr := readForm(r)
	if aerr != nil {
		writeError(w, aerr)
		return
	}
	// Here every field is data, "_" or not: this API exists to write the data area.
	s.mergeUserData(&in, formEntries(f, true), s.now())
	w.WriteHeader(http.StatusNoContent)
}

func (s *Server) handleInstanceStorageDelete(w http.ResponseWriter, r *http.Request) {
	in, ok := s.liveInstance(w, r)
	if !ok {
		return
	}
	key := r.PathValue("key")
	if err := s.store.DeleteKey(in.dataID, "", key, s.now()); err != nil {
		writeError(w, storeError(err, in.dataID))
		return
	}
	w.WriteHeader(http.StatusNoContent)
}
