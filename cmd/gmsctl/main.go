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
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := cli.Run(ctx, os.Args[1:], cli.SystemStreams())
	stop()
	os.Exit(code)
}
