package cli

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"

	"github.com/gmsctl/gmsctl/client"
)

// errDryRun stops a request that --dry-run or --curl printed instead of
// sending; the command then succeeds.
var errDryRun = errors.New("dry run: nothing was sent")

// printTransport is the transport of --dry-run and --curl: it prints the
// request (the form it carries comes from the command) and sends nothing.
type printTransport struct {
	w    io.Writer
	curl bool
	form func() (*client.Form, map[int]string)
}

func (t *printTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.Body != nil {
		req.Body.Close()
	}
	var form *client.Form
	var textFiles map[int]string
	if t.form != nil {
		form, textFiles = t.form()
	}
	if t.curl {
		fmt.Fprintln(t.w, curlCommand(req, form, textFiles))
	} else {
		printDryRun(t.w, req, form, textFiles)
	}
	return nil, errDryRun
}

// dryRunValueLimit is the longest string value --dry-run prints whole.
const dryRunValueLimit = 200

func printDryRun(w io.Writer, req *http.Request, form *client.Form, textFiles map[int]string) {
	fmt.Fprintf(w, "%s %s\n", req.Method, redactURL(req.URL))
	writeHostHeader(w, "", req)
	writeHeaders(w, "", req.Header)
	if form == nil || len(form.Fields()) == 0 {
		return
	}
	fmt.Fprintf(w, "\nbody (%s):\n", form.Encoding())
	for i, f := range form.Fields() {
		src, fromFile := textFiles[i]
		switch {
		case f.IsFile():
			fmt.Fprintf(w, "  %s: file %s\n", f.Name, describeFile(f.File))
		case isSecretName(f.Name):
			fmt.Fprintf(w, "  %s: %s\n", f.Name, redacted)
		case fromFile:
			if src == "-" {
				src = "standard input"
			}
			fmt.Fprintf(w, "  %s: text of %s (%d bytes)\n", f.Name, src, len(f.Value))
		case len(f.Value) > dryRunValueLimit:
			fmt.Fprintf(w, "  %s: %q... (%d bytes)\n", f.Name, f.Value[:dryRunValueLimit/2],
				len(f.Value))
		default:
			fmt.Fprintf(w, "  %s: %q\n", f.Name, f.Value)
		}
	}
}

func describeFile(p *client.FilePart) string {
	src := p.Path
	if src == "" {
		src = "standard input"
	}
	var extra []string
	if p.Filename != "" {
		extra = append(extra, "filename "+p.Filename)
	}
	if p.ContentType != "" {
		extra = append(extra, "type "+p.ContentType)
	}
	if p.Size > 0 {
		extra = append(extra, fmt.Sprintf("%d bytes", p.Size))
	}
	if len(extra) == 0 {
		return src
	}
	return src + " (" + strings.Join(extra, ", ") + ")"
}

// curlCommand writes an equivalent curl command line. Secrets are not
// printed: they are referenced as environment variables (GMSCTL_PASSWORD,
// GMSCTL_API_KEY, GMSCTL_HEADER_<NAME>, GMSCTL_FIELD_<NAME>).
func curlCommand(req *http.Request, form *client.Form, textFiles map[int]string) string {
	parts := []string{"curl", "-X", req.Method, curlURL(req.URL)}
	if req.Host != "" && req.Host != req.URL.Host {
		parts = append(parts, "-H", shellQuote("Host: "+req.Host))
	}
	for _, name := range sortedHeaderNames(req.Header) {
		multipart := form != nil && form.Encoding() == client.EncodingMultipart
		if strings.EqualFold(name, "Content-Type") && multipart {
			continue // curl writes its own boundary
		}
		for _, v := range req.Header[name] {
			parts = append(parts, curlHeader(req, name, v)...)
		}
	}
	if form != nil {
		parts = append(parts, curlBody(form, textFiles)...)
	}
	return strings.Join(parts, " ")
}

func curlHeader(req *http.Request, name, value string) []string {
	switch {
	case strings.EqualFold(name, "Authorization"):
		if user, _, ok := req.BasicAuth(); ok {
			return []string{"--user", shellQuote(user+":") + `"${GMSCTL_PASSWORD}"`}
		}
		return []string{"-H", `"Authorization: ${GMSCTL_HEADER_AUTHORIZATION}"`}
	case strings.EqualFold(name, "apikey"):
		return []string{"-H", `"apikey: ${GMSCTL_API_KEY}"`}
	case isSecretName(name):
		return []string{"-H", shellQuote(name+": ") + `"${` + envVarFor(name) + `}"`}
	}
	return []string{"-H", shellQuote(name + ": " + value)}
}

