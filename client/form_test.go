package client

import (
	"fmt"
	"testing"
)

// TestNilFormMethods: the read-only methods treat a nil *Form as empty; the methods that
// add to a form panic with a message that says to use NewForm, rather than a bare nil
// pointer dereference, since they have no form to add to.
func TestNilFormMethods(t *testing.T) {
	t.Parallel()
	var f *Form
	if f.Encoding() != EncodingURLEncoded || f.Fields() != nil || f.Validate() != nil {
		t.Errorf("nil form: encoding %v, fields %v, validate %v", f.Encoding(), f.Fields(),
			f.Validate())
	}
	calls := map[string]func(){
		"Add":         func() { f.Add("a", "b") },
		"AddFile":     func() { f.AddFile("a", "b.png") },
		"AddFilePart": func() { f.AddFilePart(FilePart{Name: "a", Path: "b.png"}) },
		"SetEncoding": func() { f.SetEncoding(EncodingMultipart) },
	}
	for name, call := range calls {
		msg := func() (msg string) {
			defer func() { msg = fmt.Sprint(recover()) }()
			call()
			return "no panic"
		}()
		want := "client: Form." + name + " on a nil *Form; create the form with NewForm"
		if msg != want {
			t.Errorf("%s on a nil form: panic %q, want %q", name, msg, want)
		}
	}
}
