// Package cli implements the gmsctl command line: cobra commands over the
// client SDK and the bundled mock server.
package cli

import (
	"context"
	"errors"
	"fmt"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// Run executes gmsctl with args (without the program name) and returns the
// process exit code. It never calls os.Exit, so tests can call it.
func Run(ctx context.Context, args []string, streams *IOStreams) int {
	root := NewRootCmd(streams)
	root.SetArgs(args)
	err := root.ExecuteContext(ctx)
	if err == nil || errors.Is(err, errDryRun) {
		return ExitOK
	}
	if ctx.Err() != nil {
		var sig Signaled
		switch {
		case errors.As(context.Cause(ctx), &sig):
			if !errors.As(err, &sig) {
				err = fmt.Errorf("%w: %w", sig, err)
			}
		case !errors.Is(err, context.Canceled):
			err = fmt.Errorf("%w: %v", context.Canceled, err)
		}
	}
	printError(streams.ErrOut, err)
	return exitCode(err)
}

// NewRootCmd builds the whole command tree. It holds no global state: every
// call returns a fresh tree with its own options and configuration.
func NewRootCmd(streams *IOStreams) *cobra.Command {
	opts := &rootOptions{streams: streams}
	root := &cobra.Command{
		Use:   "gmsctl",
		Short: "Work with Genesys Mobile Services (GMS) from the command line",
		Long: `gmsctl talks to a Genesys Mobile Services (GMS) server: it creates services,
runs service requests, and reads and writes GMS storage. It also bundles a mock
GMS server (gmsctl mock serve, or --mock on any command) so that scripts and CI
jobs can run with no GMS at all.

Results are JSON on standard output; messages go to standard error.

` + exitCodeHelp,
		Example: `  $ gmsctl service create request-interaction --mock --phone 6504669999 --provide-code
  $ gmsctl mock serve --addr 127.0.0.1:8080
  $ gmsctl --server http://127.0.0.1:8080 storage get 5f1c0a4e-2f0b-4a53-9f3c-0a1b2c3d4e5f`,
		SilenceUsage:      true,
		SilenceErrors:     true,
		Args:              noSubcommand,
		RunE:              func(cmd *cobra.Command, _ []string) error { return cmd.Help() },
		PersistentPreRunE: func(cmd *cobra.Command, _ []string) error { return opts.resolve(cmd) },
	}
	root.SuggestionsMinimumDistance = 2
	root.SetIn(streams.In)
	root.SetOut(streams.Out)
	root.SetErr(streams.ErrOut)
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error {
		return &usageError{err: err}
	})
	opts.addFlags(root.PersistentFlags())

	root.AddCommand(
		newServiceCmd(opts),
		newStorageCmd(opts),
		newMockCmd(opts),
		newNodeCmd(opts),
		newPatternsCmd(opts),
		newPhoneCmd(opts),
		newConfigCmd(opts),
		newVersionCmd(opts),
	)
	root.AddCommand(helpTopics()...)
	// cobra adds `completion` itself; make `gmsctl completion nope` a usage
	// error like any other unknown subcommand.
	root.InitDefaultCompletionCmd()
	for _, c := range root.Commands() {
		if c.Name() == "completion" {
			c.Args = noSubcommand
			c.RunE = func(cmd *cobra.Command, _ []string) error { return cmd.Help() }
		}
	}
	return root
}

// noSubcommand rejects arguments on a command that only groups others, so
// `gmsctl servce` is a usage error (exit 2) rather than a help page.
func noSubcommand(cmd *cobra.Command, args []string) error {
	if len(args) == 0 {
		return nil
	}
	msg := fmt.Sprintf("unknown command %q for %q", args[0], cmd.CommandPath())
	if cmd.SuggestionsMinimumDistance <= 0 {
		cmd.SuggestionsMinimumDistance = 2
	}
	if s := cmd.SuggestionsFor(args[0]); len(s) > 0 {
		msg += fmt.Sprintf(" (did you mean %q?)", s[0])
	}
	return usageErrorf("%s; run '%s --help' to see the commands", msg, cmd.CommandPath())
}

// groupCmd returns a command that only holds subcommands.
func groupCmd(use, short string) *cobra.Command {
	return &cobra.Command{
		Use:   use,
		Short: short,
		Args:  noSubcommand,
		RunE:  func(cmd *cobra.Command, _ []string) error { return cmd.Help() },
	}
}

// exactArgs is cobra.ExactArgs with a usage error and the command's use line.
func exactArgs(n int) cobra.PositionalArgs {
	return rangeArgs(n, n)
}

func rangeArgs(minArgs, maxArgs int) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		if len(args) >= minArgs && len(args) <= maxArgs {
			return nil
		}
		return usageErrorf("%s takes %s, got %d: usage: %s",
			cmd.CommandPath(), argCount(minArgs, maxArgs), len(args), cmd.UseLine())
	}
}

func argCount(minArgs, maxArgs int) string {
	switch {
	case minArgs == maxArgs && minArgs == 1:
		return "1 argument"
	case minArgs == maxArgs:
		return fmt.Sprintf("%d arguments", minArgs)
	default:
		return fmt.Sprintf("%d to %d arguments", minArgs, maxArgs)
	}
}

var _ pflag.Value = orderedFlag{}
