package client

import (
	"fmt"
	"io"
	"net/http"
	"path/filepath"
	"strings"
	"testing"

	"github.com/jarcoal/httpmock"
)

// wantParam is what a server using Go's mime package reads back for a field name or
// filename this package sent: '"' arrives as %22 and every control byte (0x00-0x1F, 0x7F)
// as %XX; every other byte, backslash and non-ASCII included, arrives unchanged.
// (Written independently of the encoder on purpose.)
func wantParam(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '"':
			b.WriteString("%22")
		case c < 0x20 || c == 0x7f:
			fmt.Fprintf(&b, "%%%02X", c)
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

// decoded is a form as net/http's server-side parser sees it.
type decoded struct {
	values   map[string][]string
	filename string // of the single file part, if any
	content  string // of the single file part, if any
}

// roundTrip sends form through the client and decodes it with net/http's own parser
// (Request.ParseForm or Request.ParseMultipartForm) in an httpmock responder.
func roundTrip(t *testing.T, form *Form) (decoded, error) {
	mt := httpmock.NewMockTransport()
	var got decoded
	var parseErr error
	mt.RegisterNoResponder(func(req *http.Request) (*http.Response, error) {
		got, parseErr = parseForm(req)
		return httpmock.NewStringResponse(200, `{"_id":"1"}`), nil
	})
	c, err := New(testBase, WithTransport(mt))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Services.Create(t.Context(), "svc", form); err != nil {
		return got, err
	}
	if parseErr != nil {
		t.Fatalf("net/http could not parse the form: %v", parseErr)
	}
	return got, nil
}

func parseForm(req *http.Request) (decoded, error) {
	if req.Header.Get("Content-Type") == "application/x-www-form-urlencoded" {
		err := req.ParseForm()
		return decoded{values: req.PostForm}, err
	}
	if err := req.ParseMultipartForm(1 << 20); err != nil {
		return decoded{}, err
	}
	got := decoded{values: req.MultipartForm.Value}
	for _, files := range req.MultipartForm.File {
		f, err := files[0].Open()
		if err != nil {
			return got, err
		}
		data, err := io.ReadAll(f)
		f.Close()
		got.filename, got.content = files[0].Filename, string(data)
		if err != nil {
			return got, err
		}
	}
	return got, nil
}

// FuzzFormRoundTrip checks that what goes into a Form comes out of net/http's parser:
// urlencoded names and values, and multipart values and file content, byte for byte;
// multipart names and filenames as wantParam describes (then filepath.Base for the
// filename, which Go's parser applies).
func FuzzFormRoundTrip(f *testing.F) {
	f.Add("_phone_number", "6504669999", "MyPic.png")
	f.Add("a b+c&d=e", "x y+z&w=v%20;", `we"ird\name`+"\r\n.png")
	f.Add("名前", "値\u00e9", "日本語 ファイル.txt")
	f.Add("trailing\\", "\\", "back\\slash\\")
	f.Add("ctl\x00\x01\t\x7f", "\x00\xff\xfe", "a/b/c.txt")
	f.Add("%22", "\r\n--boundary--\r\n", "")
	f.Add("", "empty name", "x")
	f.Fuzz(func(t *testing.T, name, value, filename string) {
		if len(name)+len(value)+len(filename) > 512 {
			// Long inputs find nothing new and make minimization crawl.
			t.Skip()
		}
		urlForm := NewForm().Add(name, value).Add(name, value+"2")
		got, err := roundTrip(t, urlForm)
		if name == "" {
			if err == nil || !strings.Contains(err.Error(), "empty name") {
				t.Fatalf("empty name: error %v", err)
			}
			return
		}
		if err != nil {
			t.Fatal(err)
		}
		if v := got.values[name]; len(v) != 2 || v[0] != value || v[1] != value+"2" {
			t.Fatalf("urlencoded %q=%q came back as %q", name, value, got.values)
		}

		mpForm := NewForm().Add(name, value).AddFilePart(FilePart{Name: name,
			Filename: filename, Open: func() (io.ReadCloser, error) {
				return io.NopCloser(strings.NewReader(value)), nil
			}})
		if got, err = roundTrip(t, mpForm); err != nil {
			t.Fatal(err)
		}
		if v := got.values[wantParam(name)]; len(v) != 1 || v[0] != value {
			t.Fatalf("multipart %q=%q came back as %q", name, value, got.values)
		}
		sentName := filename
		if sentName == "" {
			sentName = "blob"
		}
		if want := filepath.Base(wantParam(sentName)); got.filename != want {
			t.Fatalf("filename %q came back as %q, want %q", filename, got.filename, want)
		}
		if got.content != value {
			t.Fatalf("file content %q came back as %q", value, got.content)
		}
	})
}
