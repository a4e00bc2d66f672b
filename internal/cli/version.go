package cli

import (
	"fmt"
	"runtime"
	"runtime/debug"
	"time"

	"github.com/spf13/cobra"
)

// Set at build time with -ldflags "-X github.com/gmsctl/gmsctl/internal/cli.Version=...".
var (
	Version = ""
	Commit  = ""
	Date    = ""
)

var timeNow = time.Now

// buildVersion returns the version, falling back to the module version that
// `go install` records.
func buildVersion() string {
	if Version != "" {
		return Version
	}
	if info, ok := debug.ReadBuildInfo(); ok && info.Main.Version != "" &&
		info.Main.Version != "(devel)" {
		return info.Main.Version
	}
	return "dev"
}

// buildCommit and buildDate return the injected commit and date, falling
// back to what `go build` records from a git checkout (vcs.revision and
// vcs.time, with "-dirty" for uncommitted changes).
func buildCommit() string {
	if Commit != "" {
		return Commit
	}
	rev, modified := vcsSetting("vcs.revision"), vcsSetting("vcs.modified")
	if len(rev) > 12 {
		rev = rev[:12]
	}
	if rev != "" && modified == "true" {
		rev += "-dirty"
	}
	return rev
}

func buildDate() string {
	if Date != "" {
		return Date
	}
	return vcsSetting("vcs.time")
}

func vcsSetting(key string) string {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return ""
	}
	for _, s := range info.Settings {
		if s.Key == key {
			return s.Value
		}
	}
	return ""
}

func userAgent() string {
	return "gmsctl/" + buildVersion()
}

func newVersionCmd(o *rootOptions) *cobra.Command {
	return &cobra.Command{
		Use:         "version",
		Short:       "Print the version of gmsctl",
		Annotations: map[string]string{annotationNoConfig: "true"},
		Example:     "  $ gmsctl version\n  $ gmsctl version -o json",
		Args:        exactArgs(0),
		RunE: func(cmd *cobra.Command, _ []string) error {
			info := map[string]string{
				"version": buildVersion(),
				"commit":  buildCommit(),
				"date":    buildDate(),
				"go":      runtime.Version(),
				"os/arch": runtime.GOOS + "/" + runtime.GOARCH,
			}
			if !cmd.Flags().Changed("output") && o.output == "json" && o.template == "" && o.jq == "" {
				_, err := fmt.Fprintf(o.streams.Out, "gmsctl %s (commit %s, built %s, %s, %s)\n",
					info["version"], orNone(info["commit"]), orNone(info["date"]), info["go"],
					info["os/arch"])
				return err
			}
			return o.printValue(info)
		},
	}
}

func orNone(s string) string {
	if s == "" {
		return "none"
	}
	return s
}
