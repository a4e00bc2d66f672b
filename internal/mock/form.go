package mock

import (
	"errors"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/url"
	"strings"
)

// form is a decoded request body: string fields and file parts, in the order sent.
type form struct {
	fields []formField
	files  []formFile
}

type formField struct{ name, value string }

type formFile struct {
	name, filename, contentType string
	data                        []byte
}

// get returns the first value of a string field.
func (f *form) get(name string) string {
	v, _ := f.lookup(name)
	return v
}

func (f *form) lookup(name string) (string, bool) {
	for _, fl := range f.fields {
		if fl.name == name {
			return fl.value, true
		}
	}
	return "", false
}

// params returns the service parameters: the fields whose names start with "_".
func (f *form) params() map[string]string {
	p := map[string]string{}
	for _, fl := range f.fields {
		if strings.HasPrefix(fl.name, "_") {
			if _, seen := p[fl.name]; !seen {
				p[fl.name] = fl.value
			}
		}
	}
	return p
}

const formHint = "use multipart/form-data or application/x-www-form-urlencoded"

// decodeForm reads the body of r as a form. The body must already be limited by
// http.MaxBytesReader; its overflow becomes 413. Query parameters are added after the
// body fields, so a client that sends a parameter in the URL is understood too.
func decodeForm(r *http.Request) (*form, *apiError) {
	f := &form{}
	ct := r.Header.Get("Content-Type")
	var aerr *apiError
	if strings.TrimSpace(ct) == "" {
		aerr = requireEmptyBody(r.Body)
	} else {
		aerr = decodeTyped(f, ct, r.Body)
	}
	if aerr != nil {
		return nil, aerr
	}
	for name, values := range r.URL.Query() {
		for _, v := range values {
			f.fields = append(f.fields, formField{name, v})
		}
	}
	return f, nil
}

func decodeTyped(f *form, ct string, body io.Reader) *apiError {
	mediaType, params, err := mime.ParseMediaType(ct)
	if err != nil {
		return &apiError{http.StatusUnsupportedMediaType, excMediaType,
			"Malformed Content-Type " + quoteShort(ct) + ": " + formHint}
	}
	switch mediaType {
	case "application/x-www-form-urlencoded":
		return decodeURLEncoded(f, body)
	case "multipart/form-data":
		boundary := params["boundary"]
		if boundary == "" {
			return badRequest("multipart/form-data body without a boundary parameter")
		}
		return decodeMultipart(f, body, boundary)
	}
	return &apiError{http.StatusUnsupportedMediaType, excMediaType,
		"Content-Type " + quoteShort(mediaType) + " is not accepted here: " + formHint}
}

func requireEmptyBody(body io.Reader) *apiError {
	var one [1]byte
	n, err := io.ReadFull(body, one[:])
	if n == 0 && (err == io.EOF || err == io.ErrUnexpectedEOF) {
		return nil
	}
	if err != nil && n == 0 {
		return readError(err)
	}
	return &apiError{http.StatusUnsupportedMediaType, excMediaType,
		"A request body needs a Content-Type: " + formHint}
}

func decodeURLEncoded(f *form, body io.Reader) *apiError {
	data, err := io.ReadAll(body)
	if err != nil {
		return readError(err)
	}
	for _, pair := range strings.Split(string(data), "&") {
		if pair == "" {
			continue
		}
		rawName, rawValue, _ := strings.Cut(pair, "=")
		name, err1 := url.QueryUnescape(rawName)
		value, err2 := url.QueryUnescape(rawValue)
		if err := errors.Join(err1, err2); err != nil {
			return badRequest("Malformed application/x-www-form-urlencoded body: %v", err)
		}
		f.fields = append(f.fields, formField{name, value})
	}
	return nil
}

func decodeMultipart(f *form, body io.Reader, boundary string) *apiError {
	mr := multipart.NewReader(body, boundary)
	for {
		part, err := mr.NextPart()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return partError(err)
		}
		if aerr := addPart(f, part); aerr != nil {
			return aerr
		}
	}
}

func addPart(f *form, part *multipart.Part) *apiError {
	defer part.Close()
	data, err := io.ReadAll(part)
	if err != nil {
		return partError(err)
	}
	name := part.FormName()
	if name == "" {
		return badRequest("multipart part without a form-data name")
	}
	if part.FileName() == "" {
		f.fields = append(f.fields, formField{name, string(data)})
		return nil
	}
	ctype := part.Header.Get("Content-Type")
	if ctype == "" {
		ctype = "application/octet-stream"
	}
	f.files = append(f.files, formFile{name: name, filename: part.FileName(),
		contentType: ctype, data: data})
	return nil
}

func partError(err error) *apiError {
	if aerr := readError(err); aerr.status == http.StatusRequestEntityTooLarge {
		return aerr
	}
	return badRequest("Malformed multipart/form-data body: %v", err)
}

// readError turns a body read failure into 413 when the size limit was hit.
func readError(err error) *apiError {
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		return tooLarge(tooBig.Limit)
	}
	return badRequest("Cannot read the request body: %v", err)
}

func tooLarge(limit int64) *apiError {
	return &apiError{http.StatusRequestEntityTooLarge, excTooLarge,
		"Request body is larger than the limit of " + formatBytes(limit)}
}

func quoteShort(s string) string {
	if len(s) > 80 {
		s = s[:80] + "..."
	}
	return `"` + s + `"`
}
