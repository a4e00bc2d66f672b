package cli

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"os"
	"os/signal"
	"syscall"

	"github.com/gmsctl/gmsctl/internal/mock"
	"github.com/spf13/cobra"
)

func newMockCmd(o *rootOptions) *cobra.Command {
	cmd := groupCmd("mock", "Run the bundled mock GMS server")
	cmd.Annotations = map[string]string{annotationNoConfig: "true"}
	cmd.AddCommand(newMockServeCmd(o))
	return cmd
}

type mockServeOptions struct {
	addr       string
	configPath string
	seed       int64
	maxBody    int64
	manual     bool
}

func newMockServeCmd(o *rootOptions) *cobra.Command {
	opts := &mockServeOptions{}
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "Serve the mock GMS over HTTP until interrupted",
		Long: `Serve starts the bundled mock GMS server: the GMS Service and Storage APIs
with the built-in services (request-interaction, request-access,
match-interaction, request-chat ...) and state, plus an admin API under /mock/.
It logs one line per request on standard error. Ctrl-C or SIGTERM stops it:
requests still open get up to 5 seconds to finish, a second signal closes them
at once, and a requested stop exits 0.

--config names a YAML file merged over the embedded default configuration
(see docs/mock.md); here it is the mock's configuration, not gmsctl's.`,
		Example: `  $ gmsctl mock serve --addr 127.0.0.1:8080
  $ gmsctl mock serve --addr 127.0.0.1:0 --config mock.yaml --seed 42`,
		Args: exactArgs(0),
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runMockServe(cmd, o, opts)
		},
	}
	fs := cmd.Flags()
	fs.StringVar(&opts.addr, "addr", "127.0.0.1:8080", "address to listen on (host:port; port 0 picks a free one)")
	fs.StringVar(&opts.configPath, "config", "",
		"YAML file of mock services, pools and credentials, merged over the default")
	fs.Int64Var(&opts.seed, "seed", 0, "make ids and access codes reproducible (0: random)")
	fs.Int64Var(&opts.maxBody, "max-body", 32<<20, "largest request body accepted, in bytes (413 above)")
	fs.BoolVar(&opts.manual, "manual-clock", false,
		"freeze the mock's clock; move it with POST /mock/clock/advance?d=30s")
	return cmd
}

func runMockServe(cmd *cobra.Command, o *rootOptions, opts *mockServeOptions) error {
	cfg := mock.DefaultConfig()
	if opts.configPath != "" {
		var err error
		if cfg, err = mock.LoadConfig(opts.configPath); err != nil {
			return usageErrorf("--config: %v", err)
		}
	}
	if opts.maxBody <= 0 {
		return usageErrorf("--max-body must be positive, got %d", opts.maxBody)
	}
	logger := slog.New(slog.NewTextHandler(o.streams.ErrOut, nil))
	srvOpts := []mock.Option{mock.WithLogger(logger), mock.WithMaxBodyBytes(opts.maxBody)}
	if opts.seed != 0 {
		srvOpts = append(srvOpts, mock.WithSeed(opts.seed))
	}
	if opts.manual {
		srvOpts = append(srvOpts, mock.WithClock(mock.NewManualClock(timeNow())))
	}
	srv, err := mock.New(cfg, srvOpts...)
	if err != nil {
		return usageErrorf("mock configuration: %v", err)
	}
	ln, err := net.Listen("tcp", opts.addr)
	if err != nil {
		return usageErrorf("--addr %s: %v", opts.addr, err)
	}
	fmt.Fprintf(o.streams.ErrOut, "gmsctl mock: serving GMS on http://%s (Ctrl-C to stop)\n", ln.Addr())
	ctx, stopNow, release := stopSignals(cmd.Context())
	defer release()
	return srv.ServeStop(ctx, stopNow, ln)
}

// stopSignals turns Ctrl-C and SIGTERM into the two steps of a stop: the first ends the
// returned context (the mock stops accepting and waits a while for open requests), the
// second closes stopNow (it stops at once). release stops listening for signals.
func stopSignals(parent context.Context) (ctx context.Context, stopNow <-chan struct{},
	release func()) {
	ctx, cancel := context.WithCancel(parent)
	now := make(chan struct{})
	sigs := make(chan os.Signal, 2)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	done := make(chan struct{})
	go func() {
		for first := true; ; first = false {
			select {
			case <-done:
				return
			case <-sigs:
			}
			if first {
				cancel()
				continue
			}
			close(now)
			return
		}
	}()
	return ctx, now, func() {
		signal.Stop(sigs)
		close(done)
		cancel()
	}
}
