package cli

import (
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/gmsctl/gmsctl/client"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

func newStorageCmd(o *rootOptions) *cobra.Command {
	cmd := groupCmd("storage", "Read and write GMS storage (user data of services, and storage areas)")
	cmd.Long = `Storage works with the GMS Storage API: temporary key/value areas whose
values are strings or files, each with a time-to-live. The user data of a
service lives in the area named by the service's _data_id.

With --service, ID is a service instance id and the commands work on that
instance's app data (/genesys/1/service/{ID}/storage).`
	cmd.AddCommand(newStorageCreateCmd(o), newStorageGetCmd(o), newStorageUpdateCmd(o),
		newStorageDeleteCmd(o))
	return cmd
}

// maxSeconds is the largest time GMS takes: it reads seconds as a Java int.
const maxSeconds = math.MaxInt32

// secondsValue is a flag of whole seconds that takes "60" or a duration
// ("1m30s", rounded up to the second). def is what the server uses when the
// flag is not given, shown in the help.
type secondsValue struct {
	d, def time.Duration
}

func (t *secondsValue) String() string {
	if t.d == 0 {
		if t.def == 0 {
			return ""
		}
		return t.def.String()
	}
	return t.d.String()
}
func (t *secondsValue) Type() string { return "seconds|duration" }
func (t *secondsValue) Set(s string) error {
	tooBig := fmt.Errorf("at most %d seconds: GMS reads a 32-bit number", maxSeconds)
	if n, err := strconv.ParseInt(s, 10, 64); err == nil || errors.Is(err, strconv.ErrRange) {
		if err != nil || n > maxSeconds {
			return tooBig
		}
		t.d = time.Duration(n) * time.Second
	} else if d, err := time.ParseDuration(s); err == nil {
		t.d = d
	} else {
		return fmt.Errorf("want seconds (60) or a duration (1m30s)")
	}
	if t.d <= 0 {
		return fmt.Errorf("must be positive")
	}
	if t.d > maxSeconds*time.Second {
		return tooBig
	}
	return nil
}

// seconds is the value in whole seconds, rounded up, as a form value.
func (t *secondsValue) seconds() string {
	return strconv.FormatInt(int64((t.d+time.Second-1)/time.Second), 10)
}

func (t *secondsValue) duration() time.Duration {
	if t.d == 0 {
		return t.def
	}
	return t.d
}

func newStorageCreateCmd(o *rootOptions) *cobra.Command {
	body := &bodyOptions{}
	ttl := secondsValue{def: 30 * time.Second}
	var customID string
	cmd := &cobra.Command{
		Use:   "create [-f key=value]... [-F key=@file]...",
		Short: "Store values in a new storage area",
		Long: `Create stores the given values in a new storage area that lives for --ttl
(default 30 s) and prints its id: POST /genesys/1/storage/{ttl}.

With --id, the area gets that id (POST /genesys/1/storage/custom/{id}/{ttl});
GMS then scopes it to the gms_user header, so --gms-user (or GMSCTL_GMS_USER)
is required, and later reads of the area need the same value.`,
		Example: `  $ gmsctl storage create -f color=blue -F photo=@testdata/MyPic.png --ttl 600
  $ gmsctl storage create --id basket-42 --gms-user device-1 -f items=3`,
		Args: exactArgs(0),
		RunE: func(cmd *cobra.Command, _ []string) error {
			form, err := body.buildForm(o)
			if err != nil {
				return err
			}
			if customID != "" && o.gmsUser == "" {
				return usageErrorf("--id needs --gms-user (or GMSCTL_GMS_USER): GMS scopes " +
					"custom storage ids to the gms_user header")
			}
			return o.withClient(cmd, func(c *client.Client) error {
				var id string
				if customID != "" {
					id, err = c.Storage.CreateCustom(cmd.Context(), customID, ttl.duration(), form)
				} else {
					id, err = c.Storage.Create(cmd.Context(), ttl.duration(), form)
				}
				if err != nil {
					return err
				}
				return o.printValue(map[string]string{"id": id})
			})
		},
	}
	body.addFlags(cmd.Flags())
	cmd.Flags().Var(&ttl, "ttl", "time to live: seconds (60) or a duration (10m)")
	cmd.Flags().StringVar(&customID, "id", "", "store under this id (needs --gms-user)")
	return cmd
}

func addServiceFlag(fs *pflag.FlagSet, service *bool) {
	fs.BoolVar(service, "service", false, "ID is a service instance id: use its app data")
}

func newStorageGetCmd(o *rootOptions) *cobra.Command {
	var outPath string
	var service bool
	cmd := &cobra.Command{
		Use:               "get ID [KEY]",
		ValidArgsFunction: o.completeStorageID,
		Short:             "Read a storage area, or one value of it",
		Long: `Get reads the storage area ID (for example the _data_id of a service) and
prints all of its keys as JSON: string values as strings, and file values as
an object with filename, content_type, size and href.

With KEY it reads that one value, byte for byte: a string, or a file's
content. Use -O FILE to write it to a file, or -O - for standard output. A
binary value is not written to a terminal without -O.`,
		Example: `  $ gmsctl storage get 5f1c0a4e-2f0b-4a53-9f3c-0a1b2c3d4e5f
  $ gmsctl storage get 5f1c0a4e-2f0b-4a53-9f3c-0a1b2c3d4e5f language
  $ gmsctl storage get 5f1c0a4e-2f0b-4a53-9f3c-0a1b2c3d4e5f FileKey -O MyPic.png
  $ gmsctl storage get --service 39a98e24-b03b-4191-b756-1efe8f3b16b8`,
		Args: rangeArgs(1, 2),
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 1 {
				if outPath != "" {
					return usageErrorf("-O needs a KEY: gmsctl storage get ID KEY -O FILE")
				}
				return runStorageGetAll(cmd, o, args[0], service)
			}
			if o.jq != "" || o.template != "" || o.outputFlag {
				return usageErrorf("storage get ID KEY prints the value as stored; --output, " +
					"--jq and --template apply to JSON: use 'storage get ID' for all keys as JSON")
			}
			return runStorageGetValue(cmd, o, args[0], args[1], outPath, service)
		},
	}
	cmd.Flags().StringVarP(&outPath, "output-file", "O", "",
		"write the value of KEY to this file (- for standard output)")
	addServiceFlag(cmd.Flags(), &service)
	return cmd
}

