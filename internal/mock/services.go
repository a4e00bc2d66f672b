package mock

import (
	"math"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/gmsctl/gmsctl/internal/mock/store"
)

// instance is a created service.
type instance struct {
	id      string
	service string
	params  map[string]string // the underscore parameters it was created with
	dataID  string
	ttl     time.Duration
	created time.Time
	expires time.Time
	res     *reservation
}

// alive reports whether the instance still exists at now. A reservation keeps its
// instance alive until the reservation ends.
func (in *instance) alive(now time.Time) bool {
	if in.expires.After(now) {
		return true
	}
	return in.res != nil && in.res.expires.After(now)
}

// call is what a handler of a built-in service gets: the service, the request's form and
// the merged parameters (service options overlaid by the request's underscore fields).
type call struct {
	name   string
	svc    *ServiceConfig
	form   *form
	params map[string]string
	now    time.Time
}

func (c *call) param(name string) string { return c.params[name] }

func (s *Server) handleCreate(w http.ResponseWriter, r *http.Request) {
	name := r.PathValue("name")
	svc := s.cfg.Services[name]
	if svc == nil {
		writeError(w, notFound("Service '%s' is not configured", name))
		return
	}
	if isQueryService(svc) {
		w.Header().Set("Allow", "GET, HEAD")
		writeError(w, &apiError{http.StatusMethodNotAllowed, excMethod,
			"Service '" + name + "' is queried with GET"})
		return
	}
	f, aerr := readForm(r)
	if aerr != nil {
		writeError(w, aerr)
		return
	}
	c := &call{name: name, svc: svc, form: f, params: mergeParams(svc.Options, f), now: s.now()}
	body, aerr := s.create(c)
	if aerr != nil {
		writeError(w, aerr)
		return
	}
	writeJSON(w, http.StatusOK, body)
}

func (s *Server) create(c *call) (map[string]any, *apiError) {
	switch c.svc.Service {
	case "request-interaction":
		return s.requestInteraction(c)
	case "request-access":
		return s.requestAccess(c)
	case "match-interaction":
		return s.matchInteraction(c)
	case "request-chat":
		return s.requestChat(c)
	}
	return s.genericCreate(c)
}

func mergeParams(options map[string]string, f *form) map[string]string {
	p := make(map[string]string, len(options))
	for k, v := range options {
		p[k] = v
	}
	for k, v := range f.params() {
		p[k] = v
	}
	return p
}

// newInstance creates an instance and its user-data area. The caller must not hold s.mu.
func (s *Server) newInstance(c *call) (*instance, *apiError) {
	ttl, aerr := s.ttlOf(c.param("_ttl"))
	if aerr != nil {
		return nil, aerr
	}
	in := &instance{id: s.newID(), service: c.name, params: c.params, dataID: s.newID(),
		ttl: ttl, created: c.now, expires: c.now.Add(ttl)}
	if err := s.store.Put(in.dataID, "", ttl, c.now, userData(c.form)); err != nil {
		return nil, storeError(err, in.dataID)
	}
	return in, nil
}

func (s *Server) addInstance(in *instance) {
	s.instances[in.id] = in
}

func (s *Server) genericCreate(c *call) (map[string]any, *apiError) {
	in, aerr := s.newInstance(c)
	if aerr != nil {
		return nil, aerr
	}
	s.mu.Lock()
	s.sweepLocked(c.now, false)
	s.addInstance(in)
	s.mu.Unlock()
	body := render(c.svc.Response, templateVars(in, c.form))
	body["_id"] = in.id
	body["_data_id"] = in.dataID
	return body, nil
}

func (s *Server) requestChat(c *call) (map[string]any, *apiError) {
	body, aerr := s.genericCreate(c)
	if aerr != nil {
		return nil, aerr
	}
	id := body["_id"].(string)
	body["_chatIxnAPI-CREATE-URL"] = "/genesys/1/service/" + id + "/ixn/chat"
	return body, nil
}

