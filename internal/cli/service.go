package cli

import (
	"strconv"
	"time"

	"github.com/gmsctl/gmsctl/client"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// bodyOptions are the flags shared by every command that sends a form.
type bodyOptions struct {
	form       formFlags
	multipart  bool
	urlencoded bool
}

func (b *bodyOptions) addFlags(fs *pflag.FlagSet) {
	fs.VarP(orderedFlag{ff: &b.form, literal: true}, "field", "f",
		"add a string parameter key=value, taken literally (repeatable)")
	fs.VarP(orderedFlag{ff: &b.form}, "form", "F",
		"add a parameter curl-style: key=value, key=@file[;type=MIME][;filename=NAME], "+
			"key=@- (stdin as a file), key=<file (file content as a string) (repeatable)")
	fs.BoolVar(&b.multipart, "multipart", false, "send multipart/form-data even with no file")
	fs.BoolVar(&b.urlencoded, "urlencoded", false,
		"send application/x-www-form-urlencoded (fails when a file is attached)")
}

// buildForm returns the form the flags describe, with the extra parameters
// of shortcut flags first.
func (b *bodyOptions) buildForm(o *rootOptions, leading ...[2]string) (*client.Form, error) {
	if b.multipart && b.urlencoded {
		return nil, usageErrorf("--multipart and --urlencoded cannot be used together")
	}
	form := client.NewForm()
	o.form = form
	for _, kv := range leading {
		form.Add(kv[0], kv[1])
	}
	stdinOwner := ""
	if o.passwordStdin {
		stdinOwner = "--password-stdin"
	}
	if err := b.form.buildForm(o.context(), form, o.streams.In, stdinOwner); err != nil {
		return nil, err
	}
	o.textFiles = b.form.textFiles
	switch {
	case b.multipart:
		form.SetEncoding(client.EncodingMultipart)
	case b.urlencoded:
		if b.form.hasFile {
			return nil, usageErrorf("--urlencoded cannot carry a file part; drop --urlencoded " +
				"or send the value with -f")
		}
		form.SetEncoding(client.EncodingURLEncoded)
	}
	return form, nil
}

func newServiceCmd(o *rootOptions) *cobra.Command {
	cmd := groupCmd("service", "Create GMS services and run service-specific requests")
	cmd.AddCommand(newServiceCreateCmd(o), newServiceRequestCmd(o), newServiceQueryCmd(o),
		newServiceGetCmd(o), newServiceStopCmd(o))
	return cmd
}

type serviceCreateOptions struct {
	body        bodyOptions
	phone       string
	provideCode bool
	ttl         secondsValue

	// Shortcuts of the built-in services' parameters.
	resourceGroup  string       // request-interaction, request-access
	serviceID      string       // request-access
	bookingTimeout secondsValue // request-access
	codeLength     int          // request-access
	accessNumber   string       // match-interaction
	accessCode     string       // match-interaction
	returnUserData bool         // match-interaction
	allMatches     bool         // match-interaction
}

func newServiceCreateCmd(o *rootOptions) *cobra.Command {
	opts := &serviceCreateOptions{}
	cmd := &cobra.Command{
		Use:   "create SERVICE",
		Short: "Create (start) an instance of a GMS service",
		Long: `Create starts an instance of the GMS service named SERVICE with
POST /genesys/1/service/{SERVICE} and prints the server's JSON answer.

Parameters whose names start with _ are service parameters; every other
parameter (files included) is user data, which GMS keeps in storage and
names by the _data_id of the answer.

The body is application/x-www-form-urlencoded when every value is a string,
and multipart/form-data as soon as a file is attached (-F key=@file).`,
		Example: `  $ gmsctl service create request-interaction --mock --phone 6504669999 --provide-code \
      -F language=french -F FileKey=@testdata/MyPic.png
  $ gmsctl service create match-interaction -f _access_number=8003449999 -f _access_code=7684
  $ echo hello | gmsctl service create request-interaction --mock --phone 5551234 -F note=@-
  $ gmsctl service create request-access --service-id 39a98e24-b03b-4191-b756-1efe8f3b16b8 \
      --provide-code --code-length 4 --booking-timeout 120
  $ gmsctl service create match-interaction --access-number 8003449999 --access-code 7684 \
      --return-user-data`,
		Args:              exactArgs(1),
		ValidArgsFunction: o.completeServiceNames,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runServiceCreate(cmd, o, opts, args[0])
		},
	}
	fs := cmd.Flags()
	opts.body.addFlags(fs)
	fs.StringVar(&opts.phone, "phone", "", "the caller's phone number (_phone_number)")
	fs.BoolVar(&opts.provideCode, "provide-code", false, "ask for an access code (_provide_code=true)")
	opts.ttl.def = 30 * time.Second
	fs.Var(&opts.ttl, "ttl", "time to keep the user data (_ttl): seconds (60) or a duration (10m)")
	fs.StringVar(&opts.resourceGroup, "resource-group", "",
		"access-number pool to reserve from (_resource_group)")
	fs.StringVar(&opts.serviceID, "service-id", "",
		"request-access: the running service to attach access information to (_id)")
	opts.bookingTimeout.def = 60 * time.Second
	fs.Var(&opts.bookingTimeout, "booking-timeout",
		"request-access: how long the reservation is held (_booking_expiration_timeout): "+
			"seconds or a duration")
	fs.IntVar(&opts.codeLength, "code-length", 0,
		"request-access: digits of the access code (_access_code_length)")
	fs.StringVar(&opts.accessNumber, "access-number", "",
		"match-interaction: the number that was dialled (_access_number)")
	fs.StringVar(&opts.accessCode, "access-code", "",
		"match-interaction: the code the caller entered (_access_code)")
	fs.BoolVar(&opts.returnUserData, "return-user-data", false,
		"match-interaction: include the stored user data (_return_user_data=true)")
	fs.BoolVar(&opts.allMatches, "all-matches", false,
		"match-interaction: answer every match (_return_multiple_matches=true)")
	return cmd
}

