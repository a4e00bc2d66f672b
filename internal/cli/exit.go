package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"syscall"

	"github.com/gmsctl/gmsctl/client"
)

// Exit codes of gmsctl. They are part of the CLI's contract with scripts:
// change none of them.
const (
	ExitOK           = 0   // success
	ExitFailure      = 1   // the API answered with an error, or the network failed
	ExitUsage        = 2   // bad flags or arguments, or a bad configuration
	ExitNotFound     = 3   // the server answered 404
	ExitUnauthorized = 4   // the server answered 401 or 403
	ExitInterrupted  = 130 // Ctrl-C (SIGINT); SIGTERM gives 143, 128 + its number
)

// exitCodeHelp is shown by `gmsctl help exit-codes` and in the root help.
const exitCodeHelp = `Exit codes:
  0    success
  1    the GMS server answered with an error, or the network failed
  2    usage or configuration error (bad flag, argument, file or config)
  3    not found: the server answered 404 (unknown service, id or no match)
  4    unauthorized: the server answered 401 or 403
  130  interrupted (Ctrl-C, SIGINT)
  143  terminated (SIGTERM)
`

// usageError marks an error as the user's mistake in flags, arguments or
// configuration: it exits with ExitUsage.
type usageError struct{ err error }

func (e *usageError) Error() string { return e.err.Error() }
func (e *usageError) Unwrap() error { return e.err }

func usageErrorf(format string, a ...any) error {
	return &usageError{err: fmt.Errorf(format, a...)}
}

// Signaled is the cause of a command cancelled by a signal. A command that
// ends with it exits with 128 + the signal's number, as shells report it.
type Signaled struct{ Signal os.Signal }

func (s Signaled) Error() string { return "stopped by " + s.Signal.String() }

func (s Signaled) exitCode() int {
	if n, ok := s.Signal.(syscall.Signal); ok {
		return 128 + int(n)
	}
	return ExitInterrupted
}

// exitCode maps an error returned by a command to the process exit code.
func exitCode(err error) int {
	var ue *usageError
	var fe *client.FileError
	var sig Signaled
	switch {
	case err == nil:
		return ExitOK
	case errors.As(err, &sig):
		return sig.exitCode()
	case errors.As(err, &ue), errors.As(err, &fe):
		// A file that cannot be read is the caller's to fix, like a bad flag.
		return ExitUsage
	case errors.Is(err, client.ErrInvalidArgument):
		// The SDK refused the call before sending anything (bad path
		// segment, missing parameter): the arguments are wrong.
		return ExitUsage
	case errors.Is(err, context.Canceled):
		return ExitInterrupted
	case errors.Is(err, client.ErrNotFound):
		return ExitNotFound
	case errors.Is(err, client.ErrUnauthorized):
		return ExitUnauthorized
	default:
		return ExitFailure
	}
}

// printError writes one clear line for err on w.
func printError(w io.Writer, err error) {
	var ae *client.APIError
	if errors.As(err, &ae) && ae.Message == "" {
		// No GMS message (an HTML error page, say): the SDK's own line says it all.
		fmt.Fprintf(w, "gmsctl: %s\n", ae.Error())
		return
	}
	if errors.As(err, &ae) {
		msg := ae.Message
		fmt.Fprintf(w, "gmsctl: %s %s: %d %s: %s\n", ae.Method, ae.Path, ae.StatusCode,
			http.StatusText(ae.StatusCode), msg)
		return
	}
	// Network errors quote the URL: keep secret query values out of them.
	var ue *url.Error
	if errors.As(err, &ue) {
		if u, perr := url.Parse(ue.URL); perr == nil {
			ue.URL = redactURL(u)
		}
	}
	fmt.Fprintf(w, "gmsctl: %v\n", err)
}
