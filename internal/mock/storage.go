package mock

import (
	"bytes"
	"encoding/json"
	"errors"
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/gmsctl/gmsctl/internal/mock/store"
)

const storagePath = "/genesys/1/storage/"

// storageTTL parses a TTL path segment: seconds from 1 to 2147483647. Anything else means
// 30 s, as in GMS: a value above 2147483647 is not a number to GMS, which reads a Java int.
func storageTTL(v string) time.Duration {
	if d, ok := parseSeconds(v); ok {
		return d
	}
	return 30 * time.Second
}

func storeError(err error, id string) *apiError {
	switch {
	case errors.Is(err, store.ErrNotFound):
		return notFound("Storage '%s' not found or expired", id)
	case errors.Is(err, store.ErrKeyNotFound):
		return notFound("Key not found in storage '%s'", id)
	case errors.Is(err, store.ErrFull):
		return &apiError{http.StatusServiceUnavailable, excUnavailable,
			"Storage is full: the mock's max_storage_bytes is reached"}
	case errors.Is(err, store.ErrTaken):
		return &apiError{http.StatusConflict, excConflict,
			"Storage id '" + id + "' is used by another gms_user"}
	}
	return &apiError{http.StatusInternalServerError, excInternal, err.Error()}
}

func gmsUser(r *http.Request) string { return r.Header.Get("gms_user") }

func (s *Server) handleStorageCreate(w http.ResponseWriter, r *http.Request) {
	f, aerr := readForm(r)
	if aerr != nil {
		writeError(w, aerr)
		return
	}
	id := s.newID()
	if err := s.store.Put(id, "", storageTTL(r.PathValue("x")), s.now(), userData(f)); err != nil {
		writeError(w, storeError(err, id))
		return
	}
	writeJSON(w, http.StatusOK, map[string]string{"id": id})
}

func (s *Server) handleStorageCustom(w http.ResponseWriter, r *http.Request) {
	user := gmsUser(r)
	if user == "" {
		writeError(w, badRequest("Missing mandatory header gms_user"))
		return
	}
	f, aerr := readForm(r)
	if aerr != nil {
		writeError(w, aerr)
		return
	}
	id := r.PathValue("customId")
	ttl := storageTTL(r.PathValue("ttl"))
	if err := s.store.Put(id, user, ttl, s.now(), userData(f)); err != nil {
		writeError(w, storeError(err, id))
		return
	}
	writeJSON(w, http.StatusOK, map[string]string{"id": id})
}

func (s *Server) handleStorageUpdate(w http.ResponseWriter, r *http.Request) {
	f, aerr := readForm(r)
	if aerr != nil {
		writeError(w, aerr)
		return
	}
	id := r.PathValue("id")
	ttl := storageTTL(r.PathValue("x"))
	if err := s.store.Merge(id, gmsUser(r), ttl, s.now(), userData(f)); err != nil {
		writeError(w, storeError(err, id))
		return
	}
	writeJSON(w, http.StatusOK, map[string]string{"id": id})
}

func (s *Server) handleStorageGet(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("x")
	area, err := s.store.Get(id, gmsUser(r), s.now())
	if err != nil {
		writeError(w, storeError(err, id))
		return
	}
	writeRawJSON(w, http.StatusOK, areaJSON(area, storagePath+url.PathEscape(id)+"/"))
}

func (s *Server) handleStorageGetKey(w http.ResponseWriter, r *http.Request) {
	s.writeValue(w, r.PathValue("id"), r.PathValue("x"), gmsUser(r))
}

func (s *Server) handleStorageDelete(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("x")
	if err := s.store.Delete(id, gmsUser(r), s.now()); err != nil {
		writeError(w, storeError(err, id))
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (s *Server) handleStorageDeleteKey(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	if err := s.store.DeleteKey(id, gmsUser(r), r.PathValue("x"), s.now()); err != nil {
		writeError(w, storeError(err, id))
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// writeValue answers one stored value raw: a string as text/plain, a file byte for byte
// with its stored content type and filename.
func (s *Server) writeValue(w http.ResponseWriter, id, key, owner string) {
	area, err := s.store.Get(id, owner, s.now())
	if err != nil {
		writeError(w, storeError(err, id))
		return
	}
	v, ok := area.Get(key)
	if !ok {
		writeError(w, notFound("Key '%s' not found in storage '%s'", key, id))
		return
	}
	h := w.Header()
	data := []byte(v.Text)
	h.Set("Content-Type", "text/plain; charset=utf-8")
	if v.File != nil {
		data = v.File.Data
		h.Set("Content-Type", v.File.ContentType)
		h.Set("Content-Disposition", contentDisposition(v.File.Filename))
	}
	h.Set("Content-Length", strconv.Itoa(len(data)))
	h.Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(data)
}

// contentDisposition quotes a plain ASCII filename and falls back to the RFC 2231 form
// (filename*=utf-8”...) for any other.
func contentDisposition(filename string) string {
	plain := filename != ""
	for _, r := range filename {
		if r < 0x20 || r > 0x7e || r == '"' || r == '\\' {
			plain = false
			break
		}
	}
	if plain {
		return `attachment; filename="` + filename + `"`
	}
	if cd := mime.FormatMediaType("attachment", map[string]string{"filename": filename}); cd != "" {
		return cd
	}
	return "attachment"
}

// fileRef is how a file value appears in a JSON read of a whole area.
type fileRef struct {
	Filename    string `json:"filename"`
	ContentType string `json:"content_type"`
	Size        int    `json:"size"`
	Href        string `json:"href"`
}

// areaJSON renders an area as a JSON object in the order the keys were stored. hrefBase
// is the path a file's key is appended to.
func areaJSON(area store.Area, hrefBase string) []byte {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, e := range area.Entries {
		if i > 0 {
			b.WriteByte(',')
		}
		k, _ := json.Marshal(e.Key)
		b.Write(k)
		b.WriteByte(':')
		var v []byte
		if e.Value.File != nil {
			f := e.Value.File
			v, _ = json.Marshal(fileRef{Filename: f.Filename, ContentType: f.ContentType,
				Size: len(f.Data), Href: hrefBase + url.PathEscape(e.Key)})
		} else {
			v, _ = json.Marshal(e.Value.Text)
		}
		b.Write(v)
	}
	b.WriteByte('}')
	return b.Bytes()
}

// userDataJSON is the data area of an instance as the JSON a storage read returns
// ({} once it expired).
func (s *Server) userDataJSON(dataID string, now time.Time) json.RawMessage {
	area, err := s.store.Get(dataID, "", now)
	if err != nil {
		return json.RawMessage("{}")
	}
	return areaJSON(area, storagePath+url.PathEscape(dataID)+"/")
}
