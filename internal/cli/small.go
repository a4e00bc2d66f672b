package cli

import (
	"net/url"
	"strings"

	"github.com/gmsctl/gmsctl/client"
	"github.com/spf13/cobra"
)

func newNodeCmd(o *rootOptions) *cobra.Command {
	cmd := groupCmd("node", "Read or change the status of a GMS node (the Node API)")
	status := &cobra.Command{
		Use:   "status",
		Short: "Print the node's status: ONLINE or OFFLINE",
		Long: `Status prints the node's status as load balancers see it:
GET /genesys/1/admin/node/status. GMS 8.5.1 and later want credentials.`,
		Example: "  $ gmsctl node status",
		Args:    exactArgs(0),
		RunE: func(cmd *cobra.Command, _ []string) error {
			return o.withClient(cmd, func(c *client.Client) error {
				st, err := c.Node.Status(cmd.Context())
				if err != nil {
					return err
				}
				return o.printValue(map[string]string{"status": string(st)})
			})
		},
	}
	set := &cobra.Command{
		Use:       "set-status ONLINE|OFFLINE",
		Short:     "Set the node's status",
		Long:      `Set-status changes the node's status: POST /genesys/1/admin/node/changestatus/{status}.`,
		Example:   "  $ gmsctl node set-status OFFLINE\n  $ gmsctl node set-status ONLINE",
		Args:      exactArgs(1),
		ValidArgs: []string{"ONLINE", "OFFLINE"},
		RunE: func(cmd *cobra.Command, args []string) error {
			st := client.NodeStatus(strings.ToUpper(args[0]))
			if st != client.NodeOnline && st != client.NodeOffline {
				return usageErrorf("status %q: want ONLINE or OFFLINE", args[0])
			}
			return o.withClient(cmd, func(c *client.Client) error {
				return c.Node.ChangeStatus(cmd.Context(), st)
			})
		},
	}
	cmd.AddCommand(status, set)
	return cmd
}

func newPatternsCmd(o *rootOptions) *cobra.Command {
	body := &bodyOptions{}
	var group string
	cmd := &cobra.Command{
		Use:   "patterns -f param=value...",
		Short: "Match values against the server's patterns (the Pattern Matcher API)",
		Long: `Patterns sends each -f param=value to the pattern matcher and prints, for
every value that matched, the name of its pattern: POST /genesys/1/patterns,
or /genesys/1/patterns/group/{group} with --group.`,
		Example: `  $ gmsctl patterns -f param1=1234562 -f param2=john.doe@example.com -f param3=911
  $ gmsctl patterns --group emergency -f number=911`,
		Args: exactArgs(0),
		RunE: func(cmd *cobra.Command, _ []string) error {
			form, err := body.buildForm(o)
			if err != nil {
				return err
			}
			return o.withClient(cmd, func(c *client.Client) error {
				matches, err := c.Patterns.Match(cmd.Context(), group, form)
				if err != nil {
					return err
				}
				return o.printValue(matches)
			})
		},
	}
	body.addFlags(cmd.Flags())
	cmd.Flags().StringVar(&group, "group", "", "match against this pattern group only")
	return cmd
}

func newPhoneCmd(o *rootOptions) *cobra.Command {
	var country, locale string
	cmd := &cobra.Command{
		Use:   "phone NUMBER",
		Short: "Validate and describe a phone number (the phone number API)",
		Long: `Phone asks GMS whether NUMBER is a valid phone number and prints what it
knows of it (E.164 form, type, region, time zone ...):
GET /genesys/1/phonenumber?number=&country=&geocodingLocale=.`,
		Example: `  $ gmsctl phone 0604120405 --country FR
  $ gmsctl phone +16504669999 --jq '."number-E164"'`,
		Args: exactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return o.withClient(cmd, func(c *client.Client) error {
				info, err := c.PhoneNumber.Check(cmd.Context(), args[0], country, locale)
				if err != nil {
					return err
				}
				return o.printValue(info)
			})
		},
	}
	cmd.Flags().StringVar(&country, "country", "", "default region of a national number (FR, US ...)")
	cmd.Flags().StringVar(&locale, "locale", "", "language of the location description (geocodingLocale)")
	return cmd
}

func newServiceQueryCmd(o *rootOptions) *cobra.Command {
	var params []string
	cmd := &cobra.Command{
		Use:               "query SERVICE [-q key=value]...",
		ValidArgsFunction: o.completeQueryNames,
		Short:             "Query a query-style service such as office hours or capacity",
		Long: `Query calls a query-style built-in service with GET
/genesys/1/service/{SERVICE}?key=value... and prints the JSON answer, for
example the open periods of an office-hours service.`,
		Example: `  $ gmsctl service query office-hours -q start=2026-12-07T00:00:00Z -q number-of-days=2
  $ gmsctl service query capacity -q start=2026-12-07T08:00:00 -q end=2026-12-07T12:00:00`,
		Args: exactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			q := url.Values{}
			for _, p := range params {
				k, v, ok := strings.Cut(p, "=")
				if !ok || k == "" {
					return usageErrorf("-q %q: want key=value", p)
				}
				q.Add(k, v)
			}
			return o.withClient(cmd, func(c *client.Client) error {
				resp, err := c.Services.Query(cmd.Context(), args[0], q)
				if err != nil {
					return err
				}
				return o.printJSON(resp.Raw)
			})
		},
	}
	cmd.Flags().StringArrayVarP(&params, "query", "q", nil, "query parameter key=value (repeatable)")
	return cmd
}
