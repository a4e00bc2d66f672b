package client

import (
	"errors"
	"fmt"
	"io"
	"mime"
	"os"
	"path/filepath"
	"strings"
)

// Encoding selects how a [Form] is sent.
type Encoding int

const (
	// EncodingAuto sends application/x-www-form-urlencoded when the form holds only
	// strings and multipart/form-data when it holds a file. It is the default.
	EncodingAuto Encoding = iota
	// EncodingURLEncoded forces application/x-www-form-urlencoded. A form with a file part
	// then fails before anything is sent.
	EncodingURLEncoded
	// EncodingMultipart forces multipart/form-data, even for a form of strings only.
	EncodingMultipart
)

// String returns the media type the encoding stands for, or "auto".
func (e Encoding) String() string {
	switch e {
	case EncodingURLEncoded:
		return "application/x-www-form-urlencoded"
	case EncodingMultipart:
		return "multipart/form-data"
	case EncodingAuto:
		return "auto"
	}
	return fmt.Sprintf("Encoding(%d)", int(e))
}

// Form is the body of a GMS call: ordered string fields and file parts, the key/value items
// that GMS services, Storage and the pattern matcher accept. Fields are sent in the order
// they were added, and a name may repeat. Create one with [NewForm].
//
// A nil *Form passed to a call sends an empty body, and [Form.Encoding], [Form.Fields]
// and [Form.Validate] read it as an empty form. The methods that add to or change a form
// (Add, AddFile, AddFilePart, SetEncoding) have no form to change on a nil *Form: they
// panic, with a message saying to use NewForm.
//
// Methods return the form so calls can be chained. Mistakes (an empty name, a file that
// cannot be opened) are reported by the call that sends the form, before anything is sent
// where possible.
//
// A Form must not be changed while a call that sends it is running; it can be sent again
// afterwards (file parts are reopened each time).
type Form struct {
	fields   []Field
	encoding Encoding
}

// Field is one item of a [Form]: a string value, or a file when File is not nil.
type Field struct {
	Name  string    // the form field name
	Value string    // the value of a string field
	File  *FilePart // the file of a file part, nil for a string field
}

// IsFile reports whether f is a file part.
func (f Field) IsFile() bool { return f.File != nil }

// FilePart is a file sent in a multipart/form-data body. Set either Path, to read a file
// from disk, or Open, to supply the content some other way.
type FilePart struct {
	// Name is the form field name.
	Name string
	// Filename is sent in the part's Content-Disposition. Empty means the base name of
	// Path, or "blob" (as browsers do) when there is no Path.
	Filename string
	// ContentType of the part. Empty means the type registered for Filename's extension,
	// or application/octet-stream.
	ContentType string
	// Path of a file to send. It is opened when the call sends the form, and again if the
	// body must be replayed.
	Path string
	// Open returns a fresh reader of the content each time it is called; the client closes
	// it. Used when Path is empty.
	Open func() (io.ReadCloser, error)
	// Size, when positive, is the exact length of the content returned by Open; it lets the
	// client send a Content-Length. Zero or negative means unknown. Files named by Path
	// are measured when sent, and Size is not used for them.
	Size int64
}

// NewForm returns an empty form.
func NewForm() *Form { return &Form{} }

// Add appends a string field. It panics on a nil *Form.
func (f *Form) Add(name, value string) *Form {
	f.mustExist("Add")
	f.fields = append(f.fields, Field{Name: name, Value: value})
	return f
}

// AddFile appends a file part read from path when the form is sent. The filename is the
// base name of path and the content type is guessed from its extension. It panics on a
// nil *Form.
func (f *Form) AddFile(name, path string) *Form {
	f.mustExist("AddFile")
	return f.AddFilePart(FilePart{Name: name, Path: path})
}

// AddFilePart appends a file part described by p. The part is copied. It panics on a nil
// *Form.
func (f *Form) AddFilePart(p FilePart) *Form {
	f.mustExist("AddFilePart")
	f.fields = append(f.fields, Field{Name: p.Name, File: &p})
	return f
}

// SetEncoding forces or frees the body encoding; see [Encoding]. It panics on a nil *Form.
func (f *Form) SetEncoding(e Encoding) *Form {
	f.mustExist("SetEncoding")
	f.encoding = e
	return f
}

// mustExist panics, naming the method and the cure, when f is nil: a method that changes
// a form cannot make the caller's nil pointer point to a new one, and silently returning
// a fresh form would lose the fields of f.Add(...) called without using its result.
func (f *Form) mustExist(method string) {
	if f == nil {
		panic("client: Form." + method + " on a nil *Form; create the form with NewForm")
	}
}

// Encoding returns the encoding the form will be sent with: the one set with
// [Form.SetEncoding], or, for [EncodingAuto], multipart when the form holds a file and
// urlencoded otherwise.
func (f *Form) Encoding() Encoding {
	if f == nil {
		return EncodingURLEncoded
	}
	if f.encoding != EncodingAuto {
		return f.encoding
	}
	if f.hasFile() {
		return EncodingMultipart
	}
	return EncodingURLEncoded
}

// Fields returns a copy of the form's items in order, for display or inspection.
func (f *Form) Fields() []Field {
	if f == nil {
		return nil
	}
	out := make([]Field, len(f.fields))
	for i, fld := range f.fields {
		out[i] = fld
		if fld.File != nil {
			cp := fld.File.resolved()
			out[i].File = &cp
		}
	}
	return out
}

