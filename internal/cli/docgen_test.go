package cli

import (
	"flag"
	"os"
	"path/filepath"
	"testing"
)

var updateDocs = flag.Bool("update-docs", false, "rewrite docs/cli and docs/man from the command tree")

// TestDocsUpToDate fails when docs/cli or docs/man no longer match the
// command tree. Refresh them with: go test ./internal/cli -run TestDocsUpToDate -update-docs
func TestDocsUpToDate(t *testing.T) {
	mdDir, manDir := filepath.Join("..", "..", "docs", "cli"), filepath.Join("..", "..", "docs", "man")
	if *updateDocs {
		for _, dir := range []string{mdDir, manDir} {
			if err := os.RemoveAll(dir); err != nil {
				t.Fatal(err)
			}
		}
		if err := GenerateDocs(mdDir, manDir); err != nil {
			t.Fatal(err)
		}
	}
	tmp := t.TempDir()
	gotMD, gotMan := filepath.Join(tmp, "cli"), filepath.Join(tmp, "man")
	if err := GenerateDocs(gotMD, gotMan); err != nil {
		t.Fatal(err)
	}
	for _, pair := range [][2]string{{gotMD, mdDir}, {gotMan, manDir}} {
		compareDirs(t, pair[0], pair[1])
	}
}

func compareDirs(t *testing.T, generated, committed string) {
	t.Helper()
	gen := readDir(t, generated)
	com := readDir(t, committed)
	for name, want := range gen {
		got, ok := com[name]
		switch {
		case !ok:
			t.Errorf("%s is missing from %s; run: go test ./internal/cli -run TestDocsUpToDate -update-docs",
				name, committed)
		case got != want:
			t.Errorf("%s/%s is stale; run: go test ./internal/cli -run TestDocsUpToDate -update-docs",
				committed, name)
		}
	}
	for name := range com {
		if _, ok := gen[name]; !ok {
			t.Errorf("%s/%s documents no command any more; regenerate the docs", committed, name)
		}
	}
}

func readDir(t *testing.T, dir string) map[string]string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatalf("reading %s: %v", dir, err)
	}
	files := map[string]string{}
	for _, e := range entries {
		data, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		files[e.Name()] = string(data)
	}
	return files
}
