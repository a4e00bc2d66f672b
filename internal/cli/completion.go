package cli

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/gmsctl/gmsctl/internal/mock"
	"github.com/spf13/cobra"
)

// completionTimeout bounds each server lookup of shell completion: a short
// list now is better than a shell that hangs on a slow server.
const completionTimeout = 700 * time.Millisecond

// mockService is one entry of the bundled mock's GET /mock/services.
type mockService struct {
	Name     string   `json:"name"`
	Type     string   `json:"type"`
	Builtin  string   `json:"builtin"`
	Requests []string `json:"requests"`
}

// queried reports whether the service answers GET queries (office hours,
// capacity) rather than being created with POST.
func (s mockService) queried() bool {
	return s.Builtin == "office-hours" || s.Builtin == "capacity"
}

// mockInstance is one running service of the bundled mock's GET /mock/state.
type mockInstance struct {
	ID      string `json:"_id"`
	Service string `json:"service"`
}

// completionGet reads a JSON document of the mock's admin API from the
// configured server. GMS itself has no API that lists services or
// instances, so against a real GMS (or with no server) this reports false
// and completion falls back to what gmsctl knows by itself.
func (o *rootOptions) completionGet(cmd *cobra.Command, path string, v any) bool {
	if err := o.applyConfig(cmd); err != nil || o.useMock || o.server == "" {
		return false
	}
	ctx := cmd.Context()
	if ctx == nil {
		ctx = context.Background()
	}
	ctx, cancel := context.WithTimeout(ctx, completionTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet,
		strings.TrimRight(o.server, "/")+path, nil)
	if err != nil {
		return false
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return false
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return false
	}
	return json.NewDecoder(io.LimitReader(resp.Body, 4<<20)).Decode(v) == nil
}

// serviceNames returns the names to offer: the built-in services of GMS
// (those that are created, or with query those that are queried), plus the
// configured services of the server when it is a gmsctl mock.
func (o *rootOptions) serviceNames(cmd *cobra.Command, query bool) []string {
	var names []string
	for name, svc := range mock.DefaultConfig().Services {
		s := mockService{Name: name, Type: svc.Type, Builtin: svc.Service}
		if s.Type == "builtin" && s.queried() == query {
			names = append(names, name)
		}
	}
	var served []mockService
	if o.completionGet(cmd, "/mock/services", &served) {
		for _, s := range served {
			if s.queried() == query {
				names = append(names, s.Name)
			}
		}
	}
	return names
}

// completeServiceNames offers the services that `service create` starts.
func (o *rootOptions) completeServiceNames(cmd *cobra.Command, args []string, toComplete string) (
	[]string, cobra.ShellCompDirective) {
	if len(args) > 0 {
		return nil, cobra.ShellCompDirectiveNoFileComp
	}
	return matching(o.serviceNames(cmd, false), toComplete), cobra.ShellCompDirectiveNoFileComp
}

// completeQueryNames offers the services that `service query` asks.
func (o *rootOptions) completeQueryNames(cmd *cobra.Command, args []string, toComplete string) (
	[]string, cobra.ShellCompDirective) {
	if len(args) > 0 {
		return nil, cobra.ShellCompDirectiveNoFileComp
	}
	return matching(o.serviceNames(cmd, true), toComplete), cobra.ShellCompDirectiveNoFileComp
}

// completeStorageID offers, for the first argument of the storage commands,
// the storage areas of a gmsctl mock, or its instances with --service.
func (o *rootOptions) completeStorageID(cmd *cobra.Command, args []string, toComplete string) (
	[]string, cobra.ShellCompDirective) {
	if service, _ := cmd.Flags().GetBool("service"); service {
		return o.completeInstance(cmd, args, toComplete)
	}
	var state struct {
		Storage struct {
			IDs []string `json:"ids"`
		} `json:"storage"`
	}
	if len(args) > 0 || !o.completionGet(cmd, "/mock/state", &state) {
		return nil, cobra.ShellCompDirectiveNoFileComp
	}
	return matching(state.Storage.IDs, toComplete), cobra.ShellCompDirectiveNoFileComp
}

// completeServiceRequest offers, for `service request SERVICE_ID REQUEST`,
// the running instances of a gmsctl mock (with their service as the
// description) and then the requests that instance's service declares.
func (o *rootOptions) completeServiceRequest(cmd *cobra.Command, args []string, toComplete string) (
	[]string, cobra.ShellCompDirective) {
	var state struct {
		Instances []mockInstance `json:"instances"`
	}
	if len(args) > 1 || !o.completionGet(cmd, "/mock/state", &state) {
		return nil, cobra.ShellCompDirectiveNoFileComp
	}
	if len(args) == 0 {
		var out []string
		for _, in := range state.Instances {
			if strings.HasPrefix(in.ID, toComplete) {
				out = append(out, in.ID+"\t"+in.Service)
			}
		}
		return out, cobra.ShellCompDirectiveNoFileComp
	}
	var served []mockService
	if !o.completionGet(cmd, "/mock/services", &served) {
		return nil, cobra.ShellCompDirectiveNoFileComp
	}
	for _, in := range state.Instances {
		if in.ID != args[0] {
			continue
		}
		for _, s := range served {
			if s.Name == in.Service {
				return matching(s.Requests, toComplete), cobra.ShellCompDirectiveNoFileComp
			}
		}
	}
	return nil, cobra.ShellCompDirectiveNoFileComp
}

// completeInstance offers the running instances of a gmsctl mock for a
// command whose only argument is a SERVICE_ID.
func (o *rootOptions) completeInstance(cmd *cobra.Command, args []string, toComplete string) (
	[]string, cobra.ShellCompDirective) {
	if len(args) > 0 {
		return nil, cobra.ShellCompDirectiveNoFileComp
	}
	return o.completeServiceRequest(cmd, args, toComplete)
}

// matching returns the sorted, distinct names that start with prefix.
func matching(names []string, prefix string) []string {
	var out []string
	for _, n := range names {
		if strings.HasPrefix(n, prefix) {
			out = append(out, n)
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}