// Validate reports the first problem that would make sending the form fail before any
// byte is sent: an empty field name, a file part with neither Path nor Open, a file with
// forced urlencoding, or an unknown encoding. It does not open files.
func (f *Form) Validate() error {
	if f == nil {
		return nil
	}
	enc := f.Encoding()
	if enc != EncodingURLEncoded && enc != EncodingMultipart {
		return invalidf("form: unknown encoding %d", int(f.encoding))
	}
	for i, fld := range f.fields {
		if fld.Name == "" {
			return invalidf("form: field %d has an empty name", i+1)
		}
		if fld.File == nil {
			continue
		}
		if enc == EncodingURLEncoded {
			return invalidf("form: file part %q cannot be sent urlencoded; "+
				"use multipart/form-data", fld.Name)
		}
		if fld.File.Path == "" && fld.File.Open == nil {
			return invalidf("form: file part %q has neither Path nor Open", fld.Name)
		}
		if err := checkHeaderValue("Content-Type", fld.File.ContentType); err != nil {
			return fmt.Errorf("form: file part %q: %w", fld.Name, err)
		}
	}
	return nil
}

func (f *Form) hasFile() bool {
	for _, fld := range f.fields {
		if fld.File != nil {
			return true
		}
	}
	return false
}

// resolved returns p with its defaults filled in: Filename and ContentType.
func (p FilePart) resolved() FilePart {
	if p.Filename == "" && p.Path != "" {
		p.Filename = filepath.Base(p.Path)
	}
	if p.Filename == "" {
		p.Filename = "blob"
	}
	if p.ContentType == "" {
		p.ContentType = mime.TypeByExtension(filepath.Ext(p.Filename))
	}
	if p.ContentType == "" {
		p.ContentType = "application/octet-stream"
	}
	return p
}

// label names the file in error messages: its path, or its filename.
func (p FilePart) label() string {
	if p.Path != "" {
		return p.Path
	}
	return p.Filename
}

// open returns a fresh reader of the part's content.
func (p FilePart) open() (io.ReadCloser, error) {
	if p.Path == "" {
		rc, err := p.Open()
		if err == nil && rc == nil {
			err = errNoReader
		}
		if err != nil {
			return nil, &FileError{Field: p.Name, File: p.label(), Err: err}
		}
		return rc, nil
	}
	file, err := os.Open(p.Path)
	if err != nil {
		return nil, &FileError{Field: p.Name, File: p.Path, Err: unwrapPathError(err)}
	}
	return file, nil
}

// size returns the content length when it is cheaply known, or -1.
func (p FilePart) size() (int64, error) {
	if p.Path == "" {
		if p.Size > 0 {
			return p.Size, nil
		}
		return -1, nil
	}
	info, err := os.Stat(p.Path)
	if err != nil {
		return 0, &FileError{Field: p.Name, File: p.Path, Err: unwrapPathError(err)}
	}
	if !info.Mode().IsRegular() {
		if info.IsDir() {
			return 0, &FileError{Field: p.Name, File: p.Path, Err: errIsDir}
		}
		return -1, nil // a pipe or device: stream it with unknown length
	}
	return info.Size(), nil
}

var (
	errIsDir    = errors.New("is a directory")
	errNoReader = errors.New("the Open function returned no reader")
)

// FileError reports a file part that could not be opened or read; the request it belongs
// to was not sent, or was aborted.
type FileError struct {
	Field string // form field name
	File  string // path, or filename when the part has no path
	Err   error  // the cause, such as fs.ErrNotExist
}

// Error names the file, the form field and the cause.
func (e *FileError) Error() string {
	return fmt.Sprintf("file %s (form field %q): %v", e.File, e.Field, e.Err)
}

// Unwrap returns the cause, for errors.Is and errors.As.
func (e *FileError) Unwrap() error { return e.Err }

// unwrapPathError drops the *os.PathError layer, whose text repeats the path that
// FileError already shows, and keeps the cause (for errors.Is with fs.ErrNotExist).
func unwrapPathError(err error) error {
	if pe, ok := err.(*os.PathError); ok {
		return pe.Err
	}
	return err
}

// filenameEscaper encodes a field name or filename for a quoted Content-Disposition
// parameter. Following the WHATWG HTML form encoding (what browsers send), '"' becomes %22
// and CR and LF become %0D and %0A; the other control characters are percent-encoded too
// because no header may carry them. A backslash is sent as the quoted-pair \\ so that
// parsers which treat backslash as an escape (Go, Jetty) read it back as one backslash.
// Non-ASCII text is sent as raw UTF-8 (RFC 7578 section 4.2; filename* is not used).
var filenameEscaper = newDispositionEscaper()

func newDispositionEscaper() *strings.Replacer {
	pairs := []string{`"`, "%22", `\`, `\\`, "\x7f", "%7F"}
	for b := 0; b < 0x20; b++ {
		pairs = append(pairs, string(rune(b)), fmt.Sprintf("%%%02X", b))
	}
	return strings.NewReplacer(pairs...)
}

// escapeDispositionParam returns s as it goes between the quotes of a Content-Disposition
// parameter.
func escapeDispositionParam(s string) string {
	return filenameEscaper.Replace(s)
}

// appendForm appends the fields of other (which may be nil) and takes its encoding when
// it forces one.
func (f *Form) appendForm(other *Form) {
	if other == nil {
		return
	}
	f.fields = append(f.fields, other.fields...)
	if other.encoding != EncodingAuto {
		f.encoding = other.encoding
	}
}
