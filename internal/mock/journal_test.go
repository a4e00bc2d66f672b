package mock

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"unicode/utf8"
	"unsafe"
)

// TestJournalClipsLargeRequests: a request with a huge field value, many fields, many
// files and a long query string leaves a small journal entry: each string at most 1 KiB
// plus a marker with its full size, at most 32 fields and 32 files, the rest counted.
func TestJournalClipsLargeRequests(t *testing.T) {
	h := newHarness(t, nil)
	const bigLen = 4 << 20
	big := strings.Repeat("a", bigLen)
	longQuery := strings.Repeat("q", 10_000)
	kv := []string{"_access_number", "1", "big", big}
	for i := range 40 {
		kv = append(kv, fmt.Sprintf("f%02d", i), "v")
	}
	req := h.request("POST", "/genesys/1/service/match-interaction?long="+longQuery,
		"application/x-www-form-urlencoded", strings.NewReader(encode(kv...)))
	h.do(req).want(t, 404)

	var files []filePart
	for i := range 40 {
		files = append(files, filePart{fmt.Sprintf("file%02d", i), strings.Repeat("n", 3000),
			"image/png", []byte("x")})
	}
	h.postMultipart("/genesys/1/service/match-interaction", files, "_access_number", "1",
		"big", big).want(t, 404)

	res := h.get("/mock/journal").want(t, 200)
	if len(res.body) > 64<<10 {
		t.Errorf("journal of 2 requests is %d bytes, want a few KiB", len(res.body))
	}
	var entries []journalEntry
	if err := json.Unmarshal(res.body, &entries); err != nil || len(entries) != 2 {
		t.Fatalf("journal (%v): %.500s", err, res.body)
	}
	wantBig := strings.Repeat("a", 1024) + fmt.Sprintf("...[truncated, %d bytes]", bigLen)
	for i, e := range entries {
		if got := e.Fields["big"]; got != wantBig {
			t.Errorf("entry %d: big field of %d bytes %.40q..., want %d bytes", i, len(got),
				got, len(wantBig))
		}
		if e.Fields["_access_number"] != "1" {
			t.Errorf("entry %d: _access_number %q", i, e.Fields["_access_number"])
		}
	}
	// The urlencoded request: 2 + 40 body fields and the query's "long", in this order.
	e := entries[0]
	wantQuery := "long=" + longQuery[:1024-len("long=")] + "...[truncated, 10005 bytes]"
	if e.Query != wantQuery {
		t.Errorf("query of %d bytes, want %d", len(e.Query), len(wantQuery))
	}
	if len(e.Fields) != 32 || e.FieldsOmitted != 43-32 {
		t.Errorf("%d fields, %d omitted; want 32 and 11", len(e.Fields), e.FieldsOmitted)
	}
	if e.Fields["f29"] != "v" || e.Fields["f30"] != "" || e.Fields["long"] != "" {
		t.Errorf("kept fields %v, want the first 32 sent", e.Fields)
	}
	// The multipart request: 40 files, each with a 3000-byte filename.
	e = entries[1]
	if len(e.Files) != 32 || e.FilesOmitted != 8 {
		t.Errorf("%d files, %d omitted; want 32 and 8", len(e.Files), e.FilesOmitted)
	}
	f, ok := e.Files["file31"]
	wantName := strings.Repeat("n", 1024) + "...[truncated, 3000 bytes]"
	if !ok || f.Filename != wantName || f.Size != 1 || f.ContentType != "image/png" {
		t.Errorf("file31 %+v (kept: %v)", f, ok)
	}
}

// TestClip: short strings are kept whole, longer ones cut at 1 KiB on a character
// boundary, and the result never shares memory with its input, so that a short field
// of a huge body does not keep the body alive.
func TestClip(t *testing.T) {
	exact := strings.Repeat("x", 1024)
	if got := clip(exact); got != exact {
		t.Errorf("clip of 1024 bytes changed it")
	}
	if got := clip(exact + "y"); got != exact+"...[truncated, 1025 bytes]" {
		t.Errorf("clip of 1025 bytes: %q", got[1000:])
	}
	// "é" is 2 bytes: at offset 1023 it straddles the cut and is left out whole.
	s := strings.Repeat("x", 1023) + "é" + strings.Repeat("x", 100)
	got := clip(s)
	if !utf8.ValidString(got) || got != strings.Repeat("x", 1023)+"...[truncated, 1125 bytes]" {
		t.Errorf("clip across a character: %q", got[1000:])
	}
	body := strings.Repeat("k=v&", 1000)
	for _, part := range []string{body[:3], body, body[1:], ""} {
		c := clip(part)
		if len(part) > 0 && unsafe.StringData(c) == unsafe.StringData(part) {
			t.Errorf("clip(%.10q...) shares its input's memory", part)
		}
	}
}
