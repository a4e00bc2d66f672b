package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"runtime/metrics"
	"slices"
	"strings"
	"text/tabwriter"
	"text/template"
	"time"

	"github.com/itchyny/gojq"
	"go.yaml.in/yaml/v3"
)

var outputFormats = []string{"json", "yaml", "table"}

func (o *rootOptions) checkOutput() error {
	if !slices.Contains(outputFormats, o.output) {
		return usageErrorf("%s %q: want one of %s", o.sourceOf("output"), o.output,
			strings.Join(outputFormats, ", "))
	}
	if o.template != "" && o.jq != "" {
		return usageErrorf("--template and --jq cannot be used together")
	}
	if o.outputFlag && o.output != "json" && (o.template != "" || o.jq != "") {
		return usageErrorf("--output %s cannot be combined with --template or --jq, "+
			"which print their own results", o.output)
	}
	if o.template != "" {
		if _, err := parseTemplate(o.template); err != nil {
			return usageErrorf("--template: %v", err)
		}
	}
	if o.jq != "" {
		if _, err := gojq.Parse(o.jq); err != nil {
			return usageErrorf("--jq: %v", err)
		}
	}
	return nil
}

// printJSON writes a JSON document (as received, key order kept) in the
// chosen output format.
func (o *rootOptions) printJSON(raw []byte) error {
	w := o.streams.Out
	switch {
	case o.jq != "":
		return printJQ(o.context(), w, o.jq, raw)
	case o.template != "":
		return printTemplate(w, o.template, raw)
	}
	switch o.output {
	case "yaml":
		return printYAML(w, raw)
	case "table":
		return printTable(w, raw, o.streams.OutTTY)
	default:
		return printIndentedJSON(w, raw, o.color())
	}
}

// printValue marshals v and prints it like a server response.
func (o *rootOptions) printValue(v any) error {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false) // "a&b" stays "a&b", not "a\u0026b"
	if err := enc.Encode(v); err != nil {
		return err
	}
	return o.printJSON(bytes.TrimRight(buf.Bytes(), "\n"))
}

func printIndentedJSON(w io.Writer, raw []byte, color bool) error {
	var buf bytes.Buffer
	if err := json.Indent(&buf, raw, "", "  "); err != nil {
		return fmt.Errorf("the server's answer is not JSON: %w", err)
	}
	buf.WriteByte('\n')
	out := buf.Bytes()
	if color {
		out = colorizeJSON(out)
	}
	_, err := w.Write(out)
	return err
}

// ordered decodes JSON into a yaml.Node tree, which keeps key order.
func ordered(raw []byte) (*yaml.Node, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(raw, &doc); err != nil {
		return nil, fmt.Errorf("the server's answer is not JSON: %w", err)
	}
	blockStyle(&doc)
	if doc.Kind == yaml.DocumentNode && len(doc.Content) == 1 {
		return doc.Content[0], nil
	}
	return &doc, nil
}

// blockStyle drops the JSON styles (flow collections, quoted strings); the
// encoder quotes again only what needs it.
func blockStyle(n *yaml.Node) {
	n.Style = 0
	for _, c := range n.Content {
		blockStyle(c)
	}
}

func printYAML(w io.Writer, raw []byte) error {
	node, err := ordered(raw)
	if err != nil {
		return err
	}
	enc := yaml.NewEncoder(w)
	enc.SetIndent(2)
	if err := enc.Encode(node); err != nil {
		return err
	}
	return enc.Close()
}

// printTable prints an object as KEY VALUE rows and an array of objects as
// rows under a header. On a terminal the columns are aligned; in a pipe
// they are separated by single tabs.
func printTable(w io.Writer, raw []byte, tty bool) error {
	node, err := ordered(raw)
	if err != nil {
		return err
	}
	var rows [][]string
	switch node.Kind {
	case yaml.MappingNode:
		rows = append(rows, []string{"KEY", "VALUE"})
		for i := 0; i+1 < len(node.Content); i += 2 {
			rows = append(rows, []string{node.Content[i].Value, cell(node.Content[i+1])})
		}
	case yaml.SequenceNode:
		rows = sequenceRows(node)
	default:
		rows = [][]string{{cell(node)}}
	}
	return writeRows(w, rows, tty)
}

