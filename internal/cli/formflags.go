package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/gmsctl/gmsctl/client"
)

// formFlags collects -f/--field and -F/--form values in the order given.
type formFlags struct {
	order   []formFlag
	hasFile bool // set by buildForm when a file part was added
	// textFiles maps the index of a form field whose value was read with
	// key=<path to that path ("-" for stdin), so --dry-run and --curl can name
	// the file instead of printing its content.
	textFiles map[int]string
}

type formFlag struct {
	literal bool
	spec    string
}

// orderedFlag is the pflag.Value of both -f and -F: they record one ordered
// list, so `-f a=1 -F b=@x -f c=2` sends a, b, c in that order.
type orderedFlag struct {
	ff      *formFlags
	literal bool
}

func (o orderedFlag) String() string { return "" }
func (o orderedFlag) Type() string   { return "key=value" }
func (o orderedFlag) Set(s string) error {
	o.ff.order = append(o.ff.order, formFlag{literal: o.literal, spec: s})
	return nil
}

// buildForm turns the flags into a client.Form. stdin is read for `@-` and
// `<-`, at most once; stdinOwner names the flag that has read it already
// (--password-stdin), if any.
func (ff *formFlags) buildForm(ctx context.Context, form *client.Form, stdin io.Reader,
	stdinOwner string) error {
	stdinUsed := stdinOwner != ""
	for _, f := range ff.order {
		name, value, ok := strings.Cut(f.spec, "=")
		if !ok || name == "" {
			flag := "-F"
			if f.literal {
				flag = "-f"
			}
			return usageErrorf("%s %q: want key=value", flag, f.spec)
		}
		if f.literal {
			form.Add(name, value)
			continue
		}
		if ff.textFiles == nil {
			ff.textFiles = map[int]string{}
		}
		if err := addFormValue(ctx, form, name, value, stdin, &stdinUsed, stdinOwner,
			ff.textFiles); err != nil {
			return err
		}
		ff.hasFile = ff.hasFile || strings.HasPrefix(value, "@")
	}
	return nil
}

// addFormValue applies curl's -F rules to one value.
func addFormValue(ctx context.Context, form *client.Form, name, value string, stdin io.Reader,
	stdinUsed *bool,
	stdinOwner string, textFiles map[int]string) error {
	if value == "@-" || value == "<-" || strings.HasPrefix(value, "@-;") {
		if *stdinUsed && stdinOwner != "" {
			return usageErrorf("-F %s=%s: standard input is read by %s already; "+
				"give the password with GMSCTL_PASSWORD or a config profile instead",
				name, value, stdinOwner)
		}
		if *stdinUsed {
			return usageErrorf("-F %s=%s: standard input can be read only once", name, value)
		}
		*stdinUsed = true
	}
	switch {
	case strings.HasPrefix(value, "@"):
		spec, err := parseFileSpec(value[1:])
		if err != nil {
			return usageErrorf("-F %s=%s: %v", name, value, err)
		}
		return addFilePart(form, name, spec, stdin)
	case strings.HasPrefix(value, "<"):
		text, err := readTextValue(ctx, value[1:], stdin)
		if err != nil {
			if ctx.Err() != nil {
				return err // Ctrl-C or SIGTERM while reading stdin, not a usage error
			}
			return usageErrorf("-F %s=%s: %v", name, value, err)
		}
		if textFiles != nil {
			textFiles[len(form.Fields())] = value[1:]
		}
		form.Add(name, text)
		return nil
	default:
		form.Add(name, value)
		return nil
	}
}

type fileSpec struct {
	path, contentType, filename string
}

