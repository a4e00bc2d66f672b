package cli

import (
	"strings"
	"testing"
)

func TestParseFileSpec(t *testing.T) {
	cases := []struct {
		in   string
		want fileSpec
		err  string
	}{
		{in: "pic.png", want: fileSpec{path: "pic.png"}},
		{in: "pic.png;type=image/png", want: fileSpec{path: "pic.png", contentType: "image/png"}},
		{in: "pic.png;filename=me.png;type=image/png",
			want: fileSpec{path: "pic.png", filename: "me.png", contentType: "image/png"}},
		{in: `"a;b.png";type=image/png`, want: fileSpec{path: "a;b.png", contentType: "image/png"}},
		{in: `"say \"hi\".txt"`, want: fileSpec{path: `say "hi".txt`}},
		{in: "-", want: fileSpec{path: "-"}},
		{in: "-;filename=note.txt", want: fileSpec{path: "-", filename: "note.txt"}},
		{in: `pic.png;filename="a;b.png";type=image/png`,
			want: fileSpec{path: "pic.png", filename: "a;b.png", contentType: "image/png"}},
		{in: `pic.png;filename="say \"hi\".png"`, want: fileSpec{path: "pic.png", filename: `say "hi".png`}},
		{in: `pic.png;filename="open`, err: "unterminated quote"},
		{in: `pic.png;filename="a"x`, err: "unexpected"},
		{in: "pic.png;type", err: "unknown part option"},
		{in: "", err: "no file name"},
		{in: "pic.png;size=3", err: "unknown part option"},
		{in: "pic.png;type=", err: "unknown part option"},
		{in: `"open.png`, err: "unterminated quote"},
		{in: `"a.png"x`, err: "unexpected"},
	}
	for _, tc := range cases {
		got, err := parseFileSpec(tc.in)
		if tc.err != "" {
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("parseFileSpec(%q) error = %v, want one mentioning %q", tc.in, err, tc.err)
			}
			continue
		}
		if err != nil || got != tc.want {
			t.Errorf("parseFileSpec(%q) = %+v, %v; want %+v", tc.in, got, err, tc.want)
		}
	}
}

func TestShellQuote(t *testing.T) {
	cases := map[string]string{
		"plain":         "plain",
		"http://h:80/x": "http://h:80/x",
		"a b":           "'a b'",
		"it's":          `'it'\''s'`,
		"":              "''",
		"$HOME":         "'$HOME'",
	}
	for in, want := range cases {
		if got := shellQuote(in); got != want {
			t.Errorf("shellQuote(%q) = %s, want %s", in, got, want)
		}
	}
}

func TestIsSecretName(t *testing.T) {
	for _, name := range []string{"Authorization", "apikey", "X-Api-Key", "password", "secureKey",
		"Cookie", "X-Auth-Token"} {
		if !isSecretName(name) {
			t.Errorf("%s should be treated as a secret", name)
		}
	}
	for _, name := range []string{"Content-Type", "gms_user", "_phone_number", "User-Agent"} {
		if isSecretName(name) {
			t.Errorf("%s should not be treated as a secret", name)
		}
	}
}

func TestColorizeJSON(t *testing.T) {
	in := "{\n  \"k\": \"v\",\n  \"n\": 12,\n  \"b\": true\n}\n"
	got := string(colorizeJSON([]byte(in)))
	for _, want := range []string{colorKey + `"k"` + colorReset, colorString + `"v"` + colorReset,
		colorLit + "12" + colorReset, colorLit + "true" + colorReset} {
		if !strings.Contains(got, want) {
			t.Errorf("colorized JSON %q lacks %q", got, want)
		}
	}
	plain := strings.NewReplacer(colorKey, "", colorString, "", colorLit, "", colorReset, "").Replace(got)
	if plain != in {
		t.Errorf("colours changed the text: %q", plain)
	}
}

// TestCurlFormWordParsesBack: the -F spec that --curl prints for a file part with
// odd names parses back to the same part.
func TestCurlFormWordParsesBack(t *testing.T) {
	for _, name := range []string{"plain.png", "a;b.png", `say "hi".png`, `back\slash,comma.png`} {
		spec := "x.png;filename=" + curlFormWord(name)
		got, err := parseFileSpec(spec)
		if err != nil || got.filename != name {
			t.Errorf("%q: parsed %+v, %v; want filename %q", spec, got, err, name)
		}
	}
}
