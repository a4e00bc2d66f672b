package cli

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"
)

const sample = `{"_id":"abc","_access_number":"8003449999","nested":{"a":1},"_none":null}`

func TestPrintTableAlignedOnTerminalTabsInPipe(t *testing.T) {
	var tty, pipe bytes.Buffer
	if err := printTable(&tty, []byte(sample), true); err != nil {
		t.Fatal(err)
	}
	if err := printTable(&pipe, []byte(sample), false); err != nil {
		t.Fatal(err)
	}
	wantTTY := "KEY             VALUE\n" +
		"_id             abc\n" +
		"_access_number  8003449999\n" +
		"nested          {\"a\":1}\n" +
		"_none           \n"
	if tty.String() != wantTTY {
		t.Errorf("terminal table:\n%q\nwant\n%q", tty.String(), wantTTY)
	}
	wantPipe := "KEY\tVALUE\n_id\tabc\n_access_number\t8003449999\nnested\t{\"a\":1}\n_none\t\n"
	if pipe.String() != wantPipe {
		t.Errorf("piped table:\n%q\nwant\n%q", pipe.String(), wantPipe)
	}
}

func TestPrintTableArrayOfObjects(t *testing.T) {
	var out bytes.Buffer
	raw := `[{"name":"a","server":"http://x"},{"name":"b","current":true}]`
	if err := printTable(&out, []byte(raw), false); err != nil {
		t.Fatal(err)
	}
	want := "NAME\tSERVER\tCURRENT\na\thttp://x\t\nb\t\ttrue\n"
	if out.String() != want {
		t.Errorf("got %q, want %q", out.String(), want)
	}
}

func TestPrintYAMLKeepsKeyOrder(t *testing.T) {
	var out bytes.Buffer
	if err := printYAML(&out, []byte(sample)); err != nil {
		t.Fatal(err)
	}
	want := "_id: abc\n_access_number: \"8003449999\"\nnested:\n  a: 1\n_none: null\n"
	if out.String() != want {
		t.Errorf("got %q, want %q", out.String(), want)
	}
}

func TestPrintJQAndTemplate(t *testing.T) {
	var out bytes.Buffer
	if err := printJQ(t.Context(), &out, "._access_number, .nested", []byte(sample)); err != nil {
		t.Fatal(err)
	}
	if want := "8003449999\n{\"a\":1}\n"; out.String() != want {
		t.Errorf("jq printed %q, want %q", out.String(), want)
	}
	out.Reset()
	if err := printTemplate(&out, `{{._id}} {{json .nested}}`, []byte(sample)); err != nil {
		t.Fatal(err)
	}
	if want := `abc {"a":1}`; out.String() != want {
		t.Errorf("template printed %q, want %q", out.String(), want)
	}
	if err := printJQ(t.Context(), &out, ".[", []byte(sample)); exitCode(err) != ExitUsage {
		t.Errorf("a bad jq filter should be a usage error, got %v", err)
	}
}

func TestPrintIndentedJSONNotJSON(t *testing.T) {
	err := printIndentedJSON(&bytes.Buffer{}, []byte("<html>"), false)
	if err == nil || !strings.Contains(err.Error(), "not JSON") {
		t.Errorf("got %v, want an error saying the answer is not JSON", err)
	}
}

// TestJQRunawayFilterIsStopped: a filter whose memory grows without end is
// stopped with a usage error instead of taking the machine down.
func TestJQRunawayFilterIsStopped(t *testing.T) {
	old := jqHeapLimit
	jqHeapLimit = 32 << 20
	defer func() { jqHeapLimit = old }()
	var out bytes.Buffer
	err := printJQ(t.Context(), &out, "def f: [f]; f", []byte(`{}`))
	if !errors.Is(err, errJQMemory) || exitCode(err) != ExitUsage {
		t.Fatalf("runaway filter: %v (exit %d)", err, exitCode(err))
	}
}

// TestJQStopsWhenCancelled: Ctrl-C (the context) ends an endless filter.
func TestJQStopsWhenCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(t.Context())
	w := &cancelAfterWriter{n: 100, cancel: cancel}
	err := printJQ(ctx, w, "repeat(1)", []byte(`{}`))
	if !errors.Is(err, context.Canceled) || exitCode(err) != ExitInterrupted {
		t.Fatalf("cancelled filter: %v (exit %d)", err, exitCode(err))
	}
}

// cancelAfterWriter cancels after n writes.
type cancelAfterWriter struct {
	n      int
	cancel context.CancelFunc
}

func (w *cancelAfterWriter) Write(p []byte) (int, error) {
	if w.n--; w.n == 0 {
		w.cancel()
	}
	return len(p), nil
}
