package mock

import (
	"net/http"
	"sync"
	"time"
)

// journalEntry is one received request as GET /mock/journal shows it. Headers are not
// kept, so credentials never appear.
type journalEntry struct {
	Method      string                 `json:"method"`
	Path        string                 `json:"path"`
	Query       string                 `json:"query,omitempty"`
	ContentType string                 `json:"content_type"`
	GMSUser     string                 `json:"gms_user,omitempty"`
	Fields      map[string]string      `json:"fields"`
	Files       map[string]journalFile `json:"files"`
	Status      int                    `json:"status"`
	Time        time.Time              `json:"time"`
}

type journalFile struct {
	Filename    string `json:"filename"`
	ContentType string `json:"content_type"`
	Size        int    `json:"size"`
}

// journal keeps the last size entries.
type journal struct {
	mu      sync.Mutex
	size    int
	entries []journalEntry
}

func newJournal(size int) *journal {
	if size <= 0 {
		size = 1000
	}
	return &journal{size: size}
}

func (j *journal) add(e journalEntry) {
	j.mu.Lock()
	defer j.mu.Unlock()
	if len(j.entries) == j.size {
		copy(j.entries, j.entries[1:])
		j.entries = j.entries[:j.size-1]
	}
	j.entries = append(j.entries, e)
}

func (j *journal) list() []journalEntry {
	j.mu.Lock()
	defer j.mu.Unlock()
	return append([]journalEntry{}, j.entries...)
}

func (j *journal) clear() {
	j.mu.Lock()
	defer j.mu.Unlock()
	j.entries = nil
}

func (s *Server) journalEntry(r *http.Request, status int, info *reqInfo) journalEntry {
	e := journalEntry{Method: r.Method, Path: r.URL.Path, Query: r.URL.RawQuery,
		ContentType: r.Header.Get("Content-Type"), GMSUser: gmsUser(r),
		Fields: map[string]string{}, Files: map[string]journalFile{}, Status: status,
		Time: s.now()}
	if f := info.form; f != nil {
		for _, fl := range f.fields {
			if _, seen := e.Fields[fl.name]; !seen {
				e.Fields[fl.name] = fl.value
			}
		}
		for _, ff := range f.files {
			e.Files[ff.name] = journalFile{ff.filename, ff.contentType, len(ff.data)}
		}
	}
	return e
}
