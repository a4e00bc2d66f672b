package mock

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func decodeRaw(contentType string, body []byte, limit int64) (*form, *apiError) {
	req := httptest.NewRequest("POST", "/genesys/1/service/x", bytes.NewReader(body))
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	req.Body = http.MaxBytesReader(httptest.NewRecorder(), req.Body, limit)
	return decodeForm(req)
}

func TestDecodeFormKeepsOrderAndFiles(t *testing.T) {
	f, aerr := decodeRaw("application/x-www-form-urlencoded", []byte("b=2&a=1&b=3&&c"), 1<<20)
	if aerr != nil {
		t.Fatal(aerr)
	}
	var got []string
	for _, fl := range f.fields {
		got = append(got, fl.name+"="+fl.value)
	}
	if strings.Join(got, "&") != "b=2&a=1&b=3&c=" {
		t.Errorf("fields %v", got)
	}
	if f.get("b") != "2" {
		t.Errorf("first value of b: %q", f.get("b"))
	}

	body := "--XX\r\nContent-Disposition: form-data; name=\"f\"; " +
		"filename=\"dir\\\\a \\\"q\\\".bin\"" +
		"\r\n\r\n\x00\r\n\xff\r\n--XX\r\nContent-Disposition: form-data; name=\"s\"\r\n\r\n" +
		"line1\r\nline2\r\n--XX--\r\n"
	f, aerr = decodeRaw("multipart/form-data; boundary=XX", []byte(body), 1<<20)
	if aerr != nil {
		t.Fatal(aerr)
	}
	if len(f.files) != 1 || !bytes.Equal(f.files[0].data, []byte("\x00\r\n\xff")) ||
		f.files[0].contentType != "application/octet-stream" {
		t.Errorf("files %+v", f.files)
	}
	if f.get("s") != "line1\r\nline2" {
		t.Errorf("string part %q", f.get("s"))
	}
}

func FuzzDecodeForm(f *testing.F) {
	f.Add("application/x-www-form-urlencoded", []byte("_phone_number=1&a=%20b"))
	f.Add("application/x-www-form-urlencoded; charset=utf-8", []byte("a=%zz&b"))
	f.Add(seedContentType, seedBody([]byte("\x89PNG\r\n")))
	f.Add("multipart/form-data; boundary=b", []byte("--b\r\nContent-Disposition: form-data"+
		"; name=\"x\"\r\n\r\nv\r\n--b--"))
	f.Add("multipart/form-data; boundary=b", []byte("--b\r\n\r\n--b"))
	f.Add("application/json", []byte(`{"a":1}`))
	f.Add("", []byte(""))
	f.Add("", []byte("x"))
	f.Add("multipart/form-data; boundary=\"", []byte{})
	f.Fuzz(func(t *testing.T, contentType string, body []byte) {
		form, aerr := decodeRaw(contentType, body, 512)
		if aerr != nil {
			if aerr.status >= 500 || aerr.status < 400 {
				t.Fatalf("status %d for a client error: %s", aerr.status, aerr.message)
			}
			return
		}
		if form == nil {
			t.Fatal("nil form without error")
		}
		for _, ff := range form.files {
			if ff.name == "" || ff.filename == "" || ff.contentType == "" {
				t.Fatalf("incomplete file part %+v", ff)
			}
		}
	})
}

func TestEveryRouteSurvivesGarbage(t *testing.T) {
	h := newHarness(t, nil)
	paths := []string{"/genesys/1/service/request-interaction",
		"/genesys/1/service/generic-service", "/genesys/1/storage/60",
		"/genesys/1/storage/custom/x/60", "/genesys/1/patterns", "/genesys/1/service/x/y/z"}
	bodies := []struct{ ct, body string }{
		{"multipart/form-data; boundary=", "--\r\n"},
		{"multipart/form-data; boundary=a", "--a\r\nContent-Disposition: form-data\r\n\r\n"},
		{"application/x-www-form-urlencoded", "%"},
		{"text/xml", "<a/>"},
	}
	for _, p := range paths {
		for _, b := range bodies {
			res := h.do(h.request("POST", p, b.ct, strings.NewReader(b.body)))
			if res.status < 400 || res.status >= 500 {
				t.Errorf("POST %s (%s): %d %s", p, b.ct, res.status, res.body)
			}
		}
	}
	h.post("/genesys/1/service/request-interaction", "_phone_number", "1").want(t, 200)
}
