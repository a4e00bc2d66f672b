package mock

import (
	"net/http"
	"sort"
	"strings"
)

// methods routes one path pattern by method and answers 405 with Allow for the others.
type methods map[string]http.HandlerFunc

func (m methods) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h, ok := m[r.Method]
	if !ok && r.Method == http.MethodHead {
		h, ok = m[http.MethodGet]
	}
	if !ok {
		allowed := make([]string, 0, len(m)+1)
		for method := range m {
			allowed = append(allowed, method)
		}
		if _, ok := m[http.MethodGet]; ok {
			allowed = append(allowed, http.MethodHead)
		}
		sort.Strings(allowed)
		w.Header().Set("Allow", strings.Join(allowed, ", "))
		writeError(w, &apiError{http.StatusMethodNotAllowed, excMethod,
			"Method " + r.Method + " is not allowed on " + r.URL.Path + "; allowed: " +
				strings.Join(allowed, ", ")})
		return
	}
	h(w, r)
}

func (s *Server) routes() {
	mux := http.NewServeMux()
	const svc, st = "/genesys/1/service/", "/genesys/1/storage/"
	mux.Handle(svc+"{name}", methods{"POST": s.handleCreate, "GET": s.handleQueryService,
		"DELETE": s.handleInstanceDelete})
	mux.Handle(svc+"{id}/{request...}", methods{"POST": s.handleRequest})
	mux.Handle(svc+"{id}/storage", methods{
		"GET": s.handleInstanceStorageGet, "POST": s.handleInstanceStoragePost})
	mux.Handle(svc+"{id}/storage/{key}", methods{
		"GET": s.handleInstanceStorageKey, "DELETE": s.handleInstanceStorageDelete})
	mux.Handle(svc+"{id}/storage/binary/{key}", methods{"GET": s.handleInstanceStorageKey})

	mux.Handle(st+"{x}", methods{
		"POST": s.handleStorageCreate, "GET": s.handleStorageGet, "DELETE": s.handleStorageDelete})
	mux.Handle(st+"{id}/{x}", methods{
		"POST": s.handleStorageUpdate, "GET": s.handleStorageGetKey,
		"DELETE": s.handleStorageDeleteKey})
	mux.Handle(st+"custom/{customId}/{ttl}", methods{"POST": s.handleStorageCustom})

	mux.Handle("/genesys/1/admin/node/status", methods{"GET": s.handleNodeStatus})
	mux.Handle("/genesys/1/admin/node/changestatus/{status}",
		methods{"POST": s.handleNodeChange})
	mux.Handle("/genesys/1/patterns", methods{"POST": s.handlePatterns})
	mux.Handle("/genesys/1/patterns/group/{group}", methods{"POST": s.handlePatterns})
	mux.Handle("/genesys/1/phonenumber", methods{"GET": s.handlePhoneNumber})

	mux.Handle("/mock/journal", methods{"GET": s.handleJournal, "DELETE": s.handleJournalClear})
	mux.Handle("/mock/reset", methods{"POST": s.handleReset})
	mux.Handle("/mock/state", methods{"GET": s.handleState})
	mux.Handle("/mock/services", methods{"GET": s.handleServices})
	mux.Handle("/mock/clock/advance", methods{"POST": s.handleClockAdvance})
	mux.Handle("/mock/healthz", methods{"GET": s.handleHealthz})

	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		writeError(w, notFound("No GMS API at %s", r.URL.Path))
	})
	s.mux = mux
}

// notImplemented answers the paths of API families the mock does not have yet. The
// Callback API's paths would otherwise reach the service-request pattern and get a
// puzzling 405; every method gets a 404 that says what is missing instead.
func notImplemented(path string) *apiError {
	if strings.HasPrefix(path, "/genesys/1/service/callback/") {
		return notFound("The Callback API (%s) is not implemented by the mock yet", path)
	}
	return nil
}
