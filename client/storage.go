package client

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// StorageAPI calls the GMS Storage API (/genesys/1/storage/...): temporary key/value areas
// that expire after a time-to-live. Get it from [Client.Storage].
type StorageAPI struct{ c *Client }

// StorageData is the content of a storage area (or of a service instance's app data):
// one [StorageValue] per key.
type StorageData map[string]StorageValue

// StorageValue is one value of a storage area: a string, or a stored file described by
// File. Raw keeps the JSON the server sent for it.
type StorageValue struct {
	// Value is the string value; for a value that is neither a string nor a file, its
	// JSON text.
	Value string
	File  *StoredFile     // set when the value is a file
	Raw   json.RawMessage // the value's JSON as received
}

// StoredFile describes a file value of a storage area. Read its bytes with
// [StorageAPI.GetValue].
type StoredFile struct {
	Filename    string `json:"filename"`     // name the file was uploaded with
	ContentType string `json:"content_type"` // its media type
	Size        int64  `json:"size"`         // its length in bytes
	Href        string `json:"href"`         // path of the raw value on the server
}

// UnmarshalJSON decodes a string value, or a file description (an object with a filename
// or href); any other JSON value is kept in Raw and as text in Value.
func (v *StorageValue) UnmarshalJSON(data []byte) error {
	*v = StorageValue{Raw: append(json.RawMessage(nil), data...)}
	if json.Unmarshal(data, &v.Value) == nil {
		return nil
	}
	var file StoredFile
	if json.Unmarshal(data, &file) == nil && (file.Filename != "" || file.Href != "") {
		v.File = &file
		return nil
	}
	v.Value = string(data)
	return nil
}

// MarshalJSON returns Raw unchanged, or encodes Value or File when Raw is empty.
func (v StorageValue) MarshalJSON() ([]byte, error) {
	switch {
	case len(v.Raw) > 0:
		return v.Raw, nil
	case v.File != nil:
		return json.Marshal(v.File)
	}
	return json.Marshal(v.Value)
}

// String returns the string value, or the file name of a file value.
func (v StorageValue) String() string {
	if v.File != nil {
		return v.File.Filename
	}
	return v.Value
}

// Value is one raw value read from storage. The caller must close Body.
type Value struct {
	Body        io.ReadCloser // the value's bytes, streamed from the server
	ContentType string        // the response Content-Type
	Filename    string        // from Content-Disposition, for file values
	Size        int64         // the Content-Length, or -1 when unknown
}

// Create stores form in a new storage area that expires after ttl and returns its id:
// POST /genesys/1/storage/{ttl}. ttl is sent in whole seconds, rounded up; it must be
// positive and at most 2147483647 seconds (about 68 years), the most GMS can read.
func (s *StorageAPI) Create(ctx context.Context, ttl time.Duration, form *Form) (string, error) {
	secs, err := ttlSeconds("ttl", ttl)
	if err != nil {
		return "", err
	}
	return s.create(ctx, gmsPath("storage", secs), form)
}

// CreateCustom stores form under the caller-chosen id customID:
// POST /genesys/1/storage/custom/{customID}/{ttl}. GMS scopes custom areas to the
// gms_user header, so the client must have been created with [WithGMSUser]; later reads
// of the area need the same gms_user. ttl is checked and sent as for [StorageAPI.Create].
func (s *StorageAPI) CreateCustom(ctx context.Context, customID string, ttl time.Duration,
	form *Form) (string, error) {
	if s.c.gmsUser == "" {
		return "", invalidf("custom storage needs a gms_user header: create the client " +
			"with WithGMSUser")
	}
	if err := checkSegment("custom storage id", customID); err != nil {
		return "", err
	}
	secs, err := ttlSeconds("ttl", ttl)
	if err != nil {
		return "", err
	}
	return s.create(ctx, gmsPath("storage", "custom", customID, secs), form)
}

func (s *StorageAPI) create(ctx context.Context, path []string, form *Form) (string, error) {
	var out ServiceResponse // {"id": ...}; "_id" is accepted too
	cl := &call{method: http.MethodPost, path: path, form: form}
	if err := s.c.sendJSON(ctx, cl, &out); err != nil {
		return "", err
	}
	if out.ID == "" {
		return "", fmt.Errorf("POST /%s: response has no id: %s", strings.Join(path, "/"),
			bodySnippet(out.Raw))
	}
	return out.ID, nil
}