func runServiceCreate(cmd *cobra.Command, o *rootOptions, opts *serviceCreateOptions,
	service string) error {
	var leading [][2]string
	add := func(name, value string) { leading = append(leading, [2]string{name, value}) }
	fs := cmd.Flags()
	positive := func(flag string, v int) error {
		if fs.Changed(flag) && v <= 0 {
			return usageErrorf("--%s must be a positive number, got %d", flag, v)
		}
		return nil
	}
	if err := positive("code-length", opts.codeLength); err != nil {
		return err
	}
	if fs.Changed("service-id") && opts.serviceID == "" {
		return usageErrorf("--service-id is empty")
	}
	if opts.serviceID != "" {
		add("_id", opts.serviceID)
	}
	if opts.accessNumber != "" {
		add("_access_number", opts.accessNumber)
	}
	if opts.accessCode != "" {
		add("_access_code", opts.accessCode)
	}
	if opts.phone != "" {
		add("_phone_number", opts.phone)
	}
	if opts.provideCode {
		add("_provide_code", "true")
	}
	if opts.resourceGroup != "" {
		add("_resource_group", opts.resourceGroup)
	}
	if fs.Changed("ttl") {
		add("_ttl", opts.ttl.seconds())
	}
	if fs.Changed("booking-timeout") {
		add("_booking_expiration_timeout", opts.bookingTimeout.seconds())
	}
	if fs.Changed("code-length") {
		add("_access_code_length", strconv.Itoa(opts.codeLength))
	}
	if opts.returnUserData {
		add("_return_user_data", "true")
	}
	if opts.allMatches {
		add("_return_multiple_matches", "true")
	}
	form, err := opts.body.buildForm(o, leading...)
	if err != nil {
		return err
	}
	return o.withClient(cmd, func(c *client.Client) error {
		resp, err := c.Services.Create(cmd.Context(), service, form)
		if err != nil {
			return err
		}
		return o.printJSON(resp.Raw)
	})
}

func newServiceRequestCmd(o *rootOptions) *cobra.Command {
	body := &bodyOptions{}
	cmd := &cobra.Command{
		Use:   "request SERVICE_ID REQUEST",
		Short: "Run a service-specific request on a service instance",
		Long: `Request runs REQUEST on the service instance SERVICE_ID with
POST /genesys/1/service/{SERVICE_ID}/{REQUEST} and prints the JSON answer.
REQUEST may have several segments, such as ixn/chat/refresh; each segment is
escaped, and empty, "." and ".." segments are refused.`,
		Example: `  $ gmsctl service request 39a98e24-b03b-4191-b756-1efe8f3b16b8 status -f key=value
  $ gmsctl service request 39a98e24-b03b-4191-b756-1efe8f3b16b8 ixn/chat/refresh -f transcriptPosition=1`,
		Args:              exactArgs(2),
		ValidArgsFunction: o.completeServiceRequest,
		RunE: func(cmd *cobra.Command, args []string) error {
			form, err := body.buildForm(o)
			if err != nil {
				return err
			}
			return o.withClient(cmd, func(c *client.Client) error {
				resp, err := c.Services.Request(cmd.Context(), args[0], args[1], form)
				if err != nil {
					return err
				}
				return o.printJSON(resp.Raw)
			})
		},
	}
	body.addFlags(cmd.Flags())
	return cmd
}

func newServiceGetCmd(o *rootOptions) *cobra.Command {
	return &cobra.Command{
		Use:   "get SERVICE_ID",
		Short: "Show a running service instance",
		Long: `Get shows the service instance SERVICE_ID: GET /genesys/1/service/{SERVICE_ID}.
GMS's documentation does not describe this call; the bundled mock answers the
instance's service, data id, expiry and the access number it holds.`,
		Example:           "  $ gmsctl service get 39a98e24-b03b-4191-b756-1efe8f3b16b8",
		Args:              exactArgs(1),
		ValidArgsFunction: o.completeInstance,
		RunE: func(cmd *cobra.Command, args []string) error {
			return o.withClient(cmd, func(c *client.Client) error {
				resp, err := c.Services.Get(cmd.Context(), args[0])
				if err != nil {
					return err
				}
				return o.printJSON(resp.Raw)
			})
		},
	}
}

func newServiceStopCmd(o *rootOptions) *cobra.Command {
	return &cobra.Command{
		Use:   "stop SERVICE_ID",
		Short: "Stop a running service instance and release its access number",
		Long: `Stop ends the service instance SERVICE_ID and releases its access number:
DELETE /genesys/1/service/{SERVICE_ID}. Its user data stays in Storage until
its TTL ends. Nothing is printed on success.`,
		Example:           "  $ gmsctl service stop 39a98e24-b03b-4191-b756-1efe8f3b16b8",
		Args:              exactArgs(1),
		ValidArgsFunction: o.completeInstance,
		RunE: func(cmd *cobra.Command, args []string) error {
			return o.withClient(cmd, func(c *client.Client) error {
				return c.Services.Stop(cmd.Context(), args[0])
			})
		},
	}
}
