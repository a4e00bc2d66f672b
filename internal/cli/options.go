package cli

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/gmsctl/gmsctl/client"
	"github.com/gmsctl/gmsctl/internal/mock"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// rootOptions holds the global flags once flags, environment and the
// configuration file have been merged.
type rootOptions struct {
	streams *IOStreams

	server        string
	useMock       bool
	user          string
	password      string // from GMSCTL_PASSWORD, the config file or --password-stdin
	passwordStdin bool
	gmsUser       string
	apiKey        string
	headers       []string
	timeout       time.Duration
	output        string
	template      string
	jq            string
	debug         bool
	dryRun        bool
	curl          bool
	configPath    string
	profile       string

	cfg *configFile // loaded configuration, nil when there is none
	// sources says where settings taken from the environment or the
	// configuration came from (see sourceOf); profileHeaders counts the
	// headers at the front of headers that the profile gave.
	sources        map[string]string
	profileHeaders int
	outputFlag     bool   // --output was given on the command line
	passwordSource string // where the password came from, for messages

	ctx context.Context // the running command's context

	// form is the form the running command sends, for --dry-run and --curl;
	// textFiles names the files its key=<file values came from.
	form      *client.Form
	textFiles map[int]string
}

func (o *rootOptions) addFlags(fs *pflag.FlagSet) {
	fs.StringVar(&o.server, "server", "", "GMS base URL, e.g. http://127.0.0.1:8080 (env GMSCTL_SERVER)")
	fs.BoolVar(&o.useMock, "mock", false, "send requests to an in-process bundled mock GMS instead of a server")
	fs.StringVar(&o.user, "user", "", "user name for HTTP basic authentication (env GMSCTL_USER)")
	fs.BoolVar(&o.passwordStdin, "password-stdin", false,
		"read the basic-auth password from the first line of standard input (env GMSCTL_PASSWORD)")
	fs.StringVar(&o.gmsUser, "gms-user", "", "value of the gms_user header (env GMSCTL_GMS_USER)")
	fs.StringVar(&o.apiKey, "api-key", "", "value of the apikey header (env GMSCTL_API_KEY)")
	fs.StringArrayVarP(&o.headers, "header", "H", nil, "extra request header 'Name: value' (repeatable)")
	o.timeout = 30 * time.Second
	fs.Var((*timeoutValue)(&o.timeout), "timeout",
		"time limit for each HTTP request: a duration (30s) or seconds (30); 0 for none")
	fs.StringVarP(&o.output, "output", "o", "json", "output format: json, yaml or table")
	fs.StringVar(&o.template, "template", "", "format the output with a Go template")
	fs.StringVar(&o.jq, "jq", "", "filter the JSON output with a jq expression")
	fs.BoolVar(&o.debug, "debug", false, "trace HTTP requests and responses on stderr (secrets redacted)")
	fs.BoolVar(&o.dryRun, "dry-run", false, "print the request that would be sent, and send nothing")
	fs.BoolVar(&o.curl, "curl", false, "print an equivalent curl command, and send nothing")
	fs.StringVar(&o.configPath, "config", "", "configuration file (env GMSCTL_CONFIG; default "+
		"$XDG_CONFIG_HOME/gmsctl/config.yaml)")
	fs.StringVar(&o.profile, "profile", "", "configuration profile to use (env GMSCTL_PROFILE)")
}

// resolve merges environment and configuration into the flags the user did
// not set, then checks the result.
func (o *rootOptions) resolve(cmd *cobra.Command) error {
	o.ctx = cmd.Context()
	if cmd.Flags().Changed("server") && cmd.Flags().Changed("mock") {
		return usageErrorf("--mock and --server cannot be used together: --mock starts its own server")
	}
	o.outputFlag = cmd.Flags().Changed("output")
	if err := o.applyConfig(cmd); err != nil {
		return err
	}
	if o.dryRun && o.curl {
		return usageErrorf("--dry-run and --curl cannot be used together")
	}
	if o.timeout < 0 {
		return usageErrorf("%s must not be negative, got %s", o.sourceOf("timeout"), o.timeout)
	}
	if o.passwordStdin {
		pw, err := readPasswordLine(o.streams.In)
		if err != nil {
			return usageErrorf("--password-stdin: %v", err)
		}
		o.password, o.passwordSource = pw, "--password-stdin"
	}
	return o.checkOutput()
}

