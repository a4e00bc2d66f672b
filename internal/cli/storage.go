package cli

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"
)

func newStorageCmd(o *rootOptions) *cobra.Command {
	cmd := groupCmd("storage", "Read and write GMS storage (user data of services, and storage areas)")
	cmd.AddCommand(newStorageGetCmd(o))
	return cmd
}

func newStorageGetCmd(o *rootOptions) *cobra.Command {
	var outPath string
	cmd := &cobra.Command{
		Use:   "get ID [KEY]",
		Short: "Read a storage area, or one value of it",
		Long: `Get reads the storage area ID (for example the _data_id of a service) and
prints all of its keys as JSON: string values as strings, and file values as
an object with filename, content_type, size and href.

With KEY it reads that one value, byte for byte: a string, or a file's
content. Use -O FILE to write it to a file, or -O - for standard output.`,
		Example: `  $ gmsctl storage get 5f1c0a4e-2f0b-4a53-9f3c-0a1b2c3d4e5f
  $ gmsctl storage get 5f1c0a4e-2f0b-4a53-9f3c-0a1b2c3d4e5f language
  $ gmsctl storage get 5f1c0a4e-2f0b-4a53-9f3c-0a1b2c3d4e5f FileKey -O MyPic.png`,
		Args: rangeArgs(1, 2),
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 1 {
				if outPath != "" {
					return usageErrorf("-O needs a KEY: gmsctl storage get ID KEY -O FILE")
				}
				return runStorageGetAll(cmd, o, args[0])
			}
			return runStorageGetValue(cmd, o, args[0], args[1], outPath)
		},
	}
	cmd.Flags().StringVarP(&outPath, "output-file", "O", "",
		"write the value of KEY to this file (- for standard output)")
	return cmd
}

func runStorageGetAll(cmd *cobra.Command, o *rootOptions, id string) error {
	c, stop, err := o.newClient(cmd.Context())
	if err != nil {
		return err
	}
	defer stop()
	data, err := c.Storage.Get(cmd.Context(), id)
	if err != nil {
		return err
	}
	return o.printValue(data)
}

func runStorageGetValue(cmd *cobra.Command, o *rootOptions, id, key, outPath string) error {
	c, stop, err := o.newClient(cmd.Context())
	if err != nil {
		return err
	}
	defer stop()
	v, err := c.Storage.GetValue(cmd.Context(), id, key)
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
	return writeFileAtomic(outPath, v.Body)
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
