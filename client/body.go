package client

import (
	"fmt"
	"io"
	"mime/multipart"
	"net/textproto"
	"net/url"
	"strings"
	"sync"
)

// requestBody is an encoded form that can be opened any number of times, each time as a
// fresh stream, so a request can be replayed (http.Request.GetBody).
type requestBody struct {
	contentType string
	length      int64 // -1 when unknown
	open        func() (io.ReadCloser, error)
	failure     *firstError // the first file error met by any stream of this body
	summary     []string    // field names and file names, for debug logs
}

// firstError keeps the first error stored in it; it is shared by the streams of one body.
type firstError struct {
	mu  sync.Mutex
	err error
}

func (f *firstError) set(err error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.err == nil {
		f.err = err
	}
}

func (f *firstError) get() error {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.err
}

// encodeForm prepares f for sending. Problems with the form, and files that cannot be
// found, are reported here, before the request exists.
func encodeForm(f *Form) (*requestBody, error) {
	if err := f.Validate(); err != nil {
		return nil, err
	}
	fields := f.Fields()
	if f.Encoding() == EncodingURLEncoded {
		return urlencodedBody(fields), nil
	}
	return multipartBody(fields)
}

func urlencodedBody(fields []Field) *requestBody {
	s := encodeURLFields(fields)
	open := func() (io.ReadCloser, error) { return io.NopCloser(strings.NewReader(s)), nil }
	return &requestBody{
		contentType: "application/x-www-form-urlencoded",
		length:      int64(len(s)),
		open:        open,
		failure:     &firstError{},
		summary:     summarize(fields),
	}
}

// encodeURLFields encodes fields in order as name=value pairs joined by '&', with
// url.QueryEscape: a space becomes '+', and '+', '&', '=' and '%' are percent-encoded.
func encodeURLFields(fields []Field) string {
	var b strings.Builder
	for i, fld := range fields {
		if i > 0 {
			b.WriteByte('&')
		}
		b.WriteString(url.QueryEscape(fld.Name))
		b.WriteByte('=')
		b.WriteString(url.QueryEscape(fld.Value))
	}
	return b.String()
}

// mpForm writes one form as multipart/form-data with a fixed boundary, so every replay of
// the body is identical.
type mpForm struct {
	boundary string
	fields   []Field // file parts already resolved
	sizes    []int64 // size of each file part, -1 when unknown
	failure  *firstError
}

func multipartBody(fields []Field) (*requestBody, error) {
	m := &mpForm{
		boundary: multipart.NewWriter(io.Discard).Boundary(),
		fields:   fields,
		sizes:    make([]int64, len(fields)),
		failure:  &firstError{},
	}
	for i, fld := range fields {
		if fld.File == nil {
			continue
		}
		size, err := fld.File.size()
		if err != nil {
			return nil, err
		}
		m.sizes[i] = size
	}
	return &requestBody{
		contentType: "multipart/form-data; boundary=" + m.boundary,
		length:      m.length(),
		open:        m.open,
		failure:     m.failure,
		summary:     summarize(fields),
	}, nil
}

// length returns the exact size of the encoded body, or -1 if a file size is unknown.
func (m *mpForm) length() int64 {
	var total int64
	for i, fld := range m.fields {
		if fld.File != nil && m.sizes[i] < 0 {
			return -1
		}
		total += m.sizes[i]
	}
	cw := &countingWriter{}
	skipFiles := func(int, io.Writer) error { return nil }
	if err := m.write(cw, skipFiles); err != nil {
		return -1
	}
	return total + cw.n
}

// open opens every file of the form, then streams the body through a pipe from a
// goroutine, so a large file is never held in memory. Closing the returned reader stops
// the goroutine and closes the files.
func (m *mpForm) open() (io.ReadCloser, error) {
	files := make([]io.ReadCloser, len(m.fields))
	for i, fld := range m.fields {
		if fld.File == nil {
			continue
		}
		rc, err := fld.File.open()
		if err != nil {
			closeAll(files)
			m.failure.set(err)
			return nil, err
		}
		files[i] = rc
	}
	pr, pw := io.Pipe()
	go m.stream(pw, files)
	return pr, nil
}

func (m *mpForm) stream(pw *io.PipeWriter, files []io.ReadCloser) {
	err := m.write(pw, func(i int, dst io.Writer) error {
		return m.copyFile(dst, i, files[i])
	})
	closeAll(files)
	pw.CloseWithError(err) // nil closes with io.EOF
}

func (m *mpForm) copyFile(dst io.Writer, i int, src io.Reader) error {
	part := m.fields[i].File
	n, err := io.Copy(dst, &fileReader{r: src, part: part, failure: m.failure})
	if err != nil {
		return err
	}
	if m.sizes[i] >= 0 && n != m.sizes[i] {
		err := &FileError{Field: part.Name, File: part.label(),
			Err: fmt.Errorf("size changed from %d to %d bytes while sending", m.sizes[i], n)}
		m.failure.set(err)
		return err
	}
	return nil
}

// write encodes the form to w; content writes the bytes of file part i.
func (m *mpForm) write(w io.Writer, content func(i int, dst io.Writer) error) error {
	mw := multipart.NewWriter(w)
	if err := mw.SetBoundary(m.boundary); err != nil {
		return err
	}
	for i, fld := range m.fields {
		dst, err := mw.CreatePart(partHeader(fld))
		if err != nil {
			return err
		}
		if fld.File == nil {
			_, err = io.WriteString(dst, fld.Value)
		} else {
			err = content(i, dst)
		}
		if err != nil {
			return err
		}
	}
	return mw.Close()
}

// partHeader builds the part's headers with our own escaping of the name and filename
// (see filenameEscaper) rather than mime/multipart's.
func partHeader(fld Field) textproto.MIMEHeader {
	disposition := `form-data; name="` + escapeDispositionParam(fld.Name) + `"`
	h := textproto.MIMEHeader{}
	if fld.File != nil {
		disposition += `; filename="` + escapeDispositionParam(fld.File.Filename) + `"`
		h.Set("Content-Type", fld.File.ContentType)
	}
	h.Set("Content-Disposition", disposition)
	return h
}

// fileReader tags read errors of a file part with the file's name.
type fileReader struct {
	r       io.Reader
	part    *FilePart
	failure *firstError
}

func (f *fileReader) Read(p []byte) (int, error) {
	n, err := f.r.Read(p)
	if err != nil && err != io.EOF {
		err = &FileError{Field: f.part.Name, File: f.part.label(), Err: err}
		f.failure.set(err)
	}
	return n, err
}

type countingWriter struct{ n int64 }

func (c *countingWriter) Write(p []byte) (int, error) {
	c.n += int64(len(p))
	return len(p), nil
}

func closeAll(files []io.ReadCloser) {
	for _, f := range files {
		if f != nil {
			f.Close()
		}
	}
}

// summarize lists the form for debug logs: names, file names, never values.
func summarize(fields []Field) []string {
	out := make([]string, len(fields))
	for i, fld := range fields {
		out[i] = fld.Name
		if fld.File != nil {
			out[i] += "=@" + fld.File.Filename
		}
	}
	return out
}