func sequenceRows(node *yaml.Node) [][]string {
	var cols []string
	for _, item := range node.Content {
		for i := 0; item.Kind == yaml.MappingNode && i+1 < len(item.Content); i += 2 {
			if !slices.Contains(cols, item.Content[i].Value) {
				cols = append(cols, item.Content[i].Value)
			}
		}
	}
	if len(cols) == 0 {
		rows := [][]string{{"VALUE"}}
		for _, item := range node.Content {
			rows = append(rows, []string{cell(item)})
		}
		return rows
	}
	header := make([]string, len(cols))
	for i, c := range cols {
		header[i] = strings.ToUpper(c)
	}
	rows := [][]string{header}
	for _, item := range node.Content {
		row := make([]string, len(cols))
		for i := 0; i+1 < len(item.Content); i += 2 {
			row[slices.Index(cols, item.Content[i].Value)] = cell(item.Content[i+1])
		}
		rows = append(rows, row)
	}
	return rows
}

// cell renders a scalar as its text and anything nested as compact JSON.
func cell(n *yaml.Node) string {
	if n.Kind == yaml.ScalarNode {
		if n.Tag == "!!null" {
			return ""
		}
		return n.Value
	}
	var v any
	if err := n.Decode(&v); err != nil {
		return n.Value
	}
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	return string(b)
}

func writeRows(w io.Writer, rows [][]string, tty bool) error {
	if !tty {
		for _, r := range rows {
			if _, err := fmt.Fprintln(w, strings.Join(r, "\t")); err != nil {
				return err
			}
		}
		return nil
	}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	for _, r := range rows {
		fmt.Fprintln(tw, strings.Join(r, "\t"))
	}
	return tw.Flush()
}

func decodeAny(raw []byte) (any, error) {
	var v any
	if err := json.Unmarshal(raw, &v); err != nil {
		return nil, fmt.Errorf("the server's answer is not JSON: %w", err)
	}
	return v, nil
}

func parseTemplate(text string) (*template.Template, error) {
	return template.New("output").Funcs(template.FuncMap{
		"json": func(v any) (string, error) {
			b, err := json.Marshal(v)
			return string(b), err
		},
	}).Parse(text)
}

func printTemplate(w io.Writer, text string, raw []byte) error {
	tmpl, err := parseTemplate(text)
	if err != nil {
		return usageErrorf("--template: %v", err)
	}
	v, err := decodeAny(raw)
	if err != nil {
		return err
	}
	if err := tmpl.Execute(w, v); err != nil {
		return usageErrorf("--template: %v", err)
	}
	return nil
}

// jqHeapLimit is how much a jq filter may grow the heap before it is
// stopped: a filter such as 'def f: [f]; f' would otherwise take all the
// memory of the machine. Tests lower it.
var jqHeapLimit uint64 = 1 << 30

var errJQMemory = errors.New("the filter used too much memory (over 1 GiB) and was stopped")

// printJQ runs a jq filter; string results print raw, others as JSON. It
// stops when ctx ends (Ctrl-C) or when the filter's memory runs away.
func printJQ(ctx context.Context, w io.Writer, expr string, raw []byte) error {
	q, err := gojq.Parse(expr)
	if err != nil {
		return usageErrorf("--jq: %v", err)
	}
	v, err := decodeAny(raw)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	go watchHeap(ctx, cancel, heapBytes()+jqHeapLimit)
	iter := q.RunWithContext(ctx, v)
	for {
		res, ok := iter.Next()
		if !ok {
			return nil
		}
		if err, isErr := res.(error); isErr {
			if cause := context.Cause(ctx); errors.Is(cause, errJQMemory) {
				return usageErrorf("--jq: %w", cause)
			}
			if ctx.Err() != nil {
				return ctx.Err()
			}
			return usageErrorf("--jq: %v", err)
		}
		if s, isString := res.(string); isString {
			fmt.Fprintln(w, s)
			continue
		}
		b, err := gojq.Marshal(res)
		if err != nil {
			return err
		}
		fmt.Fprintln(w, string(b))
	}
}

// watchHeap cancels ctx with errJQMemory once the heap passes limit bytes.
func watchHeap(ctx context.Context, cancel context.CancelCauseFunc, limit uint64) {
	tick := time.NewTicker(10 * time.Millisecond)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
			if heapBytes() > limit {
				cancel(errJQMemory)
				return
			}
		}
	}
}

func heapBytes() uint64 {
	s := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	metrics.Read(s)
	return s[0].Value.Uint64()
}

func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