func readPasswordLine(r io.Reader) (string, error) {
	line, err := bufio.NewReader(r).ReadString('\n')
	if err != nil && err != io.EOF {
		return "", err
	}
	line = strings.TrimRight(line, "\r\n")
	if line == "" {
		return "", fmt.Errorf("standard input held no password")
	}
	return line, nil
}

// clientOptions returns the SDK options that the global flags ask for.
func (o *rootOptions) clientOptions() ([]client.Option, error) {
	opts := []client.Option{client.WithTimeout(o.timeout), client.WithUserAgent(userAgent())}
	switch {
	case o.user != "":
		opts = append(opts, client.WithBasicAuth(o.user, o.password))
	case o.password != "":
		// Basic auth needs a user name; a lone password is not sent, and said so.
		fmt.Fprintf(o.streams.ErrOut, "gmsctl: warning: a password (from %s) but no user name, "+
			"so no credentials are sent; pass --user or set GMSCTL_USER\n", o.passwordSource)
	}
	for key, v := range map[string]string{"user": o.user, "gms-user": o.gmsUser, "api-key": o.apiKey} {
		if hasControl(v) {
			return nil, usageErrorf("%s: the value holds a control character (a line break?)",
				o.sourceOf(key))
		}
	}
	if hasControl(o.password) {
		return nil, usageErrorf("the password (from %s) holds a control character (a line break?)",
			o.passwordSource)
	}

	if strings.Contains(o.user, ":") {
		return nil, usageErrorf("%s: a user name cannot contain ':' (basic auth could not send it)",
			o.sourceOf("user"))
	}
	for i, h := range o.headers {
		source := "--header"
		if i < o.profileHeaders {
			source = fmt.Sprintf("config file %s, profile %q, headers", o.cfg.path, o.profile)
		}
		// Messages name the header but never quote its value: it may be a secret.
		name, value, ok := strings.Cut(h, ":")
		if !ok || strings.TrimSpace(name) == "" {
			return nil, usageErrorf("%s: want 'Name: value', got a line with no name before ':' "+
				"(%d characters)", source, len(h))
		}
		if !isHeaderName(strings.TrimSpace(name)) {
			return nil, usageErrorf("%s: %q is not a valid header name (letters, digits "+
				"and !#$%%&'*+-.^_`|~ only)", source, strings.TrimSpace(name))
		}
		if hasControl(value) {
			return nil, usageErrorf("%s: the value of %s holds a control character (a line break?)",
				source, strings.TrimSpace(name))
		}
		opts = append(opts, client.WithHeader(strings.TrimSpace(name), strings.TrimSpace(value)))
	}
	// The dedicated settings come last: the SDK lets a later option win, so
	// --gms-user and --api-key beat a --header of the same name.
	if o.gmsUser != "" {
		opts = append(opts, client.WithGMSUser(o.gmsUser))
	}
	if o.apiKey != "" {
		opts = append(opts, client.WithAPIKey(o.apiKey))
	}
	var rt http.RoundTripper = http.DefaultTransport
	if o.dryRun || o.curl {
		rt = &printTransport{w: o.streams.Out, curl: o.curl,
			form: func() (*client.Form, map[int]string) { return o.form, o.textFiles }}
	}
	if o.streams.ErrTTY && !o.dryRun && !o.curl {
		rt = &progressTransport{next: rt, w: o.streams.ErrOut}
	}
	if o.debug {
		rt = newDebugTransport(rt, o.streams.ErrOut)
	}
	if rt != http.DefaultTransport {
		opts = append(opts, client.WithTransport(rt))
	}
	return opts, nil
}

