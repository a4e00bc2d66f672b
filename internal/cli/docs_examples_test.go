package cli_test

import (
	"bufio"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// docsWithShellExamples are the documents whose ```sh blocks must run.
var docsWithShellExamples = []string{"README.md", "docs/cli.md"}

// docPlaceholders are the stand-ins that documents use for values only a
// running server knows.
var docPlaceholders = strings.NewReplacer(
	"<_data_id>", sampleDataID,
	"<_id>", sampleServiceID,
	"<request>", "status",
	`"$ID"`, sampleServiceID,
)

// shellExamples returns the gmsctl command lines of the ```sh blocks of a
// Markdown file, continuations joined, "./gmsctl" read as "gmsctl". Lines
// that build, serve or set up are left out: the test provides all that.
func shellExamples(t *testing.T, path string) []string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []string
	var inSh bool
	var pending string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		switch {
		case strings.HasPrefix(line, "```"):
			inSh = line == "```sh"
			continue
		case !inSh:
			continue
		}
		if pending != "" {
			line, pending = pending+" "+line, ""
		}
		if strings.HasSuffix(line, `\`) {
			pending = strings.TrimSuffix(line, `\`)
			continue
		}
		line = strings.TrimPrefix(line, "./")
		if strings.HasPrefix(line, "gmsctl ") && !strings.HasPrefix(line, "gmsctl mock serve") {
			out = append(out, line)
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// TestDocShellExamplesRun runs the gmsctl lines of the documents' shell
// blocks, in order, against a served mock: each must exit 0.
func TestDocShellExamplesRun(t *testing.T) {
	t.Parallel()
	m := startMock(t)
	dir := t.TempDir()
	env := exampleEnv(t, dir, m.url)
	total := 0
	for _, doc := range docsWithShellExamples {
		// Fresh reservations per document: a document's match uses up its own.
		real := prepareExampleState(t, env, m.url)
		lines := shellExamples(t, filepath.Join("..", "..", doc))
		total += len(lines)
		for _, line := range lines {
			run := real.Replace(docPlaceholders.Replace(line))
			cmd := exec.Command("sh", "-c", run)
			cmd.Dir, cmd.Env = dir, env
			if out, err := cmd.CombinedOutput(); err != nil {
				t.Errorf("%s: example failed: %s\n  ran: %s\n  %v\n%s", doc, line, run, err, out)
			}
		}
	}
	if total < 8 {
		t.Fatalf("found only %d shell examples in %v", total, docsWithShellExamples)
	}
}
