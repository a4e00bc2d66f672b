package cli

import "github.com/spf13/cobra"

const environmentHelp = `Environment variables:
  GMSCTL_SERVER     GMS base URL, as --server
  GMSCTL_USER       basic-auth user name, as --user
  GMSCTL_PASSWORD   basic-auth password (there is no --password flag: use this,
                    --password-stdin or a config profile)
  GMSCTL_GMS_USER   value of the gms_user header, as --gms-user
  GMSCTL_API_KEY    value of the apikey header, as --api-key
  GMSCTL_TIMEOUT    time limit per request, as --timeout (e.g. 30s)
  GMSCTL_OUTPUT     output format, as --output
  GMSCTL_PROFILE    configuration profile, as --profile
  GMSCTL_CONFIG     configuration file, as --config
  GMSCTL_MOCK       true to use the in-process mock, as --mock
  GMSCTL_DEBUG      true to trace HTTP on stderr, as --debug
  GMSCTL_TEMPLATE   as --template
  GMSCTL_JQ         as --jq
  XDG_CONFIG_HOME   where the default config file lives ($XDG_CONFIG_HOME/gmsctl/config.yaml)
  NO_COLOR          when set, never colour the output

A flag wins over its variable, a variable over the config profile, and the
profile over the default.

A command line printed by --curl reads its secrets from variables instead of
showing them: GMSCTL_PASSWORD, GMSCTL_API_KEY, GMSCTL_HEADER_<NAME> (a secret
header), GMSCTL_FIELD_<NAME> (a secret form field) and GMSCTL_QUERY_<NAME> (a
secret query parameter, URL-encoded); <NAME> is the name in capitals with
anything but letters and digits turned into _.
`

// helpTopics are commands that only carry text: `gmsctl help exit-codes`.
func helpTopics() []*cobra.Command {
	return []*cobra.Command{
		{Use: "exit-codes", Short: "The exit codes of gmsctl", Long: exitCodeHelp,
			Annotations: map[string]string{annotationNoConfig: "true"}},
		{Use: "environment", Short: "The environment variables gmsctl reads", Long: environmentHelp,
			Annotations: map[string]string{annotationNoConfig: "true"}},
	}
}
