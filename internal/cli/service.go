package cli

import (
	"strconv"

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
	if err := b.form.buildForm(form, o.streams.In); err != nil {
		return nil, err
	}
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
	cmd.AddCommand(newServiceCreateCmd(o), newServiceRequestCmd(o), newServiceQueryCmd(o))
	return cmd
}

type serviceCreateOptions struct {
	body        bodyOptions
	phone       string
	provideCode bool
	ttl         int
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
  $ echo hello | gmsctl service create request-interaction --mock --phone 5551234 -F note=@-`,
		Args:              exactArgs(1),
		ValidArgsFunction: completeServiceNames,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runServiceCreate(cmd, o, opts, args[0])
		},
	}
	fs := cmd.Flags()
	opts.body.addFlags(fs)
	fs.StringVar(&opts.phone, "phone", "", "the caller's phone number (_phone_number)")
	fs.BoolVar(&opts.provideCode, "provide-code", false, "ask for an access code (_provide_code=true)")
	fs.IntVar(&opts.ttl, "ttl", 0, "seconds to keep the user data (_ttl)")
	return cmd
}

func runServiceCreate(cmd *cobra.Command, o *rootOptions, opts *serviceCreateOptions,
	service string) error {
	var leading [][2]string
	if opts.phone != "" {
		leading = append(leading, [2]string{"_phone_number", opts.phone})
	}
	if opts.provideCode {
		leading = append(leading, [2]string{"_provide_code", "true"})
	}
	if cmd.Flags().Changed("ttl") {
		if opts.ttl <= 0 {
			return usageErrorf("--ttl must be a positive number of seconds, got %d", opts.ttl)
		}
		leading = append(leading, [2]string{"_ttl", strconv.Itoa(opts.ttl)})
	}
	form, err := opts.body.buildForm(o, leading...)
	if err != nil {
		return err
	}
	c, stop, err := o.newClient(cmd.Context())
	if err != nil {
		return err
	}
	defer stop()
	resp, err := c.Services.Create(cmd.Context(), service, form)
	if err != nil {
		return err
	}
	return o.printJSON(resp.Raw)
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
		Args: exactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			form, err := body.buildForm(o)
			if err != nil {
				return err
			}
			c, stop, err := o.newClient(cmd.Context())
			if err != nil {
				return err
			}
			defer stop()
			resp, err := c.Services.Request(cmd.Context(), args[0], args[1], form)
			if err != nil {
				return err
			}
			return o.printJSON(resp.Raw)
		},
	}
	body.addFlags(cmd.Flags())
	return cmd
}
