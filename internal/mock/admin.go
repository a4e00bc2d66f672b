package mock

import (
	"net/http"
	"sort"
	"time"
)

func (s *Server) handleJournal(w http.ResponseWriter, _ *http.Request) {
	writeJSON(w, http.StatusOK, s.journal.list())
}

func (s *Server) handleJournalClear(w http.ResponseWriter, _ *http.Request) {
	s.journal.clear()
	w.WriteHeader(http.StatusNoContent)
}

// handleReset forgets all state and the journal; the configuration and clock stay.
func (s *Server) handleReset(w http.ResponseWriter, _ *http.Request) {
	s.resetState()
	s.journal.clear()
	w.WriteHeader(http.StatusNoContent)
}

func (s *Server) handleHealthz(w http.ResponseWriter, _ *http.Request) {
	writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
}

func (s *Server) handleClockAdvance(w http.ResponseWriter, r *http.Request) {
	mc, ok := s.clock.(*ManualClock)
	if !ok {
		writeError(w, &apiError{http.StatusConflict, excConflict,
			"The mock runs on the system clock; start it with a manual clock to advance time"})
		return
	}
	d, err := time.ParseDuration(r.URL.Query().Get("d"))
	if err != nil || d < 0 {
		writeError(w, badRequest("Query parameter d must be a duration >= 0, such as 30s"))
		return
	}
	mc.Advance(d)
	s.sweep(true)
	writeJSON(w, http.StatusOK, map[string]string{"time": s.now().Format(time.RFC3339Nano)})
}

type stateInstance struct {
	ID      string            `json:"_id"`
	Service string            `json:"service"`
	DataID  string            `json:"_data_id"`
	Params  map[string]string `json:"params"`
	Created time.Time         `json:"created"`
	Expires time.Time         `json:"expires"`
}

type stateReservation struct {
	Group        string    `json:"resource_group"`
	AccessNumber string    `json:"_access_number"`
	AccessCode   string    `json:"_access_code,omitempty"`
	ServiceID    string    `json:"_id"`
	Expires      time.Time `json:"expires"`
}

type stateStorage struct {
	Areas int      `json:"areas"`
	Bytes int64    `json:"bytes"`
	IDs   []string `json:"ids"`
}

type stateBody struct {
	Time         time.Time          `json:"time"`
	ManualClock  bool               `json:"manual_clock"`
	NodeStatus   string             `json:"node_status"`
	Instances    []stateInstance    `json:"instances"`
	Reservations []stateReservation `json:"reservations"`
	FreeNumbers  map[string]int     `json:"free_numbers"`
	Storage      stateStorage       `json:"storage"`
}

// handleState shows what the mock holds after dropping what has expired.
func (s *Server) handleState(w http.ResponseWriter, _ *http.Request) {
	s.sweep(true)
	writeJSON(w, http.StatusOK, s.state())
}

func (s *Server) state() stateBody {
	s.mu.Lock()
	defer s.mu.Unlock()
	_, manual := s.clock.(*ManualClock)
	b := stateBody{Time: s.now(), ManualClock: manual, NodeStatus: s.node,
		Instances: []stateInstance{}, Reservations: []stateReservation{},
		FreeNumbers: map[string]int{}}
	for _, in := range s.instances {
		b.Instances = append(b.Instances, stateInstance{in.id, in.service, in.dataID,
			in.params, in.created, in.expires})
	}
	sort.Slice(b.Instances, func(i, j int) bool { return b.Instances[i].ID < b.Instances[j].ID })
	for group, p := range s.pools {
		b.FreeNumbers[group] = p.free()
		for _, res := range p.held {
			b.Reservations = append(b.Reservations, stateReservation{group, res.number,
				res.code, res.instanceID, res.expires})
		}
	}
	sort.Slice(b.Reservations, func(i, j int) bool {
		return b.Reservations[i].AccessNumber < b.Reservations[j].AccessNumber
	})
	b.Storage.Areas, b.Storage.Bytes = s.store.Stats()
	b.Storage.IDs = s.store.IDs()
	return b
}

// serviceInfo describes one configured service for GET /mock/services.
type serviceInfo struct {
	Name     string   `json:"name"`
	Type     string   `json:"type"`
	Builtin  string   `json:"builtin,omitempty"`
	Requests []string `json:"requests"`
}

// handleServices lists the configured services, sorted by name, with the
// service-specific requests each one declares. Credentials are not shown.
func (s *Server) handleServices(w http.ResponseWriter, _ *http.Request) {
	out := make([]serviceInfo, 0, len(s.cfg.Services))
	for name, svc := range s.cfg.Services {
		info := serviceInfo{Name: name, Type: svc.Type, Requests: []string{}}
		if svc.Type == "builtin" {
			info.Builtin = svc.Service
		}
		for req := range svc.Requests {
			info.Requests = append(info.Requests, req)
		}
		sort.Strings(info.Requests)
		out = append(out, info)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	writeJSON(w, http.StatusOK, out)
}