func runStorageGetAll(cmd *cobra.Command, o *rootOptions, id string, service bool) error {
	return o.withClient(cmd, func(c *client.Client) error {
		var data client.StorageData
		var err error
		if service {
			data, err = c.ServiceStorage.GetAll(cmd.Context(), id)
		} else {
			data, err = c.Storage.Get(cmd.Context(), id)
		}
		if err != nil {
			return err
		}
		return o.printValue(data)
	})
}

func runStorageGetValue(cmd *cobra.Command, o *rootOptions, id, key, outPath string,
	service bool) error {
	return o.withClient(cmd, func(c *client.Client) error {
		var v *client.Value
		var err error
		if service {
			v, err = c.ServiceStorage.GetBinary(cmd.Context(), id, key)
		} else {
			v, err = c.Storage.GetValue(cmd.Context(), id, key)
		}
		if err != nil {
			return err
		}
		defer v.Body.Close()
		if outPath == "" && o.streams.OutTTY && !isText(v.ContentType) {
			return usageErrorf("%s is binary (%s); write it with -O FILE, or -O - to force "+
				"standard output", key, v.ContentType)
		}
		if outPath == "" || outPath == "-" {
			_, err = io.Copy(o.streams.Out, v.Body)
			return err
		}
		if st, err := os.Stat(outPath); err == nil && st.IsDir() {
			// Like cp into a directory: the file takes the stored file name, or the key.
			outPath = filepath.Join(outPath, localName(v.Filename, key))
			fmt.Fprintf(o.streams.ErrOut, "writing %s\n", outPath)
		}
		return writeFileAtomic(outPath, v.Body)
	})
}

