package cli

import (
	"io"
	"os"

	"golang.org/x/term"
)

// IOStreams carries the standard streams and what is known about them, so
// that tests can run every command with fake streams and a chosen TTY state.
type IOStreams struct {
	In     io.Reader
	Out    io.Writer
	ErrOut io.Writer

	InTTY  bool
	OutTTY bool
	ErrTTY bool

	// Getenv reads the environment; tests replace it.
	Getenv func(string) string
}

// SystemStreams returns the process's own streams.
func SystemStreams() *IOStreams {
	return &IOStreams{
		In:     os.Stdin,
		Out:    os.Stdout,
		ErrOut: os.Stderr,
		InTTY:  isTerminal(os.Stdin),
		OutTTY: isTerminal(os.Stdout),
		ErrTTY: isTerminal(os.Stderr),
		Getenv: os.Getenv,
	}
}

func isTerminal(f *os.File) bool {
	return term.IsTerminal(int(f.Fd()))
}

func (s *IOStreams) getenv(key string) string {
	if s.Getenv == nil {
		return ""
	}
	return s.Getenv(key)
}