// curlURL quotes the URL for the shell; a secret query parameter's value is
// read from GMSCTL_QUERY_<NAME> (it must be URL-encoded already).
func curlURL(u *url.URL) string {
	q := u.Query()
	secret := false
	for name := range q {
		secret = secret || isSecretName(name)
	}
	if !secret {
		return shellQuote(redactURL(u))
	}
	c := *u
	c.RawQuery = ""
	if c.User != nil {
		c.User = url.User(c.User.Username())
	}
	var b strings.Builder
	plain := c.String() + "?"
	for i, name := range sortedKeys(flatten(q)) {
		for j, v := range q[name] {
			if i+j > 0 {
				plain += "&"
			}
			plain += url.QueryEscape(name) + "="
			if isSecretName(name) {
				b.WriteString(shellQuote(plain) + `"${GMSCTL_QUERY_` + envSuffix(name) + `}"`)
				plain = ""
				continue
			}
			plain += url.QueryEscape(v)
		}
	}
	if plain != "" {
		b.WriteString(shellQuote(plain))
	}
	return b.String()
}

func flatten(q url.Values) map[string]string {
	m := make(map[string]string, len(q))
	for k := range q {
		m[k] = ""
	}
	return m
}

// envVarFor names the variable a printed curl line reads a secret header from.
func envVarFor(header string) string {
	return "GMSCTL_HEADER_" + envSuffix(header)
}

// envSuffix turns a header or field name into the tail of a variable name:
// letters and digits upper-cased, anything else an underscore.
func envSuffix(name string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r >= 'a' && r <= 'z':
			return r - 'a' + 'A'
		case r >= 'A' && r <= 'Z' || r >= '0' && r <= '9':
			return r
		}
		return '_'
	}, name)
}

// curlFormWord quotes a file name or path the way curl's -F reads one: in
// double quotes, with \ and " escaped, when it holds ; , or ".
func curlFormWord(s string) string {
	if !strings.ContainsAny(s, ";,\"") {
		return s
	}
	return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(s) + `"`
}

func curlBody(form *client.Form, textFiles map[int]string) []string {
	var args []string
	multipart := form.Encoding() == client.EncodingMultipart
	for i, f := range form.Fields() {
		src, fromFile := textFiles[i]
		switch {
		case fromFile && multipart:
			// curl's own "<file": the file's content as a text field.
			args = append(args, "-F", shellQuote(f.Name+"=<"+curlFormWord(src)))
		case fromFile:
			// --data-urlencode name@file encodes the file's content.
			args = append(args, "--data-urlencode", shellQuote(url.QueryEscape(f.Name)+"@"+src))
		case f.IsFile():
			spec := "@" + curlFormWord(f.File.Path)
			if f.File.Path == "" {
				spec = "@-"
			}
			if f.File.ContentType != "" {
				spec += ";type=" + f.File.ContentType
			}
			if f.File.Filename != "" {
				spec += ";filename=" + curlFormWord(f.File.Filename)
			}
			args = append(args, "-F", shellQuote(f.Name+"="+spec))
		case multipart && isSecretName(f.Name):
			args = append(args, "--form-string",
				shellQuote(f.Name+"=")+`"${GMSCTL_FIELD_`+envSuffix(f.Name)+`}"`)
		case multipart:
			args = append(args, "--form-string", shellQuote(f.Name+"="+f.Value))
		case isSecretName(f.Name):
			// curl encodes only what follows the first '=': the name goes pre-encoded.
			args = append(args, "--data-urlencode",
				shellQuote(url.QueryEscape(f.Name)+"=")+`"${GMSCTL_FIELD_`+envSuffix(f.Name)+`}"`)
		default:
			args = append(args, "--data-urlencode", shellQuote(url.QueryEscape(f.Name)+"="+f.Value))
		}
	}
	return args
}

func sortedHeaderNames(h http.Header) []string {
	m := make(map[string]string, len(h))
	for k := range h {
		m[k] = ""
	}
	return sortedKeys(m)
}

// shellQuote quotes s for a POSIX shell.
func shellQuote(s string) string {
	if s != "" && strings.IndexFunc(s, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' ||
			strings.ContainsRune("-_./:=@,+%", r))
	}) < 0 {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