// localName returns a safe file name for a downloaded value: the base name
// of the name the server gave, else the key; never a path, "." or "..".
func localName(filename, key string) string {
	for _, n := range []string{filename, key} {
		n = filepath.Base(strings.ReplaceAll(n, "\\", "/"))
		if n != "." && n != ".." && n != "/" && n != "" {
			return n
		}
	}
	return "value"
}

func newStorageUpdateCmd(o *rootOptions) *cobra.Command {
	body := &bodyOptions{}
	ttl := secondsValue{def: 30 * time.Second}
	var service bool
	cmd := &cobra.Command{
		Use:               "update ID [-f key=value]... [-F key=@file]...",
		ValidArgsFunction: o.completeStorageID,
		Short:             "Add or replace values of a storage area and reset its time to live",
		Long: `Update merges the given values into the storage area ID and resets its
time to live to --ttl (default 30 s): POST /genesys/1/storage/{ID}/{ttl}.
With --service it updates the app data of a service instance instead:
POST /genesys/1/service/{ID}/storage (no time to live).`,
		Example: `  $ gmsctl storage update 5f1c0a4e-2f0b-4a53-9f3c-0a1b2c3d4e5f -f color=green --ttl 600
  $ gmsctl storage update --service 39a98e24-b03b-4191-b756-1efe8f3b16b8 -f step=2`,
		Args: exactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if service && cmd.Flags().Changed("ttl") {
				return usageErrorf("--ttl does not apply with --service: a service's app data " +
					"lives as long as the service")
			}
			form, err := body.buildForm(o)
			if err != nil {
				return err
			}
			return o.withClient(cmd, func(c *client.Client) error {
				if service {
					return c.ServiceStorage.Update(cmd.Context(), args[0], form)
				}
				return c.Storage.Update(cmd.Context(), args[0], ttl.duration(), form)
			})
		},
	}
	body.addFlags(cmd.Flags())
	cmd.Flags().Var(&ttl, "ttl", "new time to live: seconds (60) or a duration (10m)")
	addServiceFlag(cmd.Flags(), &service)
	return cmd
}

func newStorageDeleteCmd(o *rootOptions) *cobra.Command {
	var service bool
	cmd := &cobra.Command{
		Use:               "delete ID [KEY]",
		ValidArgsFunction: o.completeStorageID,
		Short:             "Delete a storage area, or one key of it",
		Example: `  $ gmsctl storage delete 5f1c0a4e-2f0b-4a53-9f3c-0a1b2c3d4e5f color
  $ gmsctl storage delete 5f1c0a4e-2f0b-4a53-9f3c-0a1b2c3d4e5f`,
		Args: rangeArgs(1, 2),
		RunE: func(cmd *cobra.Command, args []string) error {
			if service && len(args) == 1 {
				return usageErrorf("with --service, name the KEY to delete: GMS deletes a " +
					"service's app data one key at a time")
			}
			return o.withClient(cmd, func(c *client.Client) error {
				switch {
				case service:
					return c.ServiceStorage.DeleteKey(cmd.Context(), args[0], args[1])
				case len(args) == 2:
					return c.Storage.DeleteKey(cmd.Context(), args[0], args[1])
				default:
					return c.Storage.Delete(cmd.Context(), args[0])
				}
			})
		},
	}
	addServiceFlag(cmd.Flags(), &service)
	return cmd
}

func isText(contentType string) bool {
	ct := strings.ToLower(contentType)
	return strings.HasPrefix(ct, "text/") || strings.Contains(ct, "json") ||
		strings.Contains(ct, "xml")
}

// writeFileAtomic writes r to a temporary file beside path and renames it,
// so an interrupted download never leaves a truncated file under path.
func writeFileAtomic(path string, r io.Reader) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return usageErrorf("-O %s: %v", path, cleanPathError(err))
	}
	defer os.Remove(tmp.Name())
	if _, err := io.Copy(tmp, r); err != nil {
		tmp.Close()
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if err := os.Chmod(tmp.Name(), 0o644); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}
