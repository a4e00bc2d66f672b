package mock

import (
	"net/http"
	"net/url"
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
