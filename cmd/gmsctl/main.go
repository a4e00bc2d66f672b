// Command gmsctl works with Genesys Mobile Services from the command line.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"github.com/gmsctl/gmsctl/internal/cli"
)

func main() {
	// The first Ctrl-C or SIGTERM cancels the command, which then exits with
	// 128 + the signal's number; a second one gets the default action.
	ctx, cancel := context.WithCancelCause(context.Background())
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	go func() {
		sig := <-sigs
		signal.Stop(sigs)
		cancel(cli.Signaled{Signal: sig})
	}()
	code := cli.Run(ctx, os.Args[1:], cli.SystemStreams())
	cancel(nil)
	os.Exit(code)
}