// parseFileSpec reads `path[;type=mime][;filename=name]`; the path may be in
// double quotes (with \" and \\ escapes) to hold a semicolon.
func parseFileSpec(s string) (fileSpec, error) {
	var spec fileSpec
	rest := s
	if strings.HasPrefix(s, `"`) {
		path, after, err := unquote(s)
		if err != nil {
			return spec, err
		}
		spec.path, rest = path, after
	} else {
		spec.path, rest, _ = strings.Cut(s, ";")
		if rest != "" || strings.HasSuffix(s, ";") {
			rest = ";" + rest
		}
	}
	if spec.path == "" {
		return spec, fmt.Errorf("no file name after @")
	}
	for rest != "" {
		if !strings.HasPrefix(rest, ";") {
			return spec, fmt.Errorf("unexpected %q after the file name", rest)
		}
		rest = rest[1:]
		key, after, ok := strings.Cut(rest, "=")
		var val string
		switch {
		case !ok:
			val, rest = "", ""
			key, _, _ = strings.Cut(key, ";")
		case strings.HasPrefix(after, `"`):
			// A quoted value, as curl allows: filename="a;b.png".
			var err error
			if val, rest, err = unquote(after); err != nil {
				return spec, err
			}
		default:
			val, rest, _ = strings.Cut(after, ";")
			if rest != "" || strings.HasSuffix(after, ";") {
				rest = ";" + rest
			}
		}
		switch {
		case key == "type" && val != "":
			spec.contentType = val
		case key == "filename" && val != "":
			spec.filename = val
		default:
			return spec, fmt.Errorf("unknown part option %q (use ;type=MIME or ;filename=NAME, "+
				"and quote a name that holds a semicolon: @\"a;b.png\" or ;filename=\"a;b.png\")",
				key+"="+val)
		}
	}
	return spec, nil
}

func unquote(s string) (value, rest string, err error) {
	var b strings.Builder
	for i := 1; i < len(s); i++ {
		switch c := s[i]; {
		case c == '\\' && i+1 < len(s):
			i++
			b.WriteByte(s[i])
		case c == '"':
			return b.String(), s[i+1:], nil
		default:
			b.WriteByte(c)
		}
	}
	return "", "", fmt.Errorf("unterminated quote in %s", s)
}

func addFilePart(form *client.Form, name string, spec fileSpec, stdin io.Reader) error {
	if spec.path == "-" {
		filename := spec.filename
		if filename == "" {
			filename = "-"
		}
		form.AddFilePart(client.FilePart{
			Name:        name,
			Filename:    filename,
			ContentType: spec.contentType,
			Open:        func() (io.ReadCloser, error) { return io.NopCloser(stdin), nil },
			Size:        -1,
		})
		return nil
	}
	info, err := os.Stat(spec.path)
	if err != nil {
		return usageErrorf("-F %s=@%s: %v", name, spec.path, cleanPathError(err))
	}
	if info.IsDir() {
		return usageErrorf("-F %s=@%s: is a directory, not a file", name, spec.path)
	}
	form.AddFilePart(client.FilePart{
		Name:        name,
		Filename:    spec.filename,
		ContentType: spec.contentType,
		Path:        spec.path,
		Size:        info.Size(),
	})
	return nil
}

func readTextValue(ctx context.Context, path string, stdin io.Reader) (string, error) {
	var data []byte
	var err error
	if path == "-" {
		data, err = io.ReadAll(ctxReader{ctx: ctx, r: stdin})
	} else {
		data, err = os.ReadFile(path)
	}
	if err != nil {
		return "", cleanPathError(err)
	}
	return string(data), nil
}

// cleanPathError drops the "open x:" prefix that os adds, since callers
// already name the file.
func cleanPathError(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// ctxReader reads r until ctx ends: a read from a terminal or a pipe that
// never closes must not hold off Ctrl-C. A read still blocked when ctx ends
// is left behind; the process is about to exit.
type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

func (c ctxReader) Read(p []byte) (int, error) {
	if c.ctx.Err() != nil {
		return 0, context.Cause(c.ctx)
	}
	type result struct {
		n   int
		err error
	}
	buf := make([]byte, len(p))
	done := make(chan result, 1)
	go func() {
		n, err := c.r.Read(buf)
		done <- result{n, err}
	}()
	select {
	case r := <-done:
		return copy(p, buf[:r.n]), r.err
	case <-c.ctx.Done():
		return 0, context.Cause(c.ctx)
	}
}