// Update merges form into the existing storage area id and resets its time-to-live to ttl:
// POST /genesys/1/storage/{id}/{ttl}. ttl is checked and sent as for [StorageAPI.Create].
func (s *StorageAPI) Update(ctx context.Context, id string, ttl time.Duration, form *Form) error {
	if err := checkSegment("storage id", id); err != nil {
		return err
	}
	secs, err := ttlSeconds("ttl", ttl)
	if err != nil {
		return err
	}
	cl := &call{method: http.MethodPost, path: gmsPath("storage", id, secs), form: form}
	return s.c.sendDiscard(ctx, cl)
}

// Get reads every key of the storage area id: GET /genesys/1/storage/{id}.
func (s *StorageAPI) Get(ctx context.Context, id string) (StorageData, error) {
	if err := checkSegment("storage id", id); err != nil {
		return nil, err
	}
	return getStorageData(ctx, s.c, gmsPath("storage", id))
}

// GetValue reads the raw value of one key, streaming it: GET /genesys/1/storage/{id}/{key}.
// A file comes back byte for byte with its content type and filename. The caller must
// close the returned Body.
func (s *StorageAPI) GetValue(ctx context.Context, id, key string) (*Value, error) {
	if err := checkSegment("storage id", id); err != nil {
		return nil, err
	}
	if err := checkSegment("storage key", key); err != nil {
		return nil, err
	}
	return getValue(ctx, s.c, gmsPath("storage", id, key))
}

// Delete deletes the storage area id: DELETE /genesys/1/storage/{id}.
func (s *StorageAPI) Delete(ctx context.Context, id string) error {
	if err := checkSegment("storage id", id); err != nil {
		return err
	}
	return s.c.sendDiscard(ctx, &call{method: http.MethodDelete, path: gmsPath("storage", id)})
}

// DeleteKey deletes one key of the storage area id: DELETE /genesys/1/storage/{id}/{key}.
func (s *StorageAPI) DeleteKey(ctx context.Context, id, key string) error {
	if err := checkSegment("storage id", id); err != nil {
		return err
	}
	if err := checkSegment("storage key", key); err != nil {
		return err
	}
	cl := &call{method: http.MethodDelete, path: gmsPath("storage", id, key)}
	return s.c.sendDiscard(ctx, cl)
}

func getStorageData(ctx context.Context, c *Client, path []string) (StorageData, error) {
	data := StorageData{}
	if err := c.sendJSON(ctx, &call{method: http.MethodGet, path: path}, &data); err != nil {
		return nil, err
	}
	return data, nil
}

func getValue(ctx context.Context, c *Client, path []string) (*Value, error) {
	resp, err := c.send(ctx, &call{method: http.MethodGet, path: path, accept: "*/*"})
	if err != nil {
		return nil, err
	}
	v := &Value{
		Body:        resp.Body,
		ContentType: resp.Header.Get("Content-Type"),
		Size:        resp.ContentLength,
	}
	if cd := resp.Header.Get("Content-Disposition"); cd != "" {
		if _, params, err := mime.ParseMediaType(cd); err == nil {
			v.Filename = params["filename"]
		}
	}
	return v, nil
}

// maxJavaInt is the largest number GMS can read for a TTL, a timeout (in seconds) or a
// count: it reads them as a Java int. GMS turns a Storage TTL it cannot read into 30 s
// without an error, so the client refuses larger values before sending.
const maxJavaInt = math.MaxInt32

// ttlSeconds formats a positive duration of at most maxJavaInt seconds as whole seconds,
// rounded up.
func ttlSeconds(what string, ttl time.Duration) (string, error) {
	if ttl <= 0 {
		return "", invalidf("%s must be positive, got %v", what, ttl)
	}
	secs := int64(ttl / time.Second)
	if ttl%time.Second != 0 {
		secs++
	}
	if secs > maxJavaInt {
		return "", invalidf("%s %v is too long: GMS takes at most %d seconds (a 32-bit int)",
			what, ttl, maxJavaInt)
	}
	return strconv.FormatInt(secs, 10), nil
}
