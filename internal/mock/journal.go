package mock

import (
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"
)

// What one journal entry keeps, so that the journal stays small whatever the requests
// carry (docs/mock.md, Admin API): each string at most journalMaxString bytes plus a
// marker, at most journalMaxFields field names and journalMaxFiles file names.
const (
	journalMaxString = 1 << 10
	journalMaxFields = 32
	journalMaxFiles  = 32
)

// journalEntry is one received request as GET /mock/journal shows it. Headers are not
// kept, so credentials never appear. Every string in it went through clip.
type journalEntry struct {
	Method        string                 `json:"method"`
	Path          string                 `json:"path"`
	Query         string                 `json:"query,omitempty"`
	ContentType   string                 `json:"content_type"`
	GMSUser       string                 `json:"gms_user,omitempty"`
	Fields        map[string]string      `json:"fields"`
	FieldsOmitted int                    `json:"fields_omitted,omitempty"`
	Files         map[string]journalFile `json:"files"`
	FilesOmitted  int                    `json:"files_omitted,omitempty"`
	Status        int                    `json:"status"`
	Time          time.Time              `json:"time"`
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
	e := journalEntry{Method: clip(r.Method), Path: clip(r.URL.Path),
		Query: clip(r.URL.RawQuery), ContentType: clip(r.Header.Get("Content-Type")),
		GMSUser: clip(gmsUser(r)), Fields: map[string]string{},
		Files: map[string]journalFile{}, Status: status, Time: s.now()}
	if f := info.form; f != nil {
		for _, fl := range f.fields {
			name := clip(fl.name)
			if _, seen := e.Fields[name]; seen {
				continue
			}
			if len(e.Fields) == journalMaxFields {
				e.FieldsOmitted++
				continue
			}
			e.Fields[name] = clip(fl.value)
		}
		for _, ff := range f.files {
			name := clip(ff.name)
			if _, seen := e.Files[name]; !seen && len(e.Files) == journalMaxFiles {
				e.FilesOmitted++
				continue
			}
			e.Files[name] = journalFile{clip(ff.filename), clip(ff.contentType), len(ff.data)}
		}
	}
	return e
}

// clip returns a copy of s that the journal may keep: s itself when it has at most
// journalMaxString bytes; otherwise its first journalMaxString bytes, cut back to a whole
// UTF-8 character, followed by "...[truncated, N bytes]" where N is len(s). It always
// copies: a string decoded from a request may share the memory of the whole body.
func clip(s string) string {
	if len(s) <= journalMaxString {
		return strings.Clone(s)
	}
	n := journalMaxString
	for i := 0; i < utf8.UTFMax-1 && n > 0 && !utf8.RuneStart(s[n]); i++ {
		n--
	}
	return s[:n] + "...[truncated, " + strconv.Itoa(len(s)) + " bytes]"
}
