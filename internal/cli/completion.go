package cli

import (
	"slices"
	"strings"

	"github.com/gmsctl/gmsctl/internal/mock"
	"github.com/spf13/cobra"
)

// completeServiceNames offers the services that the bundled mock's default
// configuration defines: the built-in GMS service names. GMS has no API
// that lists a server's services, so this is the cheap and honest answer.
func completeServiceNames(_ *cobra.Command, args []string, toComplete string) ([]string,
	cobra.ShellCompDirective) {
	if len(args) > 0 {
		return nil, cobra.ShellCompDirectiveNoFileComp
	}
	var names []string
	for name := range mock.DefaultConfig().Services {
		if strings.HasPrefix(name, toComplete) {
			names = append(names, name)
		}
	}
	slices.Sort(names)
	return names, cobra.ShellCompDirectiveNoFileComp
}