func (s *Server) requestInteraction(c *call) (map[string]any, *apiError) {
	if strings.TrimSpace(c.param("_phone_number")) == "" {
		return nil, missingParam("_phone_number")
	}
	spec, aerr := s.accessSpec(c)
	if aerr != nil {
		return nil, aerr
	}
	in, aerr := s.newInstance(c)
	if aerr != nil {
		return nil, aerr
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.sweepLocked(c.now, false)
	res, aerr := s.reserveLocked(in, spec, c.now)
	if aerr != nil {
		_ = s.store.Delete(in.dataID, "", c.now)
		return nil, aerr
	}
	s.addInstance(in)
	body := render(c.svc.Response, templateVars(in, c.form))
	body["_id"] = in.id
	body["_data_id"] = in.dataID
	addAccess(body, res)
	return body, nil
}

func (s *Server) requestAccess(c *call) (map[string]any, *apiError) {
	id := c.form.get("_id")
	if id == "" {
		return nil, missingParam("_id")
	}
	spec, aerr := s.accessSpec(c)
	if aerr != nil {
		return nil, aerr
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.sweepLocked(c.now, false)
	in := s.instanceLocked(id, c.now)
	if in == nil {
		return nil, notFound("Service instance '%s' not found", id)
	}
	if entries := userData(c.form); len(entries) > 0 {
		s.mergeUserData(in, entries, c.now)
	}
	res, aerr := s.reserveLocked(in, spec, c.now)
	if aerr != nil {
		return nil, aerr
	}
	body := render(c.svc.Response, templateVars(in, c.form))
	addAccess(body, res)
	return body, nil
}

func addAccess(body map[string]any, res *reservation) {
	body["_access_number"] = res.number
	if res.code != "" {
		body["_access_code"] = res.code
	}
	body["_expiration_time"] = res.expires.UTC().Format(time.RFC3339)
}

// accessSpec reads the parameters of an access-number reservation.
type accessSpecT struct {
	group      string
	codeLength int // 0: no code
	phone      string
	booking    time.Duration
}

func (s *Server) accessSpec(c *call) (accessSpecT, *apiError) {
	spec := accessSpecT{group: c.param("_resource_group"), phone: c.param("_phone_number")}
	if spec.group == "" {
		spec.group = defaultGroup
	}
	if _, ok := s.cfg.ResourceGroups[spec.group]; !ok {
		return spec, badRequest("Unknown _resource_group '%s'", spec.group)
	}
	spec.booking = time.Duration(s.cfg.Defaults.BookingTimeout) * time.Second
	if v := c.param("_booking_expiration_timeout"); v != "" {
		d, aerr := secondsParam("_booking_expiration_timeout", v)
		if aerr != nil {
			return spec, aerr
		}
		spec.booking = d
	}
	provide, err := parseBool(c.param("_provide_code"))
	if err != nil {
		return spec, badRequest("Invalid _provide_code '%s': want true or false",
			c.param("_provide_code"))
	}
	if !provide {
		return spec, nil
	}
	spec.codeLength = s.cfg.Defaults.AccessCodeLength
	if v := c.param("_access_code_length"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 18 {
			return spec, badRequest("Invalid _access_code_length '%s': want 1 to 18", v)
		}
		spec.codeLength = n
	}
	return spec, nil
}

// reserveLocked gives in a new reservation, freeing the one it had.
func (s *Server) reserveLocked(in *instance, spec accessSpecT, now time.Time) (*reservation,
	*apiError) {
	p := s.pools[spec.group]
	if in.res != nil {
		s.releaseLocked(in.res)
	}
	for _, held := range p.held {
		if !held.expires.After(now) {
			s.releaseLocked(held)
		}
	}
	res := &reservation{group: spec.group, phone: digitsOnly(spec.phone), instanceID: in.id,
		expires: now.Add(spec.booking)}
	if err := p.take(res); err != nil {
		return nil, &apiError{http.StatusServiceUnavailable, excUnavailable,
			"No free access number in resource group " + spec.group}
	}
	if spec.codeLength > 0 {
		res.code = s.digits(spec.codeLength)
	}
	in.res = res
	return res, nil
}

func (s *Server) releaseLocked(res *reservation) {
	if p := s.pools[res.group]; p != nil && p.held[res.number] == res {
		delete(p.held, res.number)
	}
	if in := s.instances[res.instanceID]; in != nil && in.res == res {
		in.res = nil
	}
}

func (s *Server) matchInteraction(c *call) (map[string]any, *apiError) {
	number := c.param("_access_number")
	if number == "" {
		return nil, missingParam("_access_number")
	}
	multiple, err1 := parseBool(c.param("_return_multiple_matches"))
	withData, err2 := parseBool(firstNonEmpty(c.param("_return_user_data"),
		c.param("_return_data")))
	remove, err3 := parseBool(c.param("_delete_service"))
	if err1 != nil || err2 != nil || err3 != nil {
		return nil, badRequest("Boolean parameters take true or false")
	}
	s.mu.Lock()
	matches := s.findMatchesLocked(c, number)
	for _, in := range matches {
		s.releaseLocked(in.res)
		if remove {
			delete(s.instances, in.id)
		}
	}
	s.mu.Unlock()
	if len(matches) == 0 {
		return nil, notFound("No service matches _access_number %s", number)
	}
	items := make([]map[string]any, 0, len(matches))
	for _, in := range matches {
		item := map[string]any{"_id": in.id, "_data_id": in.dataID}
		if withData {
			item["_user_data"] = s.userDataJSON(in.dataID, c.now)
		}
		items = append(items, item)
	}
	if multiple {
		return map[string]any{"matches": items}, nil
	}
	return items[0], nil
}

func (s *Server) findMatchesLocked(c *call, number string) []*instance {
	code, phone := c.param("_access_code"), digitsOnly(c.param("_phone_number"))
	group := c.param("_resource_group")
	var out []*instance
	for name, p := range s.pools {
		if group != "" && name != group {
			continue
		}
		res := p.held[number]
		if res == nil || !res.expires.After(c.now) {
			continue
		}
		if res.code != "" && res.code != code {
			continue
		}
		if phone != "" && res.phone != "" && phone != res.phone {
			continue
		}
		if in := s.instances[res.instanceID]; in != nil {
			out = append(out, in)
		}
	}
	return out
}

// instanceLocked returns the live instance id, or nil.
func (s *Server) instanceLocked(id string, now time.Time) *instance {
	in := s.instances[id]
	if in == nil || !in.alive(now) {
		return nil
	}
	return in
}

func (s *Server) mergeUserData(in *instance, entries []store.Entry, now time.Time) {
	err := s.store.Merge(in.dataID, "", 0, now, entries)
	if err == store.ErrNotFound {
		_ = s.store.Put(in.dataID, "", in.ttl, now, entries)
	}
}

// sweep drops expired instances and reservations (and storage areas). Unless forced it
// runs at most once per second of the server's clock: lookups check expiry themselves,
// sweeping only returns memory.
func (s *Server) sweep(force bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.sweepLocked(s.now(), force)
}

func (s *Server) sweepLocked(now time.Time, force bool) {
	if !force && now.Sub(s.lastSweep) < time.Second && !now.Before(s.lastSweep) {
		return
	}
	s.lastSweep = now
	for _, p := range s.pools {
		for _, res := range p.held {
			if !res.expires.After(now) {
				s.releaseLocked(res)
			}
		}
	}
	for id, in := range s.instances {
		if !in.alive(now) {
			delete(s.instances, id)
		}
	}
	s.store.Sweep(now)
}

// ttlOf reads a _ttl parameter: empty means the configured default.
func (s *Server) ttlOf(v string) (time.Duration, *apiError) {
	if v == "" {
		return time.Duration(s.cfg.Defaults.TTL) * time.Second, nil
	}
	return secondsParam("_ttl", v)
}

// maxSeconds is the largest number of seconds GMS reads: it parses them as a Java int.
// It is also small enough that no time.Duration or time.Time arithmetic overflows.
const maxSeconds = math.MaxInt32

// parseSeconds reads a whole number of seconds from 1 to maxSeconds.
func parseSeconds(v string) (time.Duration, bool) {
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil || n < 1 || n > maxSeconds {
		return 0, false
	}
	return time.Duration(n) * time.Second, true
}

// secondsParam reads the service parameter name as seconds, or answers 400 naming it.
func secondsParam(name, v string) (time.Duration, *apiError) {
	d, ok := parseSeconds(v)
	if !ok {
		return 0, badRequest("Invalid %s '%s': want whole seconds from 1 to %d", name, v,
			maxSeconds)
	}
	return d, nil
}

// userData returns the form's user data: every field and file not starting with "_".
func userData(f *form) []store.Entry { return formEntries(f, false) }

// formEntries returns the fields, then the files, of f as storage entries; the ones whose
// names start with "_" only when all is true.
func formEntries(f *form, all bool) []store.Entry {
	var out []store.Entry
	for _, fl := range f.fields {
		if all || !strings.HasPrefix(fl.name, "_") {
			out = append(out, store.Entry{Key: fl.name, Value: store.Value{Text: fl.value}})
		}
	}
	for _, ff := range f.files {
		if all || !strings.HasPrefix(ff.name, "_") {
			out = append(out, store.Entry{Key: ff.name, Value: store.Value{File: &store.File{
				Filename: ff.filename, ContentType: ff.contentType, Data: ff.data}}})
		}
	}
	return out
}

func parseBool(v string) (bool, error) {
	switch strings.ToLower(strings.TrimSpace(v)) {
	case "", "false", "0", "no":
		return false, nil
	case "true", "1", "yes":
		return true, nil
	}
	return false, strconv.ErrSyntax
}

func digitsOnly(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r >= '0' && r <= '9' {
			b.WriteRune(r)
		}
	}
	return b.String()
}

func firstNonEmpty(vs ...string) string {
	for _, v := range vs {
		if v != "" {
			return v
		}
	}
	return ""
}