// newClient returns a client for the configured server, or for a bundled
// mock started on a loopback port when --mock is set. The returned function
// stops that mock; call it when the command is done.
func (o *rootOptions) newClient(ctx context.Context) (*client.Client, func(), error) {
	opts, err := o.clientOptions()
	if err != nil {
		return nil, nil, err
	}
	if o.useMock && !o.dryRun && !o.curl {
		return o.newMockClient(ctx, opts)
	}
	if o.useMock {
		// Nothing is sent: show the address where `gmsctl mock serve` listens by default,
		// so a printed curl line works against a served mock.
		o.server = "http://127.0.0.1:8080"
	}
	if o.server == "" {
		return nil, nil, usageErrorf("no GMS server: pass --server URL, set GMSCTL_SERVER, " +
			"set server in a config profile, or use --mock to try the bundled mock")
	}
	if !strings.Contains(o.server, "://") {
		return nil, nil, usageErrorf("%s %q: want an http:// or https:// URL such as "+
			"http://127.0.0.1:8080", o.sourceOf("server"), o.server)
	}
	if u, err := url.Parse(o.server); err == nil && u.User != nil {
		return nil, nil, usageErrorf("%s %s: a server URL must not hold credentials; pass "+
			"--user, and the password with GMSCTL_PASSWORD or --password-stdin",
			o.sourceOf("server"), u.Redacted())
	}
	c, err := client.New(o.server, opts...)
	if err != nil {
		if h, ok := headerOptionError(err); ok {
			return nil, nil, h
		}
		return nil, nil, usageErrorf("%s %s: %v", o.sourceOf("server"), o.server, err)
	}
	return c, func() {}, nil
}

func (o *rootOptions) newMockClient(ctx context.Context, opts []client.Option) (
	*client.Client, func(), error) {
	srv, err := mock.New(nil, mock.WithLogger(slog.New(slog.DiscardHandler)))
	if err != nil {
		return nil, nil, err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, nil, fmt.Errorf("starting the bundled mock: %w", err)
	}
	ctx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ctx, ln) }()
	stop := func() {
		cancel()
		<-done
	}
	c, err := client.New("http://"+ln.Addr().String(), opts...)
	if err != nil {
		stop()
		if h, ok := headerOptionError(err); ok {
			return nil, nil, h
		}
		return nil, nil, err
	}
	return c, stop, nil
}

// isHeaderName reports whether name is an HTTP token (RFC 9110, 5.6.2).
func isHeaderName(name string) bool {
	if name == "" {
		return false
	}
	for _, r := range name {
		ok := r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' ||
			strings.ContainsRune("!#$%&'*+-.^_`|~", r)
		if !ok {
			return false
		}
	}
	return true
}

// context returns the running command's context (Ctrl-C cancels it).
func (o *rootOptions) context() context.Context {
	if o.ctx == nil {
		return context.Background()
	}
	return o.ctx
}

// withClient runs call with a client for the configured server (or for a
// bundled mock with --mock, stopped when call returns).
func (o *rootOptions) withClient(cmd *cobra.Command, call func(c *client.Client) error) error {
	c, stop, err := o.newClient(cmd.Context())
	if err != nil {
		return err
	}
	defer stop()
	return call(c)
}

// hasControl reports whether s holds a control character, which no HTTP
// header value may carry.
func hasControl(s string) bool {
	return strings.IndexFunc(s, func(r rune) bool { return r < 0x20 && r != '\t' || r == 0x7f }) >= 0
}

// headerOptionError turns the SDK's refusal of a header (Content-Length, a
// bad Host ...) into a usage error about --header.
func headerOptionError(err error) (error, bool) {
	if h, ok := strings.CutPrefix(err.Error(), "WithHeader: "); ok {
		return usageErrorf("--header: %s", h), true
	}
	return nil, false
}

// timeoutValue is the --timeout flag: a duration, or bare seconds as in
// GMSCTL_TIMEOUT and the config file.
type timeoutValue time.Duration

func (t *timeoutValue) String() string { return time.Duration(*t).String() }
func (t *timeoutValue) Type() string   { return "duration" }
func (t *timeoutValue) Set(s string) error {
	d, err := time.ParseDuration(settingValue("timeout", s))
	if err != nil {
		return fmt.Errorf("want a duration (30s, 1m) or seconds (30)")
	}
	*t = timeoutValue(d)
	return nil
}
