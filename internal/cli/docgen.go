package cli

import (
	"fmt"
	"os"
	"time"

	"github.com/spf13/cobra/doc"
)

// GenerateDocs writes the Markdown reference of every command to mdDir and
// their man pages to manDir. The output depends only on the command tree, so
// a test can tell when the committed docs are stale.
func GenerateDocs(mdDir, manDir string) error {
	root := NewRootCmd(&IOStreams{})
	root.DisableAutoGenTag = true
	root.InitDefaultCompletionCmd()
	for _, dir := range []string{mdDir, manDir} {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return err
		}
	}
	if err := doc.GenMarkdownTree(root, mdDir); err != nil {
		return fmt.Errorf("markdown docs: %w", err)
	}
	header := &doc.GenManHeader{Title: "GMSCTL", Section: "1", Source: "gmsctl",
		Manual: "gmsctl manual", Date: &docDate}
	if err := doc.GenManTree(root, header, manDir); err != nil {
		return fmt.Errorf("man pages: %w", err)
	}
	return nil
}

// docDate is fixed so regenerating the man pages changes nothing unless the
// commands changed.
var docDate = time.Date(2026, time.December, 4, 0, 0, 0, 0, time.UTC)
